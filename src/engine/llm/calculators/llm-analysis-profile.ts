/**
 * llm-analysis's profile: its figures for the workbook's analysis (read through its own Hub-config
 * rule), and the terms between them and the standard figures. See llm-analysis.ts for its rules.
 */
import type { HardwareProfile } from '../../hardware/profile.ts';
import type { LlmAnalysis } from '../analysis.ts';
import type { LlmArch } from '../../hf/arch.ts';
import { llmOnHardware } from '../hardware.ts';
import type { CalculatorProfile, CalculatorTerm } from './index.ts';
import { ANALYSIS_GPUS, AnalysisError, analysisInfer, analysisLatency, analysisModelFromHub, type AnalysisGpu, type AnalysisHubConfig } from './llm-analysis.ts';

export const ANALYSIS_COMMIT = 'd841e40aec8c84b9e76ba9cfbce67418adb172bd';

/** The workbook's device ids that its gpu_configs have an entry for. */
export const ANALYSIS_DEVICES: Readonly<Record<string, string>> = {
  'nvidia-a100-sxm4-80gb': 'a100-sxm-80gb',
  'nvidia-a100-sxm4-40gb': 'a100-sxm-40gb',
  'nvidia-h100-sxm5-80gb': 'h100-sxm-80gb',
  'nvidia-h100-pcie-80gb': 'h100-pcie-80gb',
  'nvidia-rtx-a6000': 'a6000-48gb',
};

/**
 * What `AutoConfig.from_pretrained` gives its Hub reader for this architecture: GPT2Config has no
 * `intermediate_size` (its `n_inner` is not read) and no `num_key_value_heads`.
 */
export function hubConfigOf(arch: LlmArch): AnalysisHubConfig {
  const gpt2 = arch.modelType === 'gpt2';
  return {
    num_hidden_layers: arch.layers,
    num_attention_heads: arch.heads,
    hidden_size: arch.hidden,
    vocab_size: arch.vocab,
    ...(arch.maxPositions !== undefined ? { max_position_embeddings: arch.maxPositions } : {}),
    ...(gpt2 ? {} : { num_key_value_heads: arch.kvHeads, intermediate_size: arch.intermediate }),
    ...(arch.moe ? { num_local_experts: arch.moe.experts } : {}),
  };
}

function roofOf(hardware: HardwareProfile, g: AnalysisGpu): HardwareProfile {
  const src = { source: `llm-analysis gpu_configs/${g.name}.json` };
  return {
    ...hardware,
    peakOpsPerS: { fp16: { value: g.peak_fp16_TFLOPS * 1e12, ...src }, bf16: { value: g.peak_fp16_TFLOPS * 1e12, ...src }, int8: { value: g.peak_i8_TFLOPS * 1e12, ...src } },
    memoryBandwidthBytesPerS: { value: g.hbm_bandwidth_in_GB_per_sec * 1e9, ...src },
  };
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 4 });

