/**
 * Mixture of experts (Mixtral's MixtralSparseMoeBlock): a router (`gate`, E × n, no bias) scores
 * n experts per token, and each token runs through its top k, each a gated MLP (w1, w3: E × I,
 * w2: I × E).
 *
 * weights E n + n · 3 E I; MACs per token E n + k · 3 E I. Parameters a token uses (active):
 * E n + k · 3 E I, the router and its k experts.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { add, mul, num, variable } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { size } from './common.ts';
import { activationFn, GATED_ACTIVATIONS } from './gated-mlp.ts';
import type { LayerKind } from './kind.ts';

/** More experts than any published model has by far; beyond, a count is more likely a typo. */
export const MAX_EXPERTS = 1024;

const schema = z.strictObject({
  num_experts: size().check(z.lte(MAX_EXPERTS, `at most ${MAX_EXPERTS} experts`)),
  top_k: size(),
  intermediate_size: size(),
  activation: z._default(z.enum(GATED_ACTIVATIONS), 'silu'),
});
export type MixtureOfExpertsArgs = z.output<typeof schema>;

export const mixtureOfExperts: LayerKind<MixtureOfExpertsArgs> = {
  type: 'MixtureOfExperts',
  summary: 'Mixture of experts: a router sends each token to its top-k of n gated MLPs.',
  schema,
  inPlace: false,
  label: (args, input) => `MixtureOfExperts(${input[input.length - 1]}, experts=${args.num_experts}, top_k=${args.top_k}, ${args.intermediate_size})`,

  // (L, E) -> (L, E)
  outputShape(args, input) {
    if (input.length !== 2) throw new LayerError(`MixtureOfExperts needs an input of shape L×E (tokens × features, per sample), got ${formatShape(input)}`);
    if (args.top_k > args.num_experts) throw new LayerError(`top_k ${args.top_k} is more than the ${args.num_experts} experts; allowed: 1 to ${args.num_experts}`);
    return input;
  },

  counts(args, input) {
    const L = variable('L', input[0]!, 'tokens');
    const E = variable('E', input[1]!, 'hidden size');
    const I = variable('I', args.intermediate_size, 'expert intermediate size');
    const n = variable('n', args.num_experts, 'experts');
    const k = variable('k', args.top_k, 'experts per token');
    const router = mul(E, n);
    const active = add(router, mul(k, num(3), E, I));
    const tokens = input[0]!;
    return {
      weights: add(router, mul(n, num(3), E, I)),
      biases: num(0),
      activeParams: active,
      macs: tokens === 1 ? active : mul(L, active),
      work: [
        { op: 'dot', what: 'router', outputs: mul(L, n), length: E, bias: false, module: true },
        { op: 'dot', what: 'experts\' w1 and w3', outputs: mul(num(2), L, k, I), length: E, bias: false, module: true },
        { op: 'dot', what: 'experts\' w2', outputs: mul(L, k, E), length: I, bias: false, module: true },
        { op: 'softmax', what: 'router softmax', outputs: mul(L, n), length: n, module: false },
        { op: 'activation', what: `${args.activation} of the experts' gates`, outputs: mul(L, k, I), fn: activationFn(args.activation) },
      ],
    };
  },
};
