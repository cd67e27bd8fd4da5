/**
 * Models written as graphs rather than as blocks: each node names the tensors it reads and the
 * tensor it makes, as an ONNX file does. Graph importers (src/engine/onnx/) translate their
 * nodes onto the engine's layer kinds and build the model here, so a graph's layers are
 * validated, shaped and counted by the same kinds as a JSON model's: one engine, one truth.
 *
 * The result is a `Model` like `defineModel`'s: leaf layers in execution order, the tensors
 * between them, and a flat tree (a graph has no blocks).
 */
import { LayerError, ModelError } from '../errors.ts';
import { LAYER_KINDS, LAYER_TYPES, isLayerType, type LayerArgs, type LayerType } from '../layers/registry.ts';
import type { LayerKind } from '../layers/kind.ts';
import type { Shape } from '../shape.ts';
import { describeIssues, layerCountProblem, type BlockNode, type Layer, type Model, type Tensor } from './define.ts';

export interface GraphNode {
  /** A layer kind (PyTorch's class name), as in a JSON model. */
  readonly type: string;
  /** Unique; the layer's id in tables. */
  readonly name: string;
  /** Names of the tensors it reads: graph inputs or other nodes' outputs. */
  readonly inputs: readonly string[];
  /** Name of the tensor it makes. */
  readonly output: string;
  readonly args: Readonly<Record<string, unknown>>;
  /** Says where the node comes from in errors, e.g. `Conv node (inputs: x, conv1.weight)`. */
  readonly origin?: string;
}

export interface GraphDef {
  readonly name: string;
  /** The graph's inputs with their shapes per sample; the first is the model's input. */
  readonly inputs: readonly { readonly name: string; readonly shape: Shape }[];
  /** In execution order: every node's inputs are made before it. */
  readonly nodes: readonly GraphNode[];
  /** The tensor the model returns (the last one, when a graph returns several). */
  readonly output: string;
  readonly description?: string;
  readonly source?: string;
}

export interface GraphModel {
  readonly model: Model;
  /** Tensor ids of the model by the graph's tensor names. */
  readonly tensorIds: ReadonlyMap<string, number>;
}

/** Validates every node with its kind's schema and shape rule and returns the model, or a `ModelError` naming the node. */
export function defineGraph(def: GraphDef, options: { file?: string } = {}): GraphModel {
  const builder = new GraphBuilder(def.name, def.inputs, options.file);
  for (const node of def.nodes) builder.add(node);
  return builder.finish(def.output, def);
}

/** Builds a graph model node by node, so an importer can read each output's shape as it goes. */
export class GraphBuilder {
  private readonly tensors: Tensor[] = [];
  private readonly layers: Layer[] = [];
  private readonly ids = new Map<string, number>();
  private readonly names = new Set<string>();
  private readonly children: BlockNode[] = [];
  private readonly name: string;
  private readonly file: string | undefined;
  private readonly inputShape: Shape;

  constructor(name: string, inputs: GraphDef['inputs'], file?: string) {
    this.name = name;
    this.file = file;
    if (inputs.length === 0) this.fail([], 'the graph has no inputs');
    this.inputShape = inputs[0]!.shape;
    for (const input of inputs) this.ids.set(input.name, this.tensor(input.shape, -1, undefined));
  }

  fail(path: readonly string[], detail: string): never {
    throw new ModelError(this.name, path, detail, this.file);
  }

  has(tensorName: string): boolean {
    return this.ids.has(tensorName);
  }

  /** The per-sample shape of a tensor made so far, or undefined. */
  shapeOf(tensorName: string): Shape | undefined {
    const id = this.ids.get(tensorName);
    return id === undefined ? undefined : this.tensors[id]!.shape;
  }

  /** The layer that made a tensor, or undefined for a source tensor. */
  layerOf(tensorName: string): Layer | undefined {
    const id = this.ids.get(tensorName);
    const producer = id === undefined ? -1 : this.tensors[id]!.producer;
    return producer < 0 ? undefined : this.layers[producer];
  }

  /** Adds another source tensor (a second model input, a constant index tensor). */
  addInput(tensorName: string, shape: Shape): void {
    this.ids.set(tensorName, this.tensor(shape, -1, undefined));
  }

  private tensor(shape: Shape, producer: number, sharesWith: number | undefined): number {
    const id = this.tensors.length;
    this.tensors.push({ id, shape, producer, storage: sharesWith === undefined ? id : this.tensors[sharesWith]!.storage });
    return id;
  }

  /** Validates and adds one node; returns its output's shape. */
  add(node: GraphNode): Shape {
    const path = [node.name];
    // Any importer's graph keeps the layer limit, whatever it checked before.
    const tooMany = layerCountProblem(this.layers.length + 1);
    if (tooMany) this.fail(path, `${node.origin ?? node.type}: a layer past the limit: ${tooMany}`);
    const where = node.origin ?? node.type;
    if (!isLayerType(node.type)) this.fail(path, `${where}: unknown layer type '${node.type}'; allowed: ${LAYER_TYPES.join(', ')}`);
    const type = node.type as LayerType;
    const kind = LAYER_KINDS[type] as LayerKind<unknown>;
    if (this.names.has(node.name)) this.fail(path, `${where}: the name '${node.name}' is used by two layers`);
    const inputs = node.inputs.map((name) => this.ids.get(name) ?? this.fail(path, `${where}: reads '${name}', which no earlier node makes and is no graph input`));
    if (!kind.join && inputs.length !== 1) this.fail(path, `${where}: ${type} reads one tensor, got ${inputs.length}`);
    const parsed = kind.schema.safeParse(node.args);
    if (!parsed.success) this.fail(path, `${where}: ${type}: ${describeIssues(parsed.error, Object.keys((kind.schema as { shape?: object }).shape ?? {}), node.args)}`);
    const args = parsed.data;
    const inputShapes = inputs.map((t) => this.tensors[t]!.shape);
    let outputShape: Shape = [];
    try {
      outputShape = kind.outputShape(args, inputShapes[0]!, inputShapes);
    } catch (error) {
      if (error instanceof LayerError) this.fail(path, `${where}: ${type}: ${error.message}`);
      throw error;
    }
    this.names.add(node.name);
    const index = this.layers.length;
    const output = this.tensor(outputShape, index, kind.inPlace ? inputs[0] : undefined);
    this.ids.set(node.output, output);
    this.layers.push({
      type,
      name: node.name,
      path,
      id: node.name,
      index,
      args: args as LayerArgs[LayerType],
      inputShape: inputShapes[0]!,
      inputShapes,
      outputShape,
      label: kind.label(args, inputShapes[0]!),
      inputs,
      output,
      // A graph does not say which nodes were modules; its joins (Add, Concat) never are.
      functional: kind.join === true,
    } as Layer);
    this.children.push({ kind: 'layer', name: node.name, path, index });
    return outputShape;
  }

  finish(outputName: string, meta: { description?: string; source?: string } = {}): GraphModel {
    if (this.layers.length === 0) this.fail([], 'the graph has no layers the engine counts');
    const output = this.ids.get(outputName) ?? this.fail([], `the graph's output '${outputName}' is made by no node`);
    const model: Model = {
      name: this.name,
      input: this.inputShape,
      layers: this.layers,
      outputShape: this.tensors[output]!.shape,
      tensors: this.tensors,
      output,
      tree: { kind: 'Sequential', name: '', path: [], children: this.children },
      ...(meta.description ? { description: meta.description } : {}),
      ...(meta.source ? { source: meta.source } : {}),
    };
    return { model, tensorIds: this.ids };
  }
}
