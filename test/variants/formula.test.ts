/**
 * The formula language of parameter spaces: values of well-formed formulas, and clear errors for
 * everything else (it is a parser, not eval: no property access, no calls but the listed ones).
 */
import { describe, expect, it } from 'vitest';
import { evaluateFormula, namesIn, parseFormula } from '../../src/workbook/variants/formula.ts';

const values = { h: 28, k: 5, p: 2, s: 1, n0: 120, h1: 256 };
const run = (source: string) => evaluateFormula(parseFormula(source), values, source);

describe('formula values', () => {
  it.each([
    ['h + 2 * p', 28 + 2 * 2],
    ['(h + 2 * p - k) / s + 1', (28 + 2 * 2 - 5) / 1 + 1],
    ['floor((h + 2*p - k) / 2) + 1', Math.floor((28 + 4 - 5) / 2) + 1],
    ['ceil(7 / 2)', 4],
    ['-k + 1', -5 + 1],
    ['- (k - 1) * 2', -(5 - 1) * 2],
    ['max(n0 + h1, h1, 3)', 120 + 256],
    ['min(n0, h1)', 120],
    ['abs(k - h)', 28 - 5],
    ['if(k > 3, 10, 20)', 10],
    ['1.5e2', 150],
    ['10 - 4 - 3', 10 - 4 - 3],
    ['24 / 4 / 2', 24 / 4 / 2],
  ])('%s = %d', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it.each([
    ['k <= h + 2 * p', true],
    ['k > h', false],
    ['k == 5 and p != 2', false],
    ['k == 5 && p == 2', true],
    ['k > 9 or s == 1', true],
    ['k > 9 || s == 2', false],
    ['not k > h', true],
    ['!(k > h) and s >= 1', true],
    ['h - k >= 2 * p', true],
  ])('%s is %s', (source, expected) => {
    expect(run(source)).toBe(expected);
  });

  it('lists the names a formula reads, once each', () => {
    expect(namesIn(parseFormula('max(h + 2*p, k) - h'))).toEqual(['h', 'p', 'k']);
  });
});

describe('formula errors', () => {
  it.each([
    ['', /is empty/],
    ['h +', /ends too early/],
    ['(h + 1', /expected '\)'/],
    ['h 1', /unexpected '1' at position 3/],
    ['h.constructor', /unexpected '\.'/],
    ['h["x"]', /unexpected '\['/],
    ['pow(2, 3)', /unknown function 'pow'; allowed: min, max, floor, ceil, abs, if/],
    ['floor(1, 2)', /floor\(\) takes 1 argument, got 2/],
    ['h ^ 2', /unexpected '\^'/],
    ['x' + ' + 1'.repeat(200), /longer than 500 characters/],
  ])('parse %j fails with %s', (source, message) => {
    expect(() => parseFormula(source)).toThrow(message);
  });

  it.each([
    ['q + 1', /unknown name 'q'; known: h, k, p, s, n0, h1/],
    ['constructor', /unknown name 'constructor'/],
    ['__proto__', /unknown name '__proto__'/],
    ['(k > 1) + 1', /'\+' needs a number, got a true\/false value/],
    ['k and p', /'and' needs a comparison \(true\/false\), got the number 5/],
    ['h / (k - 5)', /division by zero/],
  ])('evaluating %j fails with %s', (source, message) => {
    expect(() => run(source)).toThrow(message);
  });
});
