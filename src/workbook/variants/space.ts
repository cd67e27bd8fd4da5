/**
 * A problem's parameter space: what may vary between variants, and the rules a variant obeys.
 *
 * Frontmatter:
 *   params:
 *     h1:   { default: 256, choices: [64, 128, 256, 512] }   # one of a list
 *     n0:   { default: 120, min: 64, max: 1024, step: 8 }     # an integer range with a step
 *     pair: { derived: "max(n0 + h1, h1 + h2)" }            # computed from the others
 *   constraints:
 *     - "h2 <= h1"                                          # every variant satisfies each
 *
 * `default` is the canonical (homework) value; the default variant (seed 0) takes every default.
 * Sampling is per parameter: the draw for `h1` under seed s at attempt a comes from a pure-rand
 * generator seeded with hash32(["variant", problem, s, "h1", a]) (see hash.ts), so the variant
 * does not depend on the order in which parameters are listed or drawn. A draw that breaks a
 * constraint is rejected and all parameters are drawn again at attempt a + 1, up to a bound.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { z } from '../../engine/schema.ts';
import { evaluateFormula, namesIn, parseFormula, type Formula } from './formula.ts';
import { CANONICAL_SEED, DOMAIN_TAGS, drawSeeds, hash32, isSeed, type VariantDomain } from './hash.ts';

export const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A range may list at most this many values, so a typo (max: 1e9) is caught early. */
const MAX_RANGE_VALUES = 100_000;

const label = z.optional(z.string().check(z.minLength(1)));
const choicesSpec = z.strictObject({ default: z.number(), choices: z.array(z.number()).check(z.minLength(1)), label });
const rangeSpec = z.strictObject({
  default: z.int(),
  min: z.int(),
  max: z.int(),
  step: z._default(z.int().check(z.positive()), 1),
  label,
});
const derivedSpec = z.strictObject({ derived: z.string().check(z.minLength(1)), label });

export const paramSpecSchema = z.union([choicesSpec, rangeSpec, derivedSpec]);
export type ParamSpec = z.output<typeof paramSpecSchema>;

export const paramsSchema = z.record(
  z.string().check(z.regex(PARAM_NAME, 'a parameter name is letters, digits and _, starting with a letter or _')),
  paramSpecSchema,
);
export const constraintsSchema = z.array(z.string().check(z.minLength(1)));

/** The parts of the frontmatter that define the space, as written. */
export interface SpaceSource {
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly constraints: readonly string[];
}

interface Sampled {
  readonly name: string;
  /** Every value the parameter may take, in order. */
  readonly values: readonly number[];
  readonly default: number;
}

interface Derived {
  readonly name: string;
  readonly source: string;
  readonly formula: Formula;
}

export interface ParameterSpace {
  readonly sampled: readonly Sampled[];
  /** In an order where each comes after the values it reads. */
  readonly derived: readonly Derived[];
  readonly constraints: readonly { readonly source: string; readonly formula: Formula }[];
  /** Every parameter's name, sampled and derived. */
  readonly names: readonly string[];
}

export class SpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpaceError';
  }
}

