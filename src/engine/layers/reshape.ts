/**
 * Layers that move no data: Flatten (a view) and Dropout (the identity at inference).
 * PyTorch: nn.Flatten(start_dim=1, end_dim=-1); nn.Dropout(p=0.5, inplace=False).
 * Neither adds activation memory, which is how the lectures count AlexNet's 932,264 activations.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { ZERO } from '../math/expr.ts';
import { elementCount, formatShape } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const flattenSchema = z.strictObject({
  start_dim: z._default(z.int(), 1),
  end_dim: z._default(z.int(), -1),
});
export type FlattenArgs = z.output<typeof flattenSchema>;

export const flatten: LayerKind<FlattenArgs> = {
  type: 'Flatten',
  summary: 'Reshapes dimensions start_dim to end_dim into one (a view: no copy, no memory).',
  schema: flattenSchema,
  inPlace: true,
  label: (args) => `Flatten(${args.start_dim}, ${args.end_dim})`,

  // (C, H, W) -> (C·H·W)  [dims counted with the batch, as in PyTorch: dim 0 is the batch]
  outputShape(args, input) {
    const rank = input.length + 1;
    const resolve = (dim: number) => (dim < 0 ? dim + rank : dim);
    const start = resolve(args.start_dim);
    const end = resolve(args.end_dim);
    const allowed = `1 to ${rank - 1} or -1 to -${rank - 1} (dim 0 is the batch)`;
    if (start < 1 || start >= rank) throw new LayerError(`start_dim ${args.start_dim} is out of range for the input ${formatShape(input)} with batch (rank ${rank}); allowed: ${allowed}`);
    if (end < 1 || end >= rank) throw new LayerError(`end_dim ${args.end_dim} is out of range for the input ${formatShape(input)} with batch (rank ${rank}); allowed: ${allowed}`);
    if (end < start) throw new LayerError(`end_dim ${args.end_dim} comes before start_dim ${args.start_dim}`);
    // Per-sample indices are one less than PyTorch's, which count the batch.
    return [...input.slice(0, start - 1), elementCount(input.slice(start - 1, end)), ...input.slice(end)];
  },

  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};

const dropoutSchema = z.strictObject({
  p: z._default(z.number().check(z.gte(0), z.lte(1)), 0.5),
  inplace: z._default(z.boolean(), false),
});
export type DropoutArgs = z.output<typeof dropoutSchema>;

export const dropout: LayerKind<DropoutArgs> = {
  type: 'Dropout',
  summary: 'Zeroes random elements during training; the identity at inference.',
  schema: dropoutSchema,
  inPlace: true,
  positionwise: true,
  label: (args) => `Dropout(p=${args.p})`,
  // (*) -> (*)
  outputShape: (_args, input) => input,
  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};
