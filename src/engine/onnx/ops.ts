/**
 * The op table: each ONNX op translated onto one or more layers of the engine's kinds (an `Emit`
 * each), reading attributes and initializer dims, never tensor bytes.
 */
import { elementCount, formatShape } from '../shape.ts';
import { attrFloat, attrInt, attrInts, attrString, commonName, intOrTuple, nodeName } from './attrs.ts';
import type { OnnxNode } from './graph.ts';
import { slice, split } from './split.ts';
import type { Emit, Translator } from './translate.ts';

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
  if ((node.opType === 'Add' || node.opType === 'Mul') && t.isParam(other)) {
    const dims = t.graph.initializers.get(other)?.dims ?? [];
    // A stored tensor of more than one element added or multiplied in is learned (an nn.Parameter: a position embedding, a bias, a scale).
    if (elementCount(dims) > 1) return learned(t, node, act, other);
  }
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

/** An activation plus or times a learned tensor: its elements counted as the layer's parameters. */
function learned(t: Translator, node: OnnxNode, act: string, name: string): Emit {
  const shape = t.shape(node, act);
  const dims = t.param(node, name, 'learned tensor');
  // Stored with the batch's 1 in front (ViT's pos_embed is 1×197×768); per sample it is 197×768.
  const perSample = dims.length === shape.length + 1 && dims[0] === 1 ? dims.slice(1) : dims;
  if (perSample.length > shape.length) t.fail(node, `the learned tensor '${name}' (${dims.join('×')}) has more dimensions than the activation ${formatShape(shape)} with its batch`);
  return { type: 'Elementwise', args: { op: node.opType.toLowerCase(), learned: [...perSample] }, inputs: [act] };
}

function pool(kind: 'MaxPool' | 'AvgPool'): Op {
  return (t: Translator, node: OnnxNode) => {
    const x = t.activation(node);
    const spatial = t.shape(node, x).length - 1;
    const kernel = attrInts(node, 'kernel_shape') ?? t.fail(node, 'attribute kernel_shape is missing; pooling requires it');
    if (kernel.length !== spatial || (spatial !== 1 && spatial !== 2)) t.fail(node, `attribute kernel_shape = [${kernel.join(', ')}] makes a ${kernel.length}-d window over a ${spatial}-d input; the engine has 1-d and 2-d pooling`);
    const stride = t.spatialInts(node, 'strides', spatial, 1);
    const padding = t.pads(node, spatial, stride);
    if (padding === 'same') t.fail(node, "auto_pad SAME on pooling; the engine's pooling takes explicit padding");
    const args: Record<string, unknown> = { kernel_size: intOrTuple(kernel), stride: intOrTuple(stride), padding: intOrTuple(padding), ceil_mode: attrInt(node, 'ceil_mode', 0) === 1 };
    if (kind === 'MaxPool') {
      if (node.attrs.has('dilations')) args.dilation = intOrTuple(t.spatialInts(node, 'dilations', spatial, 1));
    } else {
      if (t.spatialInts(node, 'dilations', spatial, 1).some((d) => d !== 1)) t.fail(node, `attribute dilations = [${attrInts(node, 'dilations')!.join(', ')}]; PyTorch's average pooling has no dilation`);
      args.count_include_pad = attrInt(node, 'count_include_pad', 0) === 1;
    }
    return { type: `${kind}${spatial}d`, args, inputs: [x] };
  };
}

/** A convolution's weight: (out, in / groups, k…) of 1 or 2 spatial dims, matching kernel_shape when the node gives it. */
function convWeight(t: Translator, node: OnnxNode, what: string, kinds: string): readonly number[] {
  const name = node.inputs[1];
  const w = t.param(node, name, 'weight');
  if (w.length < 3) t.fail(node, `its weight '${name}' has shape ${w.length ? w.join('×') : '() (no dimensions)'}; a ${what}'s weight has 3 dimensions (1-d) or 4 (2-d)`);
  if (w.length > 4) t.fail(node, `its weight '${name}' (${w.join('×')}) makes a ${w.length - 2}-d ${what}; the engine has ${kinds}`);
  const kernel = attrInts(node, 'kernel_shape');
  if (kernel && (kernel.length !== w.length - 2 || kernel.some((k, i) => k !== w[i + 2]))) {
    t.fail(node, `attribute kernel_shape = [${kernel.join(', ')}] differs from the kernel of its weight '${name}' (${w.join('×')}): ${w.slice(2).join('×')}`);
  }
  return w;
}

function conv(t: Translator, node: OnnxNode): Emit | Emit[] {
  const x = t.activation(node);
  const w = convWeight(t, node, 'convolution', 'Conv1d and Conv2d');
  const spatial = w.length - 2;
  const groups = attrInt(node, 'group', 1);
  const stride = t.spatialInts(node, 'strides', spatial, 1);
  const dilation = t.spatialInts(node, 'dilations', spatial, 1);
  const bias = Boolean(node.inputs[2]);
  if (bias) t.param(node, node.inputs[2], 'bias', { elements: w[0]!, because: `a convolution of ${w[0]} output channels` });
  const pads = t.padsOf(node, spatial, stride);
  // Uneven sides (TensorFlow's SAME with a stride): a ZeroPad2d, then the conv without padding.
  const uneven = typeof pads === 'object' && 'before' in pads ? pads : undefined;
  if (uneven && spatial !== 2) t.fail(node, `pads ${[...uneven.before, ...uneven.after].join(', ')} differ before and after; the engine pads a 1-d conv both sides equally`);
  const padding = uneven ? [0, 0] : (pads as number[] | 'same');
  const convolution: Emit = {
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
    inputs: uneven ? [`${node.outputs[0]}::padded`] : [x],
  };
  if (!uneven) return convolution;
  const [top, left] = uneven.before as [number, number];
  const [bottom, right] = uneven.after as [number, number];
  return [{ type: 'ZeroPad2d', args: { padding: [left, right, top, bottom] }, inputs: [x], name: `${nodeName(node)}_pad`, output: `${node.outputs[0]}::padded` }, convolution];
}

