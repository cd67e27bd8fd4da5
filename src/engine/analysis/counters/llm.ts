/**
 * The counting tools on a decoder-only language model's layer kinds (RMSNorm, CausalSelfAttention,
 * GatedMLP, MixtureOfExperts, LMHead) as Hugging Face's transformers writes them, read from each
 * tool's source and checked against the tools run on LlamaForCausalLM, MistralForCausalLM and
 * MixtralForCausalLM written as transformers does (tools/peers/models.py):
 *
 * - RMSNorm is transformers' own module (LlamaRMSNorm: x.pow(2).mean(-1), torch.rsqrt, two `*`),
 *   in every transformers version (it does not use nn.RMSNorm): no tool has a rule for the module,
 *   none patches Tensor.pow, mean, rsqrt or the `*` operator; only torchprofile's traced
 *   aten::mean (1 per output: L) and aten::mul (1 per output: L d each) count. torchinfo counts its
 *   γ as any parametrised module does (torchinfo.ts). thop registers PyTorch's nn.RMSNorm (≥ 2.4)
 *   with its norm rule, which transformers' models do not use (`implementation`: `isRmsNorm`).
 * - CausalSelfAttention: q, k, v, o are nn.Linear (the module rules). Its `implementation`:
 *   `eager`: repeat_kv, torch.matmul(q, kᵀ) over every (query, key) pair of the cache, × scaling,
 *   + the mask, F.softmax, torch.matmul with v; `sdpa` (transformers' default on PyTorch ≥ 2.1.1):
 *   F.scaled_dot_product_attention(q, k, v, attn_mask, scale, is_causal), with repeat_kv first
 *   unless PyTorch ≥ 2.5 and no mask (enable_gqa). Either way the masked pairs are computed, and a
 *   tool that counts the products counts h L_q L_k d_h each where the engine counts h K d_h. Each
 *   tool, by implementation, in `attentionTerms`.
 * - GatedMLP: gate_proj, up_proj, down_proj nn.Linear, act_fn an nn.SiLU (F.silu) or a GELU module
 *   calling F.gelu, and act(gate) * up, a `*` only torchprofile's aten::mul counts (L I).
 * - MixtureOfExperts (MixtralSparseMoeBlock): the router nn.Linear on (L, E), F.softmax, torch.topk,
 *   then each expert's w1, w3, w2 nn.Linear on the (t_e, E) rows of the tokens sent to it (Σ t_e =
 *   L k): the module rules count the routed tokens only, and torchinfo, whose Linear rule reads the
 *   output's leading dimensions, counts t_e rows per expert even in 1.8.0. torchprofile adds
 *   aten::mul for act(w1) * w3 (L k I) and the routing weight (L k E).
 * - LMHead: an nn.Linear over every position (transformers' forward keeps all L logits). Tied, its
 *   weight is embed_tokens'; torchinfo 1.8.0 and thop 0.0.31, which add up each leaf module's
 *   parameters, count it twice, the others once (../headlines.ts).
 *
 * torchprofile also counts the traced shape arithmetic these modules do as aten::mul of 0-d tensors:
 * repeat_kv's `num_key_value_heads * n_rep` (k and v: 2 per layer, none when h_kv = h, where it
 * returns early) and MixtralSparseMoeBlock's `batch_size * sequence_length` (1): 1 each. Traced
 * (torch.jit.trace, as torchprofile and fvcore run), transformers builds the mask even where it
 * could pass is_causal (_ignore_causal_mask_sdpa is false while tracing), so with sdpa repeat_kv runs.
 */
import type { LayerReport } from '../analyze.ts';
import type { CounterId } from './types.ts';
import { mul, num, variable } from '../../math/expr.ts';
import { decoderAttention, sparseMoe, type DecoderAttention, type SparseMoe } from '../tool-quantities.ts';
import { term, type Term } from './terms.ts';

/**
 * An RMSNorm, which no tool's norm rule counts but thop 2.x's for PyTorch's nn.RMSNorm (its hook is
 * registered on PyTorch ≥ 2.4: count_normalization, 2 per element, 4 with γ); transformers' own
 * module has no rule anywhere, and nothing in it is patched. PyTorch's nn.RMSNorm: no hook, no patch
 * of F.rms_norm (ptflops, calflops, DeepSpeed), no handler for aten::rms_norm (torchprofile, fvcore;
 * ptflops' aten backend counts only products). Read from the sources; the runs here (PyTorch 1.13)
 * have no nn.RMSNorm.
 */
export const isRmsNorm = (r: LayerReport): boolean => r.layer.type === 'RMSNorm';
/** transformers' RMSNorm module (LlamaRMSNorm and its copies), not PyTorch's nn.RMSNorm. */
export const isCustomNorm = (r: LayerReport): boolean => isRmsNorm(r) && (r.layer.args as { implementation: string }).implementation === 'transformers';

/**
 * The terms a tool adds for a decoder layer kind beyond what its generic rules (the tools' files: module
 * dot products, biases, patched activations) give it. Empty for every other kind.
 */
export function decoderTerms(tool: CounterId, r: LayerReport): Term[] {
  const attention = decoderAttention(r);
  if (attention) return attentionTerms(tool, attention);
  return tool === 'torchprofile' ? torchprofileTerms(r, sparseMoe(r)) : [];
}

