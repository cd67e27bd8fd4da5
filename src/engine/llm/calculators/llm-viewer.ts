/**
 * LLM-Viewer (hahnyuan/LLM-Viewer, read at 472f71f1a180): what its `ModelAnalyzer.analyze` computes
 * for a Llama-style config (`configs/Llama.py`), rule by rule, so that the workbook can print the
 * tool's figures and say where they part from the standard ones.
 *
 * Its rules, from `model_analyzer.py`:
 * - each decoder layer is a list of operations (seven Linear projections, QKᵀ, softmax, AV, two
 *   norms, two residual adds, the MLP activation), each with OPs and bytes loaded and stored;
 *   the layer's figures are multiplied by the number of layers, then the lm head is added;
 * - each operation's time is its own roofline time, OPs / min(peak, intensity × bandwidth), and
 *   a stage's time is their sum (not the roofline of the stage's totals);
 * - the lm head counts batch × hidden × vocab OPs (multiply-adds, not 2 per MAC) and loads one
 *   token's activation whatever the stage;
 * - the MLP activation counts hidden, not intermediate, elements;
 * - weight memory is the decoder layers' Linear weights only: no embeddings, no lm head, no norms;
 * - head size is hidden / heads (a config's `head_dim` is not read); K and V are hidden × kv / heads;
 * - peak is its FP16 entry, or INT8 when weights, activations and cache are all 8 bits or fewer.
 */

/** One entry of its `hardwares/hardware_params.py`. */
export interface ViewerHardware {
  readonly id: string;
  readonly bandwidth: number;
  readonly FP16: number;
  readonly INT8: number;
}

/** Its table, for the devices the workbook compares (values as its source writes them). */
export const VIEWER_HARDWARE: Readonly<Record<string, ViewerHardware>> = {
  nvidia_A100_80G: { id: 'nvidia_A100_80G', bandwidth: 2039e9, FP16: 312e12, INT8: 624e12 },
  nvidia_A100_40G: { id: 'nvidia_A100_40G', bandwidth: 1555e9, FP16: 312e12, INT8: 624e12 },
  nvidia_H100_SXM: { id: 'nvidia_H100_SXM', bandwidth: 3072e9, FP16: 1979e12 / 2, INT8: 3958e12 / 2 },
  nvidia_H100_PCIe: { id: 'nvidia_H100_PCIe', bandwidth: 2048e9, FP16: 1513e12 / 2, INT8: 3026e12 / 2 },
  nvidia_A6000: { id: 'nvidia_A6000', bandwidth: 768e9, FP16: 309.677e12 / 2, INT8: 309.7e12 },
};

/** The config keys `configs/Llama.py` reads. */
export interface ViewerConfig {
  readonly hidden_size: number;
  readonly num_attention_heads: number;
  readonly num_key_value_heads: number;
  readonly num_hidden_layers: number;
  readonly intermediate_size: number;
  readonly vocab_size: number;
}

export interface ViewerOptions {
  readonly batch: number;
  readonly seqlen: number;
  readonly wBit: number;
  readonly aBit: number;
  readonly kvBit: number;
}

export const VIEWER_FIGURES = ['OPs', 'memory_access', 'load_weight', 'load_act', 'store_act', 'load_kv_cache', 'store_kv_cache', 'inference_time'] as const;
export type ViewerFigure = (typeof VIEWER_FIGURES)[number];
export type ViewerTotals = Record<ViewerFigure, number>;

export interface ViewerOp extends ViewerTotals {
  readonly name: string;
  readonly bound: 'memory' | 'compute';
}

export interface ViewerResult {
  readonly prefill: ViewerTotals;
  readonly decode: ViewerTotals;
  /** Per-layer operations (one decoder layer), then the lm head. */
  readonly layers: { readonly prefill: readonly ViewerOp[]; readonly decode: readonly ViewerOp[] };
  /** `memory_consumption_weight`: the decoder layers' Linear weights. */
  readonly weightBytes: number;
  /** `memory_consumption_kv_cache`: the prefill's stored keys and values. */
  readonly kvCacheBytes: number;
}

interface OpSpec {
  OPs: number;
  load_weight?: number;
  load_act?: number;
  store_act?: number;
  load_kv_cache?: number;
  store_kv_cache?: number;
}

/** The roofline of one operation, as its `roofline_model.py` computes it. */
function op(name: string, spec: OpSpec, bandwidth: number, peak: number): ViewerOp {
  const load_weight = spec.load_weight ?? 0;
  const load_act = spec.load_act ?? 0;
  const store_act = spec.store_act ?? 0;
  const load_kv_cache = spec.load_kv_cache ?? 0;
  const store_kv_cache = spec.store_kv_cache ?? 0;
  const memory_access = load_weight + load_act + store_act + load_kv_cache + store_kv_cache;
  const intensity = spec.OPs / memory_access;
  const turning = peak / bandwidth;
  const bound = intensity < turning ? 'memory' : 'compute';
  const performance = bound === 'memory' ? intensity * bandwidth : peak;
  return { name, bound, OPs: spec.OPs, memory_access, load_weight, load_act, store_act, load_kv_cache, store_kv_cache, inference_time: spec.OPs / performance };
}

