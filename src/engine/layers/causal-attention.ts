/**
 * Causal self-attention with grouped key/value heads, as decoder-only language models run it:
 * Hugging Face's LlamaAttention, MistralAttention (a sliding window), Qwen2Attention (q, k, v
 * biases), GemmaAttention (an explicit head_dim, one KV head: multi-query), PhiAttention and
 * GPT2Attention (one fused c_attn for q, k, v, with biases).
 *
 * With h query heads, h_kv key/value heads (h_kv divides h; h_kv = h is multi-head, 1 is
 * multi-query) of d_h each, on E features:
 *   weights E h d_h (W_Q) + 2 E h_kv d_h (W_K, W_V) + h d_h E (W_O);
 *   biases h d_h + 2 h_kv d_h with `qkv_bias`, + E with `out_bias`;
 *   MACs L × weights (projections) + h d_h K (scores) + h d_h K (weighted values),
 * where K is the number of (query, key) pairs one head scores: token i of the L new ones (after
 * `past` tokens already in the KV cache) attends to min(W, past + i) keys, W the sliding window.
 * So a prompt of L tokens is this layer with past 0, and one decode step at context C is L = 1
 * after past C − 1: prefill and decode are the same counts. Rotary position embeddings have no
 * parameters; their elementwise products are not counted (a named convention: MACs are the
 * matrix products).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { add, div, mul, num, ref, sub, variable, ZERO, type Expr } from '../math/expr.ts';
import { formatShape } from '../shape.ts';
import { divisorsText, size } from './common.ts';
import type { LayerKind } from './kind.ts';

export const ATTENTION_IMPLEMENTATIONS = ['sdpa', 'eager'] as const;

const schema = z.strictObject({
  num_heads: size(),
  /** Key/value heads (grouped-query attention); default: num_heads. */
  num_key_value_heads: z.optional(size()),
  /** Size of each head; default: E / num_heads. */
  head_dim: z.optional(size()),
  qkv_bias: z._default(z.boolean(), false),
  out_bias: z._default(z.boolean(), false),
  /** A token attends to at most this many keys (itself included); null: all before it. */
  sliding_window: z._default(z.nullable(size()), null),
  /** Tokens already in the KV cache before this input's L tokens. */
  past: z._default(z.int().check(z.nonnegative()), 0),
  /** Features of each head that rotary embeddings turn (Phi's partial rotary); informational. */
  rotary_dim: z.optional(z.int().check(z.nonnegative())),
  /** q, k and v computed by one matrix (GPT-2's c_attn); the counts are the same. */
  fused_qkv: z._default(z.boolean(), false),
  /**
   * How transformers computes the scores, softmax and values (its `attn_implementation`): `sdpa`,
   * its default on PyTorch ≥ 2.1.1, one F.scaled_dot_product_attention call; `eager`, torch.matmul,
   * F.softmax, torch.matmul (PyTorch 1.x's only path). The counts are the same; the counting tools
   * see the two differently (analysis/counters/llm.ts).
   */
  implementation: z._default(z.enum(ATTENTION_IMPLEMENTATIONS), 'sdpa'),
});
export type CausalSelfAttentionArgs = z.output<typeof schema>;

/** The head geometry after defaults: query heads, key/value heads, head size. */
export function headsOf(args: CausalSelfAttentionArgs, embed: number): { heads: number; kvHeads: number; headDim: number } {
  const heads = args.num_heads;
  return { heads, kvHeads: args.num_key_value_heads ?? heads, headDim: args.head_dim ?? embed / heads };
}

/**
 * K = Σ_{i=1..L} min(W, p + i): the (query, key) pairs of one head when L tokens follow p cached
 * ones. Without a window (or before it is reached) L p + L (L + 1) / 2; past the window L W.
 */
export function attendedPairs(tokens: number, past: number, window: number | null): Expr {
  const L = variable('L', tokens, 'new tokens');
  const p = variable('p', past, 'tokens already cached');
  const triangle = div(mul(L, add(L, num(1))), num(2));
  const last = past + tokens;
  if (window === null || last <= window) return past === 0 ? triangle : add(mul(L, p), triangle);
  const W = variable('W', window, 'sliding window');
  if (past + 1 >= window) return mul(L, W);
  // Tokens p + 1 … W grow the window, the rest see W keys each.
  const growing = sub(W, p);
  const first = add(p, num(1));
  return add(div(mul(add(first, W), growing), num(2)), mul(sub(add(p, L), W), W));
}

