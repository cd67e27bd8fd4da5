/**
 * llm-analysis (cli99/llm-analysis, read at d841e40aec8c): what its `infer` computes for one GPU
 * (no tensor, pipeline or data parallelism), rule by rule, in the order its Python evaluates them,
 * so the workbook can print the tool's figures and say where they part from the standard ones.
 *
 * Its rules, from `llm_analysis/config.py` and `analysis.py`:
 * - a Hub config becomes its `ModelConfig` in `get_model_config_from_hf`: the MLP is gated only when
 *   `intermediate_size / hidden_size == 3.5`; for any other ratio the flag is never assigned and
 *   the function raises `UnboundLocalError` (Llama-2's 11,008 / 4,096, Llama-3.2's 8,192 / 2,048);
 *   `num_local_experts` is read, `num_experts_per_tok` is not (top-k stays 1); `head_dim` is not read;
 * - parameters: attention 2h² + 2h·(h·kv/heads), MLP (3 or 2)·h·ffn·experts, a router of h·experts,
 *   two norms of h per layer and a last one, and the embedding once (`shared_embedding=True`): an
 *   untied output layer is not counted; no biases;
 * - weight memory: every layer's parameters (norms too) at the weight bits, the embedding at the
 *   embedding bits; no scales or zero points;
 * - KV cache: 2 · batch · (prompt + generated) · (hidden / heads) · kv heads · bytes, per layer;
 * - a forward pass is, per layer, max(compute, weights + activations) of attention and of the MLP
 *   (plus two all-to-alls for a mixture), two norms, then the embedding table read whole and the
 *   logits as compute only; a decode step is that pass on one token plus 2 × its KV cache over the
 *   bandwidth (read and written);
 * - peak: its FP16 entry unless weights and activations are both 8 or 4 bits.
 */

/** One of its `gpu_configs/*.json` (values as the files write them). */
export interface AnalysisGpu {
  readonly name: string;
  readonly mem_per_GPU_in_GB: number;
  readonly hbm_bandwidth_in_GB_per_sec: number;
  readonly intra_node_bandwidth_in_GB_per_sec: number;
  readonly peak_fp16_TFLOPS: number;
  readonly peak_i8_TFLOPS: number;
  readonly peak_i4_TFLOPS: number;
}

const gpu = (name: string, mem: number, hbm: number, intra: number, fp16: number, i8: number, i4: number): AnalysisGpu => ({
  name,
  mem_per_GPU_in_GB: mem,
  hbm_bandwidth_in_GB_per_sec: hbm,
  intra_node_bandwidth_in_GB_per_sec: intra,
  peak_fp16_TFLOPS: fp16,
  peak_i8_TFLOPS: i8,
  peak_i4_TFLOPS: i4,
});

/** Its table, for the devices the workbook compares. */
export const ANALYSIS_GPUS: Readonly<Record<string, AnalysisGpu>> = {
  'a100-sxm-40gb': gpu('a100-sxm-40gb', 40, 1555, 300, 312, 624, 1248),
  'a100-sxm-80gb': gpu('a100-sxm-80gb', 80, 2039, 300, 312, 624, 1248),
  'h100-sxm-80gb': gpu('h100-sxm-80gb', 80, 3350, 450, 989, 1979, 3958),
  'h100-pcie-80gb': gpu('h100-pcie-80gb', 80, 2000, 300, 756, 1513, 3026),
  'a6000-48gb': gpu('a6000-48gb', 48, 768, 56.25, 154.8, 309.6, 619.2),
};

/** Its `ModelConfig`, after `__post_init__`. */
export interface AnalysisModel {
  readonly name: string;
  readonly num_layers: number;
  readonly n_head: number;
  readonly hidden_dim: number;
  readonly vocab_size: number;
  readonly max_seq_len?: number | null;
  readonly num_key_value_heads: number;
  readonly ffn_embed_dim: number;
  readonly expansion_ratio: number;
  readonly moe_num_experts: number;
  readonly moe_top_k: number;
  readonly mlp_gated_linear_units: boolean;
}