/** Pad (constant 0) of the spatial dimensions of an image: a ZeroPad2d. */
function pad(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const mode = attrString(node, 'mode', 'constant');
  const pads = t.graph.opset >= 11 ? t.need(node, node.inputs[1], 'pads').values : (attrInts(node, 'pads') ?? []);
  const value = t.graph.opset >= 11 ? (node.inputs[2] ? t.need(node, node.inputs[2], 'constant value').values[0] : 0) : attrFloat(node, 'value', 0);
  const rank = shape.length + 1;
  if (mode !== 'constant' || value !== 0) t.fail(node, `Pad in mode '${mode}' with value ${value}; the engine has ZeroPad2d (constant zeros)`);
  if (rank !== 4 || pads.length !== 8 || pads[0] || pads[1] || pads[4] || pads[5]) t.fail(node, `pads ${pads.join(', ')} on a tensor of rank ${rank}; the engine pads an image's height and width (ZeroPad2d)`);
  return { type: 'ZeroPad2d', args: { padding: [pads[3], pads[7], pads[2], pads[6]] }, inputs: [x] };
}

function convTranspose(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const w = convWeight(t, node, 'transposed convolution', 'ConvTranspose1d and ConvTranspose2d');
  const spatial = w.length - 2;
  if (node.attrs.has('output_shape')) t.fail(node, 'output_shape is given; the engine computes the output size from pads and output_padding, as PyTorch does');
  const groups = attrInt(node, 'group', 1);
  const stride = t.spatialInts(node, 'strides', spatial, 1);
  const bias = Boolean(node.inputs[2]);
  if (bias) t.param(node, node.inputs[2], 'bias', { elements: w[1]! * groups, because: `a transposed convolution of ${w[1]! * groups} output channels` });
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
      output_padding: intOrTuple(t.spatialInts(node, 'output_padding', spatial, 0)),
      dilation: intOrTuple(t.spatialInts(node, 'dilations', spatial, 1)),
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
  const outFeatures = transB ? w[0]! : w[1]!;
  const bias = Boolean(node.inputs[2]);
  // A bias C broadcasts to (batch, out): a vector of out, or one scalar (the engine counts out).
  if (bias) t.param(node, node.inputs[2], 'bias', { elements: outFeatures, because: `a Linear of ${outFeatures} output features` });
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
  const channels = { elements: elementCount(scale), because: `its scale of ${elementCount(scale)} channels` };
  t.param(node, node.inputs[2], 'shift', channels);
  t.param(node, node.inputs[3], 'running mean', channels);
  t.param(node, node.inputs[4], 'running variance', channels);
  if (rank !== 1 && rank !== 2 && rank !== 3) t.fail(node, `an input of ${rank} dimensions per sample; the engine has BatchNorm1d and BatchNorm2d`);
  return { type: rank === 3 ? 'BatchNorm2d' : 'BatchNorm1d', args: { num_features: scale[0], eps: attrFloat(node, 'epsilon', 1e-5) }, inputs: [x] };
}

function layerNormalization(t: Translator, node: OnnxNode): Emit {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const axis = t.axis(node, attrInt(node, 'axis', -1), shape.length);
  const normalized = shape.slice(axis - 1);
  const each = { elements: elementCount(normalized), because: `a LayerNorm over ${formatShape(normalized)}` };
  const scale = node.inputs[1] ? t.param(node, node.inputs[1], 'scale', each) : undefined;
  const bias = node.inputs[2] ? t.param(node, node.inputs[2], 'bias', each) : undefined;
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
  const written = `[${target.join(', ')}]`;
  const bad = target.findIndex((d) => !Number.isSafeInteger(d) || d < -1);
  if (bad >= 0) t.fail(node, `its target shape ${written} has ${target[bad]} at dimension ${bad}; a target dimension is a positive size, 0 (the input's) or -1 (the rest)`);
  if (target.filter((d) => d === -1).length > 1) t.fail(node, `its target shape ${written} has more than one -1; one dimension at most is inferred`);
  if (attrInt(node, 'allowzero', 0) === 1 && target.includes(0)) t.fail(node, `its target shape ${written} has a 0 with allowzero = 1: a dimension of size 0, which holds nothing to count`);
  // A 0 copies the input's dimension there: the input must have one (the batch is dimension 0).
  const beyond = target.findIndex((d, i) => d === 0 && i > shape.length);
  if (beyond >= 0) t.fail(node, `its target shape ${written} has 0 (copy the input's) at dimension ${beyond}, but the input ${formatShape([t.batch, ...shape])} has ${shape.length + 1} dimensions`);
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

export const OPS: Readonly<Record<string, Op>> = {
  Conv: conv,
  Pad: pad,
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
  Split: split,
  Slice: slice,
};

