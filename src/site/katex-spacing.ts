/**
 * Shorter KaTeX HTML for the engine's formulas: the medium spaces KaTeX writes as empty spans on
 * both sides of every binary operator (`<span class="mspace" style="margin-right:0.2222em;">`,
 * twice per × or +) become one CSS rule (global.css: `.katex.bin-spaced .mbin:not(.mtight)`).
 * A derivation written out term by term has hundreds of them: a third of counters-resnet's HTML.
 *
 * Exact by construction: a formula is rewritten only when every binary operator outside script
 * style (KaTeX's `mtight` ones have no spaces) sits between two such spans; any other is left as
 * KaTeX wrote it. The spaces are KaTeX's own: the operator in display and text style always has
 * them, 4mu on each side (TeXbook, chapter 18), and the rule puts the same 0.2222em back.
 */

const SPACE = '<span class="mspace" style="margin-right:0.2222em;"></span>';
const SPACED_BIN = new RegExp(`${SPACE}<span class="mbin">([^<]*)</span>${SPACE}`, 'g');
/** Every element with `mbin` among its classes. */
const ANY_BIN = /class="([^"]*\bmbin\b[^"]*)"/g;
const ROOT = '<span class="katex">';

export const BIN_SPACED_CLASS = 'bin-spaced';

export function compactBinSpacing(html: string): string {
  let loose = 0;
  for (const m of html.matchAll(ANY_BIN)) if (!/\bmtight\b/.test(m[1]!)) loose += 1;
  if (loose === 0) return html;
  let spaced = 0;
  const out = html.replace(SPACED_BIN, (_, op: string) => ((spaced += 1), `<span class="mbin">${op}</span>`));
  // One root per formula (a display formula's is inside .katex-display).
  if (spaced !== loose || html.split(ROOT).length !== 2) return html;
  return out.replace(ROOT, `<span class="katex ${BIN_SPACED_CLASS}">`);
}
