/**
 * Language models (issue 27): a 70B config analyzed warm (the engine's analysis of the imported
 * model, and the language-model figures: parameters, active parameters, weight bytes, KV cache,
 * prefill and decode FLOPs and bytes), and a sweep of 10,000 (batch, context) decode points.
 */
import { analyze, decodeModel, decodeSweep, hardwareProfile, importHfConfig, llmAnalysis, defineModel } from '../../src/engine/index.ts';
import { timeMedian } from './engine.ts';

/** Llama-3-70B's config.json (meta-llama/Meta-Llama-3-70B): 80 layers of 8192, 64 heads, 8 KV heads. */
export const LLAMA_3_70B = {
  model_type: 'llama',
  vocab_size: 128256,
  hidden_size: 8192,
  intermediate_size: 28672,
  num_hidden_layers: 80,
  num_attention_heads: 64,
  num_key_value_heads: 8,
  max_position_embeddings: 8192,
  rope_theta: 500000.0,
  tie_word_embeddings: false,
};

export interface LlmTiming {
  readonly params: number;
  readonly layers: number;
  /** `analyze` of the imported model on 1,024 tokens, every total read (median, warm). */
  readonly analyzeMs: number;
  readonly analyzeCpuMs: number;
  /** `llmAnalysis` at a new batch each call, the headline figures and both stages read. */
  readonly llmMs: number;
  readonly llmCpuMs: number;
  /** 10,000 (batch, context) decode points on the H100 (median of 30 sweeps). */
  readonly sweepMs: number;
  readonly sweepPoints: number;
}

export function llmBench(): LlmTiming {
  const imp = importHfConfig(LLAMA_3_70B, { name: 'llama-3-70b' });
  const model = defineModel(imp.def({ tokens: 1024 }));
  const analyzeOnce = () => {
    const t = analyze(model).totals;
    return t.params.value + t.macs.value + t.flops.value + t.activations.value;
  };
  const a = timeMedian(analyzeOnce, 100, 10);
  let batch = 0;
  const llmOnce = () => {
    batch = (batch % 8) + 1; // 70B × 1,024 tokens × 64 sequences × 2 passes 2^53: exact FLOPs end there
    const llm = llmAnalysis(imp, { context: 1024, batch });
    return llm.params.value + llm.activeParams.value + llm.weightBytes.value + llm.kvCacheBytes.value + llm.prefill.flops.value + llm.prefill.bytes.value + llm.decode.flops.value + llm.decode.bytes.value;
  };
  const l = timeMedian(llmOnce, 100, 10);
  const h100 = hardwareProfile('nvidia-h100-sxm5-80gb');
  const m = decodeModel(llmAnalysis(imp, { context: 1024 }), h100);
  const batches = Array.from({ length: 100 }, (_, i) => i + 1);
  const contexts = Array.from({ length: 100 }, (_, i) => 128 * (i + 1));
  const s = timeMedian(() => decodeSweep(m, batches, contexts).length, 30, 5);
  return {
    params: llmAnalysis(imp).params.value,
    layers: model.layers.length,
    analyzeMs: a.medianMs,
    analyzeCpuMs: a.cpuMs,
    llmMs: l.medianMs,
    llmCpuMs: l.cpuMs,
    sweepMs: s.medianMs,
    sweepPoints: batches.length * contexts.length,
  };
}
