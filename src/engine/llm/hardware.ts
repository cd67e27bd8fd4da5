/**
 * A language model on hardware: the roofline of each stage at the 16-bit peak (weight-only
 * quantization and a quantized KV cache still multiply in 16 bits), time to first token (the
 * prefill), time per output token (a decode step at the context), tokens per second, the batch at
 * which decode turns compute-bound, whether weights and KV cache fit in the device's memory, and
 * the largest batch and context that fit. Each stage's time is max(T_compute, T_memory) of the
 * whole stage (compute and memory overlapped), as CS336's and the calculators' estimates are.
 * Memory for activations and the runtime is not counted: a "fits" is weights + KV cache only.
 */
import { HardwareError, type HardwareProfile, type Precision } from '../hardware/profile.ts';
import { requireRoof, rooflineTerms, type Roof, type RooflineTerms } from '../cost/roofline.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { add, ceil, div, floor, mul, num, ref, sub, variable, type Expr } from '../math/expr.ts';
import { analyze } from '../analysis/analyze.ts';
import { cachedTokens } from './kv.ts';
import { located, modelAt, type LlmAnalysis } from './analysis.ts';

export interface LlmOnHardware {
  readonly hardware: HardwareProfile;
  readonly precision: Precision;
  readonly roof: Roof;
  readonly prefill: RooflineTerms;
  readonly decode: RooflineTerms;
  readonly generation?: RooflineTerms;
  /** Time to first token: the prefill. */
  readonly ttftMs: Figure;
  /** Time per output token: one decode step at the context. */
  readonly tpotMs: Figure;
  /** B × 1000 / TPOT */
  readonly tokensPerSecond: Figure;
  /** TTFT + the G decode steps. */
  readonly totalMs?: Figure;
  /** Smallest batch at which a decode step at the context is compute-bound; absent when none is. */
  readonly crossoverBatch?: Figure;
  /** Weights + KV cache at the batch and the context (P + G with a generation). */
  readonly memoryBytes: Figure;
  readonly capacityBytes?: Figure;
  readonly fits?: boolean;
  /** Largest batch whose KV cache at the context fits beside the weights. */
  readonly maxBatch?: Figure;
  /** Largest context at the batch that fits; absent with `contextUnbounded` (a sliding window's cache stops growing). */
  readonly maxContext?: Figure;
  readonly contextUnbounded: boolean;
  /** Fields the profile lacks, and the figures left out for it. */
  readonly omitted: readonly string[];
}

/**
 * The precision whose peak applies: bf16, else fp16, else fp32 (a CPU without a 16-bit rate
 * computes a 16-bit model's products in fp32); the first the profile lists or derives.
 */
export function llmPrecision(hardware: HardwareProfile): Precision {
  const listed = (p: Precision) => hardware.peakOpsPerS?.[p] !== undefined || (hardware.clockMHz !== undefined && hardware.cyclesPerMac?.[p] !== undefined);
  return (['bf16', 'fp16', 'fp32'] as const).find(listed) ?? 'fp16'; // a `default` peak serves any precision
}

const r = (f: Figure): Expr => ref(f.symbol, f.expr);

/** The decode step's time at any (batch, context), for sweeps: the same figures, as numbers. */
export interface DecodeModel {
  /** FLOPs per sequence at context C: f0 + f1 min(C, W). */
  readonly f0: number;
  readonly f1: number;
  /** Weight bytes read at batch B. */
  weightBytes(batch: number): number;
  readonly kvPerToken: number;
  readonly window: number | null;
  readonly peak: number;
  readonly bandwidth: number;
  readonly capacity?: number;
  /** Every stored weight byte (what must fit, whatever a step reads). */
  readonly storedBytes: number;
}

export interface DecodePoint {
  readonly batch: number;
  readonly context: number;
  readonly msPerToken: number;
  readonly tokensPerSecond: number;
  readonly bound: 'compute' | 'memory';
  readonly fits?: boolean;
}

/**
 * The decode step as numbers: the per-sequence FLOPs from the engine's counts at contexts 1 and 2
 * (linear in the keys a token attends to), the weight bytes per layer from the analysis.
 */
