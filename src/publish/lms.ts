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
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { derivationForms, type Figure } from '../engine/math/derivation.ts';
import { mistakenFigures, type MistakenFigure } from '../workbook/grading/mistakes.ts';
import { displayFigure, toleranceOf } from '../workbook/grading/precision.ts';
import { instantiate, isRandomized } from '../workbook/variants/index.ts';
import { hash32 } from '../workbook/variants/hash.ts';
import { escapeHtml, IMAGE_REF, questionHtml } from './document.ts';
import { lmsSeed } from './secret.ts';
import { documentOf, entryTitle, keyEntries, solveProblem, type KeyEntry, type ProblemSetDoc, type SetProblem, type Solved } from './sets.ts';

/** More variants than this per problem is refused: a quiz bank of thousands helps no one. */
export const MAX_LMS_VARIANTS = 1000;

export interface LmsQuestion {
  readonly problem: SetProblem;
  /** 1..N in the bank (0 for a problem without params): names and ids say this, never the seed. */
  readonly variant: number;
  /** The graded seed it was drawn with (lmsSeed), or 0. */
  readonly seed: number;
  /** The parameter values of the variant ({} without params): what a recorded export is rebuilt from. */
  readonly values: Readonly<Record<string, number>>;
  readonly entry: KeyEntry;
  /** Statement and what is asked, HTML with `\( \)` math. */
  readonly html: string;
  /** The derivation, HTML with `\[ \]` math. */
  readonly feedbackHtml: string;
  /**
   * Half a unit of the last displayed digit (precision.ts), in the figure's unit: the one rule of
   * the practice page's grader, so the figure the key shows is right in every LMS.
   */
  readonly tolerance: number;
  /**
   * Wrong figures with their hints; for answers that select a layer or given, none (as grade.ts).
   * A mistake whose figure the right answer's range accepts is left out: no LMS can tell it apart.
   */
  readonly mistakes: readonly MistakenFigure[];
  /**
   * A question answered by picking: a yes/no answer (`yes`, `no`) or a `<Choice>`'s options, in
   * the author's order, the engine's pick `right`, each with its feedback. Absent: a number.
   */
  readonly pick?: LmsPick;
  /** The author's own model, travelling with the question (attached, or linked). */
  readonly model?: LmsModel;
  /**
   * The pictures the statement shows (a chart), each a file of the export: `html` refers to each
   * as `IMAGE_REF` + `ref`, which a format replaces with its path to the file.
   */
  readonly images: readonly LmsImage[];
}

