/**
 * Layers that are the identity at inference: Identity (torchvision's "no activation here") and
 * StochasticDepth (torchvision.ops.StochasticDepth, EfficientNet's residual-branch drop, which at
 * inference passes its input through). No parameters, no work, no memory: they run in place.
 * PyTorch: nn.Identity(); torchvision.ops.StochasticDepth(p, mode) with mode 'row' or 'batch'.
 */
import { z } from '../schema.ts';
import { ZERO } from '../math/expr.ts';
import type { LayerKind } from './kind.ts';

const identitySchema = z.strictObject({});
const stochasticDepthSchema = z.strictObject({
  p: z.number().check(z.gte(0), z.lte(1)),
  mode: z._default(z.enum(['row', 'batch']), 'row'),
});
export type IdentityArgs = z.output<typeof identitySchema>;
export type StochasticDepthArgs = z.output<typeof stochasticDepthSchema>;

export const identity: LayerKind<IdentityArgs> = {
  type: 'Identity',
  summary: 'Passes its input through unchanged (a placeholder: no parameters, no work).',
  schema: identitySchema,
  inPlace: true,
  positionwise: true,
  label: () => 'Identity()',
  // (*) -> (*)
  outputShape: (_args, input) => input,
  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};

export const stochasticDepth: LayerKind<StochasticDepthArgs> = {
  type: 'StochasticDepth',
  summary: 'Drops a residual branch at random while training (rows or the whole batch); the identity at inference.',
  schema: stochasticDepthSchema,
  inPlace: true,
  positionwise: true,
  label: (args) => `StochasticDepth(p=${args.p}, mode=${args.mode})`,
  // (*) -> (*)
  outputShape: (_args, input) => input,
  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};
