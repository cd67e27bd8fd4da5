/**
 * What a problem can ask for. Each answer kind names one figure of the engine; an `<Answer of="...">`
 * with a name not listed here is an error that lists the allowed names.
 *
 * Besides `of`, an answer may say which layer, counting profile or hardware it is about, and may
 * override any given for itself alone (see `AnswerProps`):
 *
 *   <Answer of="params" layer="conv1" />             one layer's figure, by its dotted id
 *   <Answer of="paramBytes" paramBits={8} />         the same model at int8
 *   <Answer of="compute" profile="thop" batch={8} /> thop's count at batch 8
 *   <Answer of="memoryTimeMs" hardware="raspberry-pi-4" />
 *   <Answer of="paramBytes" in="MB" />               the figure converted to another unit
 *
 * Every answer is a `Figure` built by the engine (or from the engine's figures with its expression
 * constructors), so the value and its derivation are one computation.
 */
import { z } from '../engine/schema.ts';
// The engine's modules, not its index: the index also loads the zoo and the hardware profiles'
// data, which the practice page's script (it runs this module) must not carry.
import { analyze, type AnalyzeOptions, type LayerReport, type ModelReport } from '../engine/analysis/analyze.ts';
import type { Conventions } from '../engine/analysis/conventions.ts';
import type { ProfileId, ProfileTotals } from '../engine/analysis/profiles.ts';
// The counting profiles (the tools' rules) and the cost models (fit, roofline, throughput,
// energy): chunks of their own in the browser, loaded for the problems that need them (on-demand.ts).
import { countingProfiles } from '#counting-profiles';
import { costModels } from '#cost-models';
import type { MemoryKind } from '../engine/cost/fit.ts';
import { parseHardwareProfile, pickPrecision, precisionForBits, type HardwareProfile } from '../engine/hardware/profile.ts';
import { figure, type Figure, type Unit } from '../engine/math/derivation.ts';
import { formatNumber, texText } from '../engine/math/latex.ts';
import type { Model } from '../engine/model/define.ts';
import { memoOf } from '../engine/model/memo.ts';
import { isLanguageModel, LLM_DEFAULT_BITS } from '../engine/llm/defaults.ts';
import { add, addAll, div, mul, num, ref, sub, sum, variable, type Expr } from '../engine/math/expr.ts';
import { gemmCount, gemmMacs, gemmsOf } from './gemms.ts';
import { llmAnswerKinds, llmOf } from './answers-llm.ts';
import type { LlmOnHardware } from '../engine/llm/hardware.ts';
import { givenSchema, type FigureTableData, type Given, type Measurement } from './problem.ts';

/** Hardware profiles by id, e.g. `{ 'hw1-mcu': {...} }`: what `hardware` may name. */
export type HardwareRegistry = Readonly<Record<string, HardwareProfile>>;

export interface ProblemContext {
  readonly model: Model;
  readonly given: Given;
  readonly report: ModelReport;
  /** Counting choices that override the course's (mistake hints use them), kept for re-analysis. */
  readonly conventions?: Partial<Conventions>;
  /**
   * The hardware profiles `given.hardware` and the answers may name: every built-in one on a
   * problem page (builtins.ts), only those the problem names in a variant (its spec). Passed in
   * rather than imported, so the practice script does not carry every profile's data.
   */
  readonly hardwareProfiles?: HardwareRegistry;
  /** The frontmatter's tables and measurements, for <FigureTable>. */
  readonly tables?: Readonly<Record<string, FigureTableData>>;
  readonly measurements?: Readonly<Record<string, Measurement>>;
}

// ---- answer props -----------------------------------------------------------------------------

/**
 * Units an answer can be converted to with `in="..."`, by the unit of the engine's figure: the
 * figure is divided by `by` (written `tex`), so 802,816 B in KiB reads 802,816 / 2^10 = 784 KiB.
 */
const CONVERSIONS = {
  B: {
    kB: { by: 1e3, tex: '10^3' },
    MB: { by: 1e6, tex: '10^6' },
    GB: { by: 1e9, tex: '10^9' },
    KiB: { by: 1024, tex: '2^{10}' },
    MiB: { by: 1024 ** 2, tex: '2^{20}' },
    GiB: { by: 1024 ** 3, tex: '2^{30}' },
  },
  ms: { s: { by: 1e3, tex: '10^3' }, us: { by: 1e-3, tex: '10^{-3}' } },
} as const satisfies Partial<Record<Unit, Partial<Record<Unit, { by: number; tex: string }>>>>;
const CONVERSION_UNITS = [...new Set(Object.values(CONVERSIONS).flatMap((c) => Object.keys(c)))] as [string, ...string[]];

/**
 * What an `<Answer>`, `<Value>` or a table cell may say besides `of`. The overrides change a given
 * for this answer only; the problem's other answers keep the frontmatter's values.
 */
export const answerPropsSchema = z.strictObject({
  /** A layer's dotted id (`conv1`, `layer4.0.conv2`): that layer's figure instead of the total. */
  layer: z.optional(z.string().check(z.minLength(1))),
  /** A block's dotted prefix (`encoder.layer.0`), for the GEMM answers. */
  block: z.optional(z.string().check(z.minLength(1))),
  /** Convert the figure to this unit (bytes: kB MB GB KiB MiB GiB; milliseconds: s us). */
  in: z.optional(z.enum(CONVERSION_UNITS)),
  // Overrides of the givens: the frontmatter's `given` fields, same names, types and meanings
  // (profile, hardware, weightsIn, batch, paramBits, clockMHz, ...).
  ...givenSchema.shape,
});
export type AnswerProps = z.output<typeof answerPropsSchema>;
export const ANSWER_PROP_NAMES = Object.keys(answerPropsSchema.shape) as (keyof AnswerProps)[];

/** The givens an answer may override: every field of the frontmatter's `given`. */
const GIVEN_OVERRIDES = Object.keys(givenSchema.shape) as (keyof Given)[];

/** One answer's view of the problem: its givens (with overrides), the analysis under them, its layer. */
interface Solved {
  readonly given: Given;
  readonly hardwareProfiles?: HardwareRegistry;
  readonly conventions?: Partial<Conventions>;
  readonly block?: string;
  readonly report: ModelReport;
  readonly layer?: LayerReport;
  readonly model: Model;
  /** Its microcontroller figures, once worked out (cycles and latency are two answers of one computation). */
  mcu?: { cycles: Figure; latencyMs: Figure };
}

