/**
 * Embedding: a lookup table of `num_embeddings` vectors of `embedding_dim`; the input holds ids.
 * PyTorch: nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
 * norm_type=2.0, scale_grad_by_freq=False, sparse=False).
 * weights V d; no MACs (a lookup, not arithmetic).
 *
 * `indices`: `"input"` (the default) looks up the layer's input, one row per sample; `"positions"`
 * looks up the positions 0 … L − 1 as Hugging Face's BERT does (its `position_ids` buffer, shape
 * 1 × L): one lookup for the whole batch, broadcast when added to the other embeddings. The counts
 * here are the same; torchinfo, which multiplies by the output's first dimension, counts it once
 * per batch (counters.ts).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { mul, variable, ZERO } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { size } from './common.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({
  num_embeddings: size(),
  embedding_dim: size(),
  padding_idx: z.optional(z.nullable(z.int())),
  max_norm: z.optional(z.nullable(z.number().check(z.positive()))),
  norm_type: z._default(z.number().check(z.positive()), 2),
  scale_grad_by_freq: z._default(z.boolean(), false),
  sparse: z._default(z.boolean(), false),
  indices: z._default(z.enum(['input', 'positions']), 'input'),
});
export type EmbeddingArgs = z.output<typeof schema>;

export const embedding: LayerKind<EmbeddingArgs> = {
  type: 'Embedding',
  summary: 'Looks up one learned vector per input id (token, position, segment).',
  schema,
  inPlace: false,
  label: (args) => `Embedding(${args.num_embeddings}, ${args.embedding_dim})`,

  // (L) ids -> (L, d)
  outputShape(args, input) {
    const p = args.padding_idx;
    if (p != null && (p >= args.num_embeddings || p < -args.num_embeddings)) {
      throw new LayerError(`padding_idx ${p} is out of range; allowed: -${args.num_embeddings} to ${args.num_embeddings - 1}`);
    }
    if (args.indices === 'positions' && (input.length !== 1 || input[0]! > args.num_embeddings)) {
      throw new LayerError(`indices "positions" looks up positions 0 to L − 1 of an input of L ids; got ${formatShape(input)} for ${args.num_embeddings} positions`);
    }
    return [...input, args.embedding_dim];
  },

  counts(args) {
    return {
      weights: mul(variable('V', args.num_embeddings, 'table size'), variable('d', args.embedding_dim, 'embedding size')),
      biases: ZERO,
      macs: ZERO,
    };
  },
};
