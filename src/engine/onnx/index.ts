/**
 * ONNX files as models: `importOnnx(bytes)` decodes the file with @bufbuild/protobuf (ONNX's own
 * schema, never a hand-written decoder), translates its graph onto the engine's layer kinds
 * (translate.ts, the one seam) and returns a `Model` that analyzes like any other: per-layer
 * figures named by the ONNX node names, totals, derivations, conventions and cost models.
 *
 * Counts come from the graph's structure: initializer dims (a file's weights may be external or
 * stripped; their bytes are never read), node attributes, and shapes by the engine's own rules,
 * checked against the file's value_info. The batch dimension is the analysis's `batch` option.
 * Browser-safe: bytes in, model out; reading the file is the caller's business.
 */
import { ModelError } from '../errors.ts';
import type { Model } from '../model/define.ts';
import { GraphBuilder } from '../model/graph.ts';
import { fileSizeProblem, layerCountProblem, tensorDimsProblem } from '../model/rules.ts';
import { elementCount, type Shape } from '../shape.ts';
import { countGraphNodes, decodeOnnx, OnnxFormatError, type Dim } from './graph.ts';
import { Translator } from './translate.ts';

export { SUPPORTED_OPS } from './translate.ts';

/** The opsets the importer is tested on (PyTorch's and TensorFlow's exporters emit 11 to 21). */
export const OPSET_RANGE = { min: 11, max: 21 } as const;

export interface OnnxImport {
  readonly model: Model;
  readonly opset: number;
  readonly producer: string;
  /** The batch size the file was exported with, or the name of its symbolic batch dimension. */
  readonly batch: number | string;
  /** The graph's inputs as the file declares them, batch first. */
  readonly inputs: readonly { readonly name: string; readonly dims: readonly Dim[] }[];
  /** `kept`: BatchNormalization nodes (their running statistics are buffers); `none`: none in the graph (folded by the exporter, if the network had any). */
  readonly batchNorm: 'kept' | 'none';
  /** Elements of all initializers: the parameters plus buffers of the graph as stored. */
  readonly initializerElements: number;
  /** Initializers stored outside the file (external data), whose bytes were never needed. */
  readonly externalInitializers: number;
  readonly nodes: number;
}

export interface OnnxOptions {
  /** The model's name (default: the graph's name, or `onnx-model`). */
  readonly name?: string;
  /** The file, for error messages. */
  readonly file?: string;
}

export function importOnnx(bytes: Uint8Array, options: OnnxOptions = {}): OnnxImport {
  const fallbackName = options.name ?? 'onnx-model';
  // The limits first, before any byte is decoded or any node translated.
  const tooBig = fileSizeProblem(bytes.byteLength, 'onnx');
  if (tooBig) throw new ModelError(fallbackName, [], tooBig, options.file);
  const tooManyNodes = layerCountProblem(countGraphNodes(bytes) ?? 0, 'nodes in the graph');
  if (tooManyNodes) throw new ModelError(fallbackName, [], tooManyNodes, options.file);
  let graph;
  try {
    graph = decodeOnnx(bytes);
  } catch (error) {
    if (error instanceof OnnxFormatError) throw new ModelError(fallbackName, [], error.message, options.file);
    throw error;
  }
  const name = options.name ?? (graph.graphName || 'onnx-model');
  const fail = (detail: string): never => {
    throw new ModelError(name, [], detail, options.file);
  };
  if (graph.opset < OPSET_RANGE.min || graph.opset > OPSET_RANGE.max) {
    fail(`opset ${graph.opset || '(none)'}; the importer reads opsets ${OPSET_RANGE.min} to ${OPSET_RANGE.max} (re-export with torch.onnx.export(..., opset_version=17))`);
  }
  const tooMany = layerCountProblem(graph.nodes.length, 'nodes in the graph');
  if (tooMany) fail(tooMany);
  if (graph.inputs.length === 0) fail('the graph declares no inputs');
  let batch: number | string | undefined;
  const inputs = graph.inputs.map((input) => {
    const [head, ...rest] = input.dims;
    if (head === undefined || rest.length === 0) fail(`input '${input.name}' has shape ${input.dims.join('×') || '(none)'}; the importer needs a batch dimension first and at least one more`);
    const symbolic = rest.find((d) => typeof d === 'string');
    if (symbolic !== undefined) fail(`input '${input.name}' has a symbolic dimension '${symbolic}' beyond the batch (${input.dims.join('×')}); export it with fixed sizes`);
    // The batch counted as 1 when it is a name (the analysis's batch multiplies later, checked there).
    const dimsProblem = tensorDimsProblem(input.dims.map((d) => (typeof d === 'number' ? d : 1)), `input '${input.name}'`, false, input.dims.join('×'));
    if (dimsProblem) fail(dimsProblem);
    if (batch === undefined) batch = head;
    return { name: input.name, shape: rest as number[] as Shape };
  });
  const builder = new GraphBuilder(name, inputs, options.file);
  const translator = new Translator(graph, builder, name, options.file, typeof batch === 'number' ? batch : 1);
  const { model } = translator.run();
  const initializers = [...graph.initializers.values()];
  const description = `${graph.producer || 'ONNX'} export, opset ${graph.opset}, ${graph.nodes.length} nodes`;
  return {
    model: { ...model, description, source: options.file ?? 'an ONNX file' },
    opset: graph.opset,
    producer: graph.producer,
    batch: batch ?? 1,
    inputs: graph.inputs,
    batchNorm: graph.nodes.some((n) => n.opType === 'BatchNormalization') ? 'kept' : 'none',
    initializerElements: initializers.reduce((n, t) => n + elementCount(t.dims), 0),
    externalInitializers: initializers.filter((t) => t.external).length,
    nodes: graph.nodes.length,
  };
}
