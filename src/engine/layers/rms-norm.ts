/**
 * RMSNorm: x / √(mean(x²) + ε) · γ over the last dimension, no mean subtracted and no shift.
 * PyTorch: nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True); Hugging Face's
 * LlamaRMSNorm, MistralRMSNorm, Qwen2RMSNorm and GemmaRMSNorm (which scales by 1 + γ: the same
 * d parameters) are the same module as far as the engine's counts go; the counting tools see
 * transformers' module and PyTorch's differently (`implementation`, analysis/counters/llm.ts).
 *
 * parameters: γ, d of them (d = the last dimension); no MACs.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { mul, variable, ZERO } from '../math/expr.ts';
import { elementCount, formatShape } from '../shape.ts';
import { size } from './common.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({
  normalized_shape: z.optional(size()),
  eps: z._default(z.number().check(z.positive()), 1e-6),
  elementwise_affine: z._default(z.boolean(), true),
  /**
   * Whose module it is, which the counting tools see differently (the counts are the same):
   * `transformers`, the module transformers writes for every model (LlamaRMSNorm: pow, mean,
   * rsqrt, two products), or PyTorch's `nn.RMSNorm` (≥ 2.4, one F.rms_norm).
   */
  implementation: z._default(z.enum(['transformers', 'nn.RMSNorm']), 'transformers'),
});
export type RMSNormArgs = z.output<typeof schema>;

export const rmsNorm: LayerKind<RMSNormArgs> = {
  type: 'RMSNorm',
  summary: 'Scales each token by the inverse of its root mean square, then by γ (no mean, no shift).',
  schema,
  inPlace: false,
  positionwise: true,
  label: (_args, input) => `RMSNorm(${input[input.length - 1]})`,

  // (*, d) -> (*, d)
  outputShape(args, input) {
    const d = input[input.length - 1];
    if (d === undefined) throw new LayerError('RMSNorm needs an input with at least one dimension');
    if (args.normalized_shape !== undefined && args.normalized_shape !== d) {
      throw new LayerError(`normalized_shape is ${args.normalized_shape} but the incoming shape ${formatShape(input)} has ${d} features; allowed: ${d}`);
    }
    return input;
  },

  counts(args, input) {
    const d = variable('d', input[input.length - 1]!, 'normalized features');
    const positions = elementCount(input.slice(0, -1));
    return {
      weights: ZERO,
      biases: ZERO,
      normParams: args.elementwise_affine ? d : ZERO,
      macs: ZERO,
      work: [{ op: 'norm', what: 'RMS normalization', outputs: positions === 1 ? d : mul(variable('L', positions, 'tokens'), d), affine: args.elementwise_affine }],
    };
  },
};