// ---- helpers the kinds share ------------------------------------------------------------------

function need<K extends keyof Given>(s: Solved, key: K, why: string): NonNullable<Given[K]> {
  const value = s.given[key];
  if (value === undefined) throw new Error(`${why} needs \`${key}\` (in the frontmatter's \`given\`, or as a prop of the answer)`);
  return value as NonNullable<Given[K]>;
}

/**
 * The microcontroller's clock f and cycles per MAC k: the givens, else the problem's hardware
 * profile (its clock, and its cycles per MAC at the parameters' precision).
 */
function mcuSpec(s: Solved): { clockMHz: number; cyclesPerMac: number } {
  const hw = s.given.hardware !== undefined ? profileNamed(s, s.given.hardware) : undefined;
  const precision = precisionForBits(s.report.paramBits);
  const clockMHz = s.given.clockMHz ?? hw?.clockMHz?.value;
  const cyclesPerMac = s.given.cyclesPerMac ?? pickPrecision(hw?.cyclesPerMac, precision)?.value;
  const missing = [...(clockMHz === undefined ? ['clockMHz'] : []), ...(cyclesPerMac === undefined ? ['cyclesPerMac'] : [])];
  if (clockMHz === undefined || cyclesPerMac === undefined) {
    const from = hw
      ? `hardware profile '${hw.id}' lists no ${missing.map((m) => (m === 'cyclesPerMac' ? `cycles per MAC at ${precision} (paramBits ${s.report.paramBits})` : 'clock')).join(' and ')}`
      : 'no `hardware` profile is named';
    throw new Error(`a microcontroller latency answer needs ${missing.map((m) => `\`${m}\``).join(' and ')}: ${from}; give it in \`given\` or name a profile that has it`);
  }
  return { clockMHz, cyclesPerMac };
}

/** cycles = MACs × k, and t = MACs × k / f: the latency written from the MACs, every symbol in its legend. */
function mcu(s: Solved): { cycles: Figure; latencyMs: Figure } {
  return (s.mcu ??= mcuFigures(s));
}

function mcuFigures(s: Solved) {
  const { clockMHz, cyclesPerMac } = mcuSpec(s);
  // The MACs as a named value, so the "where" line lists every symbol of t = MACs · k / (f · 10^3).
  const macs = variable(s.report.totals.macs.symbol, s.report.totals.macs.value, s.report.batch > 1 ? `multiply-accumulates of the batch of ${s.report.batch}` : 'multiply-accumulates per inference');
  const k = variable('k', cyclesPerMac, 'cycles per MAC');
  const cycles = mul(macs, k);
  // f in MHz is 10^3 cycles per ms times f.
  const latency = div(mul(macs, k), mul(variable('f', clockMHz, 'clock in MHz'), num(1000, '10^3')));
  return { cycles: figure('\\text{cycles}', 'cycles', 'cycles', cycles), latencyMs: figure('t', 'latency', 'ms', latency) };
}

/** The problem's hardware profile, for answers about it (fit). */
function hardwareOf(s: Solved, why: string): HardwareProfile {
  return profileNamed(s, need(s, 'hardware', why));
}

/** Does the model fit in the profile's flash (parameters) or SRAM (peak activations)? */
function fitOf(s: Solved, memory: MemoryKind) {
  const hw = hardwareOf(s, `a fit answer (${memory})`);
  const check = costModels().fitCheck(s.report, hw).checks.find((c) => c.memory === memory);
  if (!check) throw new Error(`hardware profile '${hw.id}' lists no ${memory === 'sram' ? 'SRAM' : memory} size`);
  return check;
}

const refOf = (f: Figure): Expr => ref(f.symbol, f.expr);

/** Output activations × b_a / 8: the bytes a layer's output (or all outputs) occupies. */
function activationBytes(s: Solved, activations: Figure, symbol: string): Figure {
  const bits = variable('b_a', s.report.activationBits, 'bits per activation');
  return figure(symbol, 'activation bytes', 'B', mul(refOf(activations), div(bits, num(8))));
}

/** Weights × b_w / 8: the lab's "weight size", which leaves the biases out. */
function weightBytes(s: Solved, weights: Figure, symbol: string): Figure {
  const bits = variable('b_w', s.layer?.weightBits ?? s.report.paramBits, 'bits per weight');
  return figure(symbol, 'weight bytes', 'B', mul(refOf(weights), div(bits, num(8))));
}

/** The roof of the answer's hardware, or of the peak and bandwidth the problem gives. */
function roofHardware(s: Solved): HardwareProfile {
  const { peakFlopsPerS, bandwidthBytesPerS, hardware } = s.given;
  if (peakFlopsPerS !== undefined || bandwidthBytesPerS !== undefined) {
    const source = 'given in the problem';
    return parseHardwareProfile({
      id: 'given-roof',
      name: 'the roof the problem gives',
      kind: 'reference',
      ...(peakFlopsPerS !== undefined ? { peakOpsPerS: { default: { value: peakFlopsPerS, source } } } : {}),
      ...(bandwidthBytesPerS !== undefined ? { memoryBandwidthBytesPerS: { value: bandwidthBytesPerS, source } } : {}),
    });
  }
  if (hardware === undefined) throw new Error('a roofline answer needs `hardware` (a hardware profile id) or `peakFlopsPerS` and `bandwidthBytesPerS`');
  return profileNamed(s, hardware);
}

/** A hardware profile by id, from those the page passed in; an unknown id lists the known ones. */
function profileNamed(s: Solved, id: string): HardwareProfile {
  const profiles = s.hardwareProfiles ?? {};
  const profile = profiles[id];
  if (!profile) throw new Error(`unknown hardware profile '${id}'; built in: ${Object.keys(profiles).join(', ') || 'none passed to solve()'}`);
  return profile;
}

/**
 * The roofline terms the answer is about: an operation the problem gives (`opFlops`, `opBytes`),
 * one layer, or the whole model (compute and memory overlapped, the lectures' estimate).
 */
