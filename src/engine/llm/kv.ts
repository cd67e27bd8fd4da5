/**
 * The KV cache: per token, each attention layer keeps a key and a value of h_kv heads × d_h, at
 * b_kv bits: 2 N h_kv d_h b_kv / 8 bytes (grouped-query and multi-query attention keep fewer
 * heads than they query with; Gemma's head_dim is its own). A sliding window of W keys keeps at
 * most W tokens (Mistral's rolling buffer cache).
 */
import { ceil, div, min, mul, num, ref, variable, type Expr } from '../math/expr.ts';
import type { Layer } from '../model/define.ts';
import { headsOf, type CausalSelfAttentionArgs } from '../layers/causal-attention.ts';

export interface KvGeometry {
  readonly layers: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly window: number | null;
}

export function kvGeometry(layers: readonly Layer[]): KvGeometry {
  const attention = layers.filter((l) => l.type === 'CausalSelfAttention');
  const first = attention[0];
  if (!first) return { layers: 0, kvHeads: 0, headDim: 0, window: null };
  const args = first.args as CausalSelfAttentionArgs;
  const { kvHeads, headDim } = headsOf(args, first.inputShape[1]!);
  return { layers: attention.length, kvHeads, headDim, window: args.sliding_window };
}

const exact = (e: Expr) => (Number.isInteger(e.value) ? e : ceil(e));

/** Bytes of one token's keys and values in one layer. */
export function kvBytesPerTokenPerLayer(g: KvGeometry, kvBits: number): Expr {
  return exact(div(mul(num(2), variable('h_{kv}', g.kvHeads, 'key/value heads'), variable('d_h', g.headDim, 'head size'), variable('b_{kv}', kvBits, 'bits per cached value')), num(8)));
}

/** 2 N h_kv d_h b_kv / 8 */
export function kvBytesPerToken(g: KvGeometry, kvBits: number): Expr {
  return exact(
    div(mul(num(2), variable('N', g.layers, 'attention layers'), variable('h_{kv}', g.kvHeads, 'key/value heads'), variable('d_h', g.headDim, 'head size'), variable('b_{kv}', kvBits, 'bits per cached value')), num(8)),
  );
}

/** Tokens a sequence's cache holds at context C: min(C, W). */
export function cachedTokens(g: KvGeometry, context: number): Expr {
  const C = variable('C', context, 'context (tokens)');
  return g.window === null || context <= g.window ? C : min(C, variable('W', g.window, 'sliding window'));
}

/** B · min(C, W) · kv per token */
export function kvCacheBytes(g: KvGeometry, kvBits: number, batch: number, context: number): Expr {
  return mul(variable('B', batch, 'batch (sequences)'), cachedTokens(g, context), ref('s_{kv}', kvBytesPerToken(g, kvBits)));
}
