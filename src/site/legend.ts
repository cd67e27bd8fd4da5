/**
 * The "where" lines under a derivation, rendered with KaTeX at build time (see legend-core.ts).
 */
import { legendHtmlWith, type Legend } from './legend-core.ts';
import { renderTex } from './tex.ts';

export { legendOf, type Legend, type LegendLine } from './legend-core.ts';

export function legendHtml(legend: Legend): string | undefined {
  return legendHtmlWith(legend, renderTex);
}