function rooflineOf(s: Solved) {
  const hw = roofHardware(s);
  const { requireRoof, roofline, rooflineTerms } = costModels();
  const { opFlops, opBytes } = s.given;
  if (opFlops !== undefined || opBytes !== undefined) {
    if (opFlops === undefined || opBytes === undefined) throw new Error('an operation on the roof needs both `opFlops` and `opBytes`');
    const roof = requireRoof(hw, 'fp32');
    const W = figure('W', 'FLOPs of the operation', 'FLOPs', variable('W', opFlops, 'FLOPs of the operation'));
    const Q = figure('Q', 'bytes the operation moves', 'B', variable('Q', opBytes, 'bytes the operation moves'));
    return { roof, ...rooflineTerms(roof, W, Q) };
  }
  const rl = roofline(s.report, hw);
  if (s.layer) {
    const l = rl.layers.find((x) => x.layer.layer.id === s.layer!.layer.id);
    if (!l) throw new Error(`layer '${s.layer.layer.id}' does no work and moves no data on the roofline`);
    return { roof: rl.roof, ...l };
  }
  const t = rl.totals;
  return {
    roof: rl.roof,
    flops: t.flops,
    bytes: t.bytes,
    intensity: t.intensity,
    // P = min(π, I · β), the model taken as one operation
    attainable: rooflineTerms(rl.roof, t.flops, t.bytes).attainable,
    computeMs: t.computeMs,
    memoryMs: t.memoryMs,
    latencyMs: t.overlappedLatencyMs,
    layerwiseMs: t.latencyMs,
    bound: t.bound,
  };
}

function energyOf(s: Solved) {
  const hw = profileNamed(s, need(s, 'hardware', 'an energy answer'));
  if (!hw.energy) throw new Error(`hardware profile '${hw.id}' has no energy table; use one that has (horowitz-45nm)`);
  const weightsIn = need(s, 'weightsIn', 'an energy answer');
  return costModels().energyPerInference(s.report, hw.energy, { weightsIn });
}

function attention(s: Solved): { E: number; h: number } {
  const l = s.layer;
  if (!l || l.layer.type !== 'MultiheadAttention') throw new Error('needs `layer` naming a MultiheadAttention layer');
  const args = l.layer.args as { num_heads: number };
  return { E: l.layer.inputShape[1]!, h: args.num_heads };
}

// ---- the table of answer kinds ------------------------------------------------------------------

interface AnswerKind {
  /** What the answer is, for the reader: "Parameter storage". */
  readonly title: string;
  /** The whole model's figure; absent when the answer is only about one layer. */
  readonly total?: (s: Solved) => Figure;
  /** One layer's figure (`layer="conv1"`); absent when the answer has no per-layer form. */
  readonly layer?: (s: Solved, r: LayerReport) => Figure;
  /** A word that goes with the figure (roofline's "memory-bound"). */
  readonly verdict?: (s: Solved) => string;
  /**
   * A yes/no answer: the question's answer, read off the figure (a margin, an intensity). The
   * figure and its derivation are the reason; graded yes or no.
   */
  readonly decide?: (s: Solved) => boolean;
  /**
   * An answer that is a word: the words a student picks from, and which is right with the figures
   * it is read from (the LMS exports ask it as multiple choice).
   */
  readonly options?: { readonly words: readonly string[]; readonly pick: (s: Solved) => { index: number; against: Figure } };
}

const perLayer = (pick: (r: LayerReport) => Figure) => (_s: Solved, r: LayerReport) => pick(r);

/** Output height (0) or width (1) of a layer that slides a window, by default the model's first. */
function windowOutputSize(s: Solved, dim: 0 | 1, r?: LayerReport): Figure {
  const layer = r ?? s.report.layers.find((x) => x.outputSizes.length > dim);
  if (!layer) throw new Error('an output-size answer needs a convolution or pooling layer in the model');
  const size = layer.outputSizes[dim];
  if (!size) throw new Error(`layer '${layer.layer.id}' (${layer.layer.type}) computes no output ${dim === 0 ? 'height' : 'width'}; convolution and pooling layers do`);
  return size;
}

