/**
 * The roofline model (lectures 003/004). Per layer: FLOPs W, bytes moved Q, operational intensity
 * I = W / Q, attainable performance P = min(π, I · β), T_compute = W / π, T_memory = Q / β and
 * latency ≈ max(T_compute, T_memory); the layer is memory-bound when I is below the ridge π / β.
 */
import type { LayerReport, ModelReport } from '../analysis/analyze.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { add, div, max, min, mul, num, ref, sum, variable, type Expr } from '../math/expr.ts';
import { texText } from '../math/latex.ts';
import { ModelError } from '../errors.ts';
import { HardwareError, pickPrecision, precisionForBits, type HardwareProfile, type Precision } from '../hardware/profile.ts';
import { layerSymbol, layerTraffic, refFigure, toMs, type TrafficOptions } from './traffic.ts';

export type Bound = 'compute' | 'memory';

/** The two roofs of a chip: peak compute π and memory bandwidth β, and where they meet. */
export interface Roof {
  /** π, operations per second (a MAC counts 2). */
  readonly peak: Figure;
  /** β, bytes per second. */
  readonly bandwidth: Figure;
  /** π / β: the intensity above which a layer is compute-bound. */
  readonly ridge: Figure;
}

export interface RooflineOptions extends TrafficOptions {
  /** Precision whose peak applies; default from the parameter bits (8 → int8, 16 → fp16, 32 → fp32). */
  readonly precision?: Precision;
}

export interface RooflineTerms {
  readonly flops: Figure;
  readonly bytes: Figure;
  readonly intensity: Figure;
  readonly attainable: Figure;
  readonly computeMs: Figure;
  readonly memoryMs: Figure;
  readonly latencyMs: Figure;
  readonly bound: Bound;
}

/** One layer's terms on the roof. */
export interface LayerRoofline extends RooflineTerms {
  readonly layer: LayerReport;
}

export interface Roofline {
  readonly hardware: HardwareProfile;
  readonly precision: Precision;
  readonly roof: Roof;
  /** Layers that do work or move data; fused in-place layers and views are left out. */
  readonly layers: readonly LayerRoofline[];
  readonly totals: {
    readonly flops: Figure;
    readonly bytes: Figure;
    readonly intensity: Figure;
    /** Σ T_compute,ℓ */
    readonly computeMs: Figure;
    /** Σ T_memory,ℓ */
    readonly memoryMs: Figure;
    /** Σ max(T_compute,ℓ, T_memory,ℓ): layers run one after another, each at its own roof. */
    readonly latencyMs: Figure;
    /** max(Σ T_compute, Σ T_memory): the lectures' whole-network estimate, compute and memory fully overlapped. */
    readonly overlappedLatencyMs: Figure;
    /** Memory-bound when Σ T_memory > Σ T_compute. */
    readonly bound: Bound;
  };
}

/**
 * The roof of `hardware` at `precision`, or the list of fields it lacks. The peak is the profile's
 * own, else derived from its clock and cycles per MAC: π = 2 · f · 10^6 / k.
 */
export function roofOf(hardware: HardwareProfile, precision: Precision): Roof | { missing: string[] } {
  const missing: string[] = [];
  let peak: Expr | undefined;
  const listed = pickPrecision(hardware.peakOpsPerS, precision);
  const cycles = pickPrecision(hardware.cyclesPerMac, precision);
  if (listed) {
    peak = variable('\\pi', listed.value, `peak operations per second (${listed.key})`);
  } else if (hardware.clockMHz && cycles) {
    // Each MAC is 2 operations; the core retires one MAC every k cycles.
    peak = ref('\\pi', div(mul(num(2), variable('f', hardware.clockMHz.value, 'clock in MHz'), num(1e6, '10^6')), variable('k', cycles.value, `cycles per MAC (${cycles.key})`)));
  } else {
    missing.push(`peakOpsPerS.${precision} (or clockMHz and cyclesPerMac.${precision})`);
  }
  const bw = hardware.memoryBandwidthBytesPerS;
  if (!bw) missing.push('memoryBandwidthBytesPerS');
  if (!peak || !bw) return { missing };
  const bandwidth = variable('\\beta', bw.value, 'memory bandwidth in B/s');
  return {
    peak: figure('\\pi', 'peak performance', 'FLOP/s', peak),
    bandwidth: figure('\\beta', 'memory bandwidth', 'B/s', bandwidth),
    ridge: figure('I_{\\text{ridge}}', 'ridge point', 'FLOP/B', div(ref('\\pi', peak), ref('\\beta', bandwidth))),
  };
}

