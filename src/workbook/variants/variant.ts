/**
 * A variant of a problem: its seed, its parameter values, and the problem those values pose,
 * solved by the engine. A variant is a function of (problem id, seed) alone.
 *
 * Seed 0 is the canonical variant, the homework as written. Every other seed is refused any
 * draw in which an answer the problem asks for equals one of the canonical answers (under the
 * precision rule: a time that displays, and grades, as 46.7 ms like the homework's is refused
 * too), in every edition: practice must never hand out a homework answer (see README).
 */
import { resolveModel, type ModelRegistry } from '../models.ts';
import { answerFigure, solve, type AnswerName, type HardwareRegistry, type ProblemContext } from '../answers.ts';
import type { Given, ProblemData } from '../problem.ts';
import { toleranceOf } from '../grading/precision.ts';
import type { Figure, Unit } from '../../engine/math/derivation.ts';
import { CANONICAL_SEED } from './hash.ts';
import { describeValues, instantiate, spaceOf, type Variation } from './instantiate.ts';
import { computeDerived, sampleValues, type SampleOptions } from './space.ts';

/** What variant sampling needs to know of a problem. Plain JSON, so a page can embed it. */
export interface ProblemSpec {
  /** e.g. `hw1/q1` */
  readonly id: string;
  /** e.g. `problems/hw1/q1.mdx`, for error messages */
  readonly file: string;
  readonly data: ProblemData;
  /**
   * The figures the problem asks for, each once, in page order: its `<Answer>`s and `<Value>`s,
   * with the props that select each (`layer`, `profile`, `in`, ...). `figuresAsked` (publish/document.ts)
   * reads them from the MDX.
   */
  readonly answers: readonly AskedFigure[];
  /**
   * The built-in models its `model` may name, by id, and the hardware profiles its `given` and
   * answers may name: passed in rather than imported, so the practice page embeds only these and
   * its script carries neither the zoo nor the profiles. `builtInsFor` (builtins.ts) picks them.
   */
  readonly models: ModelRegistry;
  readonly hardwareProfiles: HardwareRegistry;
}

export interface Variant {
  readonly problemId: string;
  readonly seed: number;
  readonly values: Readonly<Record<string, number>>;
  readonly canonical: boolean;
  /** Draws refused (by constraints or for repeating a homework answer) before this one. */
  readonly rejected: number;
  readonly given: Given;
  readonly ctx: ProblemContext;
}

/** A figure a problem asks for: an answer name, and the props that select it when there are any. */
export interface AskedFigure {
  readonly of: AnswerName;
  readonly select?: Readonly<Record<string, string | number | boolean>>;
}

/** `macs`, `macs layer=conv1`: an asked figure as a reader names it. */
export function askedLabel(a: AskedFigure): string {
  const select = a.select ? Object.entries(a.select) : [];
  return select.length === 0 ? a.of : `${a.of} ${select.map(([k, v]) => `${k}=${v}`).join(' ')}`;
}

/** The figure of an asked answer in a solved problem. */
export function askedFigure(ctx: ProblemContext, a: AskedFigure, file: string): Figure {
  return answerFigure(ctx, a.of, file, a.select);
}

export function isRandomized(data: ProblemData): data is ProblemData & { variation: Variation } {
  return data.variation !== undefined;
}

/** Solves the problem posed by the given parameter values. */
function solveValues(spec: ProblemSpec, variation: Variation, values: Readonly<Record<string, number>> | undefined) {
  const instance = instantiate(variation, values);
  const model = resolveModel(instance.model, spec.models, spec.file);
  return { instance, ctx: solve(model, instance.given, undefined, { hardwareProfiles: spec.hardwareProfiles }) };
}

const canonicalCache = new WeakMap<ProblemSpec, ReadonlySet<number>>();

/** The values of the canonical answers, which no other variant may repeat. */
export function canonicalAnswerValues(spec: ProblemSpec): ReadonlySet<number> {
  let set = canonicalCache.get(spec);
  if (!set) {
    if (!isRandomized(spec.data)) throw new Error(`${spec.file}: not a randomized problem (no params)`);
    const { ctx } = solveValues(spec, spec.data.variation, undefined);
    set = new Set(spec.answers.map((a) => askedFigure(ctx, a, spec.file).value));
    canonicalCache.set(spec, set);
  }
  return set;
}

/**
 * The homework's answers with their tolerance in the unit of each asked figure, as (value,
 * tolerance) pairs, by the figure's place in `spec.answers`: `withinTolerance(x, h, unit)` is
 * |x − h| ≤ toleranceOf(h, unit), worked out once per answer rather than for every draw.
 */