export const ANSWER_KINDS = {
  // ---- counts (src/engine/analysis) ----
  weights: { title: 'Weights', total: (s) => s.report.totals.weights, layer: perLayer((r) => r.weights) },
  biases: { title: 'Biases', total: (s) => s.report.totals.biases, layer: perLayer((r) => r.biases) },
  params: { title: 'Parameters', total: (s) => s.report.totals.params, layer: perLayer((r) => r.params) },
  paramBytes: { title: 'Parameter storage', total: (s) => s.report.totals.paramBytes, layer: perLayer((r) => r.paramBytes) },
  weightBytes: {
    title: 'Weight storage (biases excluded)',
    total: (s) => weightBytes(s, s.report.totals.weights, 'M_W'),
    layer: (s, r) => weightBytes(s, r.weights, `M^W_{\\text{${texText(r.layer.id)}}}`),
  },
  macs: { title: 'Multiply-accumulates per inference', total: (s) => s.report.totals.macs, layer: perLayer((r) => r.macs) },
  flops: { title: 'Floating-point operations', total: (s) => s.report.totals.flops, layer: perLayer((r) => r.flops) },
  ops: { title: 'Operations', total: (s) => s.report.totals.ops, layer: perLayer((r) => r.ops) },
  compute: {
    title: 'Compute count',
    total: (s) => profileOf(s).compute,
    layer: (s, r) => profileOf(s).layerCompute[s.report.layers.indexOf(r)]!,
  },
  activations: { title: 'Total activations', total: (s) => s.report.totals.activations, layer: perLayer((r) => r.activations) },
  activationsWithInput: { title: 'Activations, input included', total: (s) => s.report.totals.activationsWithInput },
  activationsWithoutInput: { title: 'Activations, input excluded', total: (s) => s.report.totals.activationsWithoutInput },
  inputActivations: { title: 'Input activations', total: (s) => s.report.totals.inputActivations, layer: perLayer((r) => r.inputActivations) },
  activationBytes: {
    title: 'Activation memory',
    total: (s) => activationBytes(s, s.report.totals.activations, 'M_A'),
    layer: (s, r) => activationBytes(s, r.activations, `M^a_{\\text{${texText(r.layer.id)}}}`),
  },
  activationBytesWithInput: {
    title: 'Activation memory, input included',
    total: (s) => activationBytes(s, s.report.totals.activationsWithInput, 'M_A'),
  },
  moduleMacs: { title: 'MACs of Linear and conv modules', total: (s) => dotTotal(s, 'modules') },
  matmulMacs: { title: 'MACs of matmuls outside modules (attention scores and values)', total: (s) => dotTotal(s, 'matmuls') },
  normElements: { title: 'Elements normalized (BatchNorm, LayerNorm, GroupNorm)', total: (s) => normElements(s) },
  countDifference: { title: "A tool's count minus the standard count", total: (s) => countDifference(s) },
  peakActivations: { title: 'Peak activations', total: (s) => s.report.totals.peakActivations },
  peakLiveActivations: { title: 'Peak live activations', total: (s) => s.report.totals.peakLiveActivations },
  sramBytes: { title: 'Temporary storage (SRAM)', total: (s) => s.report.totals.sramBytes },
  totalSpace: {
    title: 'Total space (parameters + activations)',
    // S = |P| + A, in elements (seed 001 multiplies by the data type's size afterwards)
    total: (s) => figure('S', 'total space', 'count', add(refOf(s.report.totals.params), refOf(s.report.totals.activations))),
  },
  totalSpaceBytes: {
    title: 'Total space in bytes',
    total: (s) => {
      const t = s.report.totals;
      return figure('M_S', 'total space', 'B', add(refOf(t.paramBytes), refOf(activationBytes(s, t.activations, 'M_A'))));
    },
  },
  outputSize: { title: 'Output size', layer: (s, r) => windowOutputSize(s, 0, r) },
  // The first convolution or pooling layer's, unless a layer is named (randomized practice asks these).
  outputHeight: { title: 'Output height', total: (s) => windowOutputSize(s, 0), layer: (s, r) => windowOutputSize(s, 0, r) },
  outputWidth: { title: 'Output width', total: (s) => windowOutputSize(s, 1), layer: (s, r) => windowOutputSize(s, 1, r) },
  receptiveField: {
    title: 'Receptive field',
    total: (s) => {
      if (!s.report.receptiveField) throw new Error('the model has no convolution, so no receptive field');
      return s.report.receptiveField;
    },
    layer: (_s, r) => {
      if (!r.receptiveField) throw new Error(`layer '${r.layer.id}' has no receptive field (it is not in a convolution stack)`);
      return r.receptiveField;
    },
  },
  embedDim: { title: 'Embedding size d_model', layer: (s) => figure('d_{\\text{model}}', 'embedding size', 'count', variable('E', attention(s).E, 'embedding size')) },
  heads: { title: 'Attention heads', layer: (s) => figure('h', 'heads', 'count', variable('h', attention(s).h, 'heads')) },
  headDim: {
    title: 'Head size d_k',
    layer: (s) => {
      const { E, h } = attention(s);
      return figure('d_k', 'head size', 'count', div(variable('E', E, 'embedding size'), variable('h', h, 'heads')));
    },
  },

  gemms: { title: 'GEMMs in the block', total: (s) => gemmCount(gemmsOf(s.model, needBlock(s), s.report.batch)) },
  gemmMacs: { title: 'MACs of the block’s GEMMs', total: (s) => gemmMacs(gemmsOf(s.model, needBlock(s), s.report.batch)) },

  // ---- microcontroller (HW1): cycles = MACs × k, t = cycles / f ----
  cycles: { title: 'Cycles per inference', total: (s) => mcu(s).cycles },
  latencyMs: { title: 'Latency per inference', total: (s) => mcu(s).latencyMs },

  // ---- seed 001: latency = operations / speed, throughput = speed / operations ----
  opsLatencyMs: {
    title: 'Latency (operations / speed)',
    total: (s) => {
      const S = variable('S', need(s, 'speedOpsPerS', 'an operations latency'), 'operations per second');
      return figure('t', 'latency', 'ms', mul(div(refOf(s.report.totals.ops), S), num(1000, '10^3')));
    },
  },
  opsThroughput: {
    title: 'Throughput (speed / operations)',
    total: (s) => {
      const S = variable('S', need(s, 'speedOpsPerS', 'an operations throughput'), 'operations per second');
      const n = s.report.batch;
      // inputs processed one after another: n S / ops (ops of the whole batch)
      const perSecond = n === 1 ? S : mul(variable('n', n, 'batch size'), S);
      return figure('T', 'throughput', 'samples/s', div(perSecond, refOf(s.report.totals.ops)));
    },
  },

  // ---- roofline (lectures): I = W / Q, P = min(π, I β), t ≈ max(W / π, Q / β) ----
  peakPerformance: { title: 'Peak performance π', total: (s) => rooflineOf(s).roof.peak },
  bandwidth: { title: 'Memory bandwidth β', total: (s) => rooflineOf(s).roof.bandwidth },
  ridge: { title: 'Ridge point π / β', total: (s) => rooflineOf(s).roof.ridge },
  bytesMoved: { title: 'Bytes moved', total: (s) => rooflineOf(s).bytes, layer: (s) => rooflineOf(s).bytes },
  intensity: { title: 'Operational intensity', total: (s) => rooflineOf(s).intensity, layer: (s) => rooflineOf(s).intensity },
  attainable: { title: 'Attainable performance', total: (s) => rooflineOf(s).attainable, layer: (s) => rooflineOf(s).attainable },
  computeTimeMs: { title: 'Compute time T_compute', total: (s) => rooflineOf(s).computeMs, layer: (s) => rooflineOf(s).computeMs },
  memoryTimeMs: { title: 'Memory time T_memory', total: (s) => rooflineOf(s).memoryMs, layer: (s) => rooflineOf(s).memoryMs },
  rooflineLatencyMs: {
    title: 'Latency ≈ max(T_compute, T_memory)',
    total: (s) => rooflineOf(s).latencyMs,
    layer: (s) => rooflineOf(s).latencyMs,
  },
  bound: {
    title: 'Bound',
    // The figure is the intensity; the verdict compares it with the ridge point.
    total: (s) => rooflineOf(s).intensity,
    layer: (s) => rooflineOf(s).intensity,
    verdict: (s) => `${rooflineOf(s).bound}-bound`,
    options: {
      words: ['memory-bound', 'compute-bound'],
      pick: (s) => ({ index: rooflineOf(s).bound === 'memory' ? 0 : 1, against: rooflineOf(s).roof.ridge }),
    },
  },
  layerwiseLatencyMs: {
    title: 'Latency, layer after layer',
    total: (s) => {
      const r = rooflineOf(s);
      if (!('layerwiseMs' in r) || !r.layerwiseMs) throw new Error('the layer-by-layer latency is a whole-model answer');
      return r.layerwiseMs;
    },
  },
  throughput: {
    title: 'Throughput',
    total: (s) => costModels().throughputVsBatch(s.report, roofHardware(s), { batches: [s.report.batch] }).points[0]!.throughput,
  },

  // ---- yes/no: the figure is the reason, `decide` the answer ----
  fitsInFlash: {
    title: 'Do the parameters fit in flash?',
    total: (s) => fitOf(s, 'flash').margin,
    verdict: (s) => fitVerdict(fitOf(s, 'flash')),
    decide: (s) => fitOf(s, 'flash').fits,
  },
  fitsInSram: {
    title: 'Do the activations fit in SRAM?',
    total: (s) => fitOf(s, 'sram').margin,
    verdict: (s) => fitVerdict(fitOf(s, 'sram')),
    decide: (s) => fitOf(s, 'sram').fits,
  },
  computeBound: {
    title: 'Is it compute-bound?',
    total: (s) => rooflineOf(s).intensity,
    layer: (s) => rooflineOf(s).intensity,
    verdict: (s) => ridgeVerdict(s),
    decide: (s) => rooflineOf(s).bound === 'compute',
  },
  memoryBound: {
    title: 'Is it memory-bound?',
    total: (s) => rooflineOf(s).intensity,
    layer: (s) => rooflineOf(s).intensity,
    verdict: (s) => ridgeVerdict(s),
    decide: (s) => rooflineOf(s).bound === 'memory',
  },

  // ---- energy (lectures, Horowitz 45 nm) ----
  macEnergyPj: { title: 'Multiply-accumulate energy', total: (s) => energyOf(s).macEnergyPj },
  weightAccesses: { title: 'Weight accesses (32-bit)', total: (s) => energyOf(s).weightAccesses },
  weightEnergyPj: { title: 'Weight access energy', total: (s) => energyOf(s).weightEnergyPj },
  activationAccesses: { title: 'Activation accesses (32-bit)', total: (s) => energyOf(s).activationAccesses },
  activationEnergyPj: { title: 'Activation access energy', total: (s) => energyOf(s).activationEnergyPj },
  energyUj: { title: 'Energy per inference', total: (s) => energyOf(s).energyUj },

  // ---- language models (answers-llm.ts) ----
  ...llmAnswerKinds<Solved>((s) => llmHardware(s)),
} as const satisfies Record<string, AnswerKind>;

