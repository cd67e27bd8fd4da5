/**
 * Does the model fit? Each memory the profile lists against what it must hold:
 * flash ≥ M (parameter bytes), SRAM ≥ peak activation bytes, DRAM ≥ M + peak activation bytes.
 * margin = capacity − need; used = need / capacity × 100 %.
 */
import type { ModelReport } from '../analysis/analyze.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { add, div, mul, num, sub, variable } from '../math/expr.ts';
import { formatNumber } from '../math/latex.ts';
import type { HardwareProfile } from '../hardware/profile.ts';
import { refFigure } from './traffic.ts';

export type MemoryKind = 'flash' | 'sram' | 'dram';

export interface FitCheck {
  readonly memory: MemoryKind;
  /** What must fit, e.g. "parameters (weights + biases)". */
  readonly holds: string;
  readonly need: Figure;
  readonly capacity: Figure;
  /** capacity − need; negative when it does not fit. */
  readonly margin: Figure;
  /** need / capacity × 100. */
  readonly used: Figure;
  readonly fits: boolean;
  /** e.g. "fits: 3,739,776 B of 4,294,967,296 B DRAM (0.087 %), 4,291,227,520 B to spare". */
  readonly verdict: string;
}

export interface FitReport {
  readonly checks: readonly FitCheck[];
  /** Every check passes; undefined when the profile lists no memory sizes. */
  readonly fits: boolean | undefined;
}

const NAMES: Record<MemoryKind, string> = { flash: 'flash', sram: 'SRAM', dram: 'DRAM' };

/** Weights against flash, peak activations against SRAM, both against DRAM, as the profile allows. */
export function fitCheck(report: ModelReport, hardware: HardwareProfile): FitReport {
  const t = report.totals;
  const checks: FitCheck[] = [];
  const check = (memory: MemoryKind, holds: string, need: Figure, capacityBytes: number) => {
    const name = NAMES[memory];
    const capacity = figure(`C_{\\text{${name}}}`, `${name} capacity`, 'B', variable(`C_{\\text{${name}}}`, capacityBytes, `${name} size in bytes`));
    const margin = figure(`\\Delta_{\\text{${name}}}`, `${name} margin`, 'B', sub(refFigure(capacity), refFigure(need)));
    const used = figure(`u_{\\text{${name}}}`, `${name} used`, 'percent', mul(div(refFigure(need), refFigure(capacity)), num(100)));
    const fits = margin.value >= 0;
    const pct = formatNumber(Number(used.value.toPrecision(3)));
    const verdict = fits
      ? `fits: ${formatNumber(need.value)} B of ${formatNumber(capacity.value)} B ${name} (${pct} %), ${formatNumber(margin.value)} B to spare`
      : `does not fit: ${formatNumber(need.value)} B needed, ${formatNumber(capacity.value)} B of ${name} (${pct} %), ${formatNumber(-margin.value)} B short`;
    checks.push({ memory, holds, need, capacity, margin, used, fits, verdict });
  };
  if (hardware.flashBytes) check('flash', 'parameters', t.paramBytes, hardware.flashBytes.value);
  if (hardware.sramBytes) check('sram', 'peak activations', t.sramBytes, hardware.sramBytes.value);
  if (hardware.dramBytes) {
    const both = figure('M_{\\text{DRAM}}', 'parameters and peak activations', 'B', add(refFigure(t.paramBytes), refFigure(t.sramBytes)));
    check('dram', 'parameters and peak activations', both, hardware.dramBytes.value);
  }
  return { checks, fits: checks.length === 0 ? undefined : checks.every((c) => c.fits) };
}
