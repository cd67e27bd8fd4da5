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
import { attrFloat, attrInt, attrInts, attrString, commonName, intOrTuple, nodeName } from './attrs.ts';
import { tensorValues, type OnnxGraph, type OnnxNode } from './graph.ts';
import { matchPatterns } from './patterns.ts';
import { recurrent, type Layout } from './recurrent.ts';

/** A tensor whose values are known without running the model: a shape, a scale, a bound. */
export interface Const {
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

/** What an op translation emits: a layer of an engine kind reading activations. */
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
  'Resize', 'Dropout', 'Identity', 'Cast', 'Constant', 'Shape', 'ConstantOfShape', 'Slice', 'LSTM', 'GRU',
] as const;

const CONSTANT_OPS = new Set(['Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast', 'Slice', 'Add', 'Sub', 'Mul', 'Div', 'Identity', 'Reshape', 'ConstantOfShape', 'Expand', 'Floor', 'Ceil', 'Sqrt']);

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
  param(node: OnnxNode, name: string | undefined, what: string): readonly number[] {
    const init = name ? this.graph.initializers.get(this.initAlias.get(name) ?? name) : undefined;
    if (!init) this.fail(node, `its ${what} ${name ? `'${name}'` : ''} is not an initializer (a weight stored in the file); the engine counts layers whose weights are`);
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

  /** ONNX pads [b_1, b_2, …, e_1, e_2, …] as PyTorch's symmetric padding, or a located error. */
  pads(node: OnnxNode, spatial: number, stride: readonly number[]): number[] | 'same' {
    const autoPad = attrString(node, 'auto_pad', 'NOTSET');
    if (autoPad === 'VALID') return new Array<number>(spatial).fill(0);
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      if (stride.every((s) => s === 1)) return 'same';
      this.fail(node, `auto_pad ${autoPad} with stride ${stride.join('×')} pads unevenly; the engine pads both sides equally, as PyTorch does`);
    }
    const pads = attrInts(node, 'pads') ?? new Array<number>(2 * spatial).fill(0);
    const begin = pads.slice(0, spatial);
    const end = pads.slice(spatial);
    if (begin.some((p, i) => p !== end[i])) this.fail(node, `pads ${pads.join(', ')} differ before and after; the engine pads both sides equally, as PyTorch's layers do`);
    return begin;
  }
}

// ---- constant evaluation (shape arithmetic) ------------------------------------------------------