/** A config as its JSON files (model_configs/*.json) write it. */
export interface AnalysisModelJson {
  readonly name: string;
  readonly num_layers: number;
  readonly n_head: number;
  readonly hidden_dim: number;
  readonly vocab_size: number;
  readonly max_seq_len?: number | null;
  readonly num_key_value_heads?: number | null;
  readonly ffn_embed_dim?: number | null;
  readonly expansion_ratio?: number | null;
  readonly moe_num_experts?: number;
  readonly moe_top_k?: number;
  readonly mlp_gated_linear_units?: boolean;
}

/** A failure of the tool, as Python prints it (`Type: message`). */
export class AnalysisError extends Error {
  readonly pythonType: string;
  constructor(pythonType: string, message: string) {
    super(`${pythonType}: ${message}`);
    this.pythonType = pythonType;
    this.name = 'AnalysisError';
  }
}

/** `ModelConfig.__post_init__`. */
export function analysisModel(c: AnalysisModelJson): AnalysisModel {
  let ffn = c.ffn_embed_dim ?? null;
  let ratio = c.expansion_ratio ?? null;
  if (ffn === null && ratio === null) {
    ffn = c.hidden_dim * 4;
    ratio = 4;
  } else if (ffn === null) ffn = c.hidden_dim * ratio!;
  else if (ratio === null) ratio = ffn / c.hidden_dim;
  const kv = c.num_key_value_heads ?? c.n_head;
  if (c.n_head % kv !== 0) throw new AnalysisError('AssertionError', `n_head (${c.n_head}) must be divisible by num_key_value_heads (${kv})`);
  return {
    name: c.name,
    num_layers: c.num_layers,
    n_head: c.n_head,
    hidden_dim: c.hidden_dim,
    vocab_size: c.vocab_size,
    max_seq_len: c.max_seq_len ?? null,
    num_key_value_heads: kv,
    ffn_embed_dim: ffn,
    expansion_ratio: ratio!,
    moe_num_experts: c.moe_num_experts ?? 1,
    moe_top_k: c.moe_top_k ?? 1,
    mlp_gated_linear_units: c.mlp_gated_linear_units ?? false,
  };
}

/** The attributes `get_model_config_from_hf` reads from `AutoConfig.from_pretrained(name)`. */
export interface AnalysisHubConfig {
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly hidden_size: number;
  readonly vocab_size: number;
  readonly max_position_embeddings?: number;
  readonly num_key_value_heads?: number;
  readonly num_local_experts?: number;
  /** Absent for a class without it (GPT2Config: `n_inner` is not read). */
  readonly intermediate_size?: number | null;
}

/** `get_model_config_from_hf`: the 3.5 rule and its UnboundLocalError. */
export function analysisModelFromHub(name: string, hf: AnalysisHubConfig): AnalysisModel {
  const ffn = hf.intermediate_size ?? null;
  let gated: boolean | undefined;
  if (ffn) {
    if (ffn / hf.hidden_size === 3.5) gated = true;
  } else gated = false;
  if (gated === undefined) throw new AnalysisError('UnboundLocalError', "cannot access local variable 'mlp_gated_linear_units' where it is not associated with a value");
  return analysisModel({
    name: name.replaceAll('/', '_'),
    max_seq_len: hf.max_position_embeddings ?? null,
    num_layers: hf.num_hidden_layers,
    n_head: hf.num_attention_heads,
    hidden_dim: hf.hidden_size,
    ffn_embed_dim: ffn,
    vocab_size: hf.vocab_size,
    num_key_value_heads: hf.num_key_value_heads ?? null,
    moe_num_experts: hf.num_local_experts ?? 1,
    mlp_gated_linear_units: gated,
  });
}

export interface AnalysisOptions {
  readonly batch: number;
  readonly seqLen: number;
  readonly generate: number;
  readonly weightBits: number;
  /** Default 16 (its dtype configs' `a16`). */
  readonly activationBits?: number;
  /** Default 16 (`e16`). */
  readonly embeddingBits?: number;
  /** `kv_cache_dtype_bytes`; default the activation bytes. */
  readonly kvCacheBytesPerValue?: number;
}

