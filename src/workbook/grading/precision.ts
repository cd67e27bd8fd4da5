/**
 * The precision rule, one rule for what is displayed and what is accepted:
 *
 *   An answer is displayed to a precision, and a submitted value is correct when it lies within
 *   half a unit of the last displayed digit of the exact answer.
 *
 * Counts (parameters, bytes, MACs, FLOPs, cycles, elements, accesses) are displayed with every
 * digit, so they must be exact; a count shown rounded in a larger unit (243.818624 MB shows as
 * 243.81862 MB, formatNumber's 8 significant digits) accepts the rounding of its shown digits, so the
 * figure the key shows is always right. Times, energies and rates are displayed to SIGNIFICANT_DIGITS significant digits
 * (46.6944 ms shows as 46.7 ms; 46.65 to 46.75 is accepted), so the displayed value itself is
 * always accepted and rounding intermediate results to that precision is not penalized.
 */
import { UNITS, type Figure, type Unit } from '../../engine/math/derivation.ts';
import { formatNumber, SHOWN_SIGNIFICANT_DIGITS } from '../../engine/math/latex.ts';
import { COUNTED_DIMENSIONS, FIGURE_UNITS } from './units.ts';

export const SIGNIFICANT_DIGITS = 3;

/** Floating-point slack for exact answers written with a prefix (99.338 KB is 99,337.99999...). */
const EXACT_SLACK = 1e-9;

export function isExactUnit(unit: Unit): boolean {
  return EXACT_UNITS.has(unit);
}

/** The units whose dimension is counted, listed once (asked for every answer of every variant drawn). */
const EXACT_UNITS: ReadonlySet<Unit> = new Set((Object.keys(FIGURE_UNITS) as Unit[]).filter((u) => COUNTED_DIMENSIONS.has(FIGURE_UNITS[u].dimension)));

/** Half a unit of the last displayed digit of `value`, in the figure's unit. */
export function toleranceOf(value: number, unit: Unit): number {
  if (isExactUnit(unit)) {
    // Shown in full: exact. Shown rounded: half a unit of the last shown digit.
    return isShownInFull(value, unit) ? EXACT_SLACK * Math.max(1, Math.abs(value)) : lastDigitHalf(displayNumber(value, unit)) * (1 + EXACT_SLACK);
  }
  if (value === 0) return 0;
  const lastDigit = Math.floor(Math.log10(Math.abs(value))) - (SIGNIFICANT_DIGITS - 1);
  return 0.5 * 10 ** lastDigit * (1 + EXACT_SLACK);
}

/** Two readings of one decimal number differ by floating-point noise only below this (relative). */
const SAME_NUMBER = 1e-12;

/**
 * A count whose display is the value itself (every digit shown): graded exactly. Compared at
 * floating-point noise, not EXACT_SLACK: 8.589934592 GB shows as 8.5899346 (8e-9 off, within
 * EXACT_SLACK of the value) and is rounded, so its tolerance is the rounding's.
 */
export function isShownInFull(value: number, unit: Unit): boolean {
  if (!isExactUnit(unit)) return false;
  return Math.abs(Number(displayNumber(value, unit).replace(/,/g, '')) - value) <= SAME_NUMBER * Math.max(1, Math.abs(value));
}

/**
 * Half a unit of the last significant digit of a number as formatNumber writes it: "243.81862" ->
 * 0.000005, "1.5e-7" -> 0.05e-7, "100,000,010" (100000010.5 to 8 digits) -> 5.
 */
function lastDigitHalf(shown: string): number {
  const [mantissa = '', exponent = '0'] = shown.replace(/,/g, '').split(/e/i);
  const decimals = mantissa.split('.')[1]?.length ?? 0;
  const magnitude = Math.floor(Math.log10(Math.abs(Number(mantissa)) || 1)) + Number(exponent);
  return 0.5 * 10 ** Math.max(Number(exponent) - decimals, magnitude - (SHOWN_SIGNIFICANT_DIGITS - 1));
}

/** The value as displayed under the rule: 99338 -> "99,338", 46.6944 -> "46.7", 16.96 -> "17.0". */
export function displayNumber(value: number, unit: Unit): string {
  if (isExactUnit(unit)) return formatNumber(value);
  const rounded = Number(value.toPrecision(SIGNIFICANT_DIGITS));
  // Trailing zeros are significant ("17.0"); large values are grouped ("1,230").
  return Math.abs(rounded) >= 10 ** SIGNIFICANT_DIGITS || (rounded !== 0 && Math.abs(rounded) < 1e-6)
    ? formatNumber(rounded)
    : value.toPrecision(SIGNIFICANT_DIGITS);
}

/** `99,338 B`, `46.7 ms` */
export function displayValue(value: number, unit: Unit): string {
  const u = UNITS[unit].text;
  return u ? `${displayNumber(value, unit)} ${u}` : displayNumber(value, unit);
}

export const displayFigure = (f: Figure): string => displayValue(f.value, f.unit);

/** Is `candidate` (in the figure's unit) within the tolerance of `value`? */
export function withinTolerance(candidate: number, value: number, unit: Unit): boolean {
  return Math.abs(candidate - value) <= toleranceOf(value, unit);
}

/** The rule in words, for the page (the value tells a count shown in full from one shown rounded). */
export function precisionNote(unit: Unit, value?: number): string {
  if (!isExactUnit(unit)) return `Accepted to ${SIGNIFICANT_DIGITS} significant digits`;
  return value === undefined || isShownInFull(value, unit)
    ? 'A count: give it exactly'
    // No figure here: the practice page shows the note before the answer is revealed.
    : `A count: give it exactly, or to the ${SHOWN_SIGNIFICANT_DIGITS} significant digits the key shows`;
}