function evaluate(node: OnnxNode, inputs: readonly (Const | undefined)[], opset: number): Const | undefined {
  const [a, b] = inputs;
  switch (node.opType) {
    case 'Identity':
    case 'Cast':
      return a;
    case 'Floor':
      return a && { dims: a.dims, values: a.values.map(Math.floor) };
    case 'Ceil':
      return a && { dims: a.dims, values: a.values.map(Math.ceil) };
    case 'Sqrt':
      return a && { dims: a.dims, values: a.values.map(Math.sqrt) };
    case 'Add': case 'Sub': case 'Mul': case 'Div': {
      if (!a || !b) return undefined;
      const f = { Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y, Mul: (x: number, y: number) => x * y, Div: (x: number, y: number) => x / y }[node.opType]!;
      if (a.values.length === b.values.length) return { dims: a.dims, values: a.values.map((x, i) => f(x, b.values[i]!)) };
      if (b.values.length === 1) return { dims: a.dims, values: a.values.map((x) => f(x, b.values[0]!)) };
      if (a.values.length === 1) return { dims: b.dims, values: b.values.map((y) => f(a.values[0]!, y)) };
      return undefined;
    }
    case 'Gather': {
      if (!a || !b || a.dims.length !== 1) return undefined;
      const values = b.values.map((i) => a.values[i < 0 ? i + a.values.length : i]!);
      return values.some((v) => v === undefined) ? undefined : { dims: b.dims, values };
    }
    case 'Unsqueeze': {
      if (!a) return undefined;
      const axes = opset >= 13 ? b?.values : attrInts(node, 'axes');
      return axes ? { dims: unsqueezeDims(a.dims, axes), values: a.values } : undefined;
    }
    case 'Squeeze':
      return a && { dims: a.dims.filter((d) => d !== 1), values: a.values };
    case 'Reshape':
      return a && b ? { dims: b.values, values: a.values } : undefined;
    case 'Concat':
      return inputs.every((c) => c && c.dims.length <= 1) ? { dims: [inputs.reduce((n, c) => n + c!.values.length, 0)], values: inputs.flatMap((c) => c!.values) } : undefined;
    case 'Expand': {
      // A constant broadcast to a shape (recurrent layers' zero initial states).
      if (!a || !b) return undefined;
      const rank = Math.max(a.dims.length, b.values.length);
      const dims = Array.from({ length: rank }, (_, i) => {
        const x = a.dims[i - (rank - a.dims.length)] ?? 1;
        const y = b.values[i - (rank - b.values.length)] ?? 1;
        return x === 1 ? y : x;
      });
      const count = dims.reduce((n, d) => n * d, 1);
      if (count > 4096) return undefined;
      if (a.values.length !== 1 && a.values.length !== count) return a.values.every((v) => v === a.values[0]) ? { dims, values: new Array<number>(count).fill(a.values[0]!) } : undefined;
      return { dims, values: a.values.length === 1 ? new Array<number>(count).fill(a.values[0]!) : a.values };
    }
    case 'ConstantOfShape': {
      if (!a) return undefined;
      const t = node.attrs.get('value')?.t;
      const fill = t ? (tensorValues(t)?.[0] ?? 0) : 0;
      const count = a.values.reduce((n, d) => n * d, 1);
      return count <= 4096 ? { dims: a.values, values: new Array<number>(count).fill(fill) } : undefined;
    }
    case 'Slice': {
      if (!a || a.dims.length !== 1) return undefined;
      const starts = opset >= 10 ? inputs[1]?.values : attrInts(node, 'starts');
      const ends = opset >= 10 ? inputs[2]?.values : attrInts(node, 'ends');
      const steps = inputs[4]?.values ?? [1];
      if (!starts || !ends || steps[0] !== 1) return undefined;
      const n = a.values.length;
      const clamp = (v: number) => Math.max(0, Math.min(n, v < 0 ? v + n : v));
      const values = a.values.slice(clamp(starts[0]!), clamp(ends[0]!));
      return { dims: [values.length], values };
    }
    default:
      return undefined;
  }
}

function unsqueezeDims(dims: readonly number[], axes: readonly number[]): number[] {
  const rank = dims.length + axes.length;
  const at = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : dims[j++]!);
  return out;
}

// ---- the op table ---------------------------------------------------------------------------------

type Op = (t: Translator, node: OnnxNode) => Emit | Emit[] | 'alias';

const activationOp = (type: string, args: Record<string, unknown> = {}): Op => (t, node) => ({ type, args, inputs: [t.activation(node)] });

/** Add, Sub, Mul, Div, Pow: a join of two activations, or arithmetic with a constant. */
function arithmetic(t: Translator, node: OnnxNode): Emit {
  const [a, b] = node.inputs as [string, string];
  const aAct = t.isActivation(a);
  const bAct = t.isActivation(b);
  if (aAct && bAct) {
    if (node.opType === 'Add' || node.opType === 'Mul') return { type: node.opType, args: {}, inputs: [a, b] };
    t.fail(node, `${node.opType} of two activations is not a layer the engine counts (it is counted inside the patterns it belongs to, such as a decomposed LayerNorm)`);
  }
  const act = aAct ? a : bAct ? b : t.fail(node, 'neither input is an activation');
  const other = aAct ? b : a;
  const c = t.constant(other);
  if (!c) {
    const dims = t.graph.initializers.get(other)?.dims;
    t.fail(node, `${node.opType} of an activation and the initializer '${other}'${dims ? ` (${dims.join('×')})` : ''}: a learned elementwise tensor, which no layer kind counts`);
  }
  const shape = t.shape(node, act);
  if (elementCount(c.dims) > 1 && elementCount(c.dims) > elementCount(shape)) t.fail(node, `the constant '${other}' (${c.dims.join('×')}) is larger than the activation ${formatShape(shape)}`);
  if (!aAct && (node.opType === 'Sub' || node.opType === 'Div' || node.opType === 'Pow')) {
    t.fail(node, `${node.opType} of a constant by an activation is not a layer the engine counts`);
  }
  const op = node.opType.toLowerCase();
  return { type: 'Elementwise', args: c.values.length === 1 ? { op, value: c.values[0] } : { op }, inputs: [act] };
}