const onHardware = new WeakMap<object, Map<string, LlmOnHardware>>();

/** The answer's language model on its hardware profile (kept per analysis and profile). */
function llmHardware(s: Solved): LlmOnHardware {
  const llm = llmOf(s);
  const hw = hardwareOf(s, 'a language model on hardware');
  let byId = onHardware.get(llm);
  if (!byId) onHardware.set(llm, (byId = new Map()));
  let result = byId.get(hw.id);
  if (!result) byId.set(hw.id, (result = costModels().llmOnHardware(llm, hw)));
  return result;
}

/** "below the ridge point 5.3 FLOP/B", beside the intensity it compares. */
function ridgeVerdict(s: Solved): string {
  const r = rooflineOf(s);
  const below = r.intensity.value < r.roof.ridge.value;
  return `${below ? 'below' : 'at or above'} the ridge point ${formatNumber(Number(r.roof.ridge.value.toPrecision(3)))} FLOP/B`;
}

/** "54,170 B of 1,048,576 B", beside the margin. */
function fitVerdict(check: { need: Figure; capacity: Figure }): string {
  return `${formatNumber(check.need.value)} B of ${formatNumber(check.capacity.value)} B`;
}

/**
 * MACs of the dot products that are modules of their own (Linear, Conv: what module hooks such as
 * thop see) or of those that are not (attention's Q Kᵀ and A V, plain torch.matmul calls).
 */
function dotTotal(s: Solved, which: 'modules' | 'matmuls'): Figure {
  const n = s.report.batch;
  const terms = s.report.layers.flatMap((r) =>
    r.work.flatMap((w) => (w.op === 'dot' && w.module === (which === 'modules') ? [mul(w.outputs, w.length)] : [])),
  );
  if (terms.length === 0) throw new Error(`the model has no ${which === 'modules' ? 'Linear or conv module' : 'matmul outside a module'}`);
  const perSample = sum(`\\sum ${which === 'modules' ? '\\text{MACs}_{\\text{module}}' : '\\text{MACs}_{\\text{matmul}}'}`, terms);
  const symbol = which === 'modules' ? '\\text{MACs}_{\\text{modules}}' : '\\text{MACs}_{\\text{matmul}}';
  return figure(symbol, 'multiply-accumulates', 'MACs', n === 1 ? perSample : mul(variable('n', n, 'batch size'), ref('\\text{per sample}', perSample)));
}

/** The elements every norm layer normalizes, whole batch: what thop, fvcore and torchprofile count per element. */
function normElements(s: Solved): Figure {
  const terms = s.report.layers.flatMap((r) => r.work.flatMap((w) => (w.op === 'norm' ? [w.outputs] : [])));
  if (terms.length === 0) throw new Error('the model has no BatchNorm, LayerNorm or GroupNorm');
  const perSample = sum('\\sum_\\ell |x_\\ell|', terms);
  const n = s.report.batch;
  return figure('E_{\\text{norm}}', 'elements normalized', 'count', n === 1 ? perSample : mul(variable('n', n, 'batch size'), ref('\\text{per sample}', perSample)));
}

/**
 * The given profile's count minus the standard MACs, as the sum of the tool's terms (each a rule's
 * coefficient times its quantity, as `workbook analyze --profiles` lists them); for a profile that
 * is not a tool, the two counts subtracted.
 */
function countDifference(s: Solved): Figure {
  const p = profileOf(s);
  const scaled = (c: number, q: Expr) => (Math.abs(c) === 1 ? q : mul(num(Math.abs(c)), q));
  if (!p.profile.counter) return figure('\\Delta', `${p.profile.label} − standard`, p.profile.unit, sub(ref(p.compute.symbol, p.compute.expr), ref('\\text{MACs}', p.standard.expr)));
  // What the tool adds, then what it misses.
  const added = p.terms.filter((t) => t.coefficient > 0).map((t) => scaled(t.coefficient, t.quantity.expr));
  let expr: Expr = added.length > 0 ? addAll(added) : num(0);
  for (const t of p.terms) if (t.coefficient < 0) expr = sub(expr, scaled(t.coefficient, t.quantity.expr));
  return figure('\\Delta', `${p.profile.label} − standard`, p.profile.unit, expr);
}