/** Checks a space and prepares it for sampling; throws `SpaceError` saying which parameter is wrong. */
export function compileSpace(source: SpaceSource): ParameterSpace {
  const sampled: Sampled[] = [];
  const derivedSpecs: Derived[] = [];
  for (const [name, spec] of Object.entries(source.params)) {
    const fail = (detail: string): never => {
      throw new SpaceError(`params.${name}: ${detail}`);
    };
    if ('derived' in spec) {
      try {
        derivedSpecs.push({ name, source: spec.derived, formula: parseFormula(spec.derived) });
      } catch (error) {
        fail((error as Error).message);
      }
    } else if ('choices' in spec) {
      if (new Set(spec.choices).size !== spec.choices.length) fail(`choices repeat a value: ${spec.choices.join(', ')}`);
      if (!spec.choices.includes(spec.default)) fail(`the default ${spec.default} is not among the choices ${spec.choices.join(', ')}`);
      sampled.push({ name, values: spec.choices, default: spec.default });
    } else {
      const { min, max, step } = spec;
      if (min > max) fail(`min ${min} is greater than max ${max}`);
      const count = Math.floor((max - min) / step) + 1;
      if (count > MAX_RANGE_VALUES) fail(`the range holds ${count} values; at most ${MAX_RANGE_VALUES} are allowed (raise step?)`);
      if (spec.default < min || spec.default > max || (spec.default - min) % step !== 0) {
        fail(`the default ${spec.default} is not in the range ${min}..${max} step ${step}`);
      }
      sampled.push({ name, values: Array.from({ length: count }, (_, k) => min + k * step), default: spec.default });
    }
  }
  const names = [...sampled.map((s) => s.name), ...derivedSpecs.map((d) => d.name)];
  const known = new Set(names);
  for (const d of derivedSpecs) {
    for (const n of namesIn(d.formula)) {
      if (!known.has(n)) throw new SpaceError(`params.${d.name}: derived '${d.source}' reads '${n}', which is not a parameter; parameters: ${names.join(', ')}`);
    }
  }
  const constraints = source.constraints.map((text, i) => {
    let formula: Formula;
    try {
      formula = parseFormula(text);
    } catch (error) {
      throw new SpaceError(`constraints[${i}]: ${(error as Error).message}`);
    }
    for (const n of namesIn(formula)) {
      if (!known.has(n)) throw new SpaceError(`constraints[${i}]: '${text}' reads '${n}', which is not a parameter; parameters: ${names.join(', ') || 'none'}`);
    }
    return { source: text, formula };
  });
  const space: ParameterSpace = { sampled, derived: orderDerived(derivedSpecs, new Set(sampled.map((s) => s.name))), constraints, names };

  // The canonical values are a variant like any other: they must meet every rule.
  const defaults = computeDerived(space, Object.fromEntries(sampled.map((s) => [s.name, s.default])));
  const broken = brokenConstraint(space, defaults);
  if (broken !== undefined) throw new SpaceError(`the default values break the constraint '${broken}'`);
  return space;
}

/** Derived values in dependency order; a cycle is an error naming it. */
function orderDerived(derived: Derived[], sampledNames: Set<string>): Derived[] {
  const byName = new Map(derived.map((d) => [d.name, d]));
  const ordered: Derived[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (d: Derived, chain: string[]): void => {
    if (state.get(d.name) === 'done') return;
    if (state.get(d.name) === 'visiting') throw new SpaceError(`params: derived values form a cycle: ${[...chain, d.name].join(' -> ')}`);
    state.set(d.name, 'visiting');
    for (const n of namesIn(d.formula)) {
      const dep = byName.get(n);
      if (dep && !sampledNames.has(n)) visit(dep, [...chain, d.name]);
    }
    state.set(d.name, 'done');
    ordered.push(d);
  };
  derived.forEach((d) => visit(d, []));
  return ordered;
}

export function computeDerived(space: ParameterSpace, sampledValues: Record<string, number>): Record<string, number> {
  if (space.derived.length === 0) return sampledValues;
  const values = { ...sampledValues };
  for (const d of space.derived) {
    const v = evaluateFormula(d.formula, values, d.source);
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new SpaceError(`params.${d.name}: derived '${d.source}' gives ${v}, not a finite number`);
    }
    values[d.name] = v;
  }
  return values;
}

/** The first constraint the values break, or undefined. */
export function brokenConstraint(space: ParameterSpace, values: Record<string, number>): string | undefined {
  for (const c of space.constraints) {
    const ok = evaluateFormula(c.formula, values, c.source);
    if (typeof ok !== 'boolean') throw new SpaceError(`constraint '${c.source}' gives the number ${ok}; a constraint must be a comparison`);
    if (!ok) return c.source;
  }
  return undefined;
}

export function defaultValues(space: ParameterSpace): Record<string, number> {
  return computeDerived(space, Object.fromEntries(space.sampled.map((s) => [s.name, s.default])));
}

