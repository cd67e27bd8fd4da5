/**
 * Reshape and Permute: the shape moves the graph importers (ONNX) meet between layers, as
 * `x.view(...)` and `x.permute(...)` in a `forward`. Reshape is a view (no copy, no memory);
 * Permute makes a contiguous copy when a layer needs one, so it keeps its output.
 * PyTorch: torch.reshape(x, shape), torch.permute(x, dims).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { ZERO } from '../math/expr.ts';
import { elementCount, formatShape } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const reshapeSchema = z.strictObject({
  /** The shape per sample, without the batch; one entry may be −1 (inferred). */
  shape: z.array(z.int().check(z.gte(-1))).check(z.minLength(1)),
});
export type ReshapeArgs = z.output<typeof reshapeSchema>;

export const reshape: LayerKind<ReshapeArgs> = {
  type: 'Reshape',
  summary: 'Gives the same elements another shape (a view: no copy, no memory).',
  schema: reshapeSchema,
  inPlace: true,
  label: (args) => `Reshape(${args.shape.join(', ')})`,

  // (*) -> (shape), with the same number of elements per sample
  outputShape(args, input) {
    const total = elementCount(input);
    const unknown = args.shape.filter((d) => d === -1).length;
    if (unknown > 1) throw new LayerError(`shape ${args.shape.join('×')} has more than one −1; allowed: at most one inferred size`);
    if (args.shape.some((d) => d === 0)) throw new LayerError(`shape ${args.shape.join('×')} has a size 0; allowed: positive sizes and one −1`);
    const known = args.shape.reduce((acc, d) => (d === -1 ? acc : acc * d), 1);
    const out = args.shape.map((d) => (d === -1 ? total / known : d));
    if (elementCount(out) !== total || out.some((d) => !Number.isInteger(d))) {
      throw new LayerError(`cannot reshape ${formatShape(input)} (${total} elements per sample) to ${args.shape.join('×')}`);
    }
    return out;
  },

  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};

const permuteSchema = z.strictObject({
  /** A permutation of every dimension, counting the batch (which stays first): [0, 2, 1, 3]. */
  dims: z.array(z.int().check(z.nonnegative())).check(z.minLength(2)),
});
export type PermuteArgs = z.output<typeof permuteSchema>;

export const permute: LayerKind<PermuteArgs> = {
  type: 'Permute',
  summary: 'Reorders the dimensions (torch.permute, a transpose).',
  schema: permuteSchema,
  inPlace: false,
  label: (args) => `Permute(${args.dims.join(', ')})`,

  // (d_1, d_2, d_3) -> (d_{p1}, d_{p2}, d_{p3}), the batch staying first
  outputShape(args, input) {
    const rank = input.length + 1;
    const sorted = [...args.dims].sort((a, b) => a - b);
    if (args.dims.length !== rank || sorted.some((d, i) => d !== i)) {
      throw new LayerError(`dims ${args.dims.join(', ')} is not a permutation of 0 to ${rank - 1} (the input with batch has rank ${rank})`);
    }
    if (args.dims[0] !== 0) throw new LayerError(`dims ${args.dims.join(', ')} moves the batch; allowed: permutations that keep dim 0 first`);
    return args.dims.slice(1).map((d) => input[d - 1]!);
  },

  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};
