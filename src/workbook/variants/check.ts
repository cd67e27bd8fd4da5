/**
 * Proving a parameter space: sample many seeds and check that every variant is valid — its
 * values in their domains and meeting every constraint, every answer a finite value (an exact
 * integer for counts), every derivation recomputing to its figure and ending with it, and no
 * answer repeating a homework answer. Reports the spread of each answer.
 */
import { derivationForms, evaluate, valueTex } from '../../engine/index.ts';
import { isExactUnit } from '../grading/precision.ts';
import { CANONICAL_SEED } from './hash.ts';
import { spaceOf } from './instantiate.ts';
import { brokenConstraint, spaceSize } from './space.ts';
import { askedFigure, askedLabel, canonicalAnswerValues, isRandomized, repeatsHomework, variantOf, type ProblemSpec } from './variant.ts';

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
  const values: Record<string, number[]> = Object.fromEntries(spec.answers.map((a) => [askedLabel(a), []]));
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
    for (let index = 0; index < spec.answers.length; index++) {
      const asked = spec.answers[index]!;
      const name = askedLabel(asked);
      let f;
      try {
        f = askedFigure(variant.ctx, asked, spec.file);
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
      if (seed !== CANONICAL_SEED && homework && repeatsHomework(spec, index, f)) fail(`${at}: ${name} = ${f.value} repeats a homework answer`);
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

/**
 * The variety rule: how many distinct variants a space must give, scaled to its size.
 *
 * A space of N combinations of sampled values, of which the constraints and the homework rule
 * keep a fraction a ≈ 1 / (1 + draws refused per variant), holds about V = N·a valid variants.
 * n seeds drawn uniformly from V give V·(1 − (1 − 1/V)^n) distinct ones on average (n when V is
 * large, V when n is large). The rule asks for 90 % of that, and for a space of at least
 * MIN_VARIANTS valid variants, so a class does not share a handful of variants.
 */
export const MIN_VARIANTS = 20;

export interface VarietyVerdict {
  readonly ok: boolean;
  /** About how many valid variants the space holds. */
  readonly validVariants: number;
  /** Distinct variants the rule asks of this run. */
  readonly required: number;
  readonly message: string;
}

export function varietyRule(report: Pick<SpaceReport, 'problem' | 'variants' | 'distinct' | 'spaceSize' | 'rejectedPerVariant'>): VarietyVerdict {
  const n = report.variants;
  const valid = report.spaceSize / (1 + report.rejectedPerVariant);
  const expected = valid * (1 - (1 - 1 / Math.max(valid, 1)) ** n);
  const required = Math.floor(0.9 * Math.min(n, expected));
  const tooSmall = valid < MIN_VARIANTS;
  const ok = !tooSmall && report.distinct >= required;
  const advice = 'add values to a parameter’s choices, widen a range (or shrink its step), or loosen a constraint';
  const message = tooSmall
    ? `${report.problem}: the space holds about ${Math.round(valid)} valid variants (${report.spaceSize} combinations, ${report.rejectedPerVariant.toFixed(2)} draws refused per variant); at least ${MIN_VARIANTS} are needed: ${advice}`
    : ok
      ? `${report.problem}: ${report.distinct} distinct variants of ${n}, at least ${required} needed`
      : `${report.problem}: ${report.distinct} distinct variants of ${n}; a space of about ${Math.round(valid)} valid variants should give at least ${required}: ${advice}`;
  return { ok, validVariants: valid, required, message };
}