function pool(kind: 'MaxPool' | 'AvgPool'): Op {
  return (t: Translator, node: OnnxNode) => {
    const x = t.activation(node);
    const spatial = t.shape(node, x).length - 1;
    const kernel = attrInts(node, 'kernel_shape') ?? t.fail(node, 'it has no kernel_shape');
    if (kernel.length !== spatial || (spatial !== 1 && spatial !== 2)) t.fail(node, `a ${kernel.length}-d window over a ${spatial}-d input; the engine has 1-d and 2-d pooling`);
    const stride = attrInts(node, 'strides') ?? new Array<number>(spatial).fill(1);
    const padding = t.pads(node, spatial, stride);
    if (padding === 'same') t.fail(node, "auto_pad SAME on pooling; the engine's pooling takes explicit padding");
    const args: Record<string, unknown> = { kernel_size: intOrTuple(kernel), stride: intOrTuple(stride), padding: intOrTuple(padding), ceil_mode: attrInt(node, 'ceil_mode', 0) === 1 };
    if (kind === 'MaxPool') {
      const dilation = attrInts(node, 'dilations');
      if (dilation) args.dilation = intOrTuple(dilation);
    } else args.count_include_pad = attrInt(node, 'count_include_pad', 0) === 1;
    return { type: `${kind}${spatial}d`, args, inputs: [x] };
  };
}

function conv(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const w = t.param(node, node.inputs[1], 'weight');
  const spatial = w.length - 2;
  if (spatial !== 1 && spatial !== 2) t.fail(node, `a ${spatial}-d convolution; the engine has Conv1d and Conv2d`);
  const groups = attrInt(node, 'group', 1);
  const stride = attrInts(node, 'strides') ?? new Array<number>(spatial).fill(1);
  const dilation = attrInts(node, 'dilations') ?? new Array<number>(spatial).fill(1);
  const bias = Boolean(node.inputs[2]);
  if (bias) t.param(node, node.inputs[2], 'bias');
  const padding = t.pads(node, spatial, stride);
  return {
    type: `Conv${spatial}d`,
    args: {
      in_channels: w[1]! * groups,
      out_channels: w[0],
      kernel_size: intOrTuple(w.slice(2)),
      stride: intOrTuple(stride),
      padding: padding === 'same' ? 'same' : intOrTuple(padding),
      dilation: intOrTuple(dilation),
      groups,
      bias,
    },
    inputs: [x],
  };
}

function convTranspose(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const w = t.param(node, node.inputs[1], 'weight');
  const spatial = w.length - 2;
  if (spatial !== 1 && spatial !== 2) t.fail(node, `a ${spatial}-d transposed convolution; the engine has ConvTranspose1d and ConvTranspose2d`);
  if (node.attrs.has('output_shape')) t.fail(node, 'output_shape is given; the engine computes the output size from pads and output_padding, as PyTorch does');
  const groups = attrInt(node, 'group', 1);
  const stride = attrInts(node, 'strides') ?? new Array<number>(spatial).fill(1);
  const bias = Boolean(node.inputs[2]);
  if (bias) t.param(node, node.inputs[2], 'bias');
  const padding = t.pads(node, spatial, stride);
  if (padding === 'same') t.fail(node, 'auto_pad SAME on a transposed convolution; the engine takes explicit padding');
  return {
    type: `ConvTranspose${spatial}d`,
    args: {
      in_channels: w[0],
      out_channels: w[1]! * groups,
      kernel_size: intOrTuple(w.slice(2)),
      stride: intOrTuple(stride),
      padding: intOrTuple(padding),
      output_padding: intOrTuple(attrInts(node, 'output_padding') ?? new Array<number>(spatial).fill(0)),
      dilation: intOrTuple(attrInts(node, 'dilations') ?? new Array<number>(spatial).fill(1)),
      groups,
      bias,
    },
    inputs: [x],
  };
}

