/**
 * Proving a parameter space: sample many seeds and check that every variant is valid — its
 * values in their domains and meeting every constraint, every answer a finite value (an exact
 * integer for counts), every derivation recomputing to its figure and ending with it, and no
 * answer repeating a homework answer. Reports the spread of each answer.
 */
import { derivationForms, evaluate, valueTex } from '../../engine/index.ts';
import { answerFigure } from '../answers.ts';
import { isExactUnit, withinTolerance } from '../grading/precision.ts';
import { CANONICAL_SEED } from './hash.ts';
import { spaceOf } from './instantiate.ts';
import { brokenConstraint, spaceSize } from './space.ts';
import { canonicalAnswerValues, isRandomized, variantOf, type ProblemSpec } from './variant.ts';

export interface AnswerSpread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly distinct: number;
}

export interface SpaceReport {
  readonly problem: string;
  readonly variants: number;
  /** Distinct combinations of parameter values among the variants. */
  readonly distinct: number;
  /** Combinations of sampled values before constraints. */
  readonly spaceSize: number;
  /** Draws refused (constraints, homework answers) per accepted variant. */
  readonly rejectedPerVariant: number;
  readonly failures: readonly string[];
  readonly spread: Readonly<Record<string, AnswerSpread>>;
  readonly milliseconds: number;
}

export function checkVariants(spec: ProblemSpec, seeds: Iterable<number>, options: { maxFailures?: number; now?: () => number } = {}): SpaceReport {
  if (!isRandomized(spec.data)) throw new Error(`${spec.file}: not a randomized problem`);
  const now = options.now ?? (() => performance.now());
  const start = now();
  const space = spaceOf(spec.data.variation);
  const domains = new Map(space.sampled.map((s) => [s.name, new Set(s.values)]));
  const failures: string[] = [];
  const fail = (message: string) => {
    if (failures.length < (options.maxFailures ?? 20)) failures.push(message);
  };
  const values: Record<string, number[]> = Object.fromEntries(spec.answers.map((a) => [a, []]));
  const combos = new Set<string>();
  let count = 0;
  let rejected = 0;
  let homework: ReadonlySet<number> | undefined;
  try {
    homework = canonicalAnswerValues(spec);
  } catch (error) {
    fail(`the canonical variant: ${(error as Error).message}`);
  }

  for (const seed of seeds) {
    count++;
    let variant;
    try {
      variant = variantOf(spec, seed);
    } catch (error) {
      fail((error as Error).message);
      continue;
    }
    rejected += variant.rejected;
    const at = `${spec.file}: seed ${seed}`;
    combos.add(JSON.stringify(variant.values));
    for (const [name, domain] of domains) {
      if (!domain.has(variant.values[name]!)) fail(`${at}: ${name} = ${variant.values[name]} is outside its domain`);
    }
    const broken = brokenConstraint(space, { ...variant.values });
    if (broken) fail(`${at}: breaks '${broken}'`);
    for (const name of spec.answers) {
      let f;
      try {
        f = answerFigure(variant.ctx, name, spec.file);
      } catch (error) {
        fail(`${at}: ${(error as Error).message}`);
        continue;
      }
      if (!Number.isFinite(f.value)) fail(`${at}: ${name} is ${f.value}`);
      else if (isExactUnit(f.unit) && !Number.isSafeInteger(f.value)) fail(`${at}: ${name} = ${f.value} is not an exact integer count`);
      const recomputed = evaluate(f.expr);
      if (recomputed !== f.value && Math.abs(recomputed - f.value) > 1e-12 * Math.abs(f.value)) {
        fail(`${at}: ${name}'s derivation recomputes to ${recomputed}, not ${f.value}`);
      }
      const forms = derivationForms(f);
      if (forms[forms.length - 1] !== valueTex(f.value, f.unit)) fail(`${at}: ${name}'s derivation does not end with its value`);
      if (seed !== CANONICAL_SEED && homework && [...homework].some((h) => withinTolerance(f.value, h, f.unit))) fail(`${at}: ${name} = ${f.value} repeats a homework answer`);
      values[name]!.push(f.value);
    }
  }

  const spread = Object.fromEntries(
    Object.entries(values).map(([name, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return [name, { min: sorted[0] ?? NaN, median: sorted[Math.floor(sorted.length / 2)] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, distinct: new Set(sorted).size }];
    }),
  );
  return {
    problem: spec.id,
    variants: count,
    distinct: combos.size,
    spaceSize: spaceSize(space),
    rejectedPerVariant: count ? rejected / count : 0,
    failures,
    spread,
    milliseconds: now() - start,
  };
}