function needBlock(s: Solved): string {
  if (!s.block) throw new Error('a GEMM answer needs `block` (a dotted prefix such as encoder.layer.0)');
  return s.block;
}

/** Profile totals by model (kept on the model: memo.ts), profile and options: several answers of a problem read the same one. */
const PROFILE_TOTALS = Symbol('profile totals');

function profileOf(s: Solved) {
  return cachedProfile(s.model, s.given.profile ?? 'standard', analyzeOptions(s.given, s.model, s.conventions));
}

function cachedProfile(model: Model, id: ProfileId, options: ReturnType<typeof analyzeOptions>) {
  const byKey = memoOf(model, PROFILE_TOTALS, () => new Map<string, ProfileTotals>());
  const key = JSON.stringify([id, options]);
  let totals = byKey.get(key);
  if (!totals) {
    const { profileOptions, profileTotals } = countingProfiles();
    byKey.set(key, (totals = profileTotals(model, id, options, analyzeOnce(model, profileOptions(id, options)))));
  }
  return totals;
}

/**
 * The last analysis made for the answers, by model and options: a problem's answers under several
 * tools' profiles without conventions of their own (thop, fvcore, torchprofile) and the standard
 * count read one analysis. One slot, not a table: variants make models by the thousand, each
 * analyzed once, and keeping a table on each cost more than it saved.
 */
let lastAnalysis: { model: Model; options: AnalyzeOptions; key: string | undefined; report: ModelReport } | undefined;

function analyzeOnce(model: Model, options: AnalyzeOptions): ModelReport {
  // A variant's model is new: the options' key is written only when the model is the last one's.
  const last = lastAnalysis;
  if (last?.model === model && (last.key ??= optionsKey(last.options)) === optionsKey(options)) return last.report;
  const report = analyze(model, options);
  lastAnalysis = { model, options, key: undefined, report };
  return report;
}

function optionsKey(options: AnalyzeOptions): string {
  const c = options.conventions;
  return JSON.stringify([options.batch, options.paramBits, options.biasBits, options.activationBits, options.optimizer, options.layerPrecision, c && Object.keys(c).length > 0 ? c : undefined]);
}

export type AnswerName = keyof typeof ANSWER_KINDS;
export const ANSWER_NAMES = Object.keys(ANSWER_KINDS) as AnswerName[];

export function isAnswerName(name: string): name is AnswerName {
  return ANSWER_NAME_SET.has(name);
}

const ANSWER_NAME_SET: ReadonlySet<string> = new Set(ANSWER_NAMES);

// ---- solving --------------------------------------------------------------------------------

/**
 * The analysis the givens ask for. A language model is taken at its LLM precision (16 bits) unless
 * `paramBits` says otherwise, so its roofline, bytes and LLM answers agree on one precision.
 */
function analyzeOptions(given: Given, model: Model, conventions?: Partial<Conventions>) {
  const paramBits = given.paramBits ?? (isLanguageModel(model) ? LLM_DEFAULT_BITS : undefined);
  return {
    ...(conventions ? { conventions } : {}),
    ...(given.batch !== undefined ? { batch: given.batch } : {}),
    ...(paramBits !== undefined ? { paramBits } : {}),
    ...(given.activationBits !== undefined ? { activationBits: given.activationBits } : {}),
  };
}

function analyzeUnder(model: Model, given: Given, conventions?: Partial<Conventions>): ModelReport {
  const profile = given.profile ? cachedProfile(model, given.profile, analyzeOptions(given, model, conventions)) : undefined;
  return profile ? profile.report : analyzeOnce(model, analyzeOptions(given, model, conventions));
}

/**
 * Solves a problem; `conventions` overrides the course's counting choices (mistake hints use it);
 * `extras` carries the frontmatter's tables and measurements for <FigureTable>.
 */
export function solve(
  model: Model,
  given: Given,
  conventions?: Partial<Conventions>,
  extras: {
    tables?: Record<string, FigureTableData> | undefined;
    measurements?: Record<string, Measurement> | undefined;
    hardwareProfiles?: HardwareRegistry | undefined;
  } = {},
): ProblemContext {
  return {
    model,
    given,
    report: analyzeUnder(model, given, conventions),
    ...(conventions ? { conventions } : {}),
    ...(extras.tables ? { tables: extras.tables } : {}),
    ...(extras.measurements ? { measurements: extras.measurements } : {}),
    ...(extras.hardwareProfiles ? { hardwareProfiles: extras.hardwareProfiles } : {}),
  };
}

/** Reports under overridden givens, per problem: a page asks for the same variant many times. */
const REPORTS_UNDER = Symbol('reports under overridden givens');

function solvedFor(ctx: ProblemContext, props: AnswerProps): Solved {
  if (props !== noProps) return solvedWith(ctx, props);
  const p = plainOf(ctx);
  return (p.solved ??= solvedWith(ctx, props));
}

function solvedWith(ctx: ProblemContext, props: AnswerProps): Solved {
  // No props (nearly every answer of a variant): the problem's own givens, not a copy.
  const g = props === noProps ? ctx.given : overridden(ctx.given, props);
  const changes = g !== ctx.given && (['batch', 'paramBits', 'activationBits', 'profile'] as const).some((k) => g[k] !== ctx.given[k]);
  let report = ctx.report;
  if (changes) {
    const key = JSON.stringify([g.batch, g.paramBits, g.activationBits, g.profile]);
    // Kept on the context (memo.ts), not in a WeakMap: a key for a roster makes a context per student.
    const cache = memoOf(ctx, REPORTS_UNDER, () => new Map<string, ModelReport>());
    report = cache.get(key) ?? analyzeUnder(ctx.model, g, ctx.conventions);
    cache.set(key, report);
  }
  let layer: LayerReport | undefined;
  if (props.layer !== undefined) {
    layer = report.layers.find((r) => r.layer.id === props.layer);
    if (!layer) {
      const ids = report.layers.map((r) => r.layer.id);
      const shown = ids.length > 40 ? [...ids.slice(0, 40), `... (${ids.length} layers)`] : ids;
      throw new Error(`layer="${props.layer}": no such layer in ${ctx.model.name}; layers: ${shown.join(', ')}`);
    }
  }
  return { given: g, report, model: ctx.model, ...(ctx.hardwareProfiles ? { hardwareProfiles: ctx.hardwareProfiles } : {}), ...(ctx.conventions ? { conventions: ctx.conventions } : {}), ...(layer ? { layer } : {}), ...(props.block ? { block: props.block } : {}) };
}

