/**
 * Counting profiles: named bundles of conventions that reproduce a tool or a handout, so the
 * workbook can say why two tools print different totals for one model. `compareProfiles` shows
 * them side by side, each with what it includes and leaves out.
 *
 * The tools' profiles (thop, ptflops, torchprofile, fvcore, torchinfo, calflops, DeepSpeed,
 * torchvision) count by the tools' rules in `counters.ts`; each also says what the tool prints
 * and how its count differs from the standard one, term by term (`headlines.ts`).
 *
 * The thop profile reproduces the lab's BERT-base-cased count, 10,881,662,976 at sequence 128:
 * thop hooks nn.Linear (Q, K, V, output, FFN and QA head: 10,871,832,576 MACs) and nn.LayerNorm
 * (25 of them, 128 × 768 elements each, at 4 ops per element: 9,830,400), and does not see the
 * attention matmuls (torch.matmul inside BertSelfAttention, not modules: 301,989,888 MACs).
 */
import { add, mul, sum, variable, type Expr } from '../math/expr.ts';
import { texText } from '../math/latex.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Model } from '../model/define.ts';
import { analyze, type AnalyzeOptions, type LayerReport, type ModelReport } from './analyze.ts';
import type { Conventions } from './conventions.ts';
import { seedOps } from './operations.ts';
import { COUNTER_RULES, counterCompute, counterOncePerBatch, type CounterId } from './counters.ts';
import { differenceTerms, headline, type DifferenceTerm } from './headlines.ts';
import { PROFILE_IDS, type ProfileId } from './profile-ids.ts';

export { PROFILE_IDS, type ProfileId };

export interface CountingProfile {
  readonly id: ProfileId;
  readonly label: string;
  readonly description: string;
  /** What the compute count includes, one item per kind of work. */
  readonly includes: readonly string[];
  /** What it leaves out. */
  readonly excludes: readonly string[];
  readonly conventions: Partial<Conventions>;
  /** The unit of the profile's compute count. */
  readonly unit: 'MACs' | 'ops' | 'FLOPs';
  /** The tool whose count this is (`counters.ts`), for the tools' profiles. */
  readonly counter?: CounterId;
  /** The profile's compute count of one layer, per sample. */
  compute(report: LayerReport, conventions: Conventions): Expr;
  /** The part of a layer's count made once for the whole batch (torchinfo's position embeddings). */
  oncePerBatch?(report: LayerReport, model: ModelReport): Expr | undefined;
}

/** A tool's profile: its count is `counterCompute` under the tool's rules. */
function tool(id: CounterId & ProfileId, label: string, unit: 'MACs' | 'FLOPs', description: string, includes: string[], excludes: string[]): CountingProfile {
  const rules = COUNTER_RULES[id];
  return { id, label, description, includes, excludes, conventions: {}, unit, counter: id, compute: (r) => counterCompute(rules, r), oncePerBatch: (r, model) => counterOncePerBatch(rules, r, model) };
}