export interface LmsImage {
  /** As written in the statement: `./roofline.svg`. */
  readonly ref: string;
  /** File name in the export. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A statement's html with its images pointed at `href(image)`. */
export function withImages(html: string, images: readonly LmsImage[], href: (image: LmsImage) => string): string {
  let out = html;
  for (const image of images) out = out.split(`${IMAGE_REF}${escapeHtml(image.ref)}"`).join(`${escapeHtml(href(image))}"`);
  return out;
}

/** The images a statement refers to, read beside the problem file. */
function imagesOf(html: string, p: SetProblem, options: LmsOptions, read: (path: string) => Uint8Array): LmsImage[] {
  const refs = new Set([...html.matchAll(new RegExp(`${IMAGE_REF}([^"]+)"`, 'g'))].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')));
  return [...refs].map((ref) => {
    const path = resolve(options.root ?? '.', dirname(p.file), ref);
    let bytes: Uint8Array;
    try {
      bytes = read(path);
    } catch (error) {
      throw new Error(`${p.file}: the image ${ref} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); a path is relative to the problem file`);
    }
    // Distinct names per file: the problem's id and the file's own name.
    return { ref, name: `${p.id.replace(/[^A-Za-z0-9_-]+/g, '-')}-${basename(ref)}`, bytes };
  });
}

export interface LmsPick {
  readonly kind: 'yesno' | 'choice';
  readonly options: readonly { readonly label: string; readonly right: boolean; readonly feedbackHtml: string }[];
}

/**
 * The author's own model a question is about (an ONNX file, a full JSON definition): the file
 * itself, or, when the course sets its site's URL, a link to the problem's page there.
 */
export interface LmsModel {
  /** File name in the export: `net.onnx`, `lectures-tiny-cnn.json`. */
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The problem's page on the published site (the course's `siteUrl`): linked, not attached. */
  readonly link?: string;
}

export interface LmsOptions {
  /** The course folder the problems' paths are relative to (default: the working directory). */
  readonly root?: string;
  /** The published site's URL (course.yaml `siteUrl`): a model is linked there rather than attached. */
  readonly siteUrl?: string;
}

/** The paragraph a question on an author's model carries, `href` being the format's way to the file. */
export function modelParagraph(m: LmsModel, href: string): string {
  return m.link
    ? `<p>The model: on the course site, <a href="${escapeHtml(m.link)}">${escapeHtml(m.link)}</a>.</p>`
    : `<p>The model: the file <a href="${escapeHtml(href)}">${escapeHtml(m.name)}</a>, attached to this question.</p>`;
}

/**
 * A problem's own model as a file: a file it names by path (ONNX, a JSON model, a Hugging Face
 * `config.json`) as it is, a JSON definition as the variant has it (a template's `$params` filled
 * in); none for a built-in or an MLP by its widths. A statement may leave sizes to the file (an
 * LLM's vocabulary), so a question without it could not be answered.
 */
export function modelOf(
  p: SetProblem,
  values: Readonly<Record<string, number>>,
  options: LmsOptions = {},
  read: (path: string) => Uint8Array = readFileSync,
): LmsModel | undefined {
  const model = isRandomized(p.data) ? instantiate(p.data.variation, values).model : p.data.model;
  let name: string;
  let bytes: Uint8Array;
  if (typeof model === 'string') {
    if (!/\.(onnx|json)$/i.test(model)) return undefined;
    name = basename(model);
    bytes = read(resolve(options.root ?? '.', dirname(p.file), model));
  } else if (model && typeof model === 'object' && !('mlp' in model)) {
    const slug = p.id.replace(/[^A-Za-z0-9_-]+/g, '-');
    name = isRandomized(p.data) ? `${slug}-model-${hash32([JSON.stringify(model)]).toString(16).padStart(8, '0')}.json` : `${slug}-model.json`;
    bytes = new TextEncoder().encode(`${JSON.stringify(model, null, 2)}\n`);
  } else return undefined;
  const link = options.siteUrl ? `${options.siteUrl.replace(/\/+$/, '')}/problems/${p.id}/` : undefined;
  return { name, bytes, ...(link ? { link } : {}) };
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
export function lmsGroups(set: ProblemSetDoc, variants: number, secret: string, options: LmsOptions = {}): LmsGroup[] {
  return lmsGroupsDrawn(set, variants, (p, i) => solveProblem(p, lmsSeed(secret, set.id, i, p.id), 'graded'), options);
}

/**
 * How variant i (1..N) of a randomized problem is drawn. lmsGroups draws from the course secret;
 * a test reproducing a recorded export draws the variants that export held (their values).
 */
export type LmsDraw = (p: SetProblem, i: number) => Solved;

/** The set's question groups, variant i of each randomized problem from `draw` (see lmsGroups). */
export function lmsGroupsDrawn(set: ProblemSetDoc, variants: number, draw: LmsDraw, options: LmsOptions = {}): LmsGroup[] {
  // A model or picture is read once for all the questions that carry it.
  const files = new Map<string, Uint8Array>();
  const read = (path: string) => files.get(path) ?? files.set(path, readFileSync(path)).get(path)!;
  return set.problems.flatMap((p) => {
    const randomized = isRandomized(p.data);
    const doc = documentOf(p);
    // Variant i (1..N) of a randomized problem; a problem without params is its one question, variant 0.
    const solved = (randomized ? Array.from({ length: variants }, (_, v) => v + 1) : [0]).map((variant) => {
      const s = variant === 0 ? solveProblem(p) : draw(p, variant);
      return { variant, s, entries: keyEntries(p, s) };
    });
    // Every asked item, in page order: numbers, yes/no answers and <Choice>s (keyEntries' order).
    return solved[0]!.entries.map((first, i) => {
      const answer = first.answer;
      const label = answer.question ? ` (${answer.question})` : '';
      return {
        title: `${p.id}${label} ${entryTitle(first)}`,
        answerTitle: `${label.trim()} ${entryTitle(first)}`.trim(),
        problem: p,
        questions: solved.map(({ variant, s, entries }) => {
          const entry = entries[i]!;
          const pick = pickOf(entry);
          // The unit asked for, named once: a title that selects it (`Weights (in GB)`) already says it.
          const unit = entry.unit && !pick && entry.answer.select.in !== entry.unit ? `, in ${escapeHtml(entry.unit)}` : '';
          const ask = pick ? (pick.kind === 'yesno' ? 'Answer yes or no' : 'Choose') : 'Give';
          const html = `${questionHtml(doc, answer.question, s)}<p>${ask}: <strong>${escapeHtml(entryTitle(entry))}</strong>${unit}.</p>`;
          const selected = Object.keys(answer.select).length > 0;
          const { value } = entry.figure;
          const tolerance = toleranceOf(value, entry.figure.unit);
          const model = modelOf(p, s.values, options, read);
          return {
            ...(model ? { model } : {}),
            images: imagesOf(html, p, options, read),
            problem: p,
            variant,
            seed: s.seed,
            values: s.values,
            entry,
            html,
            // The answer as every page and key shows it, then how it is found.
            feedbackHtml: `<p>Answer: ${escapeHtml(entry.display)}</p>${derivationHtml(entry.figure)}`,
            tolerance,
            mistakes: selected || pick ? [] : mistakenFigures(s.ctx, answer.of, p.file).filter((m) => Math.abs(m.value - value) > tolerance),
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
  if (e.word) {
    // A word answer (memory- or compute-bound): the figure and what it is compared with, in every option's feedback.
    const { words, index, against } = e.word;
    const reason = `${escapeHtml(e.figure.label)} ${escapeHtml(displayFigure(e.figure))} against the ${escapeHtml(against.label)} ${escapeHtml(displayFigure(against))}`;
    return {
      kind: 'choice',
      options: words.map((label, i) => ({
        label,
        right: i === index,
        feedbackHtml: i === index ? `<p>Correct: ${escapeHtml(label)} (${reason}).</p>` : `<p>Incorrect: ${reason}, so ${escapeHtml(words[index]!)}.</p>`,
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
