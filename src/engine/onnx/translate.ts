/**
 * The one seam between ONNX and the engine: each node (or each exporter's pattern of nodes, such
 * as a decomposed LayerNorm) becomes a layer of one of the engine's kinds, added to a
 * `GraphBuilder`, so shapes and counts come from the same rules as every other model. Shape
 * arithmetic (Shape, Gather, Concat, ... on constants) is evaluated here and makes no layer.
 * An op it cannot count is an error naming the node, its op type and its inputs: never a zero.
 */
import { ModelError } from '../errors.ts';
import { GraphBuilder, type GraphModel } from '../model/graph.ts';
import { elementCount, formatShape, type Shape } from '../shape.ts';
import { attrFloat, attrInt, attrInts, attrString, nodeName } from './attrs.ts';
import { tensorValues, type OnnxGraph, type OnnxNode } from './graph.ts';
import { CONSTANT_OPS, evaluate, type Const } from './constants.ts';
import { OPS } from './ops.ts';
import { attributeProblem } from './schema.ts';
import { matchPatterns } from './patterns.ts';
import { recurrent, type Layout } from './recurrent.ts';


/** What an op translation emits: a layer of an engine kind reading activations. */
export type { Const };

export interface Emit {
  readonly type: string;
  readonly args: Record<string, unknown>;
  /** ONNX tensor names of the activations it reads. */
  readonly inputs: readonly string[];
  readonly name?: string;
  /** The ONNX tensor it makes (default: the node's first output). */
  readonly output?: string;
}

/** The ops this importer translates, for error messages. */
export const SUPPORTED_OPS = [
  'Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'BatchNormalization', 'LayerNormalization',
  'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Sqrt', 'Erf', 'Exp', 'Neg', 'Abs', 'Reciprocal', 'Concat', 'Relu', 'Clip', 'Sigmoid', 'Tanh', 'HardSigmoid',
  'HardSwish', 'LeakyRelu', 'PRelu', 'Gelu', 'Softmax', 'ReduceMean', 'Reshape', 'Flatten', 'Transpose', 'Gather', 'Squeeze', 'Unsqueeze',
  'Resize', 'Dropout', 'Identity', 'Cast', 'Constant', 'Shape', 'ConstantOfShape', 'Slice', 'Split', 'LSTM', 'GRU', 'Pad',
] as const;


export class Translator {
  readonly graph: OnnxGraph;
  readonly builder: GraphBuilder;
  readonly modelName: string;
  readonly file: string | undefined;
  /** Constants by ONNX tensor name. */
  readonly consts = new Map<string, Const>();
  /** ONNX tensor names that stand for another (a Cast of an activation). */
  private readonly alias = new Map<string, string>();
  /** Nodes reading each tensor; the graph's outputs count as readers too. */
  readonly consumers = new Map<string, OnnxNode[]>();
  /** Nodes a pattern has taken. */
  readonly done = new Set<number>();
  /** Initializers a layer counts (as weights, biases, norm parameters or buffers). */
  readonly counted = new Set<string>();
  /** Identity outputs that stand for an initializer (exporters share equal initializers this way). */
  private readonly initAlias = new Map<string, string>();
  /** Tensors whose batch is not first (around recurrent nodes), by ONNX name. */
  readonly layouts = new Map<string, Layout>();
  private readonly usedNames = new Set<string>();
  readonly batch: number;

  constructor(graph: OnnxGraph, builder: GraphBuilder, modelName: string, file: string | undefined, batch: number) {
    this.graph = graph;
    this.builder = builder;
    this.modelName = modelName;
    this.file = file;
    this.batch = batch;
    for (const node of graph.nodes) {
      for (const input of node.inputs) if (input) (this.consumers.get(input) ?? this.consumers.set(input, []).get(input)!).push(node);
    }
  }

  /** A located error: `net > /layer1/Conv: Conv node (inputs: x, w): ...`. */
  fail(node: OnnxNode, detail: string): never {
    throw new ModelError(this.modelName, [nodeName(node)], `${this.origin(node)}: ${detail}`, this.file);
  }

  origin(node: OnnxNode): string {
    return `${node.opType} node (inputs: ${node.inputs.filter(Boolean).join(', ') || 'none'})`;
  }

  readers(tensor: string): readonly OnnxNode[] {
    return this.consumers.get(tensor) ?? [];
  }

