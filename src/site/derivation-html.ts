/**
 * A derivation as HTML: one row per line, the symbol in the first column and each `= ...` form in
 * the second, every piece inline KaTeX in `\displaystyle`. Inline math breaks after its top-level
 * relations and binary operators, so a long line wraps inside its column (continuing indented
 * under its `=`) at any width and on paper, where display math would be cut off or scroll.
 * Shared by the build (renderTex) and the practice page's script (katex in the browser).
 */
import { derivationLines, type Figure } from '../engine/math/derivation.ts';

export type TexRenderer = (tex: string, displayMode: boolean) => string;

export function derivationHtml(f: Figure, render: TexRenderer): string {
  const { symbol, lines } = derivationLines(f);
  const rows = lines.map(
    (line, i) =>
      `<div class="derivation-line">` +
      (i === 0 ? `<span class="derivation-symbol">${render(`\\displaystyle ${symbol}`, false)}</span>` : `<span class="derivation-symbol"></span>`) +
      `<span class="derivation-form">${render(`\\displaystyle ${line}`, false)}</span></div>`,
  );
  return `<div class="derivation-lines">${rows.join('')}</div>`;
}
