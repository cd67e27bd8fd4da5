/**
 * A set as LMS questions, whatever the format: one group per answer a problem asks for (so a quiz
 * draws one variant of it per student), holding that answer's question for each variant. A
 * randomized problem gives N graded variants (keyed by the course secret; never the homework's
 * numbers nor a practice variant's, see variant.ts); a
 * problem without params gives its one question.
 *
 * Each question carries what both formats need: the statement as HTML (math as TeX for MathJax),
 * the engine's figure, the precision rule's tolerance, the derivation, and the figures of the
 * common mistakes (grading/mistakes.ts) with their hints.
 */
import { derivationForms, type Figure } from '../engine/math/derivation.ts';
import { mistakenFigures, type MistakenFigure } from '../workbook/grading/mistakes.ts';
import { toleranceOf } from '../workbook/grading/precision.ts';
import { isRandomized } from '../workbook/variants/index.ts';
import { displayFigure } from '../workbook/grading/precision.ts';
import { escapeHtml, questionHtml } from './document.ts';
import { lmsSeed } from './secret.ts';
import { documentOf, entryTitle, keyEntries, solveProblem, type KeyEntry, type ProblemSetDoc, type SetProblem } from './sets.ts';

/** More variants than this per problem is refused: a quiz bank of thousands helps no one. */
export const MAX_LMS_VARIANTS = 1000;

export interface LmsQuestion {
  readonly problem: SetProblem;
  /** 1..N in the bank (0 for a problem without params): names and ids say this, never the seed. */
  readonly variant: number;
  /** The graded seed it was drawn with (lmsSeed), or 0. */
  readonly seed: number;
  readonly entry: KeyEntry;
  /** Statement and what is asked, HTML with `\( \)` math. */
  readonly html: string;
  /** The derivation, HTML with `\[ \]` math. */
  readonly feedbackHtml: string;
  /** Half a unit of the last displayed digit (precision.ts), in the figure's unit. */
  readonly tolerance: number;
  /** Wrong figures with their hints; for answers that select a layer or given, none (as grade.ts). */
  readonly mistakes: readonly MistakenFigure[];
  /**
   * A question answered by picking: a yes/no answer (`yes`, `no`) or a `<Choice>`'s options, in
   * the author's order, the engine's pick `right`, each with its feedback. Absent: a number.
   */
  readonly pick?: LmsPick;
}

export interface LmsPick {
  readonly kind: 'yesno' | 'choice';
  readonly options: readonly { readonly label: string; readonly right: boolean; readonly feedbackHtml: string }[];
}

export interface LmsGroup {
  /** e.g. `hw1/q1 (a) Parameter storage` */
  readonly title: string;
  /** e.g. `(a) Parameter storage` */
  readonly answerTitle: string;
  readonly problem: SetProblem;
  readonly questions: readonly LmsQuestion[];
}

/** Checks N: a whole number from 1 to MAX_LMS_VARIANTS. */
export function variantsArg(raw: string | undefined): number {
  if (raw === undefined) throw new Error('--variants N is required (N variants of each randomized problem)');
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > MAX_LMS_VARIANTS) {
    throw new Error(`--variants must be a whole number from 1 to ${MAX_LMS_VARIANTS}, got '${raw}'`);
  }
  return n;
}

/**
 * The set's question groups: N graded variants of each randomized problem, variant i drawn with
 * seed lmsSeed(secret, set, i, problem) in the graded space (secret.ts), so no page of the site
 * (nor /variants/<problem>/i/) shows a quiz's numbers.
 */
export function lmsGroups(set: ProblemSetDoc, variants: number, secret: string): LmsGroup[] {
  return set.problems.flatMap((p) => {
    const seeds = isRandomized(p.data) ? Array.from({ length: variants }, (_, i) => lmsSeed(secret, set.id, i + 1, p.id)) : [0];
    const doc = documentOf(p);
    const solved = seeds.map((seed) => {
      const s = solveProblem(p, seed, 'graded');
      return { s, entries: keyEntries(p, s) };
    });
    // Every asked item, in page order: numbers, yes/no answers and <Choice>s (keyEntries' order).
    return solved[0]!.entries.map((first, i) => {
      const answer = first.answer;
      const label = answer.question ? ` (${answer.question})` : '';
      return {
        title: `${p.id}${label} ${entryTitle(first)}`,
        answerTitle: `${label.trim()} ${entryTitle(first)}`.trim(),
        problem: p,
        questions: solved.map(({ s, entries }, v) => {
          const entry = entries[i]!;
          const pick = pickOf(entry);
          const unit = entry.unit && !pick ? `, in ${escapeHtml(entry.unit)}` : '';
          const ask = pick ? (entry.choice ? 'Choose' : 'Answer yes or no') : 'Give';
          const html = `${questionHtml(doc, answer.question, s)}<p>${ask}: <strong>${escapeHtml(entryTitle(entry))}</strong>${unit}.</p>`;
          const selected = Object.keys(answer.select).length > 0;
          return {
            problem: p,
            variant: s.seed === 0 ? 0 : v + 1,
            seed: s.seed,
            entry,
            html,
            feedbackHtml: derivationHtml(entry.figure),
            tolerance: toleranceOf(entry.figure.value, entry.figure.unit),
            mistakes: selected || pick ? [] : mistakenFigures(s.ctx, answer.of, p.file),
            ...(pick ? { pick } : {}),
          };
        }),
      };
    });
  });
}

/** A yes/no answer's or a choice's options, the engine's pick marked right. */
function pickOf(e: KeyEntry): LmsPick | undefined {
  if (e.choice) {
    const { labels, figures, index } = e.choice;
    return {
      kind: 'choice',
      options: labels.map((label, i) => ({
        label,
        right: i === index,
        feedbackHtml: i === index
          ? `<p>Correct: ${escapeHtml(label)} (${escapeHtml(displayFigure(figures[i]!))}).</p>`
          : `<p>Incorrect: ${escapeHtml(label)} gives ${escapeHtml(displayFigure(figures[i]!))}; ${escapeHtml(labels[index]!)} gives ${escapeHtml(displayFigure(figures[index]!))}.</p>`,
      })),
    };
  }
  if (e.decision === undefined) return undefined;
  const figure = `${escapeHtml(e.figure.label)} ${escapeHtml(displayFigure(e.figure))}`;
  return {
    kind: 'yesno',
    options: [true, false].map((yes) => ({
      label: yes ? 'Yes' : 'No',
      right: yes === e.decision,
      feedbackHtml: yes === e.decision ? `<p>Correct: ${e.decision ? 'yes' : 'no'} (${figure}).</p>` : `<p>Incorrect: ${figure}.</p>`,
    })),
  };
}

function derivationHtml(f: Figure): string {
  return `<p>Derivation:</p><p>\\[${escapeHtml(alignedDerivation(f))}\\]</p>`;
}

/** A number written plainly, never with an exponent (Canvas's New Quizzes drop `1e6`). */
export function plainNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return BigInt(x).toString();
  // JavaScript's shortest form reads back as the same number; only exponents are rewritten.
  const shortest = String(x);
  if (!/e/i.test(shortest)) return shortest;
  const digits = Math.min(20, Math.max(0, 15 - Math.floor(Math.log10(Math.abs(x)))));
  return x.toFixed(digits).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** The derivation as one aligned display block, the form MathJax (Moodle's filter) sets well. */
function alignedDerivation(f: Figure): string {
  const lines = derivationForms(f).map((form, i) => (i === 0 ? `${f.symbol} &= ${form}` : `&= ${form}`));
  return `\\begin{aligned}${lines.join(' \\\\ ')}\\end{aligned}`;
}