/** A model none of whose layers does work or moves data (only views and fused activations). */
export class NothingToCost extends ModelError {
  constructor(model: string) {
    super(model, [], 'no layer does work or moves data (only views and in-place activations): the roofline model has nothing to cost');
  }
}

/** The roof, or a `HardwareError` naming the profile and the fields it lacks. */
export function requireRoof(hardware: HardwareProfile, precision: Precision): Roof {
  const roof = roofOf(hardware, precision);
  if ('missing' in roof) {
    throw new HardwareError(roof.missing.map((field) => ({ field, message: 'needed for the roofline model, not in the profile' })), undefined, hardware.id);
  }
  return roof;
}


/**
 * One operation on the roof: W FLOPs moving Q bytes. `name` subscripts the symbols (a layer's path,
 * or `op1` for the lectures' table).
 */
export function rooflineTerms(roof: Roof, flops: Figure, bytes: Figure, name?: string): RooflineTerms {
  const s = (base: string) => (name ? `${base}_{\\text{${name}}}` : base);
  const W = refFigure(flops);
  const Q = refFigure(bytes);
  const pi = refFigure(roof.peak);
  const beta = refFigure(roof.bandwidth);
  // I = W / Q
  const intensity = figure(s('I'), 'operational intensity', 'FLOP/B', div(W, Q));
  // P = min(π, I · β)
  const attainable = figure(s('P'), 'attainable performance', 'FLOP/s', min(pi, mul(refFigure(intensity), beta)));
  // T_compute = W / π ;  T_memory = Q / β
  const computeMs = figure(s('T^{\\text{comp}}'), 'compute time', 'ms', toMs(div(W, pi)));
  const memoryMs = figure(s('T^{\\text{mem}}'), 'memory time', 'ms', toMs(div(Q, beta)));
  // t ≈ max(T_compute, T_memory)
  const latencyMs = figure(s('t'), 'latency', 'ms', max(refFigure(computeMs), refFigure(memoryMs)));
  // Memory-bound below the ridge point (equivalently T_memory > T_compute).
  const bound: Bound = intensity.value < roof.ridge.value ? 'memory' : 'compute';
  return { flops, bytes, intensity, attainable, computeMs, memoryMs, latencyMs, bound };
}

/** The roofline of every layer of `report` on `hardware`, with totals. */
export function roofline(report: ModelReport, hardware: HardwareProfile, options: RooflineOptions = {}): Roofline {
  const precision = options.precision ?? precisionForBits(options.paramBits ?? report.paramBits);
  const roof = requireRoof(hardware, precision);

  const layers: LayerRoofline[] = [];
  for (const r of report.layers) {
    const traffic = layerTraffic(report, r, options);
    const parts = [traffic.weightBytes, traffic.activationBytes].filter((e): e is Expr => e !== undefined);
    if (parts.length === 0 && r.flops.value === 0) continue; // a view or a fused in-place layer
    // Q_ℓ = |P_ℓ| · b_w / 8 + n · (a_in + a_out) · b_a / 8
    const bytes = figure(layerSymbol('Q', r), 'bytes moved', 'B', parts.length === 0 ? num(0) : add(...parts));
    if (bytes.value === 0) throw new ModelError(report.model.name, [r.layer.id], `${r.flops.value} FLOPs that move no bytes: the roofline model cannot place it`);
    const name = texText(r.layer.path.join('.'));
    layers.push({ layer: r, ...rooflineTerms(roof, r.flops, bytes, name) });
  }
  if (layers.length === 0) throw new NothingToCost(report.model.name);

  const total = (tex: string, pick: (l: LayerRoofline) => Figure) => sum(tex, layers.map((l) => refFigure(pick(l))));
  const flops = figure('W', 'FLOPs', 'FLOPs', refFigure(report.totals.flops));
  const bytes = figure('Q', 'bytes moved', 'B', total('\\sum_\\ell Q_\\ell', (l) => l.bytes));
  const computeMs = figure('T^{\\text{comp}}', 'compute time', 'ms', total('\\sum_\\ell T^{\\text{comp}}_\\ell', (l) => l.computeMs));
  const memoryMs = figure('T^{\\text{mem}}', 'memory time', 'ms', total('\\sum_\\ell T^{\\text{mem}}_\\ell', (l) => l.memoryMs));
  return {
    hardware,
    precision,
    roof,
    layers,
    totals: {
      flops,
      bytes,
      intensity: figure('I', 'operational intensity', 'FLOP/B', div(refFigure(flops), refFigure(bytes))),
      computeMs,
      memoryMs,
      latencyMs: figure('t', 'latency (layer by layer)', 'ms', total('\\sum_\\ell \\max\\left(T^{\\text{comp}}_\\ell,\\ T^{\\text{mem}}_\\ell\\right)', (l) => l.latencyMs)),
      overlappedLatencyMs: figure('t_{\\text{overlap}}', 'latency (compute and memory overlapped)', 'ms', max(refFigure(computeMs), refFigure(memoryMs))),
      bound: memoryMs.value > computeMs.value ? 'memory' : 'compute',
    },
  };
}

