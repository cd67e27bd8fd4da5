/**
 * The quantities of a layer that the counting tools read from their hooks, patches and handlers
 * (counters.ts): an LSTM's or GRU's gate outputs and hidden units, a transposed conv's sizes as
 * its module or its F.conv_transpose call gives them.
 */
import type { LayerReport } from './analyze.ts';
import type { Layer } from '../model/define.ts';
import { mul, num, sub, variable, type Expr } from '../math/expr.ts';
import { elementsExpr } from '../shape.ts';

/** Elements of the layer's output, per sample. */
const outputElements = (layer: Layer): Expr => elementsExpr(layer.outputShape, []);

/** An nn.LSTM or nn.GRU as the tools count it, per sample: its gate outputs and hidden units over all steps. */
export interface Recurrent {
  readonly type: 'LSTM' | 'GRU';
  /** L n D G h: every gate's outputs, over the L steps, n layers and D directions. */
  readonly gateOutputs: Expr;
  /** L n D h: the hidden units updated, over the steps, layers and directions. */
  readonly hiddenUnits: Expr;
  readonly bias: boolean;
}

export function recurrent(r: LayerReport): Recurrent | undefined {
  const type = r.layer.type;
  if (type !== 'LSTM' && type !== 'GRU') return undefined;
  const args = r.layer.args as { hidden_size: number; num_layers: number; bidirectional: boolean; bias: boolean };
  const hiddenUnits = mul(
    variable('L', r.layer.inputShape[0]!, 'time steps'),
    ...(args.num_layers > 1 ? [variable('n_l', args.num_layers, 'layers')] : []),
    ...(args.bidirectional ? [variable('D', 2, 'directions')] : []),
    variable('h', args.hidden_size, 'hidden size'),
  );
  return { type, gateOutputs: mul(variable('G', type === 'LSTM' ? 4 : 3, 'gates'), hiddenUnits), hiddenUnits, bias: args.bias };
}

/** The elementwise work of a recurrent cell beyond its gates' dot products, as ptflops' and DeepSpeed's rnn_flops count it per hidden unit. */
export const RNN_FLOPS_EXTRA = { LSTM: 10, GRU: 7 } as const;

/** A transposed convolution's sizes, as the tools read them from its module or its F.conv_transpose call. */
export interface ConvTranspose {
  readonly cIn: number;
  readonly cOut: number;
  readonly groups: number;
  readonly kernel: number;
  /** The input's spatial positions. */
  readonly inputPositions: number;
  /** The output's elements. */
  readonly outputs: Expr;
  /** ∏ ((h_i + 2p − d(k − 1) − 1) // s + 1): the output size of a conv, not of a transposed one (calflops' and DeepSpeed's). */
  readonly convFormulaPositions: number;
  readonly bias: boolean;
}

export function convTranspose(r: LayerReport): ConvTranspose | undefined {
  if (!r.layer.type.startsWith('ConvTranspose')) return undefined;
  type PerDim = number | readonly number[];
  const args = r.layer.args as { out_channels: number; kernel_size: PerDim; stride: PerDim; padding: PerDim; dilation: PerDim; groups: number; bias: boolean };
  const at = (v: PerDim, d: number) => (typeof v === 'number' ? v : v[d]!);
  const spatial = r.layer.inputShape.slice(1);
  let kernel = 1;
  let convFormulaPositions = 1;
  spatial.forEach((size, d) => {
    const k = at(args.kernel_size, d);
    kernel *= k;
    convFormulaPositions *= Math.floor((size + 2 * at(args.padding, d) - at(args.dilation, d) * (k - 1) - 1) / at(args.stride, d)) + 1;
  });
  return {
    cIn: r.layer.inputShape[0]!,
    cOut: args.out_channels,
    groups: args.groups,
    kernel,
    inputPositions: spatial.reduce((a, b) => a * b, 1),
    outputs: outputElements(r.layer),
    convFormulaPositions,
    bias: args.bias,
  };
}

