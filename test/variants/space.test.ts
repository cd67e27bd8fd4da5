/**
 * Parameter spaces: validation with errors naming the parameter, and sampling that is a function
 * of (problem, seed) alone — deterministic, independent of parameter order, within the domains,
 * always meeting the constraints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSpace, sampleValues, spaceSize, type SpaceSource } from '../../src/workbook/variants/space.ts';

const conv: SpaceSource = {
  params: {
    h: { default: 28, min: 8, max: 64, step: 4 },
    k: { default: 5, choices: [1, 3, 5, 7, 11] },
    p: { default: 2, min: 0, max: 3, step: 1 },
    s: { default: 1, choices: [1, 2, 4] },
    ho: { derived: 'floor((h + 2 * p - k) / s) + 1' },
  },
  constraints: ['k <= h + 2 * p', 'p < k'],
};
const space = compileSpace(conv);
const seeds = fc.integer({ min: 1, max: 0xffffffff });

describe('compileSpace', () => {
  it('lists each range value: 8..64 step 4 has (64 - 8) / 4 + 1 values', () => {
    expect(space.sampled.find((s) => s.name === 'h')!.values).toHaveLength((64 - 8) / 4 + 1);
    expect(spaceSize(space)).toBe(15 * 5 * 4 * 3);
  });

  it.each<[string, SpaceSource, RegExp]>([
    ['a default outside the choices', { params: { k: { default: 4, choices: [1, 3] } }, constraints: [] }, /params\.k: the default 4 is not among the choices 1, 3/],
    ['a default off the step grid', { params: { h: { default: 10, min: 8, max: 64, step: 4 } }, constraints: [] }, /params\.h: the default 10 is not in the range 8\.\.64 step 4/],
    ['min above max', { params: { h: { default: 8, min: 9, max: 8, step: 1 } }, constraints: [] }, /params\.h: min 9 is greater than max 8/],
    ['a huge range', { params: { h: { default: 1, min: 1, max: 1e9, step: 1 } }, constraints: [] }, /at most 100000 are allowed/],
    ['repeated choices', { params: { k: { default: 3, choices: [3, 3] } }, constraints: [] }, /choices repeat a value/],
    ['a derived value reading an unknown name', { params: { a: { derived: 'b + 1' } }, constraints: [] }, /params\.a: derived 'b \+ 1' reads 'b', which is not a parameter/],
    ['a cycle of derived values', { params: { a: { derived: 'b + 1' }, b: { derived: 'a + 1' } }, constraints: [] }, /derived values form a cycle: a -> b -> a/],
    ['a constraint on an unknown name', { params: { k: { default: 3, choices: [3] } }, constraints: ['k < h'] }, /constraints\[0\]: 'k < h' reads 'h', which is not a parameter/],
    ['a constraint that does not parse', { params: { k: { default: 3, choices: [3] } }, constraints: ['k <'] }, /constraints\[0\]: formula 'k <': ends too early/],
    ['defaults that break a constraint', { params: { k: { default: 7, choices: [3, 7] }, h: { default: 5, choices: [5, 9] } }, constraints: ['k <= h'] }, /the default values break the constraint 'k <= h'/],
    ['a constraint that is a number', { params: { k: { default: 3, choices: [3] } }, constraints: ['k + 1'] }, /a constraint must be a comparison/],
  ])('refuses %s', (_what, source, message) => {
    expect(() => compileSpace(source)).toThrow(message);
  });
});

describe('sampleValues', () => {
  it('seed 0 is the canonical variant: every default, derived values computed', () => {
    expect(sampleValues(space, 'conv', 0).values).toEqual({ h: 28, k: 5, p: 2, s: 1, ho: Math.floor((28 + 4 - 5) / 1) + 1 });
  });

  it('is deterministic: the same (problem, seed) gives the same values', () => {
    fc.assert(fc.property(seeds, (seed) => {
      expect(sampleValues(space, 'conv', seed)).toEqual(sampleValues(compileSpace(conv), 'conv', seed));
    }));
  });

  it('does not depend on the order parameters are listed in', () => {
    const reversed = compileSpace({ ...conv, params: Object.fromEntries(Object.entries(conv.params).reverse()) });
    fc.assert(fc.property(seeds, (seed) => {
      expect(sampleValues(reversed, 'conv', seed).values).toEqual(sampleValues(space, 'conv', seed).values);
    }));
  });

  it('a parameter added to the space leaves the others’ values unchanged (absent rejections)', () => {
    const free = { params: { a: { default: 1, min: 1, max: 100, step: 1 }, b: { default: 1, min: 1, max: 100, step: 1 } }, constraints: [] };
    const more = { ...free, params: { ...free.params, c: { default: 1, choices: [1, 2] } } };
    fc.assert(fc.property(seeds, (seed) => {
      const x = sampleValues(compileSpace(free), 'p', seed).values;
      const y = sampleValues(compileSpace(more), 'p', seed).values;
      expect([y.a, y.b]).toEqual([x.a, x.b]);
    }));
  });

  it('depends on the problem id and the seed', () => {
    const differ = (a: object, b: object) => JSON.stringify(a) !== JSON.stringify(b);
    const bySeed = [1, 2, 3, 4, 5].map((s) => sampleValues(space, 'conv', s).values);
    expect(new Set(bySeed.map((v) => JSON.stringify(v))).size).toBeGreaterThan(1);
    const byProblem = [1, 2, 3, 4, 5].filter((s) => differ(sampleValues(space, 'conv', s).values, sampleValues(space, 'other', s).values));
    expect(byProblem.length).toBeGreaterThan(0);
  });

  it('keeps every value in its domain and meets every constraint', () => {
    fc.assert(fc.property(seeds, (seed) => {
      const { values } = sampleValues(space, 'conv', seed);
      expect(values.k).toBeLessThanOrEqual(values.h! + 2 * values.p!);
      expect(values.p).toBeLessThan(values.k!);
      expect((values.h! - 8) % 4).toBe(0);
      expect([1, 3, 5, 7, 11]).toContain(values.k);
      expect(values.ho).toBe(Math.floor((values.h! + 2 * values.p! - values.k!) / values.s!) + 1);
    }), { numRuns: 500 });
  });

  it('honours an extra refusal rule, redrawing until it passes', () => {
    const { values, rejected } = sampleValues(space, 'conv', 7, { refuse: (v) => (v.k === 11 || v.s !== 1 ? 'no' : undefined) });
    expect(values.k).not.toBe(11);
    expect(values.s).toBe(1);
    expect(rejected).toBeGreaterThanOrEqual(0);
  });

  it('gives up after the bounded number of draws, naming the rule refused most', () => {
    const impossible = compileSpace({ params: { k: { default: 3, choices: [3, 5] } }, constraints: ['k == 3'] });
    expect(() => sampleValues(impossible, 'x', 1, { refuse: () => 'never', maxAttempts: 50 })).toThrow(
      /x: seed 1: no variant met every rule in 50 draws; most often refused by '.+' \(\d+ times\)/,
    );
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses the seed %d', (seed) => {
    expect(() => sampleValues(space, 'conv', seed)).toThrow(/a seed is an integer from 0 to 4294967295/);
  });
});