const MASKED = 'over every (query, key) pair, masked ones included: h d_h (L_q L_k − K) more per product, twice';

/**
 * Each tool on the scores, softmax and values, by implementation. The projections are nn.Linear
 * modules, counted by the generic rules; thop (both versions) and torchinfo (both) see no product
 * and no softmax either way: their unseen-matmul term (shared.ts).
 */
function attentionTerms(tool: CounterId, a: DecoderAttention): Term[] {
  const sdpa = a.implementation === 'sdpa';
  const unseen = (why: string, scale = 1) => term(`F.scaled_dot_product_attention ${why}: the score and value products not counted`, -scale, a.matmulMacs, 'MACs');
  const eagerMatmuls = (scale = 1) => term(`torch.matmul ${MASKED}`, scale, a.maskedMacs, 'MACs');
  const softmax = (why: string) => term(`F.softmax (${why}) on the attention scores, masked ones included: 1 each`, 1, a.computedScores, 'scores');
  const repeatKv = a.repeatsKv ? [term("aten::mul of traced shapes (repeat_kv's num_key_value_heads * n_rep, for k and v): 1 each", 2, num(1), 'ops')] : [];
  switch (tool) {
    case 'ptflops':
      // torch.matmul (prod(A) × B's last dim) and F.softmax (numel) are patched; SDPA is not.
      return sdpa ? [unseen('(not patched)')] : [eagerMatmuls(), softmax('patched')];
    case 'ptflops-aten':
      // aten.bmm for torch.matmul on 4-d tensors; SDPA on CPU is one
      // aten._scaled_dot_product_flash_attention_for_cpu, with no handle (as for nn.MultiheadAttention).
      // That is the fused kernel, which transformers' is_causal (no mask) gets; with a mask (a sliding
      // window shorter than the keys) PyTorch may take its math path instead, not modelled here.
      return sdpa ? [unseen('(aten._scaled_dot_product_flash_attention_for_cpu: no handle)')] : [eagerMatmuls()];
    case 'torchprofile':
      // _scaled_dot_product_attention: b h L_q L_kv (d + d_v), every pair; eager: aten::matmul and
      // aten::mul for the scaling (the mask's aten::add and the softmax have no handler).
      return sdpa
        ? [term(`aten::scaled_dot_product_attention (b h L_q L_kv (d + d_v)) ${MASKED}`, 1, a.maskedMacs, 'MACs'), ...repeatKv]
        : [eagerMatmuls(), term('aten::mul (the scores × scaling): 1 per score, masked ones included', 1, a.computedScores, 'scores'), ...repeatKv];
    case 'fvcore':
      // matmul_flop_jit: every pair; aten::scaled_dot_product_attention is not in _DEFAULT_SUPPORTED_OPS.
      return sdpa ? [unseen('(aten::scaled_dot_product_attention: no handle, a warning, then skipped)')] : [eagerMatmuls()];
    case 'calflops':
      // torch.matmul and F.softmax are patched (2 FLOPs per MAC, 1 per element); SDPA is not.
      return sdpa ? [unseen('(not patched)', 2)] : [eagerMatmuls(2), softmax('patched')];
    case 'deepspeed':
      // _attn_flops_compute (F.scaled_dot_product_attention, patched on PyTorch ≥ 2.0): prod(q) L_k +
      // prod(q[:-1]) L_k d_v, every pair; no softmax. Eager as calflops.
      return sdpa ? [term(`F.scaled_dot_product_attention (patched: _attn_flops_compute) ${MASKED}`, 2, a.maskedMacs, 'MACs')] : [eagerMatmuls(2), softmax('patched')];
    default:
      return [];
  }
}

function torchprofileTerms(r: LayerReport, moe: SparseMoe | undefined): Term[] {
  if (isCustomNorm(r)) {
    const d = variable('d', r.layer.outputShape[r.layer.outputShape.length - 1]!, 'normalized features');
    const L = variable('L', r.layer.outputShape.slice(0, -1).reduce((a, b) => a * b, 1), 'tokens');
    const affine = (r.layer.args as { elementwise_affine: boolean }).elementwise_affine;
    return [
      term('LlamaRMSNorm: aten::mean of x², 1 per token', 1, L, 'tokens'),
      term(`LlamaRMSNorm: aten::mul, x × rsqrt(…)${affine ? ' and γ × x' : ''}: 1 per element each`, affine ? 2 : 1, mul(L, d), 'elements'),
    ];
  }
  if (r.layer.type === 'GatedMLP') {
    const products = r.work.find((w) => w.op === 'activation');
    return products ? [term('aten::mul (act(gate) × up): 1 per element', 1, products.outputs, 'elements')] : [];
  }
  if (moe) {
    return [
      term("aten::mul (each expert's act(w1) × w3): 1 per element", 1, moe.gatedProducts, 'elements'),
      term("aten::mul (each expert's output × its routing weight): 1 per element", 1, moe.weightedOutputs, 'elements'),
      term('aten::mul of traced shapes (batch_size * sequence_length): 1', 1, num(1), 'ops'),
    ];
  }
  return [];
}
