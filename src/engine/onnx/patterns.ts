/**
 * Exporters' decompositions of one PyTorch module into several ONNX nodes, recognized and counted
 * as the module: LayerNorm (ReduceMean, Sub, Pow, ReduceMean, Add ε, Sqrt, Div, Mul γ, Add β),
 * GELU (Div √2, Erf, Add 1, Mul x, Mul 0.5), SiLU (Sigmoid, Mul x) and Hardswish before opset 14
 * (HardSigmoid, Mul x). A pattern takes its nodes
 * only when nothing else reads their intermediate tensors.
 */
import { elementCount } from '../shape.ts';
import { attrInt, attrInts, commonName } from './attrs.ts';
import type { OnnxNode } from './graph.ts';
import type { Translator } from './translate.ts';

/** Tries each pattern at `node`; true when one matched and emitted its layer. */
export function matchPatterns(t: Translator, node: OnnxNode): boolean {
  return layerNorm(t, node) || gelu(t, node) || silu(t, node) || hardswish(t, node);
}

/** The one node reading `tensor` with `opType`, when it is the only reader. */
function next(t: Translator, tensor: string, opType: string): OnnxNode | undefined {
  const readers = t.readers(tensor);
  const n = readers[0];
  return readers.length === 1 && n?.opType === opType && !t.graph.outputs.includes(tensor) ? n : undefined;
}

const other = (n: OnnxNode, input: string): string | undefined => n.inputs.find((x) => x !== input);
const scalar = (t: Translator, name: string | undefined): number | undefined => {
  const c = name ? t.constant(name) : undefined;
  return c && c.values.length === 1 ? c.values[0] : undefined;
};

function layerNorm(t: Translator, mean: OnnxNode): boolean {
  if (mean.opType !== 'ReduceMean') return false;
  const x = mean.inputs[0]!;
  if (!t.isActivation(x)) return false;
  const sub = next(t, mean.outputs[0]!, 'Sub');
  if (!sub || sub.inputs[0] !== x) return false;
  const centred = sub.outputs[0]!;
  const readers = t.readers(centred);
  const pow = readers.find((n) => n.opType === 'Pow');
  const div = readers.find((n) => n.opType === 'Div');
  if (readers.length !== 2 || !pow || !div || scalar(t, pow.inputs[1]) !== 2) return false;
  const variance = next(t, pow.outputs[0]!, 'ReduceMean');
  const addEps = variance && next(t, variance.outputs[0]!, 'Add');
  const eps = addEps && scalar(t, other(addEps, variance.outputs[0]!));
  const sqrt = addEps && next(t, addEps.outputs[0]!, 'Sqrt');
  if (!variance || !addEps || eps === undefined || !sqrt || div.inputs[0] !== centred || div.inputs[1] !== sqrt.outputs[0]) return false;
  const shape = t.shape(mean, x);
  // Both means over the last axis, kept: otherwise it is no LayerNorm, and ReduceMean says why.
  if (!meansLastAxis(t, mean, shape.length) || !meansLastAxis(t, variance, shape.length)) return false;
  const d = shape[shape.length - 1]!;
  const taken = [mean, sub, pow, variance, addEps, sqrt, div];
  let out = div.outputs[0]!;
  const scale = next(t, out, 'Mul');
  const gamma = scale && other(scale, out);
  const affine = Boolean(scale && gamma && t.isParam(gamma) && elementCount(t.graph.initializers.get(gamma)!.dims) === d);
  let bias = false;
  if (affine) {
    t.param(scale!, gamma, 'scale');
    taken.push(scale!);
    out = scale!.outputs[0]!;
    const shift = next(t, out, 'Add');
    const beta = shift && other(shift, out);
    if (shift && beta && t.isParam(beta) && elementCount(t.graph.initializers.get(beta)!.dims) === d) {
      t.param(shift, beta, 'shift');
      taken.push(shift);
      out = shift.outputs[0]!;
      bias = true;
    }
  }
  for (const n of taken) t.done.add(n.index);
  t.emit(mean, { type: 'LayerNorm', args: { normalized_shape: d, eps: Math.fround(eps) === eps ? Number(eps.toPrecision(7)) : eps, elementwise_affine: affine, bias }, inputs: [x], name: commonName(taken), output: out });
  return true;
}

