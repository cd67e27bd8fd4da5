/**
 * Linear (fully connected): y = x Wᵀ + b, applied to the last dimension.
 * PyTorch: nn.Linear(in_features, out_features, bias=True).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { mul, variable, ZERO } from '../math/expr.ts';
import { elementCount, formatShape } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({
  in_features: z.optional(z.int().check(z.positive())),
  out_features: z.int().check(z.positive()),
  bias: z._default(z.boolean(), true),
});
export type LinearArgs = z.output<typeof schema>;

export const linear: LayerKind<LinearArgs> = {
  type: 'Linear',
  summary: 'Fully connected layer: every output is a weighted sum of all inputs, plus a bias.',
  schema,
  inPlace: false,

  label: (args, input) => `Linear(${input[input.length - 1]}, ${args.out_features}${args.bias ? '' : ', bias=False'})`,

  // (..., c_i) -> (..., c_o)
  outputShape(args, input) {
    const inFeatures = input[input.length - 1];
    if (inFeatures === undefined) throw new LayerError('Linear needs an input with at least one dimension');
    if (args.in_features !== undefined && args.in_features !== inFeatures) {
      throw new LayerError(
        `in_features is ${args.in_features} but the incoming shape ${formatShape(input)} has ${inFeatures} features` +
          (input.length > 1 ? ` in its last dimension (a Flatten before this layer gives ${elementCount(input)})` : ''),
      );
    }
    return [...input.slice(0, -1), args.out_features];
  },

  // weights c_i c_o, biases c_o, MACs L c_i c_o (L = positions the layer is applied at, e.g. tokens)
  counts(args, input) {
    const cIn = variable('c_i', input[input.length - 1]!, 'input features');
    const cOut = variable('c_o', args.out_features, 'output features');
    const positions = elementCount(input.slice(0, -1));
    const weights = mul(cIn, cOut);
    const tokens = variable('L', positions, 'positions (tokens)');
    return {
      weights,
      biases: args.bias ? cOut : ZERO,
      macs: positions === 1 ? weights : mul(tokens, cIn, cOut),
      work: [{ op: 'dot', what: 'matrix-vector products', outputs: positions === 1 ? cOut : mul(tokens, cOut), length: cIn, bias: args.bias, module: true }],
    };
  },
};

