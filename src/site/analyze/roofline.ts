/**
 * The analyzer's roofline chart, drawn in the browser with the same Plot options as a model page's
 * (src/site/charts/roofline-plot.ts): a wide chart, and a narrow one that scrolls on phones.
 * Layer names reach the chart only as SVG <title> text (Plot sets textContent).
 */
import * as Plot from '@observablehq/plot';
import { rooflineChartData, type Roofline } from '../../engine/cost/roofline.ts';
import { rooflinePlot, type RooflinePlot } from '../charts/roofline-plot.ts';
import { asChartImage } from '../charts/aria.ts';
import { el } from './dom.ts';

export function drawRoofline(doc: Document, roofline: Roofline, modelName: string): HTMLElement {
  const data = rooflineChartData(roofline);
  const svg = (plot: RooflinePlot): Element => {
    const node = Plot.plot({ ...plot.options, document: doc, ariaLabel: plot.label, ariaDescription: plot.description });
    return asChartImage(node);
  };
  const wide = rooflinePlot(data, modelName, 'wide');
  const legend = (swatch: string, text: string) => el(doc, 'span', { class: 'legend-item' }, el(doc, 'span', { class: `swatch ${swatch}`, 'aria-hidden': 'true' }), ` ${text}`);
  return el(
    doc,
    'figure',
    { class: 'chart roofline-chart' },
    el(doc, 'div', { class: 'chart-wide' }, el(doc, 'div', { class: 'chart-panel', 'data-panel': 'roofline' }, svg(wide))),
    el(
      doc,
      'div',
      { class: 'chart-narrow' },
      el(
        doc,
        'div',
        { class: 'table-scroll chart-scroll', role: 'region', 'aria-label': wide.label, tabindex: '0' },
        el(doc, 'p', { class: 'scroll-cue', 'aria-hidden': 'true' }, 'Scroll sideways for more of the chart →'),
        el(doc, 'div', { class: 'chart-panel chart-panel--natural', 'data-panel': 'roofline' }, svg(rooflinePlot(data, modelName, 'narrow'))),
      ),
    ),
    el(
      doc,
      'figcaption',
      {},
      legend('swatch--memory', `memory-bound layer (${wide.memoryBound})`),
      legend('swatch--compute', `compute-bound layer (${wide.computeBound})`),
      el(doc, 'span', { class: 'legend-item' }, el(doc, 'span', { 'aria-hidden': 'true' }, '☆'), ' whole model'),
    ),
  );
}