/** The figures of its summary dict the workbook compares (seconds and bytes, as it computes them). */
export interface AnalysisSummary {
  readonly num_params_total: number;
  readonly num_active_params_total: number;
  readonly weight_memory_per_gpu: number;
  readonly weight_memory_embedding_per_gpu: number;
  readonly kv_cache_memory_per_gpu: number;
  readonly prefill_activation_memory_per_gpu: number;
  readonly prefill_latency: number;
  readonly decode_latency: number;
  readonly total_decode_latency: number;
  readonly total_latency: number;
  readonly prefill_tokens_per_sec: number;
  readonly decode_tokens_per_sec: number;
  readonly total_tokens_per_sec: number;
  /** Parts of a decode step, for the terms: the embedding table read, the KV cache read and written. */
  readonly decode_input_embedding_latency: number;
  readonly kv_cache_latency: number;
  /** A mixture's two all-to-alls per layer in a decode step, over its intra-node link (0 without experts). */
  readonly decode_alltoall_latency: number;
}

export const ANALYSIS_FIGURES = [
  'num_params_total',
  'num_active_params_total',
  'weight_memory_per_gpu',
  'weight_memory_embedding_per_gpu',
  'kv_cache_memory_per_gpu',
  'prefill_activation_memory_per_gpu',
  'prefill_latency',
  'decode_latency',
  'total_decode_latency',
  'total_latency',
  'prefill_tokens_per_sec',
  'decode_tokens_per_sec',
  'total_tokens_per_sec',
] as const;

/** Python's `int / int` on integers that may pass 2^53: the exactly rounded quotient. */
function intDiv(a: bigint, b: number): number {
  return b === 1 ? Number(a) : Number(a) / b;
}

/** Its `_num_to_string(num, precision=2, divisor=1024)`: binary units, as it prints memory ("13.24 G"). */
export function analysisNumber(num: number, precision = 2, divisor = 1024): string {
  const sign = num < 0 ? '-' : '';
  const n = Math.abs(num);
  const r = (x: number) => pyStr(pyRound(x, precision));
  if (Math.floor(n / divisor ** 4) > 0) return `${sign}${r(n / divisor ** 4)} T`;
  if (Math.floor(n / divisor ** 3) > 0) return `${sign}${r(n / divisor ** 3)} G`;
  if (Math.floor(n / divisor ** 2) > 0) return `${sign}${r(n / divisor ** 2)} M`;
  if (Math.floor(n / divisor) > 0) return `${sign}${r(n / divisor)} K`;
  return `${sign}${pyStr(n)}`;
}

/** Its `_latency_to_string(latency_in_s, precision=2)` ("6.73 ms"). */
export function analysisLatency(seconds: number, precision = 2): string {
  const r = (x: number) => pyStr(pyRound(x, precision));
  if (Math.floor(seconds / 86400) > 0) return `${r(seconds / 86400)} days`;
  if (Math.floor(seconds / 3600) > 0) return `${r(seconds / 3600)} hours`;
  if (Math.floor(seconds / 60) > 0) return `${r(seconds / 60)} minutes`;
  if (seconds > 1) return `${r(seconds)} s`;
  if (seconds > 1 / 1000) return `${r(seconds / (1 / 1000))} ms`;
  return `${r(seconds / (1 / 1000000))} us`;
}

/** Python's round(x, n) for the values printed here (no exact ties at two decimals). */
function pyRound(x: number, n: number): number {
  return Number(x.toFixed(n));
}
/** Python's str() of a float: shortest repr, with ".0" on integers. */
function pyStr(x: number): string {
  return Number.isInteger(x) ? `${x}.0` : String(x);
}