  /** True when only `node` reads the tensor and it is no graph output: a pattern may take it. */
  onlyReader(tensor: string, node: OnnxNode): boolean {
    const readers = this.readers(tensor);
    return readers.length === 1 && readers[0] === node && !this.graph.outputs.includes(tensor);
  }

  isActivation(name: string): boolean {
    return this.builder.has(this.alias.get(name) ?? name);
  }

  isParam(name: string): boolean {
    return this.graph.initializers.has(this.initAlias.get(name) ?? name) && !this.consts.has(name);
  }

  /** The dims of an initializer, counting it as a parameter or buffer of the layer that reads it. */
  param(node: OnnxNode, name: string | undefined, what: string, expected?: { elements: number; because: string }): readonly number[] {
    const init = name ? this.graph.initializers.get(this.initAlias.get(name) ?? name) : undefined;
    if (!init) this.fail(node, `its ${what} ${name ? `'${name}'` : ''} is not an initializer (a weight stored in the file); the engine counts layers whose weights are`);
    // A tensor the layer counts from other dims (a bias from the output channels) must hold that many: else the file says two things.
    if (expected && elementCount(init.dims) !== expected.elements) {
      this.fail(node, `its ${what} '${init.name}' has shape ${init.dims.join('×') || '()'}, ${elementCount(init.dims)} elements; ${expected.because} has ${expected.elements}`);
    }
    this.counted.add(init.name);
    return init.dims;
  }

  /** A constant's values: a Constant node's, a folded shape computation's, or a small initializer's. */
  constant(name: string): Const | undefined {
    const known = this.consts.get(name);
    if (known) return known;
    const init = this.graph.initializers.get(name);
    if (!init) return undefined;
    const values = tensorValues(init.tensor);
    return values === undefined ? undefined : { dims: init.dims, values };
  }

  /** A per-sample shape of an activation, or a located error. */
  shape(node: OnnxNode, name: string): Shape {
    const shape = this.builder.shapeOf(this.alias.get(name) ?? name);
    if (!shape) this.fail(node, `reads '${name}', which is neither an activation made earlier nor a constant`);
    return shape;
  }