export function analysisProfile(llm: LlmAnalysis, hardware: HardwareProfile): CalculatorProfile | { why: string } {
  const arch = llm.import.arch;
  const entry = ANALYSIS_DEVICES[hardware.id];
  if (!entry) return { why: `its gpu_configs have no entry for ${hardware.name}` };
  const g = ANALYSIS_GPUS[entry]!;
  if (llm.weights.kind === 'ggml') return { why: 'it has no llama.cpp block formats' };
  const wbits = llm.weights.bits;
  if (![4, 8, 16].includes(wbits)) return { why: `its dtype configs have 4-, 8- and 16-bit weights, not ${wbits}` };
  const dtype = `w${wbits}a16e16`;
  // One call of its infer: the prompt, then the tokens up to the decode step's context.
  const seqLen = llm.prompt;
  const generate = Math.max(1, llm.context - llm.prompt);
  let r;
  let model;
  try {
    model = analysisModelFromHub(llm.name, hubConfigOf(arch));
    r = analysisInfer(model, g, { batch: llm.batch, seqLen, generate, weightBits: wbits, kvCacheBytesPerValue: llm.kvBits / 8 });
  } catch (e) {
    if (!(e instanceof AnalysisError)) throw e;
    const why = e.pythonType === 'UnboundLocalError'
      ? ` (its Hub-config reader sets the gated-MLP flag only when intermediate / hidden is exactly 3.5; here ${fmt(arch.intermediate)} / ${fmt(arch.hidden)} = ${fmt(arch.intermediate / arch.hidden)})`
      : '';
    return { why: `its infer raises ${e.message}${why}` };
  }

  const terms: CalculatorTerm[] = [];
  const push = (figure: CalculatorTerm['figure'], name: string, value: number) => {
    if (value !== 0) terms.push({ figure, name, value });
  };

  // Weights, bucket by bucket: the output layer, the embedding, the norms, then the layers' rest.
  const std = llm.weightBytes.value;
  const bytesOf = (types: readonly string[]) => llm.layerWeights.filter((w) => types.includes(w.layer.layer.type)).reduce((n, w) => n + w.bytes.value, 0);
  const norms = ['RMSNorm', 'LayerNorm'];
  const lmHead = bytesOf(['LMHead']);
  push('weightBytes', 'output layer left out (it counts the embedding once, as if tied)', -lmHead);
  const embStd = bytesOf(['Embedding']);
  const embTool = r.weight_memory_embedding_per_gpu;
  const embWhy = [arch.learnedPositions ? 'learned positions left out' : '', llm.weights.kind === 'bits' && wbits !== 16 ? 'kept at 16 bits (its e16)' : ''].filter(Boolean);
  push('weightBytes', `embedding${embWhy.length ? `: ${embWhy.join(', ')}` : ' as it counts it'}`, embTool - embStd);
  const normTool = ((2 * arch.hidden * wbits) / 8) * arch.layers + (arch.hidden * wbits) / 8;
  push('weightBytes', `norms: one weight vector of hidden each (${2 * arch.layers + 1}), at the weight bits`, normTool - bytesOf(norms));
  const layersStd = std - lmHead - embStd - bytesOf(norms);
  const layersTool = r.weight_memory_per_gpu - embTool - normTool;
  const layerWhy = [
    llm.weights.kind === 'group' ? 'no group scales or zero points' : '',
    arch.qkvBias || arch.outBias || arch.mlpBias ? 'no biases' : '',
    model.mlp_gated_linear_units !== (arch.mlp === 'gated') ? `MLP taken as ${model.mlp_gated_linear_units ? 'gated' : 'plain'}` : '',
  ].filter(Boolean);
  push('weightBytes', `attention and MLP${layerWhy.length ? `: ${layerWhy.join(', ')}` : ' as it counts them'}`, layersTool - layersStd);

  // KV cache: the window it ignores, the tokens it holds, the head size it takes.
  const perToken = llm.kvCacheBytesPerToken.value;
  const windowless = llm.batch * llm.context * perToken;
  push('kvCacheBytes', 'sliding window ignored', windowless - llm.kvCacheBytes.value);
  const held = llm.batch * (seqLen + generate) * perToken;
  push('kvCacheBytes', `its cache holds seq_len + generated = ${fmt(seqLen + generate)} tokens, not ${fmt(llm.context)}`, held - windowless);
  push('kvCacheBytes', `head size taken as hidden / heads = ${fmt(arch.hidden / arch.heads)}, not ${llm.geometry.headDim}`, r.kv_cache_memory_per_gpu - held);

  // Times: the standard stages on its device table, then its own way of summing.
  const onStd = llmOnHardware(llm, hardware);
  const onTool = llmOnHardware(llm, roofOf(hardware, g));
  const prefillMs = r.prefill_latency * 1e3;
  const decodeMs = r.decode_latency * 1e3;
  const table = `its device table (${(g.hbm_bandwidth_in_GB_per_sec / 1e3).toFixed(3)} TB/s, ${g.peak_fp16_TFLOPS} TFLOP/s)`;
  push('prefillMs', table, onTool.ttftMs.value - onStd.ttftMs.value);
  terms.push({ figure: 'prefillMs', name: 'its forward pass: per layer max(compute, weights + activations) of attention and of the MLP, norms read at 4 bytes, the whole embedding table read, logits as compute only', value: prefillMs - onTool.ttftMs.value });
  push('decodeMsPerToken', table, onTool.tpotMs.value - onStd.tpotMs.value);
  const embRead = r.decode_input_embedding_latency * 1e3;
  const kvRead = r.kv_cache_latency * 1e3;
  push('decodeMsPerToken', 'the whole embedding table read each step', embRead);
  push('decodeMsPerToken', 'its KV cache read and written in full each step (2 × its cache)', kvRead);
  const alltoall = r.decode_alltoall_latency * 1e3;
  push('decodeMsPerToken', `two all-to-alls per layer for the experts, over its ${g.intra_node_bandwidth_in_GB_per_sec} GB/s link between GPUs`, alltoall);
  terms.push({ figure: 'decodeMsPerToken', name: `the rest of its one-token pass (per layer max(compute, weights + activations)${model.moe_num_experts > 1 ? `, all ${model.moe_num_experts} experts' weights read` : ''}, logits as compute only, no output layer read) against the standard step`, value: decodeMs - onTool.tpotMs.value - embRead - kvRead - alltoall });

  return {
    id: 'llm-analysis',
    tool: 'llm-analysis',
    repository: 'cli99/llm-analysis',
    commit: ANALYSIS_COMMIT,
    device: entry,
    weightBytes: r.weight_memory_per_gpu,
    kvCacheBytes: r.kv_cache_memory_per_gpu,
    prefillMs,
    decodeMsPerToken: decodeMs,
    printed: { prefill: analysisLatency(r.prefill_latency), decode: analysisLatency(r.decode_latency) },
    input: `infer(model_name=${JSON.stringify(llm.name)}, gpu_name=${JSON.stringify(entry)}, dtype_name=${JSON.stringify(dtype)}, batch_size_per_gpu=${llm.batch}, seq_len=${seqLen}, num_tokens_to_generate=${generate}${llm.kvBits !== 16 ? `, kv_cache_dtype_bytes=${llm.kvBits / 8}` : ''})`,
    terms,
  };
}
