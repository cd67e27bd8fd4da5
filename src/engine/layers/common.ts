/**
 * Pieces shared by the sliding-window kinds (convolution and pooling): PyTorch's "an int or a
 * tuple" arguments, and the output-size formula as an expression,
 * h_o = ⌊(h_i + 2p − d(k − 1) − 1) / s⌋ + 1, which with d = 1 is the lectures' ⌊(h_i + 2p − k)/s⌋ + 1.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { add, ceil, div, floor, mul, num, sub, variable, type Expr } from '../math/expr.ts';
import { formatShape, type Shape } from '../shape.ts';
import type { OutputSize } from './kind.ts';

/** A positive integer size. */
export const size = () => z.int().check(z.positive());
/** A non-negative integer (padding). */
export const nonNegative = () => z.int().check(z.nonnegative());

/** PyTorch's `int or tuple` for a spatial argument of `dims` dimensions. */
export const intOrTuple = (dims: number, element: z.ZodMiniNumber) =>
  z.union([element, z.array(element).check(z.length(dims))]);

/**
 * The divisors of `n`, for telling the user which `groups` would work: `1, 2, 4, 8`. In O(√n)
 * (the divisors up to √n give the rest), never a list as long as n (2^32 channels ran out of
 * memory); a long list keeps its first and last few around `…`.
 */
export function divisorsText(n: number, shown = 16): string {
  const small: number[] = [];
  const large: number[] = [];
  // Up to 10^7 trial divisors: complete for n up to 10^14; beyond, the small ones and n.
  const limit = Math.min(Math.floor(Math.sqrt(n)), 1e7);
  for (let d = 1; d <= limit; d++) {
    if (n % d !== 0) continue;
    small.push(d);
    if (d * d !== n) large.push(n / d);
  }
  const complete = limit === Math.floor(Math.sqrt(n));
  const text = (xs: number[]) => xs.map((x) => String(x)).join(', ');
  if (!complete) return `${text(small.slice(0, shown - 2))}, …, ${n}`;
  const all = [...small, ...large.reverse()];
  if (all.length <= shown) return text(all);
  return `${text(all.slice(0, shown - 3))}, …, ${text(all.slice(-2))}`;
}

/** The greatest common divisor. */
export function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Expands `3` to `[3, 3]` for two dimensions; tuples pass through. */
export function expand(value: number | readonly number[], dims: number): number[] {
  if (typeof value !== 'number') return value.slice();
  return dims === 1 ? [value] : dims === 2 ? [value, value] : new Array<number>(dims).fill(value);
}

const LENGTH: readonly string[] = ['l'];
const HEIGHT_WIDTH: readonly string[] = ['h', 'w'];

/** Names of the spatial dimensions of a 1-d or 2-d layer. */
export function spatialNames(dims: number): readonly string[] {
  return dims === 1 ? LENGTH : HEIGHT_WIDTH;
}

/**
 * A symbol for a per-dimension argument: `k` when every dimension has the same value, `k_h` and
 * `k_w` when they differ, so square kernels read as the lectures write them.
 */
export function perDim(base: string, values: readonly number[], dim: number, dims: number, meaning: string): Expr {
  let same = true;
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) same = false;
  const symbol = same || dims === 1 ? base : `${base}_${spatialNames(dims)[dim]}`;
  return variable(symbol, values[dim]!, meaning);
}

/** A (transposed) convolution's channels: in_channels as the input has them, both divisible by the groups. */
export function requireGroupedChannels(args: { in_channels?: number | undefined; out_channels: number; groups: number }, cIn: number): void {
  if (args.in_channels !== undefined && args.in_channels !== cIn) {
    throw new LayerError(`in_channels is ${args.in_channels} but the incoming shape has ${cIn} channels`);
  }
  for (const [what, channels] of [['in_channels', cIn], ['out_channels', args.out_channels]] as const) {
    if (channels % args.groups !== 0) {
      throw new LayerError(`${what} ${channels} is not divisible by groups ${args.groups}; allowed groups: ${divisorsText(gcd(cIn, args.out_channels))}`);
    }
  }
}

