/**
 * What a language model's page (/models/llm/<id>/) shows, computed at build time by the engine:
 * key figures, where the weights are (by kind of layer), weights in four formats, the prefill and
 * a decode step on two devices, and tokens per second against the batch. Solutions edition only.
 */
import {
  decodeModel,
  decodePoint,
  hardwareProfile,
  llmAnalysis,
  llmOnHardware,
  llmZooEntry,
  llmZooImport,
  type HardwareProfile,
  type LlmAnalysis,
  type LlmOnHardware,
  type LlmZooEntry,
} from '../engine/index.ts';

/** The two devices every language model's page compares. */
export const LLM_PAGE_DEVICES = ['nvidia-h100-sxm5-80gb', 'nvidia-a100-sxm4-40gb'] as const;
export const LLM_PAGE_BATCHES = [1, 4, 16, 64, 256] as const;

export interface LlmPage {
  readonly entry: LlmZooEntry;
  readonly context: number;
  readonly llm: LlmAnalysis;
  /** Stored bytes and parameters by kind of layer (embeddings, attention, MLP, norms, output). */
  readonly breakdown: readonly { readonly kind: string; readonly params: number; readonly bytes: number }[];
  readonly formats: readonly { readonly name: string; readonly bytes: number }[];
  readonly devices: readonly { readonly hardware: HardwareProfile; readonly hw: LlmOnHardware; readonly sweep: readonly { batch: number; tokensPerSecond: number; msPerToken: number; bound: string; fits?: boolean }[] }[];
}

const KIND: Record<string, string> = {
  Embedding: 'embeddings',
  CausalSelfAttention: 'attention',
  GatedMLP: 'MLP',
  MixtureOfExperts: 'experts and router',
  Linear: 'MLP',
  RMSNorm: 'norms',
  LayerNorm: 'norms',
  LMHead: 'output layer',
};

export function llmPage(id: string): LlmPage {
  const entry = llmZooEntry(id);
  const imp = llmZooImport(id);
  if (!entry || !imp) throw new Error(`no built-in language model '${id}'`);
  // A context of 1,024 tokens, or the model's learned positions when fewer.
  const context = Math.min(1024, imp.arch.learnedPositions ?? 1024);
  const llm = llmAnalysis(imp, { context });
  const breakdown = new Map<string, { params: number; bytes: number }>();
  llm.layerWeights.forEach((w, i) => {
    const r = llm.report.layers[i]!;
    if (r.params.value === 0) return;
    const kind = KIND[r.layer.type] ?? r.layer.type;
    const row = breakdown.get(kind) ?? { params: 0, bytes: 0 };
    breakdown.set(kind, { params: row.params + r.params.value, bytes: row.bytes + w.bytes.value });
  });
  const formats = [
    { name: '16-bit (bf16)', weights: { kind: 'bits', bits: 16 } },
    { name: '8-bit', weights: { kind: 'bits', bits: 8 } },
    { name: '4-bit, groups of 128', weights: { kind: 'group', bits: 4, groupSize: 128 } },
    { name: 'llama.cpp Q4_0', weights: { kind: 'ggml', format: 'q4_0' } },
  ] as const;
  const devices = LLM_PAGE_DEVICES.map((deviceId) => {
    const hardware = hardwareProfile(deviceId);
    const hw = llmOnHardware(llm, hardware);
    const m = decodeModel(llm, hardware);
    const sweep = LLM_PAGE_BATCHES.map((batch) => {
      const p = decodePoint(m, batch, context);
      return { batch, tokensPerSecond: p.tokensPerSecond, msPerToken: p.msPerToken, bound: p.bound, ...(p.fits !== undefined ? { fits: p.fits } : {}) };
    });
    return { hardware, hw, sweep };
  });
  return {
    entry,
    context,
    llm,
    breakdown: [...breakdown].map(([kind, v]) => ({ kind, ...v })),
    formats: formats.map((f) => ({ name: f.name, bytes: llmAnalysis(imp, { context, weights: f.weights }).weightBytes.value })),
    devices,
  };
}
