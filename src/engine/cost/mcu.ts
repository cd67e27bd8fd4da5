/**
 * Microcontroller latency: a core that retires one MAC every `cyclesPerMac` cycles at `clockMHz`.
 * cycles = MACs × cycles per MAC;  t = cycles / f.  (HW1 Q2: 933,888 × 4 / 80 MHz = 46.6944 ms.)
 */
import type { LayerReport, ModelReport } from '../analysis/analyze.ts';
import { HardwareError, pickPrecision, precisionForBits, type HardwareProfile, type Precision } from '../hardware/profile.ts';
import { div, mul, num, ref, variable } from '../math/expr.ts';
import { texText } from '../math/latex.ts';
import { figure, type Figure } from '../math/derivation.ts';

export interface McuSpec {
  readonly clockMHz: number;
  readonly cyclesPerMac: number;
}

export interface McuLatency {
  readonly cycles: Figure;
  readonly latencyMs: Figure;
}

/**
 * Latency of `macs` on the microcontroller; pass a layer's or the model's MACs figure. `name`
 * subscripts the symbols (a layer's path) when given.
 */
export function mcuLatency(macs: Figure, mcu: McuSpec, name?: string): McuLatency {
  if (!(mcu.clockMHz > 0) || !(mcu.cyclesPerMac > 0) || !Number.isFinite(mcu.clockMHz) || !Number.isFinite(mcu.cyclesPerMac)) {
    throw new RangeError(`clock (${mcu.clockMHz} MHz) and cycles per MAC (${mcu.cyclesPerMac}) must be positive`);
  }
  const s = (base: string) => (name ? `${base}_{\\text{${name}}}` : base);
  const macsRef = ref(macs.symbol, macs.expr);
  const cycles = mul(macsRef, variable('k', mcu.cyclesPerMac, 'cycles per MAC'));
  // f in MHz is 10^3 cycles per ms times f.
  const latency = div(ref(s('\\text{cycles}'), cycles), mul(variable('f', mcu.clockMHz, 'clock in MHz'), num(1000, '10^3')));
  return {
    cycles: figure(s('\\text{cycles}'), 'cycles', 'cycles', cycles),
    latencyMs: figure(s('t'), 'latency', 'ms', latency),
  };
}

// ---- per layer, on a hardware profile ---------------------------------------------------------

export interface McuLatencyReport {
  readonly hardware: HardwareProfile;
  readonly precision: Precision;
  readonly spec: McuSpec;
  /** Layers with MACs; the others take no cycles under this model. */
  readonly layers: readonly ({ readonly layer: LayerReport } & McuLatency)[];
  /** The model's MACs × k / f, as HW1 Q2 writes it. */
  readonly total: McuLatency;
}

/** The clock and cycles per MAC of `hardware` at `precision`, or the fields it lacks. */
export function mcuSpecOf(hardware: HardwareProfile, precision: Precision): McuSpec | { missing: string[] } {
  const cycles = pickPrecision(hardware.cyclesPerMac, precision);
  const missing = [...(hardware.clockMHz ? [] : ['clockMHz']), ...(cycles ? [] : [`cyclesPerMac.${precision}`])];
  if (!hardware.clockMHz || !cycles) return { missing };
  return { clockMHz: hardware.clockMHz.value, cyclesPerMac: cycles.value };
}

/** Microcontroller latency per layer and in total: t = MACs × k / f. */
export function mcuLatencyReport(report: ModelReport, hardware: HardwareProfile, options: { precision?: Precision } = {}): McuLatencyReport {
  const precision = options.precision ?? precisionForBits(report.paramBits);
  const spec = mcuSpecOf(hardware, precision);
  if ('missing' in spec) {
    throw new HardwareError(spec.missing.map((field) => ({ field, message: 'needed for microcontroller latency, not in the profile' })), undefined, hardware.id);
  }
  return {
    hardware,
    precision,
    spec,
    layers: report.layers
      .filter((r) => r.macs.value > 0)
      .map((r) => ({ layer: r, ...mcuLatency(r.macs, spec, texText(r.layer.path.join('.'))) })),
    total: mcuLatency(report.totals.macs, spec),
  };
}