function gemm(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  if (attrInt(node, 'transA', 0) !== 0) t.fail(node, 'transA = 1 (a transposed activation); the engine counts x Wᵀ + b');
  const w = t.param(node, node.inputs[1], 'weight');
  if (w.length !== 2) t.fail(node, `its weight has ${w.length} dimensions; Gemm's has 2`);
  const transB = attrInt(node, 'transB', 0) === 1;
  const bias = Boolean(node.inputs[2]);
  if (bias) t.param(node, node.inputs[2], 'bias');
  return { type: 'Linear', args: { in_features: transB ? w[1] : w[0], out_features: transB ? w[0] : w[1], bias }, inputs: [x] };
}

/** MatMul by a weight matrix is a Linear (taking a following Add of a bias); of two activations, a MatMul layer. */
function matMul(t: Translator, node: OnnxNode): Emit {
  const [a, b] = node.inputs as [string, string];
  if (t.isActivation(a) && t.isActivation(b)) return { type: 'MatMul', args: {}, inputs: [a, b] };
  const x = t.activation(node, 0);
  const w = t.param(node, b, 'weight');
  if (w.length !== 2) t.fail(node, `its weight '${b}' has ${w.length} dimensions; a Linear's has 2`);
  const out = node.outputs[0]!;
  const next = t.readers(out)[0];
  if (next && next.opType === 'Add' && t.onlyReader(out, next)) {
    const biasName = next.inputs.find((n) => n !== out);
    const biasDims = biasName ? t.graph.initializers.get(biasName)?.dims : undefined;
    if (biasName && biasDims && elementCount(biasDims) === w[1]) {
      t.param(next, biasName, 'bias');
      t.done.add(next.index);
      return { type: 'Linear', args: { in_features: w[0], out_features: w[1], bias: true }, inputs: [x], name: commonName([node, next]), output: next.outputs[0]! };
    }
  }
  return { type: 'Linear', args: { in_features: w[0], out_features: w[1], bias: false }, inputs: [x] };
}

function batchNorm(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const rank = t.shape(node, x).length;
  const scale = t.param(node, node.inputs[1], 'scale');
  t.param(node, node.inputs[2], 'shift');
  t.param(node, node.inputs[3], 'running mean');
  t.param(node, node.inputs[4], 'running variance');
  if (rank !== 1 && rank !== 2 && rank !== 3) t.fail(node, `an input of ${rank} dimensions per sample; the engine has BatchNorm1d and BatchNorm2d`);
  return { type: rank === 3 ? 'BatchNorm2d' : 'BatchNorm1d', args: { num_features: scale[0], eps: attrFloat(node, 'epsilon', 1e-5) }, inputs: [x] };
}

function layerNormalization(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const axis = t.axis(node, attrInt(node, 'axis', -1), shape.length);
  const normalized = shape.slice(axis - 1);
  const scale = node.inputs[1] ? t.param(node, node.inputs[1], 'scale') : undefined;
  const bias = node.inputs[2] ? t.param(node, node.inputs[2], 'bias') : undefined;
  if (scale && elementCount(scale) !== elementCount(normalized)) t.fail(node, `its scale has ${elementCount(scale)} elements for ${elementCount(normalized)} normalized ones`);
  return { type: 'LayerNorm', args: { normalized_shape: normalized, eps: attrFloat(node, 'epsilon', 1e-5), elementwise_affine: Boolean(scale), bias: Boolean(bias) }, inputs: [x] };
}

