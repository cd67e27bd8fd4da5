/**
 * Multi-head self-attention: Q, K, V projections, per head the scores Q Kᵀ / √d_k, a softmax, the
 * weighted values A V, then the output projection.
 * PyTorch: nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False,
 * add_zero_attn=False, kdim=None, vdim=None, batch_first=False), used as self-attention
 * (query = key = value = the input). Shapes here are per sample: (L, E).
 *
 * weights 4 E² (W_Q, W_K, W_V, W_O); biases 4 E;
 * MACs 4 L E² (projections) + h L² d_k (scores) + h L² d_k (values), d_k = E / h.
 *
 * `implementation` says which code computes it, because the tools that count by modules, patched
 * functions or traced ops (counters.ts) each see the two differently:
 * - `nn.MultiheadAttention` (the default: the layer is PyTorch's class): one module holding
 *   in_proj_weight (3E × E), in_proj_bias and the child out_proj (a NonDynamicallyQuantizableLinear
 *   whose forward never runs); forward calls F.multi_head_attention_forward, which projects with
 *   F.linear, and with `need_weights` (PyTorch's default) scales q by a multiply (PyTorch ≥ 2.1),
 *   runs torch.bmm, softmax, torch.bmm, the output F.linear and a mean of the weights over the
 *   heads; with `need_weights: false` (torchvision's ViT), F.scaled_dot_product_attention(q, k, v)
 *   and the output F.linear.
 * - `BertSelfAttention`: Hugging Face's BERT (eager attention): query, key and value nn.Linear
 *   modules, torch.matmul for the scores and the weighted values, nn.functional.softmax, and
 *   BertSelfOutput's dense nn.Linear. The zoo's BERT uses it.
 * The counts here (parameters, MACs, memory) are the same for both.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { add, mul, num, ref, variable, ZERO } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { size } from './common.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({
  embed_dim: z.optional(size()),
  num_heads: size(),
  dropout: z._default(z.number().check(z.gte(0), z.lte(1)), 0),
  bias: z._default(z.boolean(), true),
  add_bias_kv: z._default(z.literal(false), false),
  add_zero_attn: z._default(z.literal(false), false),
  kdim: z.optional(z.null()),
  vdim: z.optional(z.null()),
  batch_first: z._default(z.boolean(), false), // accepted; shapes here are per sample either way
  // Called as attn(x, x, x): with need_weights=True (PyTorch's default) F.multi_head_attention_forward
  // runs torch.bmm, softmax, torch.bmm; with False, F.scaled_dot_product_attention (PyTorch ≥ 2.0).
  // The counts here are the same; the tools count the two differently (counters.ts).
  need_weights: z._default(z.boolean(), true),
  implementation: z._default(z.enum(['nn.MultiheadAttention', 'BertSelfAttention']), 'nn.MultiheadAttention'),
});
export type MultiheadAttentionArgs = z.output<typeof schema>;

export const multiheadAttention: LayerKind<MultiheadAttentionArgs> = {
  type: 'MultiheadAttention',
  summary: 'Self-attention: every token attends to every token, in h heads of d_k = E / h.',
  schema,
  inPlace: false,
  label: (args, input) => `MultiheadAttention(${input[input.length - 1]}, num_heads=${args.num_heads})`,

  // (L, E) -> (L, E)
  outputShape(args, input) {
    if (input.length !== 2) throw new LayerError(`MultiheadAttention needs an input of shape L×E (tokens × embedding, per sample), got ${formatShape(input)}`);
    const embed = input[1]!;
    if (args.embed_dim !== undefined && args.embed_dim !== embed) {
      throw new LayerError(`embed_dim is ${args.embed_dim} but the incoming shape ${formatShape(input)} has ${embed} features`);
    }
    if (embed % args.num_heads !== 0) {
      const divisors = Array.from({ length: Math.min(embed, 64) }, (_, i) => i + 1).filter((h) => embed % h === 0);
      throw new LayerError(`embed_dim ${embed} is not divisible by num_heads ${args.num_heads}; allowed num_heads: ${divisors.join(', ')}${embed > 64 ? ', ...' : ''}`);
    }
    return input;
  },

  counts(args, input) {
    const L = variable('L', input[0]!, 'tokens');
    const E = variable('E', input[1]!, 'embedding size');
    const h = variable('h', args.num_heads, 'heads');
    const dk = variable('d_k', input[1]! / args.num_heads, 'head size');
    const projections = ref('\\text{MACs}_{QKVO}', mul(num(4), L, E, E));
    const scores = ref('\\text{MACs}_{QK^\\top}', mul(h, L, L, dk));
    const values = ref('\\text{MACs}_{AV}', mul(h, L, L, dk));
    return {
      weights: mul(num(4), E, E),
      biases: args.bias ? mul(num(4), E) : ZERO,
      macs: add(projections, scores, values),
      // `module`: the projections are Linear work (BertSelfAttention's four nn.Linear modules;
      // nn.MultiheadAttention's F.linear calls on its own weights), the matmuls are not.
      work: [
        { op: 'dot', what: 'Q, K, V and output projections', outputs: mul(num(4), L, E), length: E, bias: args.bias, module: true },
        { op: 'dot', what: 'scores Q Kᵀ', outputs: mul(h, L, L), length: dk, bias: false, module: false },
        { op: 'dot', what: 'weighted values A V', outputs: mul(h, L, dk), length: L, bias: false, module: false },
        { op: 'softmax', what: 'softmax of the scores', outputs: mul(h, L, L), length: L, module: false },
      ],
      // Kept for the backward pass: Q, K, V and the heads' output (4 L E), scores and probabilities (2 h L²).
      internalActivations: add(mul(num(4), L, E), mul(num(2), h, L, L)),
    };
  },
};