// ---- chart data -------------------------------------------------------------------------------

export interface RooflineChartPoint {
  readonly name: string;
  readonly path: string;
  readonly type: string;
  readonly intensityFlopsPerByte: number;
  /** min(π, I · β): what the roofline allows, which the model takes as achieved. */
  readonly attainableFlopsPerS: number;
  readonly flops: number;
  readonly bytes: number;
  readonly latencyMs: number;
  readonly bound: Bound;
}

export interface RooflineChartData {
  readonly hardware: { readonly id: string; readonly name: string };
  readonly precision: Precision;
  readonly peakFlopsPerS: number;
  readonly bandwidthBytesPerS: number;
  readonly ridgeFlopsPerByte: number;
  /** The roof as a polyline over `xDomain`: the bandwidth slope up to the ridge, then flat at the peak. */
  readonly roof: readonly { readonly intensityFlopsPerByte: number; readonly flopsPerS: number }[];
  /** Layers with FLOPs (zero-intensity layers cannot sit on a log axis). */
  readonly points: readonly RooflineChartPoint[];
  /** The whole model as one point. */
  readonly model: RooflineChartPoint;
  readonly omitted: readonly { readonly path: string; readonly reason: string }[];
  /** Log-scale axis ranges, a decade beyond the points and the ridge on each side. */
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
}

/** Plain data for the site's roofline chart (log-log: intensity against performance). */
export function rooflineChartData(result: Roofline): RooflineChartData {
  const point = (name: string, path: string, type: string, t: Omit<RooflineTerms, 'bound'>, bound: Bound): RooflineChartPoint => ({
    name,
    path,
    type,
    intensityFlopsPerByte: t.intensity.value,
    attainableFlopsPerS: t.attainable.value,
    flops: t.flops.value,
    bytes: t.bytes.value,
    latencyMs: t.latencyMs.value,
    bound,
  });
  const points: RooflineChartPoint[] = [];
  const omitted: { path: string; reason: string }[] = [];
  for (const l of result.layers) {
    const path = l.layer.layer.path.join('.');
    if (l.flops.value > 0) points.push(point(l.layer.layer.name, path, l.layer.layer.type, l, l.bound));
    else omitted.push({ path, reason: 'no FLOPs (intensity 0 is off a log axis); memory-bound' });
  }
  const { peak, bandwidth, ridge } = result.roof;
  const t = result.totals;
  const model = point(
    'model',
    '',
    'model',
    {
      flops: t.flops,
      bytes: t.bytes,
      intensity: t.intensity,
      // The model's point sits where its total time puts it: W / t.
      attainable: figure('P', 'achieved performance', 'FLOP/s', div(refFigure(t.flops), div(refFigure(t.latencyMs), num(1000, '10^3')))),
      computeMs: t.computeMs,
      memoryMs: t.memoryMs,
      latencyMs: t.latencyMs,
    },
    t.bound,
  );
  const xs = [...points.map((p) => p.intensityFlopsPerByte), model.intensityFlopsPerByte, ridge.value].filter((x) => x > 0);
  const decade = (x: number, dir: -1 | 1) => 10 ** ((dir < 0 ? Math.floor : Math.ceil)(Math.log10(x)) + dir);
  // Loops, not Math.min(...xs): a spread of one point per layer overflows the stack on a large model.
  const least = (v: readonly number[]) => v.reduce((m, x) => Math.min(m, x), Infinity);
  const xDomain: [number, number] = [decade(least(xs), -1), decade(xs.reduce((m, x) => Math.max(m, x), -Infinity), 1)];
  const roofAt = (x: number) => Math.min(peak.value, x * bandwidth.value);
  const ys = [...points.map((p) => p.attainableFlopsPerS), model.attainableFlopsPerS, roofAt(xDomain[0])].filter((y) => y > 0);
  return {
    hardware: { id: result.hardware.id, name: result.hardware.name },
    precision: result.precision,
    peakFlopsPerS: peak.value,
    bandwidthBytesPerS: bandwidth.value,
    ridgeFlopsPerByte: ridge.value,
    roof: [xDomain[0], ridge.value, xDomain[1]].map((x) => ({ intensityFlopsPerByte: x, flopsPerS: roofAt(x) })),
    points,
    model,
    omitted,
    xDomain,
    yDomain: [decade(least(ys), -1), decade(peak.value, 1)],
  };
}