/** The givens with an answer's props in place of the frontmatter's (`paramBits={16}`). */
function overridden(given: Given, props: AnswerProps): Given {
  const out: Record<string, unknown> = { ...given };
  for (const key of GIVEN_OVERRIDES) if (props[key] !== undefined) out[key] = props[key];
  return out as Given;
}

/** `<Answer of="params" layer="conv1">`, for error messages. */
function tagOf(name: string, props: AnswerProps): string {
  const attrs = Object.entries(props).map(([k, v]) => (typeof v === 'string' ? ` ${k}="${v}"` : ` ${k}={${v}}`));
  return `<Answer of="${name}"${attrs.join('')}>`;
}

/** Validates an answer's props; unknown props or bad values are errors that list what is allowed. */
export function parseAnswerProps(raw: Record<string, unknown>, name: string, file: string): AnswerProps {
  // An answer asked without props (the variant sampler asks every draw): no list of keys made.
  if (raw === NO_RAW_PROPS && noProps) return noProps;
  const keys = Object.keys(raw);
  // Most answers have no props: the schema's result for {} is computed once (the bench spent a
  // quarter of its time in sampling HW1 variants re-validating empty props).
  if (keys.length === 0) return (noProps ??= parseAnswerPropsOf({}, name, file));
  const unknown = keys.filter((k) => !(ANSWER_PROP_NAMES as string[]).includes(k));
  if (unknown.length > 0) {
    throw new Error(`${file}: <Answer of="${name}">: unknown prop ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: of, expect, title, ${ANSWER_PROP_NAMES.join(', ')}`);
  }
  // The same props are asked again for every variant of a problem: validated once per text.
  const key = propsKey(raw);
  const known = key === undefined ? undefined : parsedProps.get(key);
  if (known) return known;
  const props = parseAnswerPropsOf(raw, name, file);
  if (key !== undefined) {
    if (parsedProps.size >= 10_000) parsedProps.clear();
    parsedProps.set(key, props);
  }
  return props;
}

let noProps: AnswerProps | undefined;
/** The props of an answer asked without any. */
const NO_RAW_PROPS: Record<string, unknown> = Object.freeze({});
const parsedProps = new Map<string, AnswerProps>();

/** The props as text when every value is a string, a finite number or a boolean; else undefined (not kept). */
function propsKey(raw: Record<string, unknown>): string | undefined {
  let key = '';
  for (const k in raw) {
    const v = raw[k];
    if (typeof v === 'string') key += JSON.stringify(k) + ':' + JSON.stringify(v) + ';';
    else if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') key += JSON.stringify(k) + ':' + String(Object.is(v, -0) ? '-0' : v) + ';';
    else return undefined;
  }
  return key;
}

function parseAnswerPropsOf(raw: Record<string, unknown>, name: string, file: string): AnswerProps {
  const parsed = answerPropsSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${file}: <Answer of="${name}">: ${issues}`);
  }
  return Object.freeze(parsed.data);
}

/** Converts a figure to the unit `to` (bytes to kB, MiB, ...; milliseconds to s or µs). */
function convert(f: Figure, to: string): Figure {
  const table = (CONVERSIONS as Record<string, Record<string, { by: number; tex: string }>>)[f.unit];
  const conversion = table?.[to];
  if (conversion === undefined) {
    throw new Error(`in="${to}": a figure in ${f.unit} converts to ${table ? Object.keys(table).join(', ') : 'no other unit'}`);
  }
  // 1 µs is 10^{-3} ms: multiply by 10^3 rather than divide by a fraction.
  const expr = conversion.by < 1 ? mul(f.expr, num(1 / conversion.by, '10^3')) : div(f.expr, num(conversion.by, conversion.tex));
  return figure(f.symbol, f.label, to as Unit, expr);
}

/** The figure for an answer name, or an error naming the file and listing the allowed names. */
export function answerFigure(ctx: ProblemContext, name: string, file: string, rawProps: Record<string, unknown> = NO_RAW_PROPS): Figure {
  if (!isAnswerName(name)) {
    throw new Error(`${file}: <Answer of="${name}">: unknown answer; allowed: ${ANSWER_NAMES.join(', ')}`);
  }
  const props = parseAnswerProps(rawProps, name, file);
  // An answer without props is asked again of the context just solved: by the variant sampler (is
  // it a homework answer?), then by the page or the answer key.
  const plain = props === noProps ? plainOf(ctx) : undefined;
  const known = plain?.figures[ANSWER_INDEX[name]];
  if (known) return known;
  const kind: AnswerKind = ANSWER_KINDS[name];
  try {
    const s = solvedFor(ctx, props);
    let f: Figure;
    if (s.layer) {
      if (!kind.layer) throw new Error(`this answer is about the whole model and takes no \`layer\`; answers with a layer: ${ANSWER_NAMES.filter((n) => (ANSWER_KINDS[n] as AnswerKind).layer).join(', ')}`);
      f = kind.layer(s, s.layer);
    } else {
      if (!kind.total) throw new Error('this answer is about one layer: name it with `layer="..."`');
      f = kind.total(s);
    }
    f = props.in ? convert(f, props.in) : f;
    if (plain) plain.figures[ANSWER_INDEX[name]] = f;
    return f;
  } catch (error) {
    throw new Error(`${file}: ${tagOf(name, props)}: ${(error as Error).message}`);
  }
}

/**
 * Answers without props of the last context asked about: its view and its figures by answer
 * (a figure is immutable). One context, not a table of them: contexts are made by the thousand
 * (every draw of the sampler), and a table keyed by each costs more than it saves.
 */
let plain: { ctx: ProblemContext | undefined; solved: Solved | undefined; figures: (Figure | undefined)[] } = { ctx: undefined, solved: undefined, figures: [] };

function plainOf(ctx: ProblemContext) {
  if (plain.ctx !== ctx) plain = { ctx, solved: undefined, figures: [] };
  return plain;
}

const ANSWER_INDEX = Object.fromEntries(ANSWER_NAMES.map((n, i) => [n, i])) as Record<AnswerName, number>;