export const PROFILES: { readonly [K in ProfileId]: CountingProfile } = {
  standard: {
    id: 'standard',
    label: 'Standard MACs',
    description: 'Multiply-accumulates of conv, linear and matmul (attention included), as torchvision and the course count them.',
    includes: ['conv and linear MACs, without bias', 'attention projections and the score and value matmuls'],
    excludes: ['bias adds', 'normalization', 'activations', 'pooling', 'elementwise adds'],
    conventions: {},
    unit: 'MACs',
    compute: (r) => r.counts.macs,
  },
  thop: tool(
    'thop',
    'thop (ultralytics-thop 2.x)',
    'MACs',
    "What thop.profile returns as 'MACs' (printed with clever_format): forward hooks on leaf modules only.",
    [
      'Conv and Linear modules: MACs without bias (attention projections are Linear modules)',
      'BatchNorm, LayerNorm, GroupNorm: 2 per element, 4 with a scale and shift',
      'average pooling: 1 add per pooled input and 1 divide per output',
      'Softmax modules: 3n − 1 per row of n',
      'nn.MultiheadAttention (its own hook since 2.1, registered on PyTorch ≥ 2.0 only): projections and both matmuls without bias, and a softmax of 3n − 1 per row of n, with need_weights True or False',
      'LSTM, GRU (count_lstm, count_gru): per cell and step the gates\' MACs, 1 per gate output and 2 more with the biases b_ih and b_hh, and 4 per hidden unit',
      'ConvTranspose: the MACs (input positions × c_in × c_out/g × k), no bias',
      'Upsample modules: nearest 0, linear 5, bilinear 11 per output; PReLU: 1 per element',
      'nn.RMSNorm (registered on PyTorch ≥ 2.4): the norm rule, 2 per element, 4 with γ',
      'a language model\'s nn.Linear modules: q, k, v, o, the gated MLP\'s and the experts\' projections (the tokens routed to each), the router, lm_head (tied or not)',
    ],
    [
      'layers called as functions in forward (F.adaptive_avg_pool2d, F.interpolate, torch.matmul in BertSelfAttention, F.softmax): no module to hook',
      'LeakyReLU (zero_ops), Hardswish and Hardsigmoid (no rule), biases of Conv and ConvTranspose',
      'biases of nn.MultiheadAttention',
      'max pooling, activations, dropout, embeddings: 0',
      'residual adds and concatenation (not modules)',
      'transformers\' RMSNorm (a module of its own, no rule), causal attention\'s products and softmax (torch.matmul or F.scaled_dot_product_attention, not modules), nn.SiLU (no rule)',
    ],
  ),
  'thop-0.0.31': tool(
    'thop-0.0.31',
    'thop 0.0.31 (the pytorch-OpCounter README table)',
    'MACs',
    'The 2019 version whose table (ResNet-50 4.14 G, VGG-16 15.61 G) is still quoted: module hooks with older rules.',
    [
      'Conv: outputs × (c_i/g · k + 1 with a bias)',
      'Linear: outputs × (2n − 1), multiplies and adds',
      'BatchNorm: 4 per input element, affine or not',
      'AvgPool: outputs × (∏k + 1); AdaptiveAvgPool: outputs × (∏⌊in/out⌋ + 1)',
      'ConvTranspose (count_convNd, as for a conv): output elements × (c_i/g · k + 1 with a bias), not the MACs over the input positions',
      'LeakyReLU: 1 per element; Upsample: linear 5, bilinear 13 per output (nearest 0)',
      'its counts are float32 tensors: the total is the float32 sum of the layers\' counts',
    ],
    [
      'ReLU, ReLU6, MaxPool, Dropout, Softmax, LayerNorm, GroupNorm, PReLU: 0',
      'LSTM, GRU: no hook yet (2020), 0',
      'layers called as functions and matmuls outside modules: not seen',
      'nn.MultiheadAttention: 0 (only leaves are hooked; its out_proj never runs), and its in_proj parameters are left out of Params',
      'RMSNorm, causal attention\'s products and softmax: 0 (a tied lm_head\'s weight is counted again in Params: it adds up each leaf\'s parameters)',
    ],
  ),
  ptflops: tool(
    'ptflops',
    'ptflops (pytorch backend)',
    'MACs',
    "get_model_complexity_info(..., backend='pytorch'), printed in GMac: module hooks plus patched functionals and torch.matmul; the hooks' sum is divided by the batch, the patched calls' is not (at batch n, modules once and functionals n times).",
    [
      'Conv and Linear: MACs plus 1 per output for the bias',
      'attention matmuls (torch.matmul is patched)',
      'BatchNorm, GroupNorm: 1 per element, 2 when affine; LayerNorm: 1 per element (the hook doubles on `affine`, which LayerNorm does not have: it has elementwise_affine)',
      'ReLU, ReLU6, GELU modules: 1 per element; F.relu, F.gelu, F.silu: 1 more per element (nn.ReLU runs F.relu, so ReLU counts twice)',
      'pooling modules: 1 per input element, and the patched F.*pool* inside them 1 more',
      'softmax: 1 per element',
      'nn.MultiheadAttention: its hook (projections, matmuls, q scaling 1 per element, in_proj bias, out_proj bias whether or not bias=True, softmax 1 per score), plus, with need_weights=True, the patched torch.bmm and F.softmax inside it again',
      'LSTM, GRU (rnn_flops_counter_hook): the MACs, 10 (LSTM) or 7 (GRU) per hidden unit and step, and b_ih and b_hh, 1 each per gate output',
      'ConvTranspose: the MACs (input positions) and 1 per output element for the bias',
      'nn.Upsample: 1 per output of the first sample (its hook), and the patched F.interpolate inside it 1 more per output; F.interpolate called directly: 1 per output',
      'PReLU, LeakyReLU modules: 1 per element; nn.PReLU runs the patched F.prelu: 1 more',
      "the batch counter is the input's first dimension: for a sequence-first input (an LSTM, GRU or nn.MultiheadAttention without batch_first first), the module hooks are divided by the L time steps, not the batch",
      'causal attention, eager: torch.matmul over every (query, key) pair and F.softmax over every score, the masked ones included (h L_q L_k each, not the h K a token attends to); the router\'s F.softmax and F.silu in a gated MLP or the experts',
    ],
    [
      'embeddings, dropout, residual adds (x + y is not torch.add)',
      'Sigmoid, Tanh, Hardswish, Hardsigmoid, F.leaky_relu',
      'F.linear and F.conv2d called directly (not patched)',
      'F.scaled_dot_product_attention (nn.MultiheadAttention with need_weights=False: not patched, so nothing beyond the hook)',
      'causal attention with sdpa (transformers\' default): F.scaled_dot_product_attention is not patched, its score and value products and softmax are not counted',
      'transformers\' RMSNorm (no hook; pow, mean, rsqrt and `*` not patched)',
    ],
  ),
  'ptflops-aten': tool(
    'ptflops-aten',
    'ptflops (aten backend)',
    'MACs',
    "get_model_complexity_info(..., backend='aten'), the default: aten.convolution, mm, matmul, addmm and bmm.",
    [
      'conv, linear and matmul MACs (nn.MultiheadAttention: its F.linear, and its torch.bmm with need_weights=True)',
      'bias adds: 1 per output of a conv or linear with a bias (an aten.addmm: 2-D or contiguous 3-D input; the one-sample input ptflops builds); a transposed conv\'s per output element',
      'LSTM, GRU: aten.addmm twice a step, with b_ih and with b_hh: the MACs and 2 per gate output',
      'causal attention, eager: aten.bmm over every (query, key) pair, the masked ones included',
    ],
    [
      'normalization, activations (PReLU, LeakyReLU too), pooling, upsampling, softmax, elementwise adds',
      "nn.MultiheadAttention's q scaling and its mean of the weights over the heads",
      'with need_weights=False, F.scaled_dot_product_attention: on CPU (PyTorch ≥ 2.2) one aten._scaled_dot_product_flash_attention_for_cpu, no handle, so its score and value matmuls are not counted (vit_b_16: 16.86 GMac)',
      'causal attention with sdpa: the same kernel, no handle: its score and value products are not counted',
    ],
  ),
  torchprofile: tool(
    'torchprofile',
    'torchprofile (profile_macs)',
    'MACs',
    'profile_macs on the traced graph: conv, linear and matmul MACs, plus affine norms and average pools.',
    [
      'conv, linear and matmul MACs, without bias',
      'BatchNorm, LayerNorm, GroupNorm with a scale and shift: 1 per element',
      'average pooling and aten::mean: 1 per output',
      'tensor products (aten::mul: SE\'s s * x, nn.MultiheadAttention\'s q scaling): 1 per output',
      'nn.MultiheadAttention (PyTorch ≥ 2.1): aten::linear, aten::bmm, q scaling (1 per element) and the weights averaged over the heads (L² per sample); with need_weights=False aten::linear and aten::scaled_dot_product_attention (its two matmuls, the standard MACs) only',
      'aten::lstm: the MACs',
      'a transposed conv (aten::_convolution) as output elements × c_in × k (× c_out/g instead when c_out = c_in), not the MACs over the input positions',
      'aten::leaky_relu: 1 per output; aten::upsample_bilinear2d: 4 per output',
      'causal attention: the products over every (query, key) pair, masked ones included (aten::scaled_dot_product_attention\'s handler, or eager\'s aten::matmul and its aten::mul by the scaling, 1 per score); repeat_kv\'s traced shape product, 1 each for k and v when h_kv < h',
      'transformers\' RMSNorm: aten::mean 1 per token and aten::mul 2 per element; aten::mul in a gated MLP (act(gate) × up) and the experts (and their routing weights)',
    ],
    [
      'bias adds, other activations (PReLU, Hardswish), max pooling, nearest upsampling, softmax, elementwise adds',
      'norms without a scale and shift',
      'aten::gru (no handler: a warning, then skipped)',
    ],
  ),
  fvcore: tool(
    'fvcore',
    'fvcore (FlopCountAnalysis)',
    'MACs',
    'FlopCountAnalysis(model, x).total() on the traced graph, one flop per multiply-add; the model in eval mode.',
    [
      'conv, linear, matmul and einsum MACs, without bias',
      'BatchNorm (eval): 1 per element, 2 when affine; LayerNorm, GroupNorm: 4 per element, 5 when affine',
      'adaptive_avg_pool2d: 1 per input element',
      'nn.MultiheadAttention: aten::linear and aten::bmm, the standard MACs (with need_weights=False, aten::linear only)',
      'transposed convs: the MACs (input positions × the weight)',
      'upsample_nearest2d: 1 per output; upsample_bilinear2d: 4 per output (nn.Upsample and F.interpolate alike)',
      'causal attention, eager: aten::matmul over every (query, key) pair, the masked ones included',
    ],
    [
      'max pooling and avg_pool2d (no handle: a warning, then skipped)',
      'aten::lstm, aten::gru, 1-d upsampling (no handle: a warning, then skipped)',
      'activations (PReLU, LeakyReLU, Hardswish too), softmax, bias adds, elementwise adds',
      "nn.MultiheadAttention's aten::mul, softmax and mean (no handle: a warning, then skipped); with need_weights=False its aten::scaled_dot_product_attention (no handle), so its score and value matmuls",
      'causal attention with sdpa: aten::scaled_dot_product_attention (no handle), so its score and value products',
      'transformers\' RMSNorm (aten::pow, mean, rsqrt, mul: no handle)',
    ],
  ),
  torchinfo: tool(
    'torchinfo',
    'torchinfo (summary, main branch)',
    'MACs',
    "summary(model, input_size)'s Total mult-adds as torchinfo's main branch counts it (Linear per position since November 2024): each leaf module's parameters times its output positions.",
    [
      'Conv and Linear: (weights + biases) × output positions, so MACs plus 1 per output for the bias',
      'LSTM, GRU: time steps × their parameters, so MACs plus the biases at every step',
      'other modules with parameters (BatchNorm, LayerNorm, GroupNorm, PReLU, Embedding): batch × their parameters; position embeddings (a 1 × L lookup) once per batch',
      'ConvTranspose: (weights + biases) × output positions, not the MACs over the input positions',
      'a language model\'s Linears (attention projections, gated MLP, lm_head): MACs plus bias per output; the router and each expert on the rows of its tokens; transformers\' RMSNorm: batch × γ; a tied lm_head\'s weight once in Total params',
    ],
    [
      'matmuls outside modules (BertSelfAttention scores and values)',
      'causal attention\'s products and softmax (not modules, eager or sdpa)',
      "parameters that are no leaf module's (ViT's class_token and pos_embedding): no mult-adds and no forward/backward bytes",
      'nn.MultiheadAttention: 0 (not a leaf: out_proj is its child, and out_proj never runs)',
      'layers without parameters: activations, pooling, dropout',
      'layers called as functions',
    ],
  ),
  'torchinfo-1.8.0': tool(
    'torchinfo-1.8.0',
    'torchinfo 1.8.0 (the PyPI release)',
    'MACs',
    "What pip's torchinfo 1.8.0 (May 2023) prints as Total mult-adds: a Linear counted batch × its parameters, not per position.",
    [
      'Conv: (weights + biases) × output positions, so MACs plus 1 per output for the bias',
      'Linear (and BertSelfAttention\'s four): batch × (weights + biases), once per sample whatever the positions',
      'LSTM, GRU: time steps × their parameters',
      'other modules with parameters: batch × their parameters; position embeddings once per batch',
      'a language model\'s Linears on (L, E): batch × parameters (a tied lm_head\'s E V too); the experts and the router, on 2-d rows, the rows × parameters: their MACs',
      'a tied lm_head\'s weight twice in Total params and Params size (each leaf module\'s parameters are added up)',
      'Params size: the leaf modules that ran, so not the experts no token was sent to (transformers calls only the experts hit: one token runs k of n)',
    ],
    [
      'a Linear\'s positions beyond the first (a token sequence\'s other L − 1)',
      'matmuls outside modules; nn.MultiheadAttention: 0 (not a leaf)',
      'layers without parameters, layers called as functions',
      "from Params size: parameters of no leaf module that ran (nn.MultiheadAttention's, ViT's class_token and pos_embedding)",
    ],
  ),
  calflops: tool(
    'calflops',
    'calflops (calculate_flops)',
    'FLOPs',
    'calculate_flops(model, input_shape): patched torch.nn.functional and torch.matmul; FLOPs = 2 × MACs plus elementwise work.',
    [
      'conv, linear and matmul: 2 per MAC; conv bias 1 per output',
      'BatchNorm (eval): 2 per element when affine; LayerNorm, GroupNorm: 5 per element when affine',
      'F.relu, F.gelu, F.silu, F.relu6: 1 per element',
      'pooling: 1 per input element; softmax: 1 per element',
      'nn.MultiheadAttention: its F.linear projections (2 per MAC, no bias) and, with need_weights=True, F.softmax',
      'LSTM, GRU (_rnn_forward_hook): 2n − 1 per gate dot product of n, 10 (LSTM) or 7 (GRU) per hidden unit and step, and b_ih and b_hh, 1 each per gate output',
      'F.conv_transpose: 2 per MAC with c_out/g divided by g once more (weight.shape[1] is c_out/g already); its bias c_out/g per position of a conv\'s output size, ⌊(h + 2p − d(k − 1) − 1)/s⌋ + 1',
      'F.interpolate (nn.Upsample): 1 per input element (its × scale_factor is never assigned); with a size, ∏ size',
      'F.prelu, F.leaky_relu: 1 per element',
      'causal attention, eager: torch.matmul over every (query, key) pair (2 per MAC) and F.softmax over every score, the masked ones included',
    ],
    [
      'Linear bias adds',
      'nn.ReLU6 (it runs F.hardtanh, not patched), Sigmoid, Tanh, Hardswish, Hardsigmoid',
      'causal attention with sdpa: F.scaled_dot_product_attention not patched, its products and softmax not counted; transformers\' RMSNorm (pow, mean, rsqrt, `*` not patched)',
      'embeddings, dropout, residual adds',
      "torch.bmm (its patch is commented out): nn.MultiheadAttention's score and value matmuls",
      'F.scaled_dot_product_attention (not patched): with need_weights=False, the score and value matmuls and the softmax',
    ],
  ),
  deepspeed: tool(
    'deepspeed',
    "DeepSpeed's flops profiler",
    'FLOPs',
    'get_model_profile(model, input_shape): the rules calflops copied (patched functionals); FLOPs = 2 × MACs plus elementwise work.',
    [
      'conv, linear and matmul: 2 per MAC; conv bias 1 per output',
      'BatchNorm (eval): 2 per element when affine; LayerNorm: 5 per element when affine',
      'F.relu, F.gelu, F.silu, F.relu6: 1 per element; pooling: 1 per input element; softmax: 1 per element',
      'nn.MultiheadAttention: F.linear, and with need_weights=True torch.bmm (2 per MAC, no bias) and F.softmax; with need_weights=False F.scaled_dot_product_attention, patched on PyTorch ≥ 2.0: its two matmuls, 2 per MAC',
      'LSTM, GRU (_rnn_forward_hook): 2n − 1 per gate dot product of n, 10 (LSTM) or 7 (GRU) per hidden unit and step, and b_ih and b_hh, 1 each per gate output',
      'F.conv_transpose: as calflops (c_out/g divided by g once more; the bias over a conv\'s output size)',
      'F.interpolate (nn.Upsample): input elements × scale_factor^len(input), len(input) being the batch; with a size, ∏ size',
      'causal attention: F.scaled_dot_product_attention (patched) or eager\'s torch.matmul, 2 per MAC over every (query, key) pair, the masked ones included; eager\'s F.softmax over every score',
      'F.prelu, F.leaky_relu: 1 per element',
    ],
    [
      'Linear bias adds',
      'nn.ReLU6 (F.hardtanh), Sigmoid, Tanh, Hardswish, Hardsigmoid',
      'embeddings, dropout, residual adds',
      'the softmax inside F.scaled_dot_product_attention (need_weights=False)',
      'transformers\' RMSNorm (pow, mean, rsqrt, `*` not patched)',
    ],
  ),
  torchvision: tool(
    'torchvision',
    "torchvision's weight metadata",
    'MACs',
    "The `_ops` field of a torchvision weight's meta, printed as GFLOPS in its tables: conv and linear MACs, in billions.",
    ['conv and linear MACs, without bias (matmuls where a model has them, as vit_b_16\'s nn.MultiheadAttention: 17.564 GFLOPS)'],
    ['bias adds, normalization, activations, pooling, elementwise adds'],
  ),
  lectures: {
    id: 'lectures',
    label: 'Lectures (AlexNet table)',
    description: 'Bias ignored in the parameters, the input counted among the activations, MACs of conv and linear.',
    includes: ['conv, linear and matmul MACs', 'activations: the input and every layer output (not in-place ones)'],
    excludes: ['biases from the parameters', 'bias adds, normalization, activations, pooling'],
    conventions: { biasInParams: false, inputInActivations: true },
    unit: 'MACs',
    compute: (r) => r.counts.macs,
  },
  'seed001-non-pipelined': {
    id: 'seed001-non-pipelined',
    label: 'Seed 001, non-pipelined',
    description: 'Operations of a processor without fused multiply-add: n multiplies and n adds (bias included) per n-input neuron.',
    includes: ['2n per dot product of n terms with a bias (2n − 1 without)', 'h w − 1 comparisons per max-pool output'],
    excludes: ['normalization, activations, elementwise adds'],
    conventions: { operations: 'non-pipelined', poolingOps: true },
    unit: 'ops',
    compute: (r, c) => seedOps(r.work, c),
  },
  'seed001-fma': {
    id: 'seed001-fma',
    label: 'Seed 001, fused multiply-add',
    description: 'Operations of a pipelined processor with a fused multiply-add unit: n + 1 per n-input neuron.',
    includes: ['n + 1 per dot product of n terms with a bias (n without)', 'h w − 1 comparisons per max-pool output'],
    excludes: ['normalization, activations, elementwise adds'],
    conventions: { operations: 'fused-multiply-add', poolingOps: true },
    unit: 'ops',
    compute: (r, c) => seedOps(r.work, c),
  },
};