/** Checks that an input is C × spatial for a `dims`-dimensional layer. */
export function requireSpatial(type: string, input: Shape, dims: number): void {
  if (input.length !== dims + 1) {
    const expected = dims === 1 ? 'C×L' : 'C×H×W';
    throw new LayerError(
      `${type} needs an input of shape ${expected} (per sample), got ${formatShape(input)}` +
        (input.length < dims + 1 ? '' : '; a Flatten or a different layer kind may be missing'),
    );
  }
}

export interface WindowGeometry {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  /** Padding on each side, per dimension (PyTorch pads both sides equally, except for `same`). */
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  /** `same` padding: the output keeps the input's size (stride 1). */
  readonly same: boolean;
  readonly ceilMode: boolean;
}

/** Per spatial dimension name: the input and output symbols, what the input is, the output's label. */
const DIMENSION_TEXT: Readonly<Record<string, { input: string; output: string; meaning: string; label: string }>> = {
  l: { input: 'l_i', output: 'l_o', meaning: 'input length', label: 'output length' },
  h: { input: 'h_i', output: 'h_o', meaning: 'input height', label: 'output height' },
  w: { input: 'w_i', output: 'w_o', meaning: 'input width', label: 'output width' },
};

/** The output's spatial sizes as givens (h_o, w_o; or l_o), for counts per output position. */
export function outputSizeVariables(output: Shape, dims: number): Expr[] {
  return dims === 1
    ? [variable('l_o', output[1]!, 'output l')]
    : [variable('h_o', output[1]!, 'output h'), variable('w_o', output[2]!, 'output w')];
}

/**
 * The output sizes of a sliding window over `input`'s spatial dimensions, as expressions.
 * Throws when the (dilated) kernel is larger than the padded input.
 */
export function windowOutputSizes(input: Shape, dims: number, g: WindowGeometry): readonly OutputSize[] {
  // The same window over the same input recurs in every block of a network and every variant of a
  // problem (defining a model asks for the sizes, a page for their derivations): made once each,
  // the expressions shared (they are never changed).
  const key = `${input.join(',')}|${dims}|${g.kernel.join(',')}|${g.stride.join(',')}|${g.padding.join(',')}|${g.dilation.join(',')}|${g.same}|${g.ceilMode}`;
  const known = outputSizesByWindow.get(key);
  if (known) return known;
  const sizes = Object.freeze(computeWindowOutputSizes(input, dims, g));
  if (outputSizesByWindow.size >= 10_000) outputSizesByWindow.clear();
  outputSizesByWindow.set(key, sizes);
  return sizes;
}

const outputSizesByWindow = new Map<string, readonly OutputSize[]>();

function computeWindowOutputSizes(input: Shape, dims: number, g: WindowGeometry): OutputSize[] {
  const names = spatialNames(dims);
  return names.map((name, d) => {
    const inSize = input[1 + d]!;
    const text = DIMENSION_TEXT[name]!;
    const hIn = variable(text.input, inSize, text.meaning);
    const label = text.label;
    if (g.same) return { symbol: text.output, label, expr: hIn };
    const k = perDim('k', g.kernel, d, dims, 'kernel size');
    const s = perDim('s', g.stride, d, dims, 'stride');
    const p = perDim('p', g.padding, d, dims, 'padding');
    const dil = perDim('d', g.dilation, d, dims, 'dilation');
    const effectiveKernel = g.dilation[d] === 1 ? k : add(mul(dil, sub(k, num(1))), num(1));
    const padded = g.padding[d] === 0 ? hIn : add(hIn, mul(num(2), p));
    if (effectiveKernel.value > padded.value) {
      const kernelText = g.dilation[d] === 1 ? `${g.kernel[d]}` : `${g.kernel[d]} (dilated to ${effectiveKernel.value})`;
      const padText = g.padding[d] === 0 ? `${inSize}` : `${padded.value} (${inSize} + 2×${g.padding[d]})`;
      throw new LayerError(`kernel ${kernelText} is larger than the padded input ${padText} in ${label.replace('output ', '')}`);
    }
    const span = sub(padded, effectiveKernel);
    const steps = g.stride[d] === 1 ? span : (g.ceilMode ? ceil : floor)(div(span, s));
    let out: Expr = add(steps, num(1));
    // Ceil mode: PyTorch drops a last window that would start in the right padding.
    if (g.ceilMode && (out.value - 1) * g.stride[d]! >= inSize + g.padding[d]!) out = sub(out, num(1));
    return { symbol: text.output, label, expr: out };
  });
}