export function decodeModel(llm: LlmAnalysis, hardware: HardwareProfile): DecodeModel {
  const roof = requireRoof(hardware, llmPrecision(hardware));
  const perSequence = (context: number) => analyze(modelAt(llm.import, 1, context - 1)).totals.flops.value;
  const one = perSequence(1);
  const f1 = llm.geometry.window === 1 ? 0 : perSequence(2) - one;
  const moe = llm.layerWeights.filter((w) => w.experts > 0);
  const dense = llm.layerWeights.filter((w) => w.experts === 0).reduce((s, w) => s + w.bytes.value, 0);
  return {
    f0: one - f1,
    f1,
    weightBytes:
      moe.length === 0
        ? () => dense
        : (batch) => {
            let bytes = dense;
            for (const w of moe) bytes += w.bytes.value - (w.experts - Math.min(w.experts, w.topK * batch)) * w.expertBytes;
            return bytes;
          },
    kvPerToken: llm.kvCacheBytesPerToken.value,
    window: llm.geometry.window,
    peak: roof.peak.value,
    bandwidth: roof.bandwidth.value,
    ...(hardware.dramBytes ? { capacity: hardware.dramBytes.value } : {}),
    storedBytes: llm.weightBytes.value,
  };
}

export function decodePoint(m: DecodeModel, batch: number, context: number): DecodePoint {
  const keys = m.window === null ? context : Math.min(context, m.window);
  const flops = batch * (m.f0 + m.f1 * keys);
  const kv = batch * keys * m.kvPerToken;
  const computeMs = (flops / m.peak) * 1e3;
  const memoryMs = ((m.weightBytes(batch) + kv) / m.bandwidth) * 1e3;
  const msPerToken = computeMs > memoryMs ? computeMs : memoryMs;
  const bound = computeMs >= memoryMs ? 'compute' : 'memory';
  const tokensPerSecond = (batch * 1e3) / msPerToken;
  return m.capacity === undefined
    ? { batch, context, msPerToken, tokensPerSecond, bound }
    : { batch, context, msPerToken, tokensPerSecond, bound, fits: m.storedBytes + kv <= m.capacity };
}

/** Every (batch, context) pair of the two lists, batch-major. */
export function decodeSweep(m: DecodeModel, batches: readonly number[], contexts: readonly number[]): DecodePoint[] {
  const out: DecodePoint[] = [];
  for (const b of batches) for (const c of contexts) out.push(decodePoint(m, b, c));
  return out;
}

const LIMIT = 2 ** 40;