function clip(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const bound = (attr: string, index: number, fallback: number): number =>
    t.graph.opset < 11 ? attrFloat(node, attr, fallback) : node.inputs[index] ? t.need(node, node.inputs[index], attr).values[0]! : fallback;
  const lo = bound('min', 1, -Infinity);
  const hi = bound('max', 2, Infinity);
  if (lo === 0 && hi === 6) return { type: 'ReLU6', args: {}, inputs: [x] };
  if (lo === 0 && hi === Infinity) return { type: 'ReLU', args: {}, inputs: [x] };
  return t.fail(node, `Clip(${lo}, ${hi}); the engine has Clip(0, 6) as ReLU6 and Clip(0, ∞) as ReLU`);
}

function softmax(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const rank = t.shape(node, x).length;
  const axis = t.axis(node, attrInt(node, 'axis', t.graph.opset >= 13 ? -1 : 1), rank);
  // Before opset 13 Softmax flattens from `axis` on; along the last axis both mean the same.
  if (t.graph.opset < 13 && axis !== rank) t.fail(node, `opset ${t.graph.opset} Softmax over axes ${axis} to ${rank} together; the engine's Softmax takes one dimension`);
  return { type: 'Softmax', args: { dim: axis }, inputs: [x] };
}

function reduceMean(t: Translator, node: OnnxNode): Emit | Emit[] {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const axes = (t.graph.opset >= 18 ? (node.inputs[1] ? t.need(node, node.inputs[1], 'axes').values : undefined) : attrInts(node, 'axes')) ?? t.fail(node, 'a mean over every axis, the batch included');
  const perSample = axes.map((a) => t.axis(node, a, shape.length, 'axes')).sort();
  const spatial = shape.length - 1;
  const isGlobal = (spatial === 1 || spatial === 2) && perSample.length === spatial && perSample.every((a, i) => a === i + 2);
  if (!isGlobal) t.fail(node, `a mean over axes ${axes.join(', ')}; the engine counts a mean over the spatial axes (global average pooling) or inside a LayerNorm pattern`);
  const keep = attrInt(node, 'keepdims', 1) === 1;
  const pooled: Emit = { type: `AdaptiveAvgPool${spatial}d`, args: { output_size: 1 }, inputs: [x], ...(keep ? {} : { output: `${node.outputs[0]}::pooled` }) };
  return keep ? pooled : [pooled, { type: 'Flatten', args: {}, inputs: [`${node.outputs[0]}::pooled`], name: `${nodeName(node)}_flatten` }];
}

function reshapeTo(t: Translator, node: OnnxNode, x: string, target: readonly number[]): Emit {
  return { type: 'Reshape', args: { shape: [...target] }, inputs: [x] };
}

function reshape(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const target = t.need(node, node.inputs[1], 'target shape').values;
  const head = target[0];
  if (head !== 0 && head !== -1 && head !== 1) t.fail(node, `reshapes to ${target.join('×')}, across the batch; the engine reshapes each sample, keeping the batch first`);
  const perSample = target.slice(1).map((d, i) => (d === 0 ? shape[i]! : d));
  if (perSample.length === 0) t.fail(node, `reshapes each sample to a scalar`);
  return reshapeTo(t, node, x, perSample);
}

function squeeze(t: Translator, node: OnnxNode, un: boolean): Emit {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const axes = t.graph.opset >= 13 ? (node.inputs[1] ? t.need(node, node.inputs[1], 'axes').values : undefined) : attrInts(node, 'axes');
  if (un) {
    if (!axes) t.fail(node, 'Unsqueeze without axes');
    const rank = shape.length + 1 + axes.length;
    const at = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
    if (at.has(0)) t.fail(node, 'inserts a dimension before the batch');
    const out: number[] = [];
    let j = 0;
    for (let i = 1; i < rank; i++) out.push(at.has(i) ? 1 : shape[j++]!);
    return reshapeTo(t, node, x, out);
  }
  const drop = new Set((axes ?? shape.flatMap((d, i) => (d === 1 ? [i + 1] : []))).map((a) => t.axis(node, a, shape.length, 'axes')));
  for (const a of drop) if (shape[a - 1] !== 1) t.fail(node, `squeezes axis ${a} of size ${shape[a - 1]}`);
  const out = shape.filter((_, i) => !drop.has(i + 1));
  return reshapeTo(t, node, x, out.length ? out : [1]);
}