export interface ProfileTotals {
  readonly profile: CountingProfile;
  /** The full analysis under the profile's conventions. */
  readonly report: ModelReport;
  /** The profile's compute count for the whole batch. */
  readonly compute: Figure;
  /** Per layer, in the order of `report.layers`, for the whole batch. */
  readonly layerCompute: readonly Figure[];
  readonly params: Figure;
  readonly activations: Figure;
  readonly paramBytes: Figure;
  /** The standard count (conv, linear and matmul MACs) of the same analysis, whole batch. */
  readonly standard: Figure;
  /**
   * For a tool's profile, its count minus the standard count, term by term (they add up to it);
   * empty for the others.
   */
  readonly terms: readonly DifferenceTerm[];
  /** What the tool prints, in its units and rounding; empty for profiles that are not a tool. */
  readonly headline: readonly string[];
}

/** The options a profile analyzes a model under: the caller's, with the profile's conventions over them. */
export function profileOptions(profileId: ProfileId, options: AnalyzeOptions = {}): AnalyzeOptions {
  const profile = PROFILES[profileId];
  if (!profile) throw new RangeError(`unknown profile '${profileId}'; allowed: ${PROFILE_IDS.join(', ')}`);
  return { ...options, conventions: { ...options.conventions, ...profile.conventions } };
}

