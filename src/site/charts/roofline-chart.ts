/**
 * The roofline chart of a model page, rendered to static SVG at build time (no client script);
 * its options are `rooflinePlot`'s, which the analyzer draws in the browser too.
 */
import type { RooflineChartData } from '../../engine/index.ts';
import { renderPlotSvg } from './plot.ts';
import { rooflinePlot, type RooflinePlot } from './roofline-plot.ts';

export { rateText } from './roofline-plot.ts';

export interface RooflineChart {
  readonly svg: string;
  /** The same chart for phones: 340 px wide at its natural size, 12 px type. */
  readonly narrowSvg: string;
  readonly memoryBound: number;
  readonly computeBound: number;
}

export function rooflineChart(data: RooflineChartData, modelName: string): RooflineChart {
  const draw = (plot: RooflinePlot): string => renderPlotSvg(plot.options, { label: plot.label, description: plot.description });
  const wide = rooflinePlot(data, modelName, 'wide');
  return { svg: draw(wide), narrowSvg: draw(rooflinePlot(data, modelName, 'narrow')), memoryBound: wide.memoryBound, computeBound: wide.computeBound };
}