function gather(t: Translator, node: OnnxNode): Emit | Emit[] {
  const [data, indices] = node.inputs as [string, string];
  const axis = attrInt(node, 'axis', 0);
  if (t.isParam(data) && !t.isActivation(data)) {
    const table = t.param(node, data, 'table');
    if (axis !== 0 || table.length !== 2) t.fail(node, `a lookup in '${data}' (${table.join('×')}) along axis ${axis}; an Embedding looks up rows of a 2-d table`);
    if (!t.isActivation(indices)) {
      // Constant ids (BERT's position ids): a source tensor of the graph, per sample.
      const c = t.need(node, indices, 'indices');
      const perSample = c.dims.length >= 2 && c.dims[0] === 1 ? c.dims.slice(1) : c.dims;
      t.builder.addInput(indices, perSample.length ? perSample : [1]);
    }
    return { type: 'Embedding', args: { num_embeddings: table[0], embedding_dim: table[1] }, inputs: [indices] };
  }
  const x = t.activation(node, 0);
  const c = t.need(node, indices, 'indices');
  const rank = t.shape(node, x).length;
  if (c.values.length !== 1) t.fail(node, `gathers ${c.values.length} indices from an activation; the engine selects one (x[:, 0])`);
  const dim = t.axis(node, axis, rank);
  const select: Emit = { type: 'Select', args: { dim, index: c.values[0] }, inputs: [x] };
  if (c.dims.length === 0) return select;
  // An index tensor of one element keeps the dimension, with size 1.
  const shape = t.shape(node, x);
  const kept = shape.map((d, i) => (i === dim - 1 ? 1 : d));
  return [{ ...select, output: `${node.outputs[0]}::selected` }, { type: 'Reshape', args: { shape: kept }, inputs: [`${node.outputs[0]}::selected`], name: `${nodeName(node)}_keepdim` }];
}

function resize(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const spatial = shape.length - 1;
  const onnxMode = attrString(node, 'mode', 'nearest');
  const mode = onnxMode === 'nearest' ? 'nearest' : onnxMode === 'linear' ? (spatial === 2 ? 'bilinear' : 'linear') : t.fail(node, `mode '${onnxMode}'; the engine's Upsample has nearest and (bi)linear`);
  const scales = node.inputs[2] ? t.constant(node.inputs[2]) : undefined;
  const sizes = node.inputs[3] ? t.constant(node.inputs[3]) : undefined;
  if (sizes && sizes.values.length) {
    if (sizes.values.length !== spatial + 2) t.fail(node, `sizes ${sizes.values.join('×')} for an input of rank ${spatial + 2}`);
    return { type: 'Upsample', args: { size: intOrTuple(sizes.values.slice(2)), mode }, inputs: [x] };
  }
  if (scales && scales.values.length) {
    if (scales.values.length !== spatial + 2 || scales.values[0] !== 1 || scales.values[1] !== 1) t.fail(node, `scales ${scales.values.join(', ')}; the engine resizes the spatial dimensions only`);
    return { type: 'Upsample', args: { scale_factor: intOrTuple(scales.values.slice(2)), mode }, inputs: [x] };
  }
  return t.fail(node, 'neither its scales nor its sizes are constants the importer can read');
}