export interface SampleOptions {
  /** Draws tried before giving up. */
  readonly maxAttempts?: number;
  /** An extra rule beyond the constraints: return why the values are refused, or undefined. */
  readonly refuse?: (values: Record<string, number>) => string | undefined;
  /**
   * The space to draw from (hash.ts, `VariantDomain`): its tag seeds the draws, and values of the
   * other half of the value space are refused. Absent: plain sampling, no half refused.
   */
  readonly domain?: VariantDomain;
}

export const OTHER_DOMAIN: Readonly<Record<VariantDomain, string>> = {
  practice: 'the values belong to graded variants',
  graded: 'the values belong to practice variants',
};

export interface SampledValues {
  readonly seed: number;
  readonly values: Record<string, number>;
  /** How many draws were refused before this one. */
  readonly rejected: number;
}

export const DEFAULT_MAX_ATTEMPTS = 1000;

/**
 * The values of variant `seed` of `problemId`. Seed 0 is the canonical variant (every default);
 * any other seed draws each parameter from its own hash-seeded generator and redraws on a
 * refusal. Throws `SpaceError` naming the rule that refused most often when no draw succeeds.
 */
export function sampleValues(space: ParameterSpace, problemId: string, seed: number, options: SampleOptions = {}): SampledValues {
  if (!isSeed(seed)) throw new SpaceError(`a seed is an integer from 0 to 4294967295, got ${seed}`);
  if (seed === CANONICAL_SEED) return { seed, values: defaultValues(space), rejected: 0 };
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  let refusals: Map<string, number> | undefined;
  const domain = options.domain;
  const seedOf = drawSeeds(problemId, seed, domain ? DOMAIN_TAGS[domain] : undefined);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const drawn: Record<string, number> = {};
    for (const p of space.sampled) {
      const rng = xoroshiro128plus(seedOf(p.name, attempt));
      drawn[p.name] = p.values[uniformInt(rng, 0, p.values.length - 1)]!;
    }
    const values = computeDerived(space, drawn);
    const why =
      brokenConstraint(space, values) ??
      (domain && valuesDomain(space, problemId, values) !== domain ? OTHER_DOMAIN[domain] : undefined) ??
      options.refuse?.(values);
    if (why === undefined) return { seed, values, rejected: attempt };
    refusals ??= new Map();
    refusals.set(why, (refusals.get(why) ?? 0) + 1);
  }
  const [worst, times] = [...refusals!.entries()].sort((a, b) => b[1] - a[1])[0]!;
  const small = domain && worst === OTHER_DOMAIN[domain] ? ': the space is too small to keep practice and graded variants apart; add values to a choice or widen a range' : '';
  throw new SpaceError(
    `${problemId}: seed ${seed}: no variant met every rule in ${maxAttempts} draws; most often refused by '${worst}' (${times} times)${small}`,
  );
}

/**
 * Which half of the value space some values belong to (hash.ts, `VariantDomain`): practice
 * variants are drawn from one, graded ones from the other. The pivot is the first sampled
 * parameter, by name, with two values or more; the half is the parity of its value's place in
 * its list (the default left out) plus hash32(["domain", problemId, "name=value" of the other sampled parameters, in
 * name order]). Along the pivot the halves alternate, so each holds about half of any space,
 * a small one too. Derived values follow from the sampled ones and are left out.
 */
export function valuesDomain(space: ParameterSpace, problemId: string, values: Readonly<Record<string, number>>): VariantDomain {
  const byName = [...space.sampled].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pivot = byName.find((p) => p.values.length > 1);
  const parts: string[] = ['domain', problemId];
  for (const p of byName) if (p !== pivot) parts.push(`${p.name}=${values[p.name]}`);
  // The place among the pivot's values other than its default (the homework's), so that those
  // alternate: with choices [4, 8, 16] and default 8, 4 and 16 fall in different halves.
  let place = 0;
  if (pivot) {
    const at = pivot.values.indexOf(values[pivot.name]!);
    const home = pivot.values.indexOf(pivot.default);
    place = at > home ? at - 1 : at;
  }
  return ((hash32(parts) + place) & 1) === 0 ? 'practice' : 'graded';
}

/** How many combinations of sampled values the space holds (before constraints). */
export function spaceSize(space: ParameterSpace): number {
  return space.sampled.reduce((n, p) => n * p.values.length, 1);
}
