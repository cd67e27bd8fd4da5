/**
 * Every cost figure a profile supports, in one call, for the CLI's table and `--json` and for the
 * site. What the profile cannot support is left out and listed in `omitted` with the reason.
 * latency: microcontroller cycles (MACs × k / f) when the profile gives cycles per MAC, else the
 * roofline's Σ_ℓ max(T_compute, T_memory).
 */
import type { ModelReport } from '../analysis/analyze.ts';
import { HardwareError, precisionForBits, sourcesOf, type HardwareProfile, type Precision } from '../hardware/profile.ts';
import { energyPerInference, missingEnergyFields, type EnergyReport, type WeightPlacement } from './energy.ts';
import { fitCheck, type FitReport } from './fit.ts';
import { mcuLatencyReport, mcuSpecOf, type McuLatencyReport } from './mcu.ts';
import { NothingToCost, roofline, roofOf, type Bound, type Roofline } from './roofline.ts';
import type { TrafficOptions } from './traffic.ts';

/**
 * Bit overrides (`paramBits`, `activationBits`, `layerBits`) apply to the roofline's bytes and the
 * energy's accesses; the fit check uses the report's own storage figures (`paramBytes`, `sramBytes`).
 */
export interface CostOptions extends TrafficOptions {
  /** Default from the parameter bits: 8 → int8, 16 → fp16, 32 → fp32. */
  readonly precision?: Precision;
  /** Where weights are read from for the energy estimate. Default 'dram'; stated in `assumptions`. */
  readonly weightsIn?: WeightPlacement;
}

/** The `"cost"` object of `workbook analyze --json`: only the fields the profile supports. */
export interface CostJson {
  readonly hardware: string;
  readonly latencyMs?: number;
  readonly computeMs?: number;
  readonly memoryMs?: number;
  readonly bound?: Bound;
  readonly energyMicrojoules?: number;
  readonly fits?: boolean;
}

export interface CostSummary extends CostJson {
  readonly hardwareName: string;
  readonly precision: Precision;
  readonly latencyModel?: 'mcu-cycles' | 'roofline';
  readonly mcu?: McuLatencyReport;
  readonly roofline?: Roofline;
  readonly energy?: EnergyReport;
  readonly fit?: FitReport;
  /** Figures left out, each with the profile fields that would be needed. */
  readonly omitted: readonly { readonly quantity: string; readonly reason: string }[];
  /** The profile's values used, each with its source. */
  readonly sources: readonly { readonly field: string; readonly value: number; readonly source: string; readonly note?: string }[];
  readonly assumptions: readonly string[];
  /** Exactly the `"cost"` JSON object. */
  readonly json: CostJson;
}

/**
 * Cost figures of `report` on `hardware`. A figure that overflows (cycles beyond 2^53, an extreme
 * profile) is a `HardwareError` naming the profile, the model and the figure, never a bare RangeError.
 */
export function costSummary(report: ModelReport, hardware: HardwareProfile, options: CostOptions = {}): CostSummary {
  try {
    return summarize(report, hardware, options);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new HardwareError([{ field: '', message: `${report.model.name}: ${error.message}` }], undefined, hardware.id);
    }
    throw error;
  }
}

function summarize(report: ModelReport, hardware: HardwareProfile, options: CostOptions): CostSummary {
  const precision = options.precision ?? precisionForBits(options.paramBits ?? report.paramBits);
  const weightsIn = options.weightsIn ?? 'dram';
  const omitted: { quantity: string; reason: string }[] = [];
  const assumptions: string[] = [`operations at ${precision}`];
  const needs = (fields: string[]) => `the profile has no ${fields.join(', ')}`;

  const spec = mcuSpecOf(hardware, precision);
  const mcu = 'missing' in spec ? undefined : mcuLatencyReport(report, hardware, { precision });
  const roof = roofOf(hardware, precision);
  let rl: Roofline | undefined;
  let idle = false;
  try {
    rl = 'missing' in roof ? undefined : roofline(report, hardware, { ...options, precision });
  } catch (error) {
    if (!(error instanceof NothingToCost)) throw error;
    idle = true;
    const reason = (error as NothingToCost).detail;
    if (!mcu) omitted.push({ quantity: 'latency', reason });
    omitted.push({ quantity: 'roofline (compute, memory, bound)', reason });
  }
  if (!mcu && !rl && !idle) {
    omitted.push({ quantity: 'latency', reason: `${needs('missing' in spec ? spec.missing : [])} (microcontroller model) and ${needs('missing' in roof ? roof.missing : [])} (roofline)` });
  }
  if (!rl && 'missing' in roof) omitted.push({ quantity: 'roofline (compute, memory, bound)', reason: needs(roof.missing) });
  if (mcu && rl) assumptions.push('latency from cycles per MAC (microcontroller model); compute and memory times from the roofline');

  const energyMissing = missingEnergyFields(hardware.energy, precision, weightsIn);
  const energy = energyMissing.length === 0 ? energyPerInference(report, hardware.energy!, { ...options, precision, weightsIn }) : undefined;
  if (energy) assumptions.push(...energy.assumptions);
  else omitted.push({ quantity: 'energy', reason: needs(energyMissing) });

  const fit = fitCheck(report, hardware);
  if (fit.fits === undefined) omitted.push({ quantity: 'fit', reason: needs(['flashBytes', 'sramBytes', 'dramBytes']) });

  const latencyMs = mcu ? mcu.total.latencyMs.value : rl?.totals.latencyMs.value;
  const json: CostJson = {
    hardware: hardware.id,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(rl ? { computeMs: rl.totals.computeMs.value, memoryMs: rl.totals.memoryMs.value, bound: rl.totals.bound } : {}),
    ...(energy ? { energyMicrojoules: energy.energyUj.value } : {}),
    ...(fit.fits !== undefined ? { fits: fit.fits } : {}),
  };
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new HardwareError([{ field: key, message: `computes to ${value}; check the profile's values` }], undefined, hardware.id);
    }
  }

  return {
    ...json,
    hardwareName: hardware.name,
    precision,
    ...(mcu ? { latencyModel: 'mcu-cycles' as const, mcu } : rl ? { latencyModel: 'roofline' as const } : {}),
    ...(rl ? { roofline: rl } : {}),
    ...(energy ? { energy } : {}),
    ...(fit.fits !== undefined ? { fit } : {}),
    omitted,
    sources: sourcesOf(hardware),
    assumptions,
    json,
  };
}
