/**
 * The roofline chart's Observable Plot options (issue 5): layers as points at their operational
 * intensity and attainable performance, under the roof min(π, I · β) of one hardware profile, on
 * log-log axes. The data is the engine's `rooflineChartData`. Model pages render these options to
 * SVG at build time (roofline-chart.ts); the analyzer draws them in the browser (no linkedom there).
 */
import * as Plot from '@observablehq/plot';
import { formatNumber } from '../../engine/math/latex.ts';
import type { RooflineChartData } from '../../engine/cost/roofline.ts';

/** 1.2e12 FLOP/s -> "1.2 TFLOP/s". */
export function rateText(flopsPerS: number): string {
  const units: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, prefix] of units) if (flopsPerS >= scale) return `${trim(flopsPerS / scale)} ${prefix}FLOP/s`;
  return `${trim(flopsPerS)} FLOP/s`;
}

const trim = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1).replace(/\.0$/, '') : x.toFixed(2).replace(/\.?0+$/, ''));

/** The powers of ten from `lo` to `hi`: the log axes' ticks. */
function decades([lo, hi]: readonly [number, number]): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) out.push(10 ** e);
  return out;
}

const intensityText = (x: number) => (x >= 1 ? formatNumber(x) : String(Number(x.toPrecision(1))));
/** On a phone's axis, 1,000 and 10,000 as 1k and 10k: the last tick's label must fit the frame. */
const compactIntensityText = (x: number) => (x >= 1000 ? `${formatNumber(x / 1000)}k` : intensityText(x));

/** The chart's sizes: wide for a laptop column, narrow (340 px, shorter words) for phones. */
export const ROOFLINE_SIZES = { wide: { width: 880, height: 420 }, narrow: { width: 340, height: 360 } } as const;

export interface RooflinePlot {
  readonly options: Plot.PlotOptions;
  /** The accessible name (aria-label) and the description in words (aria-description). */
  readonly label: string;
  readonly description: string;
  readonly memoryBound: number;
  readonly computeBound: number;
}

export function rooflinePlot(data: RooflineChartData, modelName: string, size: keyof typeof ROOFLINE_SIZES): RooflinePlot {
  const { width, height } = ROOFLINE_SIZES[size];
  const narrow = size === 'narrow';
  const memoryBound = data.points.filter((p) => p.bound === 'memory').length;
  const computeBound = data.points.length - memoryBound;
  const options: Plot.PlotOptions = {
    width,
    height,
    marginLeft: 84,
    marginRight: narrow ? 16 : 32,
    marginBottom: 44,
    style: { fontSize: '12px' },
    x: { type: 'log', domain: [...data.xDomain], ticks: decades(data.xDomain), tickFormat: (x: number) => (narrow ? compactIntensityText(x) : intensityText(x)), label: narrow ? 'intensity (FLOP per byte)' : 'operational intensity (FLOP per byte moved)', labelAnchor: 'center', grid: true },
    y: { type: 'log', domain: [...data.yDomain], ticks: decades(data.yDomain), tickFormat: (y: number) => rateText(y), label: 'attainable performance', labelAnchor: 'top', grid: true },
    marks: [
      Plot.line(data.roof, { x: 'intensityFlopsPerByte', y: 'flopsPerS', stroke: 'currentColor', strokeWidth: 2 }),
      Plot.ruleX([data.ridgeFlopsPerByte], { stroke: 'currentColor', strokeOpacity: 0.35, strokeDasharray: '4 3' }),
      Plot.text([data.ridgeFlopsPerByte], {
        x: (d: number) => d,
        y: data.peakFlopsPerS,
        text: () => `ridge ${trim(data.ridgeFlopsPerByte)} FLOP/B`,
        dy: -8,
        dx: narrow ? -4 : 4,
        textAnchor: narrow ? 'end' : 'start',
        fill: 'currentColor',
      }),
      Plot.dot(data.points, {
        x: 'intensityFlopsPerByte',
        y: 'attainableFlopsPerS',
        r: 4,
        fill: (p: { bound: string }) => (p.bound === 'memory' ? 'var(--chart-memory)' : 'var(--chart-compute)'),
        symbol: (p: { bound: string }) => (p.bound === 'memory' ? 'circle' : 'square'),
        fillOpacity: 0.8,
        title: (p: RooflineChartData['points'][number]) => `${p.path} (${p.type}): ${trim(p.intensityFlopsPerByte)} FLOP/B, ${rateText(p.attainableFlopsPerS)}, ${p.bound}-bound`,
      }),
      Plot.dot([data.model], { x: 'intensityFlopsPerByte', y: 'attainableFlopsPerS', r: 7, symbol: 'star', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5 }),
      Plot.text([data.model], { x: 'intensityFlopsPerByte', y: 'attainableFlopsPerS', text: () => 'whole model', dy: 14, fill: 'currentColor' }),
    ],
  };
  return {
    options,
    label: `Roofline of ${modelName} on ${data.hardware.name}`,
    description: `Log-log chart: ${data.points.length} layers as points, ${memoryBound} memory-bound (circles, left of the ridge at ${trim(data.ridgeFlopsPerByte)} FLOP per byte) and ${computeBound} compute-bound (squares), under a roof rising at ${formatNumber(data.bandwidthBytesPerS)} bytes per second to a peak of ${rateText(data.peakFlopsPerS)}.`,
    memoryBound,
    computeBound,
  };
}
