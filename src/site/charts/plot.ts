/**
 * Observable Plot rendered at build time into a static SVG string: no client script. Plot draws
 * into a linkedom document; axes and text use `currentColor`, so charts follow the page's light
 * or dark text colour, and marks may use the site's CSS variables (`fill: 'var(--chart-params)'`).
 */
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import { asChartImage } from './aria.ts';

export interface ChartText {
  /** The accessible name of the chart (aria-label). */
  readonly label: string;
  /** What the chart shows, in words (aria-description); the page carries the same data as a table. */
  readonly description: string;
}

/** The SVG markup of `Plot.plot(options)`, as one image with an accessible name and description. */
export function renderPlotSvg(options: Plot.PlotOptions, text: ChartText): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>');
  const node = Plot.plot({ ...options, ariaLabel: text.label, ariaDescription: text.description, document: document as unknown as Document });
  if (node.tagName.toLowerCase() !== 'svg') {
    throw new Error(`renderPlotSvg: Plot made a <${node.tagName.toLowerCase()}> (a legend or caption?); pass options that make one <svg>`);
  }
  return asChartImage(node).outerHTML;
}

export { Plot };
