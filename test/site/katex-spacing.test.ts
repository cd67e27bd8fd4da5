/**
 * compactBinSpacing: a binary operator's two medium-space spans become the CSS rule of
 * `.katex.bin-spaced`, only where every operator outside script style had them; the rest of
 * KaTeX's output (the MathML above all) is left as it was.
 */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { KATEX_OPTIONS } from '../../src/site/katex-options.ts';
import { BIN_SPACED_CLASS, compactBinSpacing } from '../../src/site/katex-spacing.ts';

const render = (tex: string, displayMode = false) => katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode });
const SPACE = '<span class="mspace" style="margin-right:0.2222em;"></span>';
const count = (text: string, part: string) => text.split(part).length - 1;
const mathml = (html: string) => html.match(/<math[\s\S]*<\/math>/)?.[0];
/** The text KaTeX shows, without markup. */
const text = (html: string) => html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/, '').replace(/<[^>]+>/g, '');

describe('compactBinSpacing', () => {
  it.each([
    ['64 \\times 112 \\times 112 + 3', false, 3],
    ['= 118{,}013{,}952 + 2 \\times 218{,}365{,}952 + \\cdots + 2{,}048', false, 4],
    ['\\displaystyle 4 \\cdot \\sum_\\ell x_\\ell + \\bigl(d_{0} \\cdot d_{1} + c\\bigr)', false, 4],
    ['a - b \\pm c', true, 2],
  ])('%s (display %s): %i operators, their spaces in CSS, the MathML and the text unchanged', (tex, displayMode, bins) => {
    const html = render(tex, displayMode);
    expect(count(html, SPACE)).toBe(2 * bins);
    const out = compactBinSpacing(html);
    expect(count(out, SPACE)).toBe(0);
    expect(count(out, '<span class="mbin">')).toBe(bins);
    expect(count(out, `<span class="katex ${BIN_SPACED_CLASS}">`)).toBe(1);
    expect(mathml(out)).toBe(mathml(html));
    expect(text(out)).toBe(text(html));
    expect(html.length - out.length).toBe(2 * bins * SPACE.length - ` ${BIN_SPACED_CLASS}`.length);
  });

  it('leaves a formula without operators, or with operators in script style only, as it is', () => {
    for (const tex of ['x_\\ell = 12', '2^{a+b}', '\\sum_{i=1}^{n-1} x_i']) {
      const html = render(tex);
      expect(compactBinSpacing(html)).toBe(html);
    }
  });

  it('rewrites the loose operators of a formula with script ones too, and leaves the tight ones to KaTeX', () => {
    const html = render('x^{a+b} + y_{c-d} + 1');
    const out = compactBinSpacing(html);
    expect(count(out, SPACE)).toBe(0);
    expect(count(out, 'class="mbin mtight"')).toBe(count(html, 'class="mbin mtight"'));
    expect(count(out, 'class="mbin mtight"')).toBe(2);
  });

  it('leaves the whole formula as KaTeX wrote it when one loose operator lacks its spaces', () => {
    const html = render('1 + 2 + 3');
    const broken = html.replace(SPACE, '');
    expect(compactBinSpacing(broken)).toBe(broken);
  });

  it('the stylesheet puts back KaTeX’s 4mu on each side of the operators it rewrote', () => {
    const css = readFileSync(new URL('../../src/styles/global.css', import.meta.url), 'utf8');
    expect(css).toContain(`.katex.${BIN_SPACED_CLASS} .mbin:not(.mtight) { margin: 0 0.2222em; }`);
  });
});