/** `LLMAnalysis.inference` on one GPU with flops and HBM efficiency 1 (ideal), use_kv_cache. */
export function analysisInfer(m: AnalysisModel, g: AnalysisGpu, o: AnalysisOptions): AnalysisSummary {
  const { batch: b, seqLen: s, generate } = o;
  const wbits = o.weightBits;
  const abits = o.activationBits ?? 16;
  const ebits = o.embeddingBits ?? 16;
  const h = m.hidden_dim;
  const V = m.vocab_size;
  const L = m.num_layers;
  const tp = 1;
  const higher = Math.max(wbits, abits);
  if (![4, 8, 16].includes(higher)) throw new AnalysisError('AssertionError', 'weight_bits and activation_bits must be 4, 8, or 16');
  const tflops = higher === 4 ? g.peak_i4_TFLOPS : higher === 8 ? g.peak_i8_TFLOPS : g.peak_fp16_TFLOPS; // × flops_efficiency 1
  const flopsPerS = tflops * 10 ** 12;
  const bwPerS = g.hbm_bandwidth_in_GB_per_sec * 10 ** 9; // × hbm_memory_efficiency 1
  const intraPerS = g.intra_node_bandwidth_in_GB_per_sec * 1.0 * 10 ** 9;
  const actBytes = abits / 8;

  // Parameters.
  const kvHeads = Math.max(m.num_key_value_heads / tp, 1) * tp;
  const attnParams = 2 * h ** 2 + 2 * h * ((h * kvHeads) / m.n_head);
  const mlpParams = (m.mlp_gated_linear_units ? 3 : 2) * h * m.ffn_embed_dim * m.moe_num_experts;
  const routerParams = m.moe_num_experts > 1 ? h * m.moe_num_experts : 0;
  const normParams = 2 * h;
  const perLayer = attnParams + mlpParams + routerParams + normParams;
  const activePerLayer = attnParams + (mlpParams * m.moe_top_k) / m.moe_num_experts + routerParams + normParams;
  const embeddingParams = h * V;
  const num_params_total = L * perLayer + embeddingParams + h;
  const num_active_params_total = L * activePerLayer + embeddingParams + h;

  if (m.max_seq_len != null && !(s <= m.max_seq_len)) throw new AnalysisError('AssertionError', `seq_len must be less than model max_seq_len (${m.max_seq_len})`);
  const kvBytes = o.kvCacheBytesPerValue ?? actBytes;

  // Weight memory.
  const weight_memory_embedding_per_gpu = (embeddingParams / tp) * (ebits / 8);
  const wAttn = (attnParams * wbits) / 8 / tp / 1;
  const wMlp = ((mlpParams / 1 + routerParams) * wbits) / 8 / tp / 1;
  const wNorm = (normParams * wbits) / 8 / 1;
  const wLayers = (wAttn + wMlp + wNorm) * L;
  const wLast = (h * wbits) / 8 / tp;
  const weight_memory_per_gpu = wLayers + weight_memory_embedding_per_gpu + wLast;
  const memoryLeft = g.mem_per_GPU_in_GB * 1024 ** 3 - weight_memory_per_gpu;
  if (!(memoryLeft > 0)) throw new AnalysisError('AssertionError', `model is too large (requiring ${analysisNumber(weight_memory_per_gpu)}B) to fit in total GPU memory`);

  // Activations (inference: the largest buffer).
  const actAttn = (bb: number, ss: number) => {
    const compute = ((2 * ss * bb * h + 4 * m.n_head * ss * bb) * actBytes) / tp;
    return Math.max((3 * actBytes * ss * bb * h) / tp, compute);
  };
  const actMlp = (bb: number, ss: number) => (Math.max(actBytes, actBytes * m.expansion_ratio) * ss * bb * h * m.moe_top_k) / tp;
  const actNorm = (bb: number, ss: number, bytes: number) => ((ss * bb * h) / 1) * bytes;
  const actLayer = (bb: number, ss: number) => Math.max(actAttn(bb, ss), actMlp(bb, ss), actNorm(bb, ss, 2));
  const actOut = (bb: number, ss: number) => (V * bb * ss * abits) / 8 / tp;
  const prefill_activation_memory_per_gpu = Math.max(actLayer(b, s), actOut(b, s));
  if (!(memoryLeft > prefill_activation_memory_per_gpu)) {
    const max1 = Math.floor(memoryLeft / Math.max(actLayer(1, s), actOut(1, s)));
    throw new AnalysisError('AssertionError', `prefill activation memory is too large with batch_size_per_gpu = ${b} to fit in GPU memory(requiring ${analysisNumber(prefill_activation_memory_per_gpu)}B), memory_left after fitting in model weights: ${analysisNumber(memoryLeft)}B, prefill_max_batch_size_per_gpu: ${max1}`);
  }

  // FLOPs (only checked: with MHA it asserts its total is within 1 % of 24·b·L·s·h²(1 + s/6h + V/12Lh)).
  const groups = m.n_head / m.num_key_value_heads;
  const flopsAttn = (bb: number, ss: number) => 4 * bb * ss * h ** 2 + (4 * bb * ss * h ** 2) / groups + 4 * bb * ss ** 2 * h;
  const flopsMlp = (bb: number, ss: number) => (m.mlp_gated_linear_units ? 6 : 4) * bb * ss * h ** 2 * m.expansion_ratio;
  const logits = (bb: number, ss: number) => BigInt(2 * bb * ss) * BigInt(h) * BigInt(V);
  const checkFlops = (bb: number, ss: number) => {
    if (groups !== 1) return;
    const total = (flopsAttn(bb, ss) + flopsMlp(bb, ss)) * L + Number(logits(bb, ss));
    const target = 24 * bb * L * ss * h ** 2 * (1 + ss / (6 * h) + V / (12 * L * h));
    if (!(Math.abs(total - target) / target < 0.01)) throw new AnalysisError('AssertionError', '');
  };
  checkFlops(b, s);

  // A forward pass: per layer max(compute, memory) of attention and the MLP, two norms; embeddings.
  const forward = (bb: number, ss: number) => {
    const attnCompute = flopsAttn(bb, ss) / tp / flopsPerS;
    const attnMemory = (attnParams * wbits) / 8 / tp / bwPerS + actAttn(bb, ss) / bwPerS;
    const attn = Math.max(attnCompute, attnMemory);
    const mlpCompute = flopsMlp(bb, ss) / tp / flopsPerS;
    const mlpMemory = ((mlpParams / 1) * wbits) / 8 / tp / bwPerS + actMlp(bb, ss) / bwPerS;
    const alltoall = m.moe_num_experts > 1 ? 2 * ((m.moe_top_k * bb * ss * h * abits) / 8 / intraPerS) : 0;
    const mlp = Math.max(mlpCompute, mlpMemory) + alltoall;
    // Its norm latency reads the activation at its default 4 bytes (layernorm_dtype_bytes is not passed on).
    const norm = Math.max((ss * bb * h * 5) / flopsPerS, actNorm(bb, ss, 4) / bwPerS);
    const layer = Math.max(attn + mlp + 2 * norm + 2 * 0, 0);
    const layers = layer * L;
    const input = (V * h * (ebits / 8)) / bwPerS + 0;
    const output = intDiv(logits(bb, ss), tp) / 1 / flopsPerS;
    return { total: layers + input + output, input, alltoall: alltoall * L };
  };
  const prefill_latency = forward(b, s).total;

  const kv_cache_memory_per_gpu = 2 * b * (s + generate) * (h / m.n_head) * Math.max(m.num_key_value_heads / tp, 1) * kvBytes * L;
  const kv_cache_latency = (2 * kv_cache_memory_per_gpu) / bwPerS;
  const decodeAct = Math.max(actLayer(b, 1), actOut(b, 1));
  if (!(memoryLeft > kv_cache_memory_per_gpu + decodeAct)) {
    const maxB = Math.floor(memoryLeft / ((decodeAct + kv_cache_memory_per_gpu) / b));
    throw new AnalysisError('AssertionError', `kv_cache and activation memory with batch_size_per_gpu = ${b} is too large to fit in GPU memory (requiring ${analysisNumber(kv_cache_memory_per_gpu + decodeAct)}B), memory_left after fitting in model weights: ${analysisNumber(memoryLeft)}B, decode_max_batch_size_per_gpu: ${maxB}`);
  }
  checkFlops(b, 1);
  const step = forward(b, 1);
  const decode_latency = step.total + kv_cache_latency;
  const total_decode_latency = decode_latency * generate;
  const totalPerToken = (prefill_latency + total_decode_latency) / generate;
  return {
    num_params_total,
    num_active_params_total,
    weight_memory_per_gpu,
    weight_memory_embedding_per_gpu,
    kv_cache_memory_per_gpu,
    prefill_activation_memory_per_gpu,
    prefill_latency,
    decode_latency,
    total_decode_latency,
    total_latency: prefill_latency + decode_latency * generate,
    prefill_tokens_per_sec: (b * s) / prefill_latency,
    decode_tokens_per_sec: (b * 1) / decode_latency,
    total_tokens_per_sec: b / totalPerToken,
    decode_input_embedding_latency: step.input,
    decode_alltoall_latency: step.alltoall,
    kv_cache_latency,
  };
}
