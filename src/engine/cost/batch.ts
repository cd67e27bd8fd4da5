/**
 * Throughput and latency across batch sizes under the roofline model: a batch of n reads the
 * weights once and moves n samples' activations, so t(n) = Σ_ℓ max(n·W_ℓ / π, (M_ℓ + n·A_ℓ) / β)
 * and throughput = n / t(n). Throughput rises with n while the batch's latency rises too: the
 * lectures' answer to "does higher throughput mean lower latency?" (no).
 */
import { analyze, type ModelReport } from '../analysis/analyze.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { div, mul, num, variable } from '../math/expr.ts';
import type { HardwareProfile } from '../hardware/profile.ts';
import { roofline, type Bound, type Roofline, type RooflineOptions } from './roofline.ts';
import { refFigure } from './traffic.ts';

/** The batch sizes Lab 1 measured (seed 002). */
export const LAB_BATCH_SIZES: readonly number[] = [1, 32, 64, 128];

export interface BatchPoint {
  readonly batch: number;
  readonly roofline: Roofline;
  /** Time for the whole batch. */
  readonly latencyMs: Figure;
  /** Samples per second: n / t × 10^3. */
  readonly throughput: Figure;
  readonly bound: Bound;
}

export interface BatchSweep {
  readonly points: readonly BatchPoint[];
  /** Throughput never falls as the batch grows. */
  readonly throughputRises: boolean;
  /** Latency never falls as the batch grows: higher throughput does not buy lower latency. */
  readonly latencyRises: boolean;
}

/** The roofline latency and throughput of `report`'s model at each batch size. */
export function throughputVsBatch(
  report: ModelReport,
  hardware: HardwareProfile,
  options: RooflineOptions & { batches?: readonly number[] } = {},
): BatchSweep {
  const batches = options.batches ?? LAB_BATCH_SIZES;
  const points = batches.map((batch): BatchPoint => {
    const at = analyze(report.model, {
      batch,
      paramBits: report.paramBits,
      activationBits: report.activationBits,
      conventions: report.conventions,
    });
    const r = roofline(at, hardware, options);
    const latencyMs = figure(`t(${batch})`, `latency of a batch of ${batch}`, 'ms', r.totals.latencyMs.expr);
    // throughput = n / t, with t in ms
    const throughput = figure(
      `\\text{throughput}(${batch})`,
      `throughput at batch ${batch}`,
      'samples/s',
      div(mul(variable('n', batch, 'batch size'), num(1000, '10^3')), refFigure(latencyMs)),
    );
    return { batch, roofline: r, latencyMs, throughput, bound: r.totals.bound };
  });
  const nonDecreasing = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]!);
  return {
    points,
    throughputRises: nonDecreasing(points.map((p) => p.throughput.value)),
    latencyRises: nonDecreasing(points.map((p) => p.latencyMs.value)),
  };
}
