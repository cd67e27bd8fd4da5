/**
 * Grading one submitted answer against the engine's figure: read it (parse.ts), check its kind of
 * unit, compare under the precision rule (precision.ts), and when it is wrong, say which common
 * mistake it matches (mistakes.ts). Pure and total: any string gets feedback, nothing throws.
 */
import type { Figure } from '../../engine/math/derivation.ts';
import { answerFigure, type AnswerName, type ProblemContext } from '../answers.ts';
import { mistakenFigures, type MistakeId } from './mistakes.ts';
import { parseAnswer } from './parse.ts';
import { displayFigure, isExactUnit, SIGNIFICANT_DIGITS, toleranceOf, withinTolerance } from './precision.ts';
import { DIMENSION_NAMES, FIGURE_UNITS } from './units.ts';

export type Verdict = 'correct' | 'incorrect' | 'unreadable';

export interface Feedback {
  readonly verdict: Verdict;
  /** One or two sentences for the student; plain text. */
  readonly message: string;
  /** The mistake recognized, if any ('kb-vs-kib' and 'unit-off-by-1000' are read from the unit). */
  readonly mistake?: MistakeId | 'kb-vs-kib' | 'unit-off-by-1000' | 'wrong-unit';
}

/** How close (relative) a wrong answer must be to be called close. */
const CLOSE = 0.02;

/**
 * `props` are the answer's selecting props (layer, profile, batch, ...), as on its <Answer>. The
 * common-mistake hints are computed for whole-model answers; a selected answer gets the unit hints.
 */
export function grade(input: string, ctx: ProblemContext, name: AnswerName, props: Record<string, unknown> = {}): Feedback {
  try {
    const selected = Object.keys(props).length > 0;
    return gradeFigure(input, answerFigure(ctx, name, 'problem', props), () => (selected ? [] : mistakenFigures(ctx, name)));
  } catch (error) {
    // The engine refused; say so rather than crash the page.
    return { verdict: 'unreadable', message: `This answer cannot be checked: ${(error as Error).message}` };
  }
}

/** Grades against a figure; `mistakes` is called only for a wrong answer. */
export function gradeFigure(input: string, figure: Figure, mistakes: () => ReturnType<typeof mistakenFigures> = () => []): Feedback {
  const parsed = parseAnswer(input);
  if (!parsed.ok) return { verdict: 'unreadable', message: parsed.error };

  const unit = FIGURE_UNITS[figure.unit];
  if (parsed.dimension !== 'bare' && parsed.dimension !== unit.dimension) {
    const macsFlops = new Set([parsed.dimension, unit.dimension]);
    const message = macsFlops.has('macs') && macsFlops.has('flops')
      ? `The question asks for ${unit.dimension === 'macs' ? 'MACs' : 'FLOPs'}, not ${parsed.dimension === 'macs' ? 'MACs' : 'FLOPs'} (1 MAC = 2 FLOPs).`
      : `The answer is ${DIMENSION_NAMES[unit.dimension]}, but “${parsed.unit}” is ${DIMENSION_NAMES[parsed.dimension]}.`;
    return { verdict: 'incorrect', message, mistake: 'wrong-unit' };
  }
  /** A base-unit value in the figure's unit. */
  const inFigureUnit = (base: number) => base / unit.scale;
  const value = parsed.dimension === 'bare' ? parsed.value : inFigureUnit(parsed.value);

  if (withinTolerance(value, figure.value, figure.unit)) {
    return { verdict: 'correct', message: `Correct: ${displayFigure(figure)}.` };
  }

  for (const m of mistakes()) {
    if (withinTolerance(value, m.value, figure.unit)) return { verdict: 'incorrect', message: m.message, mistake: m.id };
  }
  if (parsed.kiloBase && parsed.dimension !== 'bare') {
    const other = parsed.kiloBase === 1000 ? 1024 : 1000;
    // The student's number under the other meaning of K (M, G): 97.01 KB read as 97.01 KiB.
    const power = prefixPower(parsed.unit);
    const reread = inFigureUnit((parsed.value / parsed.kiloBase ** power) * other ** power);
    // Matched to the precision the student wrote: 97.01 KB is 99,338 B divided by 1024, rounded.
    const written = inFigureUnit((parsed.resolution / parsed.kiloBase ** power) * other ** power);
    if (Math.abs(reread - figure.value) <= Math.max(written, toleranceOf(figure.value, figure.unit))) {
      return {
        verdict: 'incorrect',
        message: parsed.kiloBase === 1000
          ? `Not quite: you divided by 1024 but wrote ${parsed.unit}. 1 KB = 1000 B; 1 KiB = 1024 B.`
          : `Not quite: you divided by 1000 but wrote ${parsed.unit}. 1 KiB = 1024 B; 1 KB = 1000 B.`,
        mistake: 'kb-vs-kib',
      };
    }
  }
  for (const factor of [1000, 1 / 1000]) {
    if (!isExactUnit(figure.unit) && withinTolerance(value * factor, figure.value, figure.unit)) {
      return { verdict: 'incorrect', message: 'Not quite: the digits are right but the value is off by a factor of 1000. Check the unit (s, ms, µs).', mistake: 'unit-off-by-1000' };
    }
  }
  const relative = Math.abs(value - figure.value) / Math.abs(figure.value);
  if (relative <= CLOSE) {
    return {
      verdict: 'incorrect',
      message: isExactUnit(figure.unit)
        ? 'Close, but not exact: this is a count, so give every digit (a rounded or prefixed value is not enough).'
        : `Close, but not within the precision accepted (${SIGNIFICANT_DIGITS} significant digits). Avoid rounding intermediate results.`,
    };
  }
  return { verdict: 'incorrect', message: 'Incorrect. Check your working, or reveal the derivation.' };
}

/** 1 for K…, 2 for M…, 3 for G… */
function prefixPower(unit: string): number {
  return unit.startsWith('K') || unit.startsWith('k') ? 1 : unit.startsWith('M') ? 2 : unit.startsWith('G') ? 3 : 0;
}