/** The smallest batch at which compute time ≥ memory time (monotone in the batch), or undefined. */
function searchCrossover(m: DecodeModel, context: number): number | undefined {
  const computeBound = (b: number) => decodePoint(m, b, context).bound === 'compute';
  let hi = 1;
  while (!computeBound(hi)) {
    hi *= 2;
    if (hi > LIMIT) return undefined;
  }
  let lo = Math.floor(hi / 2);
  if (hi === 1) return 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (computeBound(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function llmOnHardware(llm: LlmAnalysis, hardware: HardwareProfile): LlmOnHardware {
  return located(llm.name, () => onHardware(llm, hardware));
}

function onHardware(llm: LlmAnalysis, hardware: HardwareProfile): LlmOnHardware {
  const precision = llmPrecision(hardware);
  const roof = requireRoof(hardware, precision);
  const omitted: string[] = [];
  const prefill = rooflineTerms(roof, llm.prefill.flops, llm.prefill.bytes, 'pre');
  const decode = rooflineTerms(roof, llm.decode.flops, llm.decode.bytes, 'dec');
  const generation = llm.generation ? rooflineTerms(roof, llm.generation.flops, llm.generation.bytes, 'gen') : undefined;
  // The stage's roofline time itself (max of compute and memory time), not a reference to it.
  const ttftMs = figure('\\text{TTFT}', 'time to first token', 'ms', prefill.latencyMs.expr);
  const tpotMs = figure('\\text{TPOT}', 'time per output token', 'ms', decode.latencyMs.expr);
  const B = variable('B', llm.batch, 'batch (sequences)');
  const tokensPerSecond = figure('\\text{tok/s}', 'tokens per second', 'tokens/s', div(mul(B, num(1000, '10^3')), r(tpotMs)));
  const totalMs = generation ? figure('t_{\\text{total}}', 'time for the prompt and the generated tokens', 'ms', add(r(ttftMs), r(generation.latencyMs))) : undefined;

  // Crossover: B · W₁ / π ≥ (Q_w + B s_C) / β  ⇔  B ≥ (Q_w / β) / (W₁ / π − s_C / β), for dense weights.
  const model = decodeModel(llm, hardware);
  const context = llm.context;
  const found = searchCrossover(model, context);
  let crossoverBatch: Figure | undefined;
  if (found !== undefined) {
    const moe = llm.layerWeights.some((w) => w.experts > 0);
    if (moe) {
      crossoverBatch = figure('B^*', 'batch at which decode turns compute-bound', 'count', variable('B^*', found, 'smallest batch with B W_1 / π ≥ (Q_w(B) + B s_C) / β, Q_w(B) reading min(n, k B) experts per layer (searched)'));
    } else {
      const W1 = variable('W_1', model.f0 + model.f1 * (model.window === null ? context : Math.min(context, model.window)), 'decode FLOPs per sequence');
      const sC = mul(cachedTokens(llm.geometry, context), r(llm.kvCacheBytesPerToken));
      // Two named quotients, so the line of numbers fits a phone: the weights' read time over what one
      // more sequence adds to the compute time beyond its own cache's read time.
      const weightsTime = ref('(Q_w / \\beta)', div(r(llm.weightBytes), r(roof.bandwidth)));
      const perSequence = ref('(W_1 / \\pi - C \\cdot s_{kv} / \\beta)', sub(div(W1, r(roof.peak)), div(sC, r(roof.bandwidth))));
      const x = div(weightsTime, perSequence);
      const value = Math.max(1, Math.ceil(x.value));
      // The closed form and the search agree but for rounding at an exact tie.
      crossoverBatch = figure('B^*', 'batch at which decode turns compute-bound', 'count', value === found && x.value > 0 ? ceil(x) : variable('B^*', found, 'smallest compute-bound batch (searched)'));
    }
  }

  const memoryBytes = figure('M_{\\text{need}}', 'weights and KV cache', 'B', add(r(llm.weightBytes), r(llm.kvCacheBytes)));
  let capacityBytes: Figure | undefined;
  let fits: boolean | undefined;
  let maxBatch: Figure | undefined;
  let maxContext: Figure | undefined;
  let contextUnbounded = false;
  if (hardware.dramBytes) {
    const M = variable('M', hardware.dramBytes.value, 'device memory in B');
    capacityBytes = figure('M', 'device memory', 'B', M);
    fits = memoryBytes.value <= M.value;
    // One number in the quotient: a fraction of two long differences is too wide for a phone.
    const free = ref('(M - Q_w)', sub(M, r(llm.weightBytes)));
    if (free.value >= 0 && llm.kvCacheBytesPerToken.value > 0) {
      maxBatch = figure('B_{\\max}', 'largest batch that fits', 'count', floor(div(free, mul(cachedTokens(llm.geometry, context), r(llm.kvCacheBytesPerToken)))));
      const w = llm.geometry.window;
      if (w !== null && llm.batch * w * llm.kvCacheBytesPerToken.value <= free.value) contextUnbounded = true;
      else maxContext = figure('C_{\\max}', 'longest context that fits', 'count', floor(div(free, mul(B, r(llm.kvCacheBytesPerToken)))));
    }
  } else {
    omitted.push('fits, largest batch and context: the profile has no dramBytes');
  }
  return {
    hardware,
    precision,
    roof,
    prefill,
    decode,
    ...(generation ? { generation } : {}),
    ttftMs,
    tpotMs,
    tokensPerSecond,
    ...(totalMs ? { totalMs } : {}),
    ...(crossoverBatch ? { crossoverBatch } : {}),
    memoryBytes,
    ...(capacityBytes ? { capacityBytes } : {}),
    ...(fits !== undefined ? { fits } : {}),
    ...(maxBatch ? { maxBatch } : {}),
    ...(maxContext ? { maxContext } : {}),
    contextUnbounded,
    omitted,
  };
}

export { HardwareError };