/** `ModelAnalyzer.analyze(seqlen, batchsize, w_bit, a_bit, kv_bit)` without flash attention. */
export function llmViewer(config: ViewerConfig, hardware: ViewerHardware, o: ViewerOptions): ViewerResult {
  const { batch: b, seqlen: s } = o;
  const w = o.wBit / 8;
  const a = o.aBit / 8;
  const kv = o.kvBit / 8;
  const peak = o.wBit <= 8 && o.aBit <= 8 && o.kvBit <= 8 ? hardware.INT8 : hardware.FP16;
  const bw = hardware.bandwidth;
  const h = config.hidden_size;
  const H = config.num_attention_heads;
  const Hkv = config.num_key_value_heads;
  const L = config.num_hidden_layers;
  const I = config.intermediate_size;
  const V = config.vocab_size;
  const linears: [string, number, number][] = [
    ['q_proj', h, h],
    ['k_proj', h, (h * Hkv) / H],
    ['v_proj', h, (h * Hkv) / H],
    ['out_proj', h, h],
    ['gate_proj', h, I],
    ['up_proj', h, I],
    ['down_proj', I, h],
  ];
  const decode: ViewerOp[] = [];
  const prefill: ViewerOp[] = [];
  for (const [name, ic, oc] of linears) {
    const kvProj = name === 'k_proj' || name === 'v_proj';
    decode.push(op(name, { OPs: ic * oc * b * 2, load_weight: ic * oc * w, load_act: ic * b * a, store_act: kvProj ? 0 : oc * b * a, store_kv_cache: kvProj ? oc * b * kv : 0 }, bw, peak));
    prefill.push(op(name, { OPs: ic * oc * b * s * 2, load_weight: ic * oc * w, load_act: ic * b * s * a, store_act: kvProj ? 0 : oc * b * s * a, store_kv_cache: kvProj ? oc * b * s * kv : 0 }, bw, peak));
  }
  const d = Math.floor(h / H);
  // decode: one query against s cached tokens
  decode.push(op('qk_matmul', { OPs: s * d * H * b * 2, load_act: d * b * H * a, store_act: s * b * H * a, load_kv_cache: s * d * b * Hkv * kv }, bw, peak));
  decode.push(op('sv_matmul', { OPs: d * s * H * b * 2, load_act: s * b * H * a, store_act: d * b * H * a, load_kv_cache: s * d * b * Hkv * kv }, bw, peak));
  decode.push(op('softmax', { OPs: b * H * s * 5, load_act: b * H * s * a, store_act: b * H * s * a }, bw, peak));
  for (const name of ['attn_norm', 'mlp_norm']) decode.push(op(name, { OPs: b * h * 7, load_act: b * h * a, store_act: b * h * a }, bw, peak));
  for (const name of ['attn_add', 'mlp_add']) decode.push(op(name, { OPs: b * h, load_act: b * h * a, store_act: b * h * a }, bw, peak));
  decode.push(op('mlp_act', { OPs: b * h * 2, load_act: b * h * a * 2, store_act: b * h * a }, bw, peak));
  // prefill: s queries against s keys
  prefill.push(op('qk_matmul', { OPs: s * s * d * H * b * 2, load_act: s * d * b * Hkv * a, store_act: s * s * b * H * a, load_kv_cache: s * d * b * Hkv * kv }, bw, peak));
  prefill.push(op('sv_matmul', { OPs: s * d * s * H * b * 2, load_act: s * s * b * H * a, store_act: s * d * b * H * a, load_kv_cache: s * d * b * Hkv * kv }, bw, peak));
  prefill.push(op('softmax', { OPs: b * H * s * s * 5, load_act: b * H * s * s * a, store_act: b * H * s * s * a }, bw, peak));
  for (const name of ['attn_norm', 'mlp_norm']) prefill.push(op(name, { OPs: b * h * s * 7, load_act: b * h * s * a, store_act: b * h * s * a }, bw, peak));
  for (const name of ['attn_add', 'mlp_add']) prefill.push(op(name, { OPs: b * h * s, load_act: b * h * s * a, store_act: b * h * s * a }, bw, peak));
  prefill.push(op('mlp_act', { OPs: b * h * s * 2, load_act: b * h * s * a * 2, store_act: b * h * s * a }, bw, peak));

  const totals = (ops: readonly ViewerOp[]): ViewerTotals => {
    const t = Object.fromEntries(VIEWER_FIGURES.map((k) => [k, 0])) as ViewerTotals;
    for (const r of ops) for (const k of VIEWER_FIGURES) t[k] += r[k] * L;
    return t;
  };
  const prefillTotals = totals(prefill);
  const decodeTotals = totals(decode);
  const weightBytes = prefillTotals.load_weight;
  const kvCacheBytes = prefillTotals.store_kv_cache;
  // The lm head, added after the layers' totals (and after the memory footprint is taken).
  const head = (stage: 'prefill' | 'decode') => op('lm_head', { OPs: b * h * V * 1, load_weight: h * V * w, load_act: h * a, store_act: V * a }, bw, peak);
  for (const [stage, t, ops] of [['prefill', prefillTotals, prefill], ['decode', decodeTotals, decode]] as const) {
    const r = head(stage);
    ops.push(r);
    for (const k of VIEWER_FIGURES) t[k] += r[k];
  }
  return { prefill: prefillTotals, decode: decodeTotals, layers: { prefill, decode }, weightBytes, kvCacheBytes };
}

/** Its `utils.str_number_time`, the way it prints a time in seconds ("6.8m" is 6.8 ms). */
export function viewerTime(seconds: number): string {
  const f = (x: number) => x.toFixed(1);
  if (seconds >= 1) return f(seconds);
  if (seconds > 1e-3) return `${f(seconds * 1e3)}m`;
  if (seconds > 1e-6) return `${f(seconds * 1e6)}u`;
  if (seconds > 1e-9) return `${f(seconds * 1e9)}n`;
  return seconds.toFixed(0);
}
