/**
 * PReLU: max(0, x) + a · min(0, x) with a learned slope a, one for all channels or one per channel.
 * PyTorch: nn.PReLU(num_parameters=1, init=0.25); num_parameters is 1 or the input's channels
 * (dimension 1 counting the batch). Its slopes are weights, as `parameters()` lists them.
 * weights n (1 or c); no MACs.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { variable, ZERO } from '../math/expr.ts';
import { size } from './common.ts';
import { elementsExpr } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({
  num_parameters: z._default(size(), 1),
  init: z._default(z.number(), 0.25),
});
export type PReLUArgs = z.output<typeof schema>;

export const prelu: LayerKind<PReLUArgs> = {
  type: 'PReLU',
  summary: 'ReLU with a learned slope for negative inputs: one slope, or one per channel.',
  schema,
  inPlace: false,
  positionwise: true,
  label: (args) => `PReLU(num_parameters=${args.num_parameters})`,

  // (C, *) -> (C, *)
  outputShape(args, input) {
    if (args.num_parameters !== 1 && args.num_parameters !== input[0]) {
      throw new LayerError(`num_parameters is ${args.num_parameters} but the input has ${input[0]} channels; allowed: 1 or ${input[0]}`);
    }
    return input;
  },

  // weights: n slopes; its work, F.prelu over every element, is what the tools count
  counts: (args, input) => ({
    weights: variable('n', args.num_parameters, 'slopes'),
    biases: ZERO,
    macs: ZERO,
    work: [{ op: 'activation', what: 'PReLU', outputs: elementsExpr(input, []), fn: 'prelu' }],
  }),
};