export const causalSelfAttention: LayerKind<CausalSelfAttentionArgs> = {
  type: 'CausalSelfAttention',
  summary: 'Causal self-attention: each token attends to the tokens before it, with h query heads sharing h_kv key/value heads.',
  schema,
  inPlace: false,
  label: (args, input) => {
    const { heads, kvHeads, headDim } = headsOf(args, input[input.length - 1]!);
    return `CausalSelfAttention(${input[input.length - 1]}, heads=${heads}, kv_heads=${kvHeads}, head_dim=${headDim}${args.sliding_window !== null ? `, window=${args.sliding_window}` : ''})`;
  },

  // (L, E) -> (L, E)
  outputShape(args, input) {
    if (input.length !== 2) throw new LayerError(`CausalSelfAttention needs an input of shape L×E (tokens × features, per sample), got ${formatShape(input)}`);
    const embed = input[1]!;
    const heads = args.num_heads;
    if (args.head_dim === undefined && embed % heads !== 0) {
      throw new LayerError(`hidden size ${embed} is not divisible by num_heads ${heads} and no head_dim is given; allowed num_heads: ${divisorsText(embed)}`);
    }
    const kvHeads = args.num_key_value_heads ?? heads;
    if (kvHeads > heads || heads % kvHeads !== 0) {
      throw new LayerError(`num_key_value_heads ${kvHeads} does not divide num_heads ${heads}; allowed: ${divisorsText(heads)}`);
    }
    const headDim = args.head_dim ?? embed / heads;
    if (args.rotary_dim !== undefined && args.rotary_dim > headDim) {
      throw new LayerError(`rotary_dim ${args.rotary_dim} is larger than head_dim ${headDim}; allowed: 0 to ${headDim}`);
    }
    return input;
  },

  counts(args, input) {
    const { heads, kvHeads, headDim } = headsOf(args, input[1]!);
    const L = variable('L', input[0]!, 'tokens');
    const E = variable('E', input[1]!, 'hidden size');
    const h = variable('h', heads, 'query heads');
    const hkv = variable('h_{kv}', kvHeads, 'key/value heads');
    const dh = variable('d_h', headDim, 'head size');
    const q = mul(E, h, dh);
    const kv = mul(num(2), E, hkv, dh);
    const o = mul(h, dh, E);
    const weights = add(q, kv, o);
    const biasTerms: Expr[] = [];
    if (args.qkv_bias) biasTerms.push(mul(h, dh), mul(num(2), hkv, dh));
    if (args.out_bias) biasTerms.push(E);
    const K = ref('K', attendedPairs(input[0]!, args.past, args.sliding_window));
    const tokens = input[0]!;
    const projections = ref('\\text{MACs}_{QKVO}', tokens === 1 ? weights : mul(L, weights));
    const scores = ref('\\text{MACs}_{QK^\\top}', mul(h, dh, K));
    const values = ref('\\text{MACs}_{AV}', mul(h, dh, K));
    return {
      weights,
      biases: biasTerms.length === 0 ? ZERO : add(...biasTerms),
      macs: add(projections, scores, values),
      // `module`: the projections are nn.Linear modules (GPT-2's c_attn/c_proj are Conv1D ones); the
      // products with the cache are not modules. A weighted value is counted as K products of d_h.
      work: [
        { op: 'dot', what: 'Q, K, V projections', outputs: mul(L, add(mul(h, dh), mul(num(2), hkv, dh))), length: E, bias: args.qkv_bias, module: true },
        { op: 'dot', what: 'output projection', outputs: mul(L, E), length: mul(h, dh), bias: args.out_bias, module: true },
        { op: 'dot', what: 'scores Q Kᵀ', outputs: mul(h, K), length: dh, bias: false, module: false },
        { op: 'dot', what: 'weighted values A V', outputs: mul(h, K), length: dh, bias: false, module: false },
        { op: 'softmax', what: 'softmax of the scores (rows of up to the last token\'s keys)', outputs: mul(h, K), length: variable('n_k', Math.min(args.past + tokens, args.sliding_window ?? Infinity), 'keys of the last token'), module: false },
      ],
    };
  },
};
