/**
 * The "where" lines under a derivation: what each symbol means, and for a sum over layers, the
 * formula every term follows (legend-core.ts), rendered with KaTeX at build time.
 */
import { legendHtmlWith, type Legend } from './legend-core.ts';
import { renderTex } from './tex.ts';

export { legendOf, type Legend, type LegendLine } from './legend-core.ts';

/** The legend as one HTML sentence: "where for each layer |W_ℓ| = c_i · c_o, with c_i input features and c_o output features." */
export function legendHtml(legend: Legend): string | undefined {
  return legendHtmlWith(legend, renderTex);
}
