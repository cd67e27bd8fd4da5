/**
 * The LLM calculators' profiles: each tool's figures for a language model on a device, as the tool
 * prints them, and its difference from the workbook's standard figures term by term (the terms of
 * each figure add up to the tool's figure minus the standard one, exactly).
 *
 * A term either removes a part the tool leaves out (computed from the engine's own per-layer
 * figures), or is what one of the tool's rules changes once the others are applied (its device
 * table, its operation list): the last term of a figure is always the second kind, so the sum holds
 * by construction and every number is computed, not fitted.
 */
import type { HardwareProfile } from '../../hardware/profile.ts';
import type { LlmAnalysis } from '../analysis.ts';
import { llmOnHardware } from '../hardware.ts';
import { VIEWER_HARDWARE, llmViewer, viewerTime, type ViewerHardware } from './llm-viewer.ts';
import { analysisProfile } from './llm-analysis-profile.ts';
import { accelerateProfile } from './accelerate.ts';

export { VIEWER_HARDWARE, llmViewer, viewerTime } from './llm-viewer.ts';
export type { ViewerConfig, ViewerHardware, ViewerOptions, ViewerResult } from './llm-viewer.ts';
export { ANALYSIS_GPUS, AnalysisError, analysisInfer, analysisLatency, analysisModel, analysisModelFromHub } from './llm-analysis.ts';
export { ANALYSIS_DEVICES, hubConfigOf } from './llm-analysis-profile.ts';
export { accelerateEstimate, accelerateSize } from './accelerate.ts';

export type CalculatorFigure = 'weightBytes' | 'kvCacheBytes' | 'prefillMs' | 'decodeMsPerToken';

export interface CalculatorTerm {
  readonly figure: CalculatorFigure;
  readonly name: string;
  readonly value: number;
}

export interface CalculatorProfile {
  readonly id: string;
  readonly tool: string;
  readonly repository: string;
  readonly commit: string;
  /** The tool's own device entry the figures use. */
  readonly device: string;
  readonly weightBytes: number;
  /** null: the tool does not estimate this figure (accelerate estimates only the weights). */
  readonly kvCacheBytes: number | null;
  readonly prefillMs: number | null;
  readonly decodeMsPerToken: number | null;
  /** The figures as the tool prints them (prefill, decode, weights, ...). */
  readonly printed: Readonly<Record<string, string>>;
  /** What the tool was given to compute these figures, in its own terms. */
  readonly input?: string;
  readonly terms: readonly CalculatorTerm[];
}

export interface CalculatorProfiles {
  readonly profiles: readonly CalculatorProfile[];
  /** A tool that cannot describe this model or device, and why. */
  readonly omitted: readonly { readonly id: string; readonly why: string }[];
}

/** The workbook's device ids that LLM-Viewer's table has an entry for. */
export const VIEWER_DEVICES: Readonly<Record<string, string>> = {
  'nvidia-a100-sxm4-80gb': 'nvidia_A100_80G',
  'nvidia-a100-sxm4-40gb': 'nvidia_A100_40G',
  'nvidia-h100-sxm5-80gb': 'nvidia_H100_SXM',
  'nvidia-h100-pcie-80gb': 'nvidia_H100_PCIe',
  'nvidia-rtx-a6000': 'nvidia_A6000',
};

/** A profile with the tool's device table in place of the workbook's, for the "device table" term. */
function toolRoof(hardware: HardwareProfile, t: ViewerHardware): HardwareProfile {
  const src = { source: `LLM-Viewer hardware_params.py: ${t.id}` };
  return {
    ...hardware,
    peakOpsPerS: { fp16: { value: t.FP16, ...src }, bf16: { value: t.FP16, ...src }, int8: { value: t.INT8, ...src } },
    memoryBandwidthBytesPerS: { value: t.bandwidth, ...src },
  };
}