  private uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.usedNames.has(name); i++) name = `${base}_${i}`;
    this.usedNames.add(name);
    return name;
  }

  /** Adds a layer; checks its shape against what the file declares for the tensor, when it does. */
  emit(node: OnnxNode, e: Emit): Shape {
    const output = e.output ?? node.outputs[0]!;
    const shape = this.builder.add({
      type: e.type,
      name: this.uniqueName(e.name ?? nodeName(node)),
      inputs: e.inputs.map((n) => this.alias.get(n) ?? n),
      output,
      args: e.args,
      origin: this.origin(node),
    });
    const declared = this.graph.shapes.get(output);
    if (declared && declared.length === shape.length + 1) {
      const perSample = declared.slice(1);
      if (perSample.some((d, i) => typeof d === 'number' && d !== shape[i])) {
        this.fail(node, `the engine's shape rules give ${formatShape(shape)} per sample for '${output}', but the file declares ${perSample.join('×')}`);
      }
    }
    return shape;
  }

  run(): GraphModel {
    // Every node's attributes against its op's schema at the file's opset, before any is read.
    for (const node of this.graph.nodes) {
      if (node.domain !== '' && node.domain !== 'ai.onnx') continue;
      const problem = attributeProblem(node.opType, node.attributeList, this.graph.opset);
      if (problem) this.fail(node, problem);
    }
    // Constant nodes first: a pattern starting at an earlier node reads constants made later (LayerNorm's 2 and ε).
    for (const node of this.graph.nodes) if (node.opType === 'Constant') this.foldConstant(node);
    for (const node of this.graph.nodes) {
      if (node.opType === 'Constant') continue;
      if (this.done.has(node.index)) continue;
      if (node.domain !== '' && node.domain !== 'ai.onnx') this.fail(node, `op domain '${node.domain}' is not the standard one; the importer counts standard ONNX ops (${SUPPORTED_OPS.join(', ')})`);
      if (this.foldConstant(node)) continue;
      if (matchPatterns(this, node)) continue;
      this.translate(node);
    }
    for (const init of this.graph.initializers.values()) {
      if (!this.counted.has(init.name) && this.readers(init.name).length > 0 && init.dims.length > 0 && elementCount(init.dims) > 1 && !this.constant(init.name)) {
        const reader = this.readers(init.name)[0]!;
        this.fail(reader, `reads the initializer '${init.name}' (${init.dims.join('×')}) in a way no layer counts`);
      }
    }
    const outputs = this.graph.outputs.filter((o) => this.isActivation(o));
    if (outputs.length === 0) throw new ModelError(this.modelName, [], 'none of the graph\'s outputs is computed by a layer the engine counts', this.file);
    return this.builder.finish(this.alias.get(outputs[outputs.length - 1]!) ?? outputs[outputs.length - 1]!);
  }

  /** Evaluates Constant nodes and shape arithmetic on constants; true when the node was one. */
  private foldConstant(node: OnnxNode): boolean {
    const out = node.outputs[0]!;
    if (node.opType === 'Constant') {
      const a = node.attrs.get('value');
      const values = a?.t ? tensorValues(a.t) : undefined;
      if (a?.t && values) this.consts.set(out, { dims: a.t.dims.map(Number), values });
      else if (node.attrs.has('value_float')) this.consts.set(out, { dims: [], values: [attrFloat(node, 'value_float', 0)] });
      else if (node.attrs.has('value_int')) this.consts.set(out, { dims: [], values: [attrInt(node, 'value_int', 0)] });
      else if (node.attrs.has('value_ints')) { const v = attrInts(node, 'value_ints')!; this.consts.set(out, { dims: [v.length], values: v }); }
      else if (node.attrs.has('value_floats')) { const v = node.attrs.get('value_floats')!.floats; this.consts.set(out, { dims: [v.length], values: [...v] }); }
      else this.fail(node, 'its value is not a small numeric tensor the importer can read');
      return true;
    }
    if (node.opType === 'Identity' && this.graph.initializers.has(node.inputs[0]!)) {
      // An exporter's way of sharing one stored tensor between parameters that are equal.
      this.initAlias.set(out, this.initAlias.get(node.inputs[0]!) ?? node.inputs[0]!);
      const c = this.constant(node.inputs[0]!);
      if (c) this.consts.set(out, c);
      return true;
    }
    if (node.opType === 'Shape' && this.isActivation(node.inputs[0]!)) {
      const perSample = this.shape(node, node.inputs[0]!);
      const layout = this.layouts.get(node.inputs[0]!);
      // Around recurrent nodes the batch is second ([seq, batch, f]) or third ([seq, dirs, batch, h]).
      const at = layout === 'time-major' ? 1 : layout === 'rnn-y' || layout === 'rnn-y-sbdh' ? 2 : 0;
      const dims = layout === 'rnn-y' ? [perSample[0]!, perSample[1]! / this.rnnHidden(node.inputs[0]!), this.batch, this.rnnHidden(node.inputs[0]!)] : [...perSample.slice(0, at), this.batch, ...perSample.slice(at)];
      const start = attrInt(node, 'start', 0);
      const end = node.attrs.has('end') ? attrInt(node, 'end', dims.length) : dims.length;
      const values = dims.slice(start < 0 ? start + dims.length : start, end < 0 ? end + dims.length : end);
      this.consts.set(out, { dims: [values.length], values });
      return true;
    }
    if (!CONSTANT_OPS.has(node.opType)) return false;
    const inputs = node.inputs.map((n) => (n ? this.constant(n) : undefined));
    if (node.inputs.some((n, i) => n && !inputs[i])) return false;
    const value = evaluate(node, inputs as (Const | undefined)[], this.graph.opset);
    if (!value) this.fail(node, 'a shape computation the importer cannot evaluate');
    this.consts.set(out, value);
    return true;
  }

  /** The hidden size of the recurrent layer that made a tensor (its output is (L, D·h) per sample). */
  private rnnHidden(name: string): number {
    const layer = this.builder.layerOf(this.alias.get(name) ?? name);
    const hidden = (layer?.args as { hidden_size?: number } | undefined)?.hidden_size;
    return hidden ?? 1;
  }

  /** `name` is the same engine tensor as `target`, in another layout (or batch first: undefined). */
  aliasOf(name: string, target: string, layout: Layout | undefined): void {
    this.alias.set(name, this.alias.get(target) ?? target);
    if (layout) this.layouts.set(name, layout);
  }

  private translate(node: OnnxNode): void {
    if (recurrent(this, node)) return;
    const moved = node.inputs.find((n) => n && this.layouts.has(n));
    if (moved) this.fail(node, `reads '${moved}', a recurrent layer's time-major tensor; the importer follows PyTorch's export, which transposes it back to batch first`);
    const op = OPS[node.opType];
    if (!op) this.fail(node, `op type ${node.opType} is not one the importer counts; supported: ${SUPPORTED_OPS.join(', ')}`);
    const result = op(this, node);
    if (result === 'alias') {
      this.alias.set(node.outputs[0]!, this.alias.get(node.inputs[0]!) ?? node.inputs[0]!);
      return;
    }
    for (const e of Array.isArray(result) ? result : [result]) this.emit(node, e);
  }

  /** An input that is a constant, or a located error. */
  need(node: OnnxNode, name: string | undefined, what: string): Const {
    const c = name ? this.constant(name) : undefined;
    if (!c) this.fail(node, `its ${what}${name ? ` '${name}'` : ''} is not a constant the importer can read`);
    return c;
  }

  /** Per-sample axis of an ONNX axis (which counts the batch); an error for the batch itself. */
  axis(node: OnnxNode, axis: number, rank: number, what = 'axis'): number {
    const a = axis < 0 ? axis + rank + 1 : axis;
    if (a < 1 || a > rank) this.fail(node, `${what} ${axis} is ${a === 0 ? 'the batch dimension' : 'out of range'}; the engine works per sample (allowed: 1 to ${rank} or −1 to −${rank})`);
    return a;
  }

  /** The activation input of a node, or a located error. */
  activation(node: OnnxNode, index = 0): string {
    const name = node.inputs[index];
    if (!name || !this.isActivation(name)) this.fail(node, `its input ${index} '${name ?? ''}' is not an activation (a tensor computed from the model's input)`);
    return name;
  }

  /** An INTS attribute of one entry per spatial dimension (strides, dilations, kernel_shape), or its default. */
  spatialInts(node: OnnxNode, name: string, spatial: number, fallback: number, entries = spatial): number[] {
    const values = attrInts(node, name);
    if (values === undefined) return new Array<number>(entries).fill(fallback);
    if (values.length !== entries) {
      this.fail(node, `attribute ${name} = [${values.join(', ')}] has ${values.length} ${values.length === 1 ? 'entry' : 'entries'}; over ${spatial} spatial dimension${spatial === 1 ? '' : 's'} it has ${entries}`);
    }
    return values;
  }

  /** ONNX pads [b_1, b_2, …, e_1, e_2, …] as PyTorch's symmetric padding, or a located error. */
  pads(node: OnnxNode, spatial: number, stride: readonly number[]): number[] | 'same' {
    const p = this.padsOf(node, spatial, stride);
    if (p === 'same' || !('before' in p)) return p;
    this.fail(node, `pads ${[...p.before, ...p.after].join(', ')} differ before and after; the engine pads both sides equally, as PyTorch's layers do`);
  }

  /**
   * ONNX pads as PyTorch writes them: symmetric padding, `same`, or, when the two sides differ
   * (TensorFlow's SAME with a stride), the sides apart, for a ZeroPad2d before the layer.
   */
  padsOf(node: OnnxNode, spatial: number, stride: readonly number[]): number[] | 'same' | { before: number[]; after: number[] } {
    const autoPad = attrString(node, 'auto_pad', 'NOTSET');
    if (autoPad === 'VALID') return new Array<number>(spatial).fill(0);
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      if (stride.every((s) => s === 1)) return 'same';
      this.fail(node, `auto_pad ${autoPad} with stride ${stride.join('×')}: the padding depends on sizes the file leaves to the runtime; export with explicit pads`);
    }
    if (autoPad !== 'NOTSET' && node.attrs.has('pads')) this.fail(node, `attribute pads is given with auto_pad ${autoPad}; ONNX allows pads only with auto_pad NOTSET`);
    const pads = this.spatialInts(node, 'pads', spatial, 0, 2 * spatial);
    const before = pads.slice(0, spatial);
    const after = pads.slice(spatial);
    return before.some((p, i) => p !== after[i]) ? { before, after } : before;
  }
}

