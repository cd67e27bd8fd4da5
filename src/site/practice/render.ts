/**
 * A figure's derivation and its "where" line as HTML, rendered with KaTeX in the browser: the
 * practice page imports this module (and KaTeX with it) when a derivation is first shown.
 * The TeX is engine-made; no student input reaches it.
 */
import katex from 'katex';
import type { Figure } from '../../engine/math/derivation.ts';
import { derivationHtml } from '../derivation-html.ts';
import { KATEX_OPTIONS } from '../katex-options.ts';
import { legendHtmlWith, legendOf } from '../legend-core.ts';

const render = (tex: string, displayMode: boolean) => katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode });

export function derivationParts(figure: Figure): { math: string; legend: string | undefined } {
  return { math: derivationHtml(figure, render), legend: legendHtmlWith(legendOf(figure), render) };
}
