/**
 * The output layer of a language model (`lm_head`): logits over the vocabulary, an nn.Linear(E, V).
 * With `tied` (Hugging Face's `tie_word_embeddings`), its weight is the token embedding's matrix:
 * PyTorch's `model.num_parameters()` and `sum(p.numel() for p in model.parameters())` count a shared
 * tensor once, so here its weights are 0 (counted at the embedding) while its MACs are L E V.
 * Phi-2's lm_head has a bias (V). A prompt's pass computes logits for all L tokens, as
 * transformers' forward does (generation needs only the last: a runtime that slices first does
 * 1 / L of these MACs in the prefill).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { mul, variable, ZERO } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { size } from './common.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({
  vocab_size: size(),
  bias: z._default(z.boolean(), false),
  tied: z._default(z.boolean(), false),
});
export type LMHeadArgs = z.output<typeof schema>;

export const lmHead: LayerKind<LMHeadArgs> = {
  type: 'LMHead',
  summary: 'Logits over the vocabulary; tied to the token embedding when the config ties them (its weight counted once).',
  schema,
  inPlace: false,
  label: (args, input) => `LMHead(${input[input.length - 1]}, ${args.vocab_size}${args.tied ? ', tied' : ''}${args.bias ? ', bias' : ''})`,

  // (L, E) -> (L, V)
  outputShape(args, input) {
    if (input.length !== 2) throw new LayerError(`LMHead needs an input of shape L×E (tokens × features, per sample), got ${formatShape(input)}`);
    return [input[0]!, args.vocab_size];
  },

  counts(args, input) {
    const L = variable('L', input[0]!, 'tokens');
    const E = variable('E', input[1]!, 'hidden size');
    const V = variable('V', args.vocab_size, 'vocabulary');
    const matrix = mul(E, V);
    return {
      weights: args.tied ? ZERO : matrix,
      biases: args.bias ? V : ZERO,
      macs: input[0] === 1 ? matrix : mul(L, matrix),
      work: [{ op: 'dot', what: 'logits', outputs: input[0] === 1 ? V : mul(L, V), length: E, bias: args.bias, module: true }],
    };
  },
};
