/** Build-time KaTeX rendering is memoized; a memoized rendering must be KaTeX's own. */
import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { KATEX_OPTIONS } from '../../src/site/katex-options.ts';
import { renderTex } from '../../src/site/tex.ts';

describe('renderTex', () => {
  it('gives KaTeX output, the same on a repeated call, per display mode', () => {
    const tex = '|P| = 12 \\times 7{,}087{,}872';
    for (const displayMode of [false, true]) {
      const expected = katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode });
      expect(renderTex(tex, displayMode)).toBe(expected);
      expect(renderTex(tex, displayMode)).toBe(expected);
    }
    expect(renderTex(tex, true)).not.toBe(renderTex(tex, false));
  });

  it('throws on malformed TeX every time, rather than caching a failure', () => {
    expect(() => renderTex('\\frac{1}{', false)).toThrow();
    expect(() => renderTex('\\frac{1}{', false)).toThrow();
  });
});
