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
  type RooflineChartData,
  type RooflineChartPoint,
  type Stage,
} from '../engine/index.ts';
import { rooflineChart, type RooflineChart } from './charts/roofline-chart.ts';

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
  /** The prefill's and a decode step's layers on the first device's roof. */
  readonly rooflines: readonly { readonly stage: 'prefill' | 'decode'; readonly chart: RooflineChart; readonly points: number }[];
}

/** A stage's layers (those with FLOPs) and the whole stage as points under the device's roof. */
function stageRoofline(stage: Stage, hw: LlmOnHardware): RooflineChartData {
  const peak = hw.roof.peak.value;
  const bandwidth = hw.roof.bandwidth.value;
  const ridge = hw.roof.ridge.value;
  const point = (name: string, path: string, type: string, flops: number, bytes: number): RooflineChartPoint => {
    const intensity = flops / bytes;
    const attainable = Math.min(peak, intensity * bandwidth);
    const latencyMs = Math.max(flops / peak, bytes / bandwidth) * 1e3;
    return { name, path, type, intensityFlopsPerByte: intensity, attainableFlopsPerS: attainable, flops, bytes, latencyMs, bound: intensity < ridge ? 'memory' : 'compute' };
  };
  const points = stage.layers.filter((l) => l.flops.value > 0 && l.bytes.value > 0).map((l) => point(l.layer.layer.name, l.layer.layer.id, l.layer.layer.type, l.flops.value, l.bytes.value));
  const model = point(stage.kind, '', 'model', stage.flops.value, stage.bytes.value);
  const xs = [...points.map((p) => p.intensityFlopsPerByte), model.intensityFlopsPerByte, ridge];
  const decade = (x: number, dir: -1 | 1) => 10 ** ((dir < 0 ? Math.floor : Math.ceil)(Math.log10(x)) + dir);
  const xDomain: [number, number] = [decade(Math.min(...xs), -1), decade(Math.max(...xs), 1)];
  const roofAt = (x: number) => Math.min(peak, x * bandwidth);
  const ys = [...points.map((p) => p.attainableFlopsPerS), model.attainableFlopsPerS, roofAt(xDomain[0])];
  return {
    hardware: { id: hw.hardware.id, name: hw.hardware.name },
    precision: hw.precision,
    peakFlopsPerS: peak,
    bandwidthBytesPerS: bandwidth,
    ridgeFlopsPerByte: ridge,
    roof: [xDomain[0], ridge, xDomain[1]].map((x) => ({ intensityFlopsPerByte: x, flopsPerS: roofAt(x) })),
    points,
    model,
    omitted: [],
    xDomain,
    yDomain: [decade(Math.min(...ys), -1), decade(peak, 1)],
  };
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
  const first = devices[0]!.hw;
  const rooflines = (['prefill', 'decode'] as const).map((kind) => {
    const data = stageRoofline(kind === 'prefill' ? llm.prefill : llm.decode, first);
    return { stage: kind, chart: rooflineChart(data, `${entry.id} ${kind}`), points: data.points.length };
  });
  return {
    entry,
    context,
    llm,
    rooflines,
    breakdown: [...breakdown].map(([kind, v]) => ({ kind, ...v })),
    formats: formats.map((f) => ({ name: f.name, bytes: llmAnalysis(imp, { context, weights: f.weights }).weightBytes.value })),
    devices,
  };
}
