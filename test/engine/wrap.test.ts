/**
 * Derivation lines are set as inline KaTeX, which breaks only after top-level relations and binary
 * operators (and at \allowbreak): breakableTex opens long groups up to the top level, and changes
 * nothing else.
 */
import fc from 'fast-check';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, figure, valueTex, zooModel } from '../../src/engine/index.ts';
import { breakableTex, derivationForms, derivationLines, texWidthEm } from '../../src/engine/math/derivation.ts';

describe('breakableTex', () => {
  it.each([
    ['1 + 2', '1 + 2'],
    // A top-level \left( \right) becomes \bigl( \bigr), with a break allowed after each argument.
    ['\\max\\left(1 + 2,\\ 3\\right)', '\\max\\bigl(1 + 2,\\ \\allowbreak 3\\bigr)'],
    // Around a fraction, a taller pair.
    ['2 \\times \\left(\\frac{a}{2} + b\\right)', '2 \\times \\biggl(\\frac{a}{2} + b\\biggr)'],
    // Nested pairs open up too; a pair inside braces (a fraction) stays.
    ['\\left(\\left(1 + 2\\right) + 3\\right)', '\\bigl(\\bigl(1 + 2\\bigr) + 3\\bigr)'],
    ['\\frac{\\left(1 + 2\\right)}{3}', '\\frac{\\left(1 + 2\\right)}{3}'],
    // Floors keep their \left \right (a short group).
    ['\\left\\lfloor \\frac{224 - 11}{4} \\right\\rfloor + 1', '\\left\\lfloor \\frac{224 - 11}{4} \\right\\rfloor + 1'],
    // An elided sum's \underbrace (one unbreakable box) becomes the sum and its count.
    ['\\underbrace{1 + 2 + \\cdots + 9}_{54\\ \\text{terms}}', '1 + 2 + \\cdots + 9\\quad (54\\ \\text{terms})'],
    // An elided list of a max's arguments breaks after each argument too.
    ['\\max\\left(\\underbrace{1,\\ 2,\\ 3}_{3\\ \\text{terms}}\\right)', '\\max\\bigl(1,\\ \\allowbreak 2,\\ \\allowbreak 3\\quad (3\\ \\text{terms})\\bigr)'],
    // Grouped digits and commas inside braces are left alone.
    ['\\max\\left(1{,}000,\\ \\text{a,\\ b}\\right)', '\\max\\bigl(1{,}000,\\ \\allowbreak \\text{a,\\ b}\\bigr)'],
  ])('%s', (tex, expected) => {
    expect(breakableTex(tex)).toBe(expected);
  });

  it('keeps every character of a sum of numbers, which KaTeX renders', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 30 }), (numbers) => {
        const tex = `\\max\\left(${numbers.join(' + ')},\\ 1\\right)`;
        const out = breakableTex(tex);
        expect(out.replace(/\\allowbreak /g, '').replace(/\\bigl\(/, '\\left(').replace(/\\bigr\)/, '\\right)')).toBe(tex);
        expect(() => katex.renderToString(`\\displaystyle = ${out}`, { throwOnError: true, strict: 'error' })).not.toThrow();
      }),
    );
  });
});

describe('derivationLines', () => {
  it('is the symbol and each form after its =, the last the value with its unit', () => {
    const report = analyze(defineModel({ name: 'mlp', input: [120], layers: [{ type: 'Linear', name: 'fc1', out_features: 256 }] }));
    const f = report.totals.params;
    const { symbol, lines } = derivationLines(f);
    expect(symbol).toBe(f.symbol);
    expect(lines).toEqual(derivationForms(f).map((form) => `= ${breakableTex(form)}`));
    // 120 · 256 weights + 256 biases
    expect(lines[lines.length - 1]).toBe(`= ${valueTex(120 * 256 + 256, f.unit)}`);
  });

  it("ResNet-50's elided sums break: no \\underbrace or top-level \\left( is left in a line", () => {
    const report = analyze(defineModel(zooModel('resnet50')));
    for (const f of [report.totals.params, report.totals.macs, report.totals.peakActivations]) {
      for (const line of derivationLines(f).lines) {
        expect(line).not.toContain('\\underbrace');
        expect(line.replace(/\{[^{}]*\}/g, '')).not.toMatch(/\\left\(/);
        expect(() => katex.renderToString(`\\displaystyle ${line}`, { throwOnError: true, strict: 'error' })).not.toThrow();
      }
    }
  });

  it('a given that is its own symbol reads h = 12, not h = h = 12', () => {
    const h = figure('h', 'heads', 'count', { kind: 'var', tex: 'h', value: 12 } as never);
    expect(derivationLines(h).lines).toEqual(['= 12']);
  });
});

describe('breakableTex: long fractions', () => {
  it.each([
    // 16 visible characters over 1: written as a division that breaks after its ×.
    ['\\frac{256 \\times 27 \\times 27 \\times 96 \\times 5 \\times 5}{2}', '\\bigl(256 \\times 27 \\times 27 \\times 96 \\times 5 \\times 5\\bigr) / \\allowbreak 2'],
    ['\\frac{3{,}332{,}271{,}400 + 8{,}565{,}000}{10^6}', '\\bigl(3{,}332{,}271{,}400 + 8{,}565{,}000\\bigr) / \\allowbreak 10^6'],
    // Parentheses only around an operation.
    ['\\frac{1{,}234{,}567{,}890{,}123{,}456}{80 \\times 10^6}', '1{,}234{,}567{,}890{,}123{,}456 / \\allowbreak \\bigl(80 \\times 10^6\\bigr)'],
    // Short ones stay fractions.
    ['\\frac{933{,}888 \\times 4}{80 \\times 10^6}', '\\frac{933{,}888 \\times 4}{80 \\times 10^6}'],
    ['\\frac{\\text{MACs} \\cdot k}{f}', '\\frac{\\text{MACs} \\cdot k}{f}'],
  ])('%s', (tex, expected) => {
    expect(breakableTex(tex)).toBe(expected);
    expect(() => katex.renderToString(`\\displaystyle ${expected}`, { throwOnError: true, strict: 'error' })).not.toThrow();
  });
});

describe('texWidthEm', () => {
  it.each([
    // 11 digits at 0.5 em and 5 spaced × at 1.22 em
    ['256 \\times 27 \\times 27 \\times 96 \\times 5 \\times 5', 11 * 0.5 + 5 * 1.22],
    // 6 letters, 4 subscripts at 0.35 em, 5 \cdot at 0.72 em
    ['c_o \\cdot h_o \\cdot w_o \\cdot c_i \\cdot k \\cdot k', 6 * 0.55 + 4 * 0.35 + 5 * 0.72],
    // grouped digits: 7 digits and 2 thin commas
    ['1{,}234{,}567', 7 * 0.5 + 2 * 0.28],
    // a braced subscript is small throughout; \ell as a one-command subscript
    ['T_{\\text{mem}} + a_\\ell', 0.55 + 3 * 0.35 + 1.22 + 0.55 + 0.35],
  ])('%s', (tex, em) => {
    expect(texWidthEm(tex)).toBeCloseTo(em);
  });

  it('keeps the symbolic fraction of a grouped convolution a fraction, and writes its numbers as a division', () => {
    expect(breakableTex('\\frac{c_o \\cdot h_o \\cdot w_o \\cdot c_i \\cdot k \\cdot k}{g}')).toContain('\\frac');
    expect(breakableTex('\\frac{256 \\times 27 \\times 27 \\times 96 \\times 5 \\times 5}{2}')).not.toContain('\\frac');
  });
});
