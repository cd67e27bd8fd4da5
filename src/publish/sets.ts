/**
 * Problem sets as documents: which sets there are, their problems in order, each problem solved
 * for a variant, and the answers each asks for with the question they belong to. Shared by the
 * `/sets/<set>/` pages, the LMS exports and the per-student handouts.
 *
 * The course's sets are read through `courseSets()` alone, so that moving the course's structure
 * into content (issue 12) changes this one function.
 */
import { UNITS } from '../engine/math/derivation.ts';
import type { Figure } from '../engine/math/derivation.ts';
import { answerDecision, answerFigure, answerOptions, answerVerdict, ANSWER_KINDS, choiceAnswer, choiceHeading, isDecision, solve, type ProblemContext } from '../workbook/answers.ts';
import { courseSets as theCourseSets } from '../workbook/course.ts';
import { displayFigure } from '../workbook/grading/precision.ts';
import { resolveModel } from '../workbook/models.ts';
import { CANONICAL_SEED, defaultValues, isRandomized, spaceOf, variantOf, type ProblemSpec, type VariantDomain } from '../workbook/variants/index.ts';
import { readDocument, type AskedAnswer, type ProblemDocument } from './document.ts';

export interface CourseSet {
  readonly id: string;
  readonly title: string;
}

/** The course's sets, in course order (the course file's, then those only problems name): course.ts. */
export function courseSets(root?: string): CourseSet[] {
  return theCourseSets(root).map((s) => ({ id: s.id, title: s.title }));
}

/** A problem with its MDX body, as the CLI loads it or the site reads it (src/site/content.ts). */
export interface SetProblem extends ProblemSpec {
  readonly body: string;
}

export interface ProblemSetDoc<P extends SetProblem = SetProblem> {
  readonly id: string;
  readonly title: string;
  readonly problems: readonly P[];
}

/**
 * A set's problems in order. An unknown set lists the sets; a set with no problem is an error
 * too (nothing to print or export).
 */
export function problemSet<P extends SetProblem>(id: string, all: readonly P[], root?: string): ProblemSetDoc<P> {
  const sets = courseSets(root);
  const set = sets.find((s) => s.id === id);
  if (!set) throw new Error(`unknown set '${id}'; sets: ${sets.map((s) => s.id).join(', ')}`);
  const problems = all.filter((p) => p.data.set === id).sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
  if (problems.length === 0) throw new Error(`set '${id}' has no problems (a problem joins it with \`set: ${id}\` in its frontmatter)`);
  return { id, title: set.title, problems };
}

const documents = new WeakMap<object, ProblemDocument>();

/** The problem's MDX as a document (parsed once per problem). */
export function documentOf(p: SetProblem): ProblemDocument {
  let doc = documents.get(p);
  if (!doc) {
    doc = readDocument(p.body, p.file);
    documents.set(p, doc);
  }
  return doc;
}

/** A problem solved: the homework (seed 0) or a variant of a randomized problem. */
export interface Solved {
  readonly seed: number;
  readonly ctx: ProblemContext;
  readonly values: Readonly<Record<string, number>>;
}

/**
 * The problem solved for `seed` (drawn in `domain`: practice, or graded for a seed keyed by the
 * course secret, secret.ts); a problem without params has one variant, the homework.
 */
export function solveProblem(p: ProblemSpec, seed = CANONICAL_SEED, domain: VariantDomain = 'practice'): Solved {
  if (isRandomized(p.data) && seed !== CANONICAL_SEED) {
    const v = variantOf(p, seed, { domain });
    return { seed, ctx: v.ctx, values: v.values };
  }
  if (seed !== CANONICAL_SEED) throw new Error(`${p.file} has no params: it has one variant, seed 0`);
  // The homework: the frontmatter's canonical model and givens, with its tables (as the problem page).
  const model = resolveModel(p.data.model, p.models, p.file);
  const ctx = solve(model, p.data.given, undefined, { tables: p.data.tables, measurements: p.data.measurements, hardwareProfiles: p.hardwareProfiles });
  return { seed, ctx, values: isRandomized(p.data) ? defaultValues(spaceOf(p.data.variation)) : {} };
}