/** A word that goes with the figure (e.g. "memory-bound"), for the answers that have one. */
export function answerVerdict(ctx: ProblemContext, name: string, file: string, rawProps: Record<string, unknown> = NO_RAW_PROPS): string | undefined {
  if (!isAnswerName(name)) return undefined;
  const kind: AnswerKind = ANSWER_KINDS[name];
  if (!kind.verdict) return undefined;
  const props = parseAnswerProps(rawProps, name, file);
  return kind.verdict(solvedFor(ctx, props));
}

/**
 * An answer that is a word (`bound`): the words to pick from, the engine's, and the figure the
 * answer's own is compared with (the ridge point); undefined for other answers.
 */
export function answerOptions(
  ctx: ProblemContext,
  name: string,
  file: string,
  rawProps: Record<string, unknown> = NO_RAW_PROPS,
): { words: readonly string[]; index: number; against: Figure } | undefined {
  if (!isAnswerName(name)) return undefined;
  const kind: AnswerKind = ANSWER_KINDS[name];
  if (!kind.options) return undefined;
  const props = parseAnswerProps(rawProps, name, file);
  return { words: kind.options.words, ...kind.options.pick(solvedFor(ctx, props)) };
}

/** An author's stated value must equal the engine's; the build stops otherwise. */
export function checkExpected(figure: Figure, expected: number, name: string, file: string): void {
  // NaN would compare unequal to nothing and pass; Infinity is no figure.
  if (typeof expected !== 'number' || !Number.isFinite(expected)) throw new Error(`${file}: <Answer of="${name}" expect={${String(expected)}}>: expect is a finite number`);
  const tolerance = Number.isInteger(figure.value) ? 0 : Math.abs(figure.value) * 1e-9;
  if (Math.abs(figure.value - expected) > tolerance) {
    throw new Error(
      `${file}: <Answer of="${name}" expect={${expected}}>: the author expects ${expected} but the engine computes ${figure.value}`,
    );
  }
}

// ---- yes/no and multiple choice --------------------------------------------------------------

/** Whether an answer name is a yes/no question (`fitsInFlash`, `computeBound`, ...). */
export function isDecision(name: string): boolean {
  return isAnswerName(name) && (ANSWER_KINDS[name] as AnswerKind).decide !== undefined;
}

/** The engine's yes or no for a yes/no answer, with the figure it is read from. */
export function answerDecision(ctx: ProblemContext, name: string, file: string, rawProps: Record<string, unknown> = NO_RAW_PROPS): { yes: boolean; figure: Figure } {
  const figure = answerFigure(ctx, name, file, rawProps);
  const kind: AnswerKind = ANSWER_KINDS[name as AnswerName];
  if (!kind.decide) throw new Error(`${file}: <Answer of="${name}">: not a yes/no answer`);
  const props = parseAnswerProps(rawProps, name, file);
  return { yes: kind.decide(solvedFor(ctx, props)), figure };
}

/**
 * One option of a multiple-choice question: a layer id (`"conv1"`), or a label with the answer
 * props that make it (`{ label: "weights at 16 bits", paramBits: 16 }`).
 */
export type ChoiceOption = string | ({ label: string } & Record<string, unknown>);

/** How the engine picks the right option: the largest figure, the smallest, or the one at `ratio` × the problem's own. */
export type ChoicePick = 'max' | 'min' | { ratio: number };

export interface ChoiceResult {
  /** The index of the right option. */
  readonly index: number;
  readonly labels: readonly string[];
  readonly figures: readonly Figure[];
  /** The problem's own figure (no option's props), which a ratio compares with. */
  readonly base?: Figure;
}

export function choiceLabel(option: ChoiceOption): string {
  return typeof option === 'string' ? option : option.label;
}

/** The props an option selects its figure with: a layer id, or its own props. */
function choiceProps(option: ChoiceOption): Record<string, unknown> {
  if (typeof option === 'string') return { layer: option };
  const { label: _label, ...props } = option;
  return props;
}

/**
 * Which option is right, computed: each option's figure for answer `of`, then the largest, the
 * smallest, or the one whose figure is `ratio` times the problem's own ("halves the model size":
 * ratio 0.5). Exactly one option must be right; a tie or no match is the author's error.
 */
export function choiceAnswer(ctx: ProblemContext, of: string, pick: ChoicePick, options: readonly ChoiceOption[], file: string): ChoiceResult {
  const tag = `<Choice of="${of}">`;
  if (options.length < 2) throw new Error(`${file}: ${tag}: a choice needs at least two options`);
  const labels = options.map(choiceLabel);
  const figures = options.map((o) => answerFigure(ctx, of, file, choiceProps(o)));
  const values = figures.map((f) => f.value);
  let right: number[];
  let base: Figure | undefined;
  if (pick === 'max' || pick === 'min') {
    const best = pick === 'max' ? Math.max(...values) : Math.min(...values);
    right = values.flatMap((v, i) => (v === best ? [i] : []));
  } else {
    base = answerFigure(ctx, of, file);
    const target = base.value * pick.ratio;
    right = values.flatMap((v, i) => (Math.abs(v - target) <= Math.abs(target) * 1e-9 ? [i] : []));
  }
  if (right.length !== 1) {
    const said = pick === 'max' ? 'the largest' : pick === 'min' ? 'the smallest' : `${pick.ratio} × the problem's ${formatNumber(base!.value)}`;
    throw new Error(
      `${file}: ${tag}: ${right.length === 0 ? 'no option gives' : `options ${right.map((i) => `'${labels[i]}'`).join(' and ')} all give`} ${said}; options give ${labels.map((l, i) => `${l}: ${formatNumber(values[i]!)}`).join(', ')}`,
    );
  }
  return { index: right[0]!, labels, figures, ...(base ? { base } : {}) };
}

/** A `<Choice>`'s question: the author's title, else `Which option has the largest MACs?`. */
export function choiceHeading(of: string, pick: ChoicePick, title?: string): string {
  if (title !== undefined) return title;
  const kindTitle = isAnswerName(of) ? ANSWER_KINDS[of].title.toLowerCase() : of;
  return typeof pick === 'object' ? `Which option gives ${pick.ratio} × the ${kindTitle}?` : `Which option has the ${pick === 'max' ? 'largest' : 'smallest'} ${kindTitle}?`;
}