function homeworkBands(spec: ProblemSpec, index: number, unit: Unit): Float64Array {
  let byAnswer = bandsCache.get(spec);
  if (!byAnswer) bandsCache.set(spec, (byAnswer = new Array(spec.answers.length)));
  const known = byAnswer[index];
  if (known && known.unit === unit) return known.bands;
  const homework = canonicalAnswerValues(spec);
  const bands = new Float64Array(homework.size * 2);
  let i = 0;
  for (const h of homework) {
    bands[i++] = h;
    bands[i++] = toleranceOf(h, unit);
  }
  byAnswer[index] = { unit, bands };
  return bands;
}

const bandsCache = new WeakMap<ProblemSpec, ({ unit: Unit; bands: Float64Array } | undefined)[]>();

/**
 * Whether `f`, the figure of `spec.answers[index]` in some variant, repeats one of the homework's
 * answers under the precision rule (`withinTolerance`): the sampler refuses such a draw, and the
 * space check reports one.
 */
export function repeatsHomework(spec: ProblemSpec, index: number, f: Figure): boolean {
  const bands = homeworkBands(spec, index, f.unit);
  for (let i = 0; i < bands.length; i += 2) if (Math.abs(f.value - bands[i]!) <= bands[i + 1]!) return true;
  return false;
}

export const REPEATS_HOMEWORK = 'an answer equals a homework answer';

/**
 * Variant `seed` of a randomized problem. Throws an error naming the file, the seed and the
 * values when the engine refuses the variant (a space that allows an invalid variant).
 */
export function variantOf(spec: ProblemSpec, seed: number, options: Pick<SampleOptions, 'maxAttempts' | 'domain'> = {}): Variant {
  if (!isRandomized(spec.data)) throw new Error(`${spec.file}: not a randomized problem (no params)`);
  const variation = spec.data.variation;
  if (options.domain === 'graded' && seed === CANONICAL_SEED) throw new Error(`${spec.file}: seed 0 is the homework, never a graded variant`);
  const space = spaceOf(variation);
  // Any seed but 0 refuses a homework answer: the homework is solved first (once per problem).
  const refusesHomework = seed !== CANONICAL_SEED;
  if (refusesHomework) canonicalAnswerValues(spec);
  let solved: ReturnType<typeof solveValues> | undefined;
  const attempt = (values: Record<string, number>) => {
    try {
      return solveValues(spec, variation, values);
    } catch (error) {
      throw new Error(`${spec.file}: seed ${seed} (${describeValues(values)}): ${(error as Error).message}`);
    }
  };
  const sampled = sampleValues(space, spec.id, seed, {
    ...options,
    // Practice unless asked: a graded variant is drawn only with a seed keyed by the course secret.
    domain: options.domain ?? 'practice',
    refuse: (values) => {
      solved = attempt(values);
      if (!refusesHomework) return undefined;
      const ctx = solved.ctx;
      for (let a = 0; a < spec.answers.length; a++) {
        if (repeatsHomework(spec, a, askedFigure(ctx, spec.answers[a]!, spec.file))) return REPEATS_HOMEWORK;
      }
      return undefined;
    },
  });
  // `refuse` ran last on the accepted values, except for seed 0, which skips sampling.
  const { instance, ctx } = seed === CANONICAL_SEED ? attempt(sampled.values) : solved!;
  return {
    problemId: spec.id,
    seed,
    values: sampled.values,
    canonical: instance.canonical,
    rejected: sampled.rejected,
    given: instance.given,
    ctx,
  };
}

/**
 * The homework as written, as a variant (seed 0): a randomized problem's canonical variant, or a
 * problem without params solved from its frontmatter (its tables and measurements too), as its
 * page solves it. The checker of such a problem's page grades against it.
 */
export function homeworkVariant(spec: ProblemSpec): Variant {
  if (isRandomized(spec.data)) return variantOf(spec, CANONICAL_SEED);
  const model = resolveModel(spec.data.model, spec.models, spec.file);
  const ctx = solve(model, spec.data.given, undefined, { tables: spec.data.tables, measurements: spec.data.measurements, hardwareProfiles: spec.hardwareProfiles });
  return { problemId: spec.id, seed: CANONICAL_SEED, values: {}, canonical: true, rejected: 0, given: spec.data.given, ctx };
}

/**
 * The variant posed by parameter values drawn elsewhere: a graded variant, whose seed is keyed by
 * the course secret and never reaches a page, is drawn by `workbook handouts` and handed to the
 * student sheet as its values. Only the sampled parameters are read; derived ones are computed.
 */
export function variantWithValues(spec: ProblemSpec, seed: number, values: Readonly<Record<string, number>>): Variant {
  if (!isRandomized(spec.data)) throw new Error(`${spec.file}: not a randomized problem (no params)`);
  const space = spaceOf(spec.data.variation);
  const sampled = Object.fromEntries(space.sampled.map((p) => [p.name, values[p.name]!]));
  const { instance, ctx } = solveValues(spec, spec.data.variation, computeDerived(space, sampled));
  return { problemId: spec.id, seed, values: instance.values, canonical: instance.canonical, rejected: 0, given: instance.given, ctx };
}