/**
 * A CausalSelfAttention as transformers runs it. Eager (eager_attention_forward): repeat_kv,
 * torch.matmul of every query with every key of the cache, × scaling, + the causal (and
 * sliding-window) mask, F.softmax, torch.matmul with the values. SDPA (sdpa_attention_forward):
 * one F.scaled_dot_product_attention call with the mask or is_causal. Either way every (query, key)
 * pair is computed and the masked ones discarded: a tool that counts the products counts
 * h L_q L_k d_h each where the engine counts h K d_h, K the pairs a token attends to. L_k is every
 * key of the cache, past + L_q: checked against the tools on prompts and on a decode step after
 * 20 cached tokens (a cache that keeps every key, as DynamicCache does); a cache that keeps only a
 * sliding window's last keys (transformers' sliding-window cache layers) would hold fewer in a
 * decode step past the window, which this does not model.
 */
export interface DecoderAttention {
  readonly implementation: 'sdpa' | 'eager';
  /** h L_q L_k: the scores computed, masked ones included (the scaling's and the softmax's elements). */
  readonly computedScores: Expr;
  /** h (L_q L_k − K): the scores computed and then masked. */
  readonly maskedScores: Expr;
  /** 2 d_h h (L_q L_k − K): the score and value products' MACs on the masked pairs. */
  readonly maskedMacs: Expr;
  /** 2 h d_h K: the engine's score and value MACs (what is left when a tool does not see them). */
  readonly matmulMacs: Expr;
  /** repeat_kv runs (it returns early when h_kv = h). */
  readonly repeatsKv: boolean;
}

export function decoderAttention(r: LayerReport): DecoderAttention | undefined {
  if (r.layer.type !== 'CausalSelfAttention') return undefined;
  const args = r.layer.args as { num_heads: number; num_key_value_heads?: number; head_dim?: number; past: number; implementation: 'sdpa' | 'eager' };
  const tokens = r.layer.inputShape[0]!;
  const heads = args.num_heads;
  const kvHeads = args.num_key_value_heads ?? heads;
  const headDim = args.head_dim ?? r.layer.inputShape[1]! / heads;
  // The engine's score and value products: its two dot works that are not modules (h K each).
  const products = r.work.filter((w): w is Extract<typeof w, { op: 'dot' }> => w.op === 'dot' && !w.module);
  const pairsPerHead = products.length > 0 ? products[0]!.outputs.value / heads : 0;
  const h = variable('h', heads, 'query heads');
  const Lq = variable('L_q', tokens, 'new tokens');
  const Lk = variable('L_k', args.past + tokens, 'keys (cached and new)');
  const K = variable('K', pairsPerHead, 'pairs a head attends to');
  const dh = variable('d_h', headDim, 'head size');
  const masked = mul(h, sub(mul(Lq, Lk), K));
  return {
    implementation: args.implementation,
    computedScores: mul(h, Lq, Lk),
    maskedScores: masked,
    maskedMacs: mul(num(2), dh, masked),
    matmulMacs: mul(num(2), h, dh, K),
    repeatsKv: kvHeads < heads,
  };
}

/** A Mixture of experts as MixtralSparseMoeBlock runs it: the quantities of its elementwise products. */
export interface SparseMoe {
  /** L k I: act(w1 x) * w3 x, in the experts, over the tokens each expert was sent. */
  readonly gatedProducts: Expr;
  /** L k E: each expert's output times its routing weight. */
  readonly weightedOutputs: Expr;
}

export function sparseMoe(r: LayerReport): SparseMoe | undefined {
  if (r.layer.type !== 'MixtureOfExperts') return undefined;
  const args = r.layer.args as { top_k: number; intermediate_size: number };
  const L = variable('L', r.layer.inputShape[0]!, 'tokens');
  const k = variable('k', args.top_k, 'experts per token');
  return {
    gatedProducts: mul(L, k, variable('I', args.intermediate_size, 'expert intermediate size')),
    weightedOutputs: mul(L, k, variable('E', r.layer.inputShape[1]!, 'hidden size')),
  };
}
