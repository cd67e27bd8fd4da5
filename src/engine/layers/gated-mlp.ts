/**
 * Gated MLP (SwiGLU, GeGLU): down(act(gate(x)) ⊙ up(x)), as Hugging Face's LlamaMLP, MistralMLP,
 * Qwen2MLP and GemmaMLP write it (gate_proj, up_proj, down_proj, no biases unless `bias`).
 *
 * weights 3 E I (gate and up E × I, down I × E); biases 2 I + E with `bias`; MACs L · 3 E I.
 * The activation and the elementwise product are not MACs.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { add, mul, num, variable, ZERO } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { size } from './common.ts';
import type { ActivationFn, LayerKind } from './kind.ts';

export const GATED_ACTIVATIONS = ['silu', 'gelu', 'gelu_tanh'] as const;

const schema = z.strictObject({
  intermediate_size: size(),
  activation: z._default(z.enum(GATED_ACTIVATIONS), 'silu'),
  bias: z._default(z.boolean(), false),
});
export type GatedMLPArgs = z.output<typeof schema>;

export const activationFn = (a: (typeof GATED_ACTIVATIONS)[number]): ActivationFn => (a === 'silu' ? 'silu' : 'gelu');

export const gatedMlp: LayerKind<GatedMLPArgs> = {
  type: 'GatedMLP',
  summary: 'Gated MLP: down(act(gate(x)) ⊙ up(x)), three matrices of E × I.',
  schema,
  inPlace: false,
  label: (args, input) => `GatedMLP(${input[input.length - 1]}, ${args.intermediate_size}, ${args.activation})`,

  // (L, E) -> (L, E)
  outputShape(_args, input) {
    if (input.length !== 2) throw new LayerError(`GatedMLP needs an input of shape L×E (tokens × features, per sample), got ${formatShape(input)}`);
    return input;
  },

  counts(args, input) {
    const L = variable('L', input[0]!, 'tokens');
    const E = variable('E', input[1]!, 'hidden size');
    const I = variable('I', args.intermediate_size, 'intermediate size');
    const weights = mul(num(3), E, I);
    return {
      weights,
      biases: args.bias ? add(mul(num(2), I), E) : ZERO,
      macs: input[0] === 1 ? weights : mul(L, weights),
      work: [
        { op: 'dot', what: 'gate and up projections', outputs: mul(num(2), L, I), length: E, bias: args.bias, module: true },
        { op: 'dot', what: 'down projection', outputs: mul(L, E), length: I, bias: args.bias, module: true },
        { op: 'activation', what: `${args.activation} of the gate`, outputs: mul(L, I), fn: activationFn(args.activation) },
      ],
    };
  },
};
