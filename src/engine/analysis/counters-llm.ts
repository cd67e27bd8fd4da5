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
 *   γ as any parametrised module does (counters.ts).
 * - CausalSelfAttention, eager: q, k, v, o are nn.Linear (the module rules); repeat_kv expands the
 *   h_kv heads to h; torch.matmul(q, kᵀ) over every (query, key) pair of the cache, × scaling,
 *   + the causal (and sliding-window) mask, F.softmax, torch.matmul with v. The masked pairs are
 *   computed: a tool that sees the matmuls counts h L_q L_k d_h each where the engine counts h K d_h
 *   (K the pairs a token attends to), and the softmax over h L_q L_k scores. See `eagerTerms`.
 * - GatedMLP: gate_proj, up_proj, down_proj nn.Linear, act_fn an nn.SiLU (F.silu) or a GELU module
 *   calling F.gelu, and act(gate) * up, a `*` only torchprofile's aten::mul counts (L I).
 * - MixtureOfExperts (MixtralSparseMoeBlock): the router nn.Linear on (L, E), F.softmax, torch.topk,
 *   then each expert's w1, w3, w2 nn.Linear on the (t_e, E) rows of the tokens sent to it (Σ t_e =
 *   L k): the module rules count the routed tokens only, and torchinfo, whose Linear rule reads the
 *   output's leading dimensions, counts t_e rows per expert even in 1.8.0. torchprofile adds
 *   aten::mul for act(w1) * w3 (L k I) and the routing weight (L k E).
 * - LMHead: an nn.Linear over every position (transformers' forward keeps all L logits). Tied, its
 *   weight is embed_tokens'; torchinfo 1.8.0 then counts it twice (params and its Linear rule),
 *   the main branch once (counters.ts, headlines.ts).
 *
 * torchprofile also counts the traced shape arithmetic these modules do as aten::mul of 0-d tensors:
 * repeat_kv's `num_key_value_heads * n_rep` (k and v: 2 per layer, none when h_kv = h, where it
 * returns early) and MixtralSparseMoeBlock's `batch_size * sequence_length` (1): 1 each.
 */
import type { LayerReport } from './analyze.ts';
import type { CounterId } from './counters.ts';
import { mul, num, variable } from '../math/expr.ts';
import { eagerAttention, sparseMoe, type EagerAttention, type SparseMoe } from './tool-quantities.ts';
import { term, type Term } from './terms.ts';

/** A norm that is transformers' own module, not a torch.nn one: no tool's norm rule applies. */
export const isCustomNorm = (r: LayerReport): boolean => r.layer.type === 'RMSNorm';

const maskedMatmuls = (scale: number, eager: EagerAttention): Term =>
  term('torch.matmul over every (query, key) pair, masked ones included: h d_h (L_q L_k − K) per matmul, twice', scale, eager.maskedMacs, 'MACs');

/**
 * The terms a tool adds for a decoder layer kind beyond what its generic rules (counters.ts: module
 * dot products, biases, patched activations and softmax) give it. Empty for every other kind.
 */
export function decoderTerms(tool: CounterId, r: LayerReport): Term[] {
  const eager = eagerAttention(r);
  const moe = sparseMoe(r);
  switch (tool) {
    case 'ptflops':
      // torch.matmul (patched, prod(A) × B's last dim) and F.softmax (patched, numel) see the masked scores too.
      return eager ? [maskedMatmuls(1, eager), term('F.softmax (patched) over the masked scores too: 1 each', 1, eager.maskedScores, 'scores')] : [];
    case 'ptflops-aten':
      // aten.matmul on 4-d tensors runs aten.bmm: every pair.
      return eager ? [maskedMatmuls(1, eager)] : [];
    case 'fvcore':
      // matmul_flop_jit: every pair; aten::mul, add, softmax, pow, mean, rsqrt, silu: no handle.
      return eager ? [maskedMatmuls(1, eager)] : [];
    case 'calflops':
    case 'deepspeed':
      // torch.matmul is patched in both (2 FLOPs per MAC), F.softmax too (1 per element).
      return eager ? [maskedMatmuls(2, eager), term('F.softmax over the masked scores too: 1 each', 1, eager.maskedScores, 'scores')] : [];
    case 'torchprofile':
      return torchprofileTerms(r, eager, moe);
    default:
      return [];
  }
}

function torchprofileTerms(r: LayerReport, eager: EagerAttention | undefined, moe: SparseMoe | undefined): Term[] {
  if (isCustomNorm(r)) {
    const d = variable('d', r.layer.outputShape[r.layer.outputShape.length - 1]!, 'normalized features');
    const L = variable('L', r.layer.outputShape.slice(0, -1).reduce((a, b) => a * b, 1), 'tokens');
    const affine = (r.layer.args as { elementwise_affine: boolean }).elementwise_affine;
    return [
      term('LlamaRMSNorm: aten::mean of x², 1 per token', 1, L, 'tokens'),
      term(`LlamaRMSNorm: aten::mul, x × rsqrt(…)${affine ? ' and γ × x' : ''}: 1 per element each`, affine ? 2 : 1, mul(L, d), 'elements'),
    ];
  }
  if (eager) {
    return [
      maskedMatmuls(1, eager),
      term('aten::mul (the scores × scaling): 1 per score, masked ones included', 1, eager.computedScores, 'scores'),
      ...(eager.repeatsKv ? [term("aten::mul of traced shapes (repeat_kv's num_key_value_heads * n_rep, for k and v): 1 each", 2, num(1), 'ops')] : []),
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
