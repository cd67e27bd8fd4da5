/**
 * Select and Narrow: part of one dimension, as a view (no copy, no memory, no work). PyTorch has no
 * module for either. Select is `torch.select(x, dim, index)`, written `x[:, 0]` in Hugging Face's
 * BertPooler ("take the hidden state corresponding to the first token"); the dimension disappears.
 * Narrow is `torch.narrow(x, dim, start, length)`, written `x[:, 1:]` in a ViT that drops its
 * class token, and what ONNX's Slice and Split of an activation are; the dimension stays, shorter.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { ZERO } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const selectSchema = z.strictObject({
  /** Counting the batch, as in PyTorch: dim 0 is the batch, so `x[:, 0]` is dim 1. */
  dim: z.int(),
  /** Negative counts from the end, as in Python. */
  index: z.int(),
});
export type SelectArgs = z.output<typeof selectSchema>;

export const select: LayerKind<SelectArgs> = {
  type: 'Select',
  summary: 'Picks one index along a dimension and drops that dimension (torch.select, x[:, 0]): a view, no copy.',
  schema: selectSchema,
  inPlace: true,
  label: (args) => `Select(dim=${args.dim}, index=${args.index})`,

  // (L, E) -> (E) for dim 1: the selected dimension is removed
  outputShape(args, input) {
    const rank = input.length + 1;
    const dim = args.dim < 0 ? args.dim + rank : args.dim;
    if (dim < 1 || dim >= rank) {
      throw new LayerError(`dim ${args.dim} is out of range for the input ${formatShape(input)} with batch (rank ${rank}); allowed: 1 to ${rank - 1} or -1 to -${rank - 1} (dim 0 is the batch)`);
    }
    if (input.length === 1) throw new LayerError(`selecting from ${formatShape(input)} leaves no dimension per sample; allowed: an input of two or more dimensions`);
    const extent = input[dim - 1]!;
    if (args.index < -extent || args.index >= extent) {
      throw new LayerError(`index ${args.index} is out of range for dim ${args.dim} of size ${extent}; allowed: ${-extent} to ${extent - 1}`);
    }
    return [...input.slice(0, dim - 1), ...input.slice(dim)];
  },

  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};

const narrowSchema = z.strictObject({
  /** Counting the batch, as in PyTorch: dim 0 is the batch, so `x[:, 1:]` is dim 1. */
  dim: z.int(),
  /** The first index kept; negative counts from the end, as in Python. */
  start: z.int(),
  /** How many consecutive indices are kept. */
  length: z.int().check(z.positive()),
});
export type NarrowArgs = z.output<typeof narrowSchema>;

export const narrow: LayerKind<NarrowArgs> = {
  type: 'Narrow',
  summary: 'Keeps consecutive indices [start, start + length) of one dimension (torch.narrow, x[:, a:b]): a view, no copy.',
  schema: narrowSchema,
  inPlace: true,
  label: (args) => `Narrow(dim=${args.dim}, start=${args.start}, length=${args.length})`,

  // (L, E) -> (length, E) for dim 1: the dimension keeps [start, start + length)
  outputShape(args, input) {
    const rank = input.length + 1;
    const dim = args.dim < 0 ? args.dim + rank : args.dim;
    if (dim < 1 || dim >= rank) {
      throw new LayerError(`dim ${args.dim} is out of range for the input ${formatShape(input)} with batch (rank ${rank}); allowed: 1 to ${rank - 1} or -1 to -${rank - 1} (dim 0 is the batch)`);
    }
    const extent = input[dim - 1]!;
    const start = args.start < 0 ? args.start + extent : args.start;
    if (start < 0 || start >= extent) throw new LayerError(`start ${args.start} is out of range for dim ${args.dim} of size ${extent}; allowed: ${-extent} to ${extent - 1}`);
    if (start + args.length > extent) {
      throw new LayerError(`start ${args.start} + length ${args.length} runs past dim ${args.dim} of size ${extent}; allowed: a length up to ${extent - start}`);
    }
    return [...input.slice(0, dim - 1), args.length, ...input.slice(dim)];
  },

  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};