/** A ReduceMean over the last axis of a tensor of `rank` dims per sample, keeping it (LayerNorm's). */
function meansLastAxis(t: Translator, node: OnnxNode, rank: number): boolean {
  const axes = t.graph.opset >= 18 ? (node.inputs[1] ? t.constant(node.inputs[1])?.values : undefined) : attrInts(node, 'axes');
  return axes?.length === 1 && (axes[0] === -1 || axes[0] === rank) && attrInt(node, 'keepdims', 1) === 1;
}

/** x · ½ (1 + erf(x / √2)): Div, Erf, Add, Mul (by x), Mul (by ½), in either order of the last two. */
function gelu(t: Translator, div: OnnxNode): boolean {
  if (div.opType !== 'Div') return false;
  const x = div.inputs[0]!;
  const root2 = scalar(t, div.inputs[1]);
  if (!t.isActivation(x) || root2 === undefined || Math.abs(root2 - Math.SQRT2) > 1e-4) return false;
  const erf = next(t, div.outputs[0]!, 'Erf');
  const add = erf && next(t, erf.outputs[0]!, 'Add');
  if (!erf || !add || scalar(t, other(add, erf.outputs[0]!)) !== 1) return false;
  const mul = next(t, add.outputs[0]!, 'Mul');
  if (!mul) return false;
  let taken: OnnxNode[];
  let out: string;
  if (other(mul, add.outputs[0]!) === x) {
    const half = next(t, mul.outputs[0]!, 'Mul');
    if (!half || scalar(t, other(half, mul.outputs[0]!)) !== 0.5) return false;
    taken = [div, erf, add, mul, half];
    out = half.outputs[0]!;
  } else {
    // (x · ½) · (1 + erf(...)): the ½ was applied to x first.
    const halfX = t.readers(x).find((n) => n.opType === 'Mul' && n.outputs[0] === other(mul, add.outputs[0]!) && scalar(t, other(n, x)) === 0.5);
    if (!halfX || !t.onlyReader(halfX.outputs[0]!, mul)) return false;
    taken = [div, erf, add, halfX, mul];
    out = mul.outputs[0]!;
  }
  for (const n of taken) t.done.add(n.index);
  t.emit(div, { type: 'GELU', args: {}, inputs: [x], name: commonName(taken), output: out });
  return true;
}

/** x · σ(x): a Sigmoid read only by a Mul with its own input. */
function silu(t: Translator, sigmoid: OnnxNode): boolean {
  if (sigmoid.opType !== 'Sigmoid') return false;
  const x = sigmoid.inputs[0]!;
  const mul = next(t, sigmoid.outputs[0]!, 'Mul');
  if (!mul || other(mul, sigmoid.outputs[0]!) !== x || !t.isActivation(x)) return false;
  t.done.add(sigmoid.index);
  t.done.add(mul.index);
  t.emit(sigmoid, { type: 'SiLU', args: {}, inputs: [x], name: commonName([sigmoid, mul]), output: mul.outputs[0]! });
  return true;
}

/** x · hardsigmoid(x): how PyTorch exports nn.Hardswish before opset 14 has HardSwish. */
function hardswish(t: Translator, gate: OnnxNode): boolean {
  if (gate.opType !== 'HardSigmoid') return false;
  const x = gate.inputs[0]!;
  const mul = next(t, gate.outputs[0]!, 'Mul');
  if (!mul || other(mul, gate.outputs[0]!) !== x || !t.isActivation(x)) return false;
  const alpha = gate.attrs.get('alpha')?.f ?? 0.2;
  if (Math.abs(alpha - 1 / 6) > 1e-6) return false;
  t.done.add(gate.index);
  t.done.add(mul.index);
  t.emit(gate, { type: 'Hardswish', args: {}, inputs: [x], name: commonName([gate, mul]), output: mul.outputs[0]! });
  return true;
}