/**
 * The profile's compute count of every layer and in total. `analyzed` is the analysis under
 * `profileOptions(profileId, options)` when the caller has it already (several profiles without
 * conventions of their own, thop and fvcore, count one and the same analysis).
 */
export function profileTotals(model: Model, profileId: ProfileId, options: AnalyzeOptions = {}, analyzed?: ModelReport): ProfileTotals {
  const profile = PROFILES[profileId];
  const report = analyzed ?? analyze(model, profileOptions(profileId, options));
  const symbol = (id: string) => `\\text{${texText(profile.unit)}}_{\\text{${texText(id)}}}`;
  const layers = report.layers;
  const wholes = new Array<Expr>(layers.length);
  const nonZero: Expr[] = [];
  for (let i = 0; i < layers.length; i++) {
    const r = layers[i]!;
    const perSample = profile.compute(r, report.conventions);
    const once = profile.oncePerBatch?.(r, report);
    const batch = report.batch === 1 ? perSample : mul(variable('n', report.batch, 'batch size'), perSample);
    const whole = !once ? batch : perSample.value === 0 ? once : add(batch, once);
    wholes[i] = whole;
    if (whole.value !== 0) nonZero.push(whole);
  }
  const compute = sum(`\\sum_\\ell \\text{${texText(profile.unit)}}_\\ell`, nonZero);
  let layerCompute: Figure[] | undefined;
  let terms: DifferenceTerm[] | undefined;
  let printed: string[] | undefined;
  return {
    profile,
    report,
    compute: figure(`\\text{${texText(profile.unit)}}_{\\text{${texText(profile.id)}}}`, `${profile.label} count`, profile.unit, compute),
    // The layers' figures around their expressions, made when first read (an answer reads the total).
    get layerCompute() {
      return (layerCompute ??= wholes.map((whole, i) => figure(symbol(layers[i]!.layer.id), `${profile.label} count`, profile.unit, whole)));
    },
    params: report.totals.params,
    activations: report.totals.activations,
    paramBytes: report.totals.paramBytes,
    standard: report.totals.macs,
    // Built when first read: answers read the count, pages and the CLI the terms and the headline.
    get terms() {
      return (terms ??= profile.counter ? differenceTerms(profile.counter, report) : []);
    },
    get headline() {
      return (printed ??= profile.counter ? headline(profile.counter, compute.value, report) : []);
    },
  };
}

/** Totals under several profiles side by side (all of them by default). */
export function compareProfiles(model: Model, options: AnalyzeOptions = {}, ids: readonly ProfileId[] = PROFILE_IDS): ProfileTotals[] {
  return ids.map((id) => profileTotals(model, id, options));
}