function viewerProfile(llm: LlmAnalysis, hardware: HardwareProfile): CalculatorProfile | { why: string } {
  const arch = llm.import.arch;
  if (arch.mlp !== 'gated' || arch.moe || arch.fusedQkv || arch.parallelBlock) {
    return { why: `its Llama rules (configs/Llama.py) describe a gated MLP with separate q, k, v; ${llm.name} is a ${arch.modelType} model` };
  }
  const entry = VIEWER_DEVICES[hardware.id];
  if (!entry) return { why: `its device table has no entry for ${hardware.name}` };
  const table = VIEWER_HARDWARE[entry]!;
  if (llm.weights.kind === 'ggml') return { why: 'it has no llama.cpp block formats' };
  const wBit = llm.weights.bits;
  const config = {
    hidden_size: arch.hidden,
    num_attention_heads: arch.heads,
    num_key_value_heads: arch.kvHeads,
    num_hidden_layers: arch.layers,
    intermediate_size: arch.intermediate,
    vocab_size: arch.vocab,
  };
  const common = { batch: llm.batch, wBit, aBit: 16, kvBit: llm.kvBits };
  // One seqlen per call: the prompt for prefill, the decode step's context for decode.
  const pre = llmViewer(config, table, { ...common, seqlen: llm.prompt });
  const dec = llm.context === llm.prompt ? pre : llmViewer(config, table, { ...common, seqlen: llm.context });
  const prefillMs = pre.prefill.inference_time * 1e3;
  const decodeMsPerToken = dec.decode.inference_time * 1e3;

  const terms: CalculatorTerm[] = [];
  // Weights: the parts it leaves out, from the engine's per-layer bytes; then the rest of the format.
  const std = llm.weightBytes.value;
  const bytesOf = (types: readonly string[]) => llm.layerWeights.filter((w) => types.includes(w.layer.layer.type)).reduce((n, w) => n + w.bytes.value, 0);
  const left = [
    ['token embedding left out', ['Embedding']],
    ['output layer left out', ['LMHead']],
    ['norm weights left out', ['RMSNorm', 'LayerNorm']],
  ] as const;
  let kept = std;
  for (const [name, types] of left) {
    const b = bytesOf(types);
    if (b !== 0) terms.push({ figure: 'weightBytes', name, value: -b });
    kept -= b;
  }
  const rest = dec.weightBytes - kept;
  if (rest !== 0) terms.push({ figure: 'weightBytes', name: llm.weights.kind === 'group' ? 'no group scales or zero points, no biases' : 'no biases', value: rest });

  // KV cache: the sliding window it ignores, then the head size it takes as hidden / heads.
  const g = llm.geometry;
  const perTokenStd = llm.kvCacheBytesPerToken.value;
  const windowless = llm.batch * llm.context * perTokenStd;
  if (windowless !== llm.kvCacheBytes.value) terms.push({ figure: 'kvCacheBytes', name: 'sliding window ignored', value: windowless - llm.kvCacheBytes.value });
  if (dec.kvCacheBytes !== windowless) terms.push({ figure: 'kvCacheBytes', name: `head size taken as hidden / heads = ${arch.hidden / arch.heads}, not ${g.headDim}`, value: dec.kvCacheBytes - windowless });

  // Times: the standard stages on its device table, then its own operations and per-operation roofline.
  const onStd = llmOnHardware(llm, hardware);
  const onTool = llmOnHardware(llm, toolRoof(hardware, table));
  for (const [figure, stdMs, toolRoofMs, toolMs] of [
    ['prefillMs', onStd.ttftMs.value, onTool.ttftMs.value, prefillMs],
    ['decodeMsPerToken', onStd.tpotMs.value, onTool.tpotMs.value, decodeMsPerToken],
  ] as const) {
    // A device whose table entry agrees with the workbook's profile has no table term.
    if (toolRoofMs !== stdMs) terms.push({ figure, name: `its device table (${(table.bandwidth / 1e12).toFixed(3)} TB/s, ${(table.FP16 / 1e12).toFixed(1)} TFLOP/s)`, value: toolRoofMs - stdMs });
    terms.push({ figure, name: 'its operation list, each on its own roofline, summed (lm head at 1 op per MAC, MLP activation on the hidden size, norms 7 ops per element)', value: toolMs - toolRoofMs });
  }

  return {
    id: 'llm-viewer',
    tool: 'LLM-Viewer',
    repository: 'hahnyuan/LLM-Viewer',
    commit: '472f71f1a1807e80b573252e9185fd5e8d795e95',
    device: entry,
    weightBytes: dec.weightBytes,
    kvCacheBytes: dec.kvCacheBytes,
    prefillMs,
    decodeMsPerToken,
    printed: { prefill: `${viewerTime(pre.prefill.inference_time)}s`, decode: `${viewerTime(dec.decode.inference_time)}s` },
    terms,
  };
}

/** Every calculator's profile for the analysis on the device. */
export function llmCalculatorProfiles(llm: LlmAnalysis, hardware: HardwareProfile): CalculatorProfiles {
  const profiles: CalculatorProfile[] = [];
  const omitted: { id: string; why: string }[] = [];
  const tools: [string, CalculatorProfile | { why: string }][] = [
    ['llm-viewer', viewerProfile(llm, hardware)],
    ['llm-analysis', analysisProfile(llm, hardware)],
    ['accelerate', accelerateProfile(llm)],
  ];
  for (const [id, p] of tools) {
    if ('why' in p) omitted.push({ id, why: p.why });
    else profiles.push(p);
  }
  return { profiles, omitted };
}

/** The standard figure a term list is measured against. */
export function standardFigure(llm: LlmAnalysis, hardware: HardwareProfile, figure: CalculatorFigure): number {
  switch (figure) {
    case 'weightBytes':
      return llm.weightBytes.value;
    case 'kvCacheBytes':
      return llm.kvCacheBytes.value;
    case 'prefillMs':
      return llmOnHardware(llm, hardware).ttftMs.value;
    case 'decodeMsPerToken':
      return llmOnHardware(llm, hardware).tpotMs.value;
  }
}
