/**
 * The stress test: thousands of seeds of every randomized problem, each variant proved valid
 * (constraints met, every answer finite and exact where it is a count, every derivation
 * consistent, no homework answer repeated), with the spread of the answers printed. A space that
 * allows an invalid variant fails it (the fixtures below).
 *
 * WORKBOOK_STRESS_SEEDS sets the number of seeds per problem (default 3000).
 */
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/cli/problems.ts';
import { problemSchema } from '../../src/workbook/problem.ts';
import { checkVariants, MIN_VARIANTS, varietyRule, type SpaceReport } from '../../src/workbook/variants/check.ts';
import { isRandomized, type ProblemSpec } from '../../src/workbook/variants/index.ts';

const SEEDS = Number(process.env.WORKBOOK_STRESS_SEEDS ?? 3000);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const randomized = loadProblems().filter((p) => isRandomized(p.data));

function print(report: SpaceReport): void {
  const rate = Math.round((report.variants / report.milliseconds) * 1000);
  const lines = [
    `${report.problem}: ${report.variants} variants (${report.distinct} distinct of ${report.spaceSize} combinations) in ${report.milliseconds.toFixed(0)} ms, ${rate} variants/s, ${report.rejectedPerVariant.toFixed(2)} draws refused per variant`,
    ...Object.entries(report.spread).map(([name, s]) => `  ${name.padEnd(16)} min ${s.min}  median ${s.median}  max ${s.max}  (${s.distinct} distinct)`),
  ];
  console.log(lines.join('\n'));
}

describe('stress: every variant of every randomized problem is valid', () => {
  it('finds the randomized problems (HW1 Q1 and Q2 at least)', () => {
    expect(randomized.map((p) => p.id)).toEqual(expect.arrayContaining(['hw1/q1', 'hw1/q2']));
  });

  it.each(randomized.map((p) => [p.id, p] as const))('%s', (_id, problem) => {
    const report = checkVariants(problem, range(0, SEEDS));
    print(report);
    expect(report.failures).toEqual([]);
    expect(report.variants).toBe(SEEDS);
    // A space worth sampling (the variety rule, README): enough distinct variants for its size, and every answer varies.
    const variety = varietyRule(report);
    expect(variety.ok, variety.message).toBe(true);
    for (const s of Object.values(report.spread)) expect(s.distinct).toBeGreaterThan(1);
  }, 120_000);
});

describe('the variety rule scales with the space', () => {
  const report = (spaceSize: number, distinct: number, variants = 3000, rejectedPerVariant = 0) => varietyRule({ problem: 'p', variants, distinct, spaceSize, rejectedPerVariant });

  it.each([
    // [combinations, refused per variant, seeds, required distinct]: 90 % of V (1 - (1 - 1/V)^n), at most 90 % of n
    [1_000_000, 0, 3000, Math.floor(0.9 * 1_000_000 * (1 - (1 - 1 / 1_000_000) ** 3000))],
    [100, 0, 3000, Math.floor(0.9 * 100 * (1 - (1 - 1 / 100) ** 3000))],
    [200, 1, 3000, Math.floor(0.9 * 100 * (1 - (1 - 1 / 100) ** 3000))],
    [50, 0, 10, Math.floor(0.9 * 50 * (1 - (1 - 1 / 50) ** 10))],
  ])('%i combinations, %f refused per variant, %i seeds: at least the expected distinct count', (size, refused, seeds, required) => {
    expect(report(size, required, seeds, refused)).toMatchObject({ ok: true, required });
    expect(report(size, required - 1, seeds, refused).ok).toBe(false);
  });

  it('a space too small says so, and what to change', () => {
    const small = report(MIN_VARIANTS * 2, MIN_VARIANTS * 2, 3000, 1.5);
    expect(small.ok).toBe(false);
    expect(small.message).toBe(`p: the space holds about 16 valid variants (40 combinations, 1.50 draws refused per variant); at least ${MIN_VARIANTS} are needed: add values to a parameter’s choices, widen a range (or shrink its step), or loosen a constraint`);
  });
});

describe('stress: a space that allows an invalid variant fails', () => {
  const base = { title: 't', source: 's', set: 'hw1', order: 1, topics: ['a'], difficulty: 'core' };
  const spec = (fields: object, answers: ProblemSpec['answers']): ProblemSpec => ({
    id: 'test/bad',
    file: 'problems/test/bad.mdx',
    data: problemSchema.parse({ ...base, ...fields }),
    answers,
    models: {},
    hardwareProfiles: {},
  });

  it('a width that may be 0 (the engine refuses the network)', () => {
    const report = checkVariants(spec({ model: { mlp: [8, '$h', 10] }, params: { h: { default: 8, min: 0, max: 64, step: 8 } } }, [{ of: 'params' }]), range(1, 200));
    expect(report.failures.length).toBeGreaterThan(0);
    expect(report.failures[0]).toMatch(/problems\/test\/bad\.mdx: seed \d+ \(h = 0\): .*mlp\.1/);
  });

  it('a storage count that may not be a whole number of bytes (4-bit values, odd counts)', () => {
    const bad = spec({ model: { mlp: ['$n', 1] }, given: { paramBits: 4 }, params: { n: { default: 3, min: 2, max: 40 } } }, [{ of: 'paramBytes' }]);
    const report = checkVariants(bad, range(1, 200));
    expect(report.failures.some((f) => /paramBytes = \d+\.5 is not an exact integer count/.test(f))).toBe(true);
  });

  it('a space so tight that seeds run out of draws', () => {
    const tight = spec({ model: { mlp: ['$n', 2] }, params: { n: { default: 3, choices: [3, 4] } } }, [{ of: 'params' }]);
    // n = 4 gives 4 * 2 + 2 = 10 params; n = 3 gives 8, the homework answer: every other draw is refused.
    const report = checkVariants(tight, range(1, 50));
    expect(report.failures).toEqual([]);
    const tighter = spec({ model: { mlp: ['$n', 2] }, params: { n: { default: 3, choices: [3] } } }, [{ of: 'params' }]);
    const stuck = checkVariants(tighter, range(1, 3));
    expect(stuck.failures[0]).toMatch(/seed 1: no variant met every rule in 1000 draws; most often refused by 'an answer equals a homework answer'/);
  });
});
