/**
 * Build-time KaTeX rendering is memoized and templated per shape (the TeX with its runs of digits
 * blanked); whatever path a formula takes, its rendering must be KaTeX's own (with its operators'
 * spaces in CSS: katex-spacing.test.ts).
 */
import fc from 'fast-check';
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { analyze, totalEntries, defineModel, derivationLines, type Figure } from '../../src/engine/index.ts';
import { KATEX_OPTIONS } from '../../src/site/katex-options.ts';
import { compactBinSpacing } from '../../src/site/katex-spacing.ts';
import { renderTex } from '../../src/site/tex.ts';
import { digitRuns, shapeAndRuns, shapeOf, templateOf } from '../../src/site/tex-template.ts';

const own = (tex: string, displayMode: boolean) => compactBinSpacing(katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode }));

describe('renderTex', () => {
  it('gives KaTeX output, the same on a repeated call, per display mode', () => {
    const tex = '|P| = 12 \\times 7{,}087{,}872';
    for (const displayMode of [false, true]) {
      const expected = own(tex, displayMode);
      expect(renderTex(tex, displayMode)).toBe(expected);
      expect(renderTex(tex, displayMode)).toBe(expected);
    }
    expect(renderTex(tex, true)).not.toBe(renderTex(tex, false));
  });

  it('throws on malformed TeX every time, rather than caching a failure', () => {
    expect(() => renderTex('\\frac{1}{', false)).toThrow();
    expect(() => renderTex('\\frac{1}{', false)).toThrow();
    // A malformed shape with digits, whose placeholders fail too.
    expect(() => renderTex('\\frac{12}{', false)).toThrow();
    expect(() => renderTex('\\frac{34}{', false)).toThrow();
  });

  it('renders the derivations of models of many sizes (one shape, other digits) as KaTeX does', () => {
    // Every figure of every layer of an MLP, at widths from 1 to 6 digits: the same shapes with
    // numbers of other lengths and values, as variant pages render them.
    const lines = (widths: readonly number[]) => {
      const report = analyze(defineModel({ name: 'mlp', input: [widths[0]!], layers: widths.slice(1).map((w, i) => ({ type: 'Linear', name: `fc${i + 1}`, in_features: widths[i]!, out_features: w })) }));
      const figures: Figure[] = [...totalEntries(report.totals).map(([, f]) => f), ...report.layers.flatMap((l) => [l.weights, l.biases, l.params, l.macs, l.activations])];
      return figures.flatMap((f) => {
        const { symbol, lines } = derivationLines(f);
        return [symbol, ...lines].map((l) => `\\displaystyle ${l}`);
      });
    };
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 3, maxLength: 3 }), (widths) => {
        for (const tex of lines(widths)) expect(renderTex(tex, false)).toBe(own(tex, false));
      }),
      { numRuns: 40, seed: 18 },
    );
  });

  it('renders any digits in a templated shape as KaTeX does', () => {
    const digits = fc.stringMatching(/^[0-9]{1,12}$/);
    fc.assert(
      fc.property(digits, digits, digits, digits, fc.boolean(), (a, b, c, d, displayMode) => {
        const tex = `\\displaystyle = ${a} \\times ${b}{,}${c} + x_{${d}} = ${d}.${a}\\ \\text{MB (${c} terms)}`;
        expect(renderTex(tex, displayMode)).toBe(own(tex, displayMode));
      }),
      { numRuns: 200, seed: 18 },
    );
  });
});

describe('templates', () => {
  const render = (tex: string) => own(tex, false);

  it('a shape is the TeX with each run of digits blanked', () => {
    expect(shapeOf('= 64 \\times 128{,}000')).toBe('= \u0000 \\times \u0000{,}\u0000');
    expect(digitRuns('= 64 \\times 128{,}000')).toEqual(['64', '128', '000']);
    expect(shapeOf('a\u0000b')).toBeUndefined();
    for (const tex of ['= 64 \\times 128{,}000', '12', 'x', '', 'a1', '1a', 'a\u0000b 7']) {
      const { shape, runs } = shapeAndRuns(tex);
      expect([shape, runs]).toEqual([shapeOf(tex), shapeOf(tex) === undefined ? runs : digitRuns(tex)]);
    }
  });

  it('fills a template with the digits of any formula of its shape', () => {
    const template = templateOf('= 64 \\times 128{,}000 + x_{3}', render);
    expect(template).toBeDefined();
    expect(template!.slots).toHaveLength(4 * 3); // HTML, MathML, TeX annotation: each run thrice
    expect(template!.fill(['7', '1', '234', '99'])).toBe(render('= 7 \\times 1{,}234 + x_{99}'));
  });

  it.each([
    ['a kern: the digits become a margin', '\\kern3pt x = 1'],
    ['a space: the digits become a margin', '\\hspace{2em} 5'],
    ['a rule: the digits become sizes', '\\rule{1em}{2em}'],
    ['\\frac12: one run, two arguments', '\\frac12 + 3'],
    ['x^23: one run, an exponent and a digit', 'x^23'],
    ['old-style digits: heights differ per digit', '\\mathnormal{123} + 4'],
  ])('has none where the rendering depends on the digits otherwise than by showing them (%s)', (_, tex) => {
    expect(templateOf(tex, render)).toBeUndefined();
    expect(renderTex(tex, false)).toBe(own(tex, false));
    const other = tex.replace(/\d/g, (d) => String((Number(d) + 5) % 10));
    expect(renderTex(other, false)).toBe(own(other, false));
  });
});
