/**
 * Select: one index along one dimension, which disappears from the shape. PyTorch has no module
 * for it; it is `torch.select(x, dim, index)`, written `x[:, 0]` in Hugging Face's BertPooler
 * ("take the hidden state corresponding to the first token"). A view: no copy, no memory, no work.
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