const OPS: Readonly<Record<string, Op>> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  Gemm: gemm,
  MatMul: matMul,
  MaxPool: pool('MaxPool'),
  AveragePool: pool('AvgPool'),
  GlobalAveragePool: (t, node) => {
    const x = t.activation(node);
    const spatial = t.shape(node, x).length - 1;
    if (spatial !== 1 && spatial !== 2) t.fail(node, `global pooling over ${spatial} dimensions; the engine has 1-d and 2-d pooling`);
    return { type: `AdaptiveAvgPool${spatial}d`, args: { output_size: 1 }, inputs: [x] };
  },
  BatchNormalization: batchNorm,
  LayerNormalization: layerNormalization,
  Add: arithmetic,
  Sub: arithmetic,
  Mul: arithmetic,
  Div: arithmetic,
  Pow: arithmetic,
  Sqrt: activationOp('Elementwise', { op: 'sqrt' }),
  Erf: activationOp('Elementwise', { op: 'erf' }),
  Exp: activationOp('Elementwise', { op: 'exp' }),
  Neg: activationOp('Elementwise', { op: 'neg' }),
  Abs: activationOp('Elementwise', { op: 'abs' }),
  Reciprocal: activationOp('Elementwise', { op: 'reciprocal' }),
  Relu: activationOp('ReLU'),
  Clip: clip,
  Sigmoid: activationOp('Sigmoid'),
  Tanh: activationOp('Tanh'),
  HardSigmoid: (t, node) => {
    const alpha = attrFloat(node, 'alpha', 0.2);
    const beta = attrFloat(node, 'beta', 0.5);
    if (Math.abs(alpha - 1 / 6) > 1e-6 || Math.abs(beta - 0.5) > 1e-6) t.fail(node, `HardSigmoid with alpha ${alpha}, beta ${beta}; PyTorch's Hardsigmoid is alpha 1/6, beta 0.5`);
    return { type: 'Hardsigmoid', args: {}, inputs: [t.activation(node)] };
  },
  HardSwish: activationOp('Hardswish'),
  LeakyRelu: (t, node) => ({ type: 'LeakyReLU', args: { negative_slope: Math.fround(attrFloat(node, 'alpha', 0.01)) }, inputs: [t.activation(node)] }),
  PRelu: (t, node) => {
    const x = t.activation(node);
    const slope = t.param(node, node.inputs[1], 'slope');
    return { type: 'PReLU', args: { num_parameters: elementCount(slope) }, inputs: [x] };
  },
  Gelu: (t, node) => ({ type: 'GELU', args: { approximate: attrString(node, 'approximate', 'none') === 'tanh' ? 'tanh' : 'none' }, inputs: [t.activation(node)] }),
  Softmax: softmax,
  ReduceMean: reduceMean,
  Reshape: reshape,
  Flatten: (t, node) => {
    const axis = attrInt(node, 'axis', 1);
    if (axis !== 1) t.fail(node, `Flatten at axis ${axis} merges the batch with other dimensions; the engine flattens each sample (axis 1)`);
    return { type: 'Flatten', args: {}, inputs: [t.activation(node)] };
  },
  Transpose: (t, node) => {
    const x = t.activation(node);
    const rank = t.shape(node, x).length + 1;
    const perm = attrInts(node, 'perm') ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
    return { type: 'Permute', args: { dims: perm }, inputs: [x] };
  },
  Gather: gather,
  Squeeze: (t, node) => squeeze(t, node, false),
  Unsqueeze: (t, node) => squeeze(t, node, true),
  Concat: (t, node) => {
    const inputs = node.inputs.filter(Boolean);
    inputs.forEach((_, i) => t.activation(node, i));
    if (inputs.length === 1) return { type: 'Identity', args: {}, inputs };
    const rank = t.shape(node, inputs[0]!).length;
    return { type: 'Concat', args: { dim: t.axis(node, attrInt(node, 'axis', 1), rank) }, inputs };
  },
  Resize: resize,
  Dropout: (t, node) => {
    const ratio = t.graph.opset >= 12 ? (node.inputs[1] ? t.need(node, node.inputs[1], 'ratio').values[0]! : 0.5) : attrFloat(node, 'ratio', 0.5);
    return { type: 'Dropout', args: { p: Math.round(ratio * 1e6) / 1e6 }, inputs: [t.activation(node)] };
  },
  Identity: activationOp('Identity'),
  Cast: (t, node) => (t.activation(node), 'alias'),
};