/** One line of an answer key. */
export interface KeyEntry {
  readonly problem: string;
  /** The question's label ('' when the answer is outside a question). */
  readonly question: string;
  readonly answer: AskedAnswer;
  readonly title: string;
  readonly figure: Figure;
  /** As displayed under the precision rule, with its unit: `99,338 B`, `46.7 ms`; `yes (…)` for a yes/no answer, `memory-bound (2.36 FLOP/B)` for a figure with a verdict, `op6 (178 FLOP/B)` for a choice. */
  readonly display: string;
  /** A yes/no answer's yes or no. */
  readonly decision?: boolean;
  /** A `<Choice>`: its options, each option's figure, and the engine's pick (`figure` is the pick's). */
  readonly choice?: { readonly labels: readonly string[]; readonly figures: readonly Figure[]; readonly index: number };
  /** An answer that is a word (`bound`): the words, the engine's, and the figure `figure` is compared with (the ridge point). */
  readonly word?: { readonly words: readonly string[]; readonly index: number; readonly against: Figure };
  readonly unit: string;
}

/** The answer an entry asks for, as a word: `yes`/`no`, a choice's label; undefined for a figure. */
export function entryPick(e: KeyEntry): string | undefined {
  if (e.choice) return e.choice.labels[e.choice.index];
  if (e.decision !== undefined) return e.decision ? 'yes' : 'no';
  if (e.word) return e.word.words[e.word.index];
  return undefined;
}

/** `Parameters (layer conv1)`: an answer's title with the props that select its figure. */
export function entryTitle(e: KeyEntry): string {
  const select = Object.entries(e.answer.select).map(([k, v]) => (k === 'in' ? `in ${v}` : `${k} ${v}`));
  return select.length > 0 ? `${e.title} (${select.join(', ')})` : e.title;
}

/** One answer of a key, as `workbook answers` and the handouts' key.json write it. */
export interface KeyAnswer {
  /** The `<Question>` label, when the answer sits in one. */
  readonly question?: string;
  readonly of: string;
  /** The props that select the figure (layer, profile, batch, ...), when any. */
  readonly select?: Readonly<Record<string, string | number | boolean>>;
  readonly title: string;
  readonly value: number;
  readonly unit: string;
  readonly display: string;
  /** A yes/no answer's `yes`/`no`, a choice's option; `value` is the figure it is read from. */
  readonly pick?: string;
}

/** A key entry as a key writes it: empty questions and props left out. */
export function keyAnswerOf(e: KeyEntry): KeyAnswer {
  const pick = entryPick(e);
  return {
    ...(e.question ? { question: e.question } : {}),
    of: e.answer.of,
    ...(Object.keys(e.answer.select).length > 0 ? { select: e.answer.select } : {}),
    title: entryTitle(e),
    value: e.figure.value,
    unit: e.unit,
    display: e.display,
    ...(pick !== undefined ? { pick } : {}),
  };
}

const withVerdict = (verdict: string | undefined, shown: string) => (verdict ? `${verdict} (${shown})` : shown);

/** The answers a problem asks for (`<Answer>` and `<Choice>`), in page order, each with the engine's figure or pick. */
export function keyEntries(p: SetProblem, solved: Solved): KeyEntry[] {
  return documentOf(p).asked.map((asked) => {
    if (asked.kind === 'choice') {
      const c = asked.choice;
      const result = choiceAnswer(solved.ctx, c.of, c.pick, c.options, p.file);
      const figure = result.figures[result.index]!;
      return {
        problem: p.id,
        question: c.question,
        answer: { of: c.of, select: {}, question: c.question, ...(c.title !== undefined ? { title: c.title } : {}) },
        title: choiceHeading(c.of, c.pick, c.title),
        figure,
        display: `${result.labels[result.index]} (${displayFigure(figure)})`,
        choice: { labels: result.labels, figures: result.figures, index: result.index },
        unit: UNITS[figure.unit].text,
      };
    }
    const a = asked.answer;
    const figure = answerFigure(solved.ctx, a.of, p.file, a.select);
    // A yes/no answer is its yes or no, with the figure it is read from.
    const decision = isDecision(a.of) ? answerDecision(solved.ctx, a.of, p.file, a.select) : undefined;
    const word = answerOptions(solved.ctx, a.of, p.file, a.select);
    return {
      problem: p.id,
      question: a.question,
      answer: a,
      title: a.title ?? ANSWER_KINDS[a.of].title,
      figure,
      // A yes/no answer reads 'yes (…)'; a figure with a word to go with it, 'memory-bound (2.36 FLOP/B)'.
      display: decision ? `${decision.yes ? 'yes' : 'no'} (${displayFigure(figure)})` : withVerdict(answerVerdict(solved.ctx, a.of, p.file, a.select), displayFigure(figure)),
      ...(decision ? { decision: decision.yes } : {}),
      ...(word ? { word } : {}),
      unit: UNITS[figure.unit].text,
    };
  });
}
