/**
 * Per-layer parameters, activations and MACs as three bar panels sharing one x axis (the layers
 * with weights or MACs, in execution order). Each panel has its own scale, so each shows its
 * data: BERT's 89 MB word embedding would flatten its activations to nothing on a shared one.
 * Each panel is drawn twice: wide, scaled to a desktop column, and narrow, for phones, at its
 * natural size (12 px type, a few pixels per bar) in a box that scrolls sideways when a long
 * model needs more room.
 */
import { formatNumber, type ModelReport } from '../../engine/index.ts';
import { Plot, renderPlotSvg } from './plot.ts';

export interface LayerBar {
  /** Position among the charted layers, from 1. */
  readonly n: number;
  readonly id: string;
  readonly type: string;
  readonly paramBytes: number;
  readonly activationBytes: number;
  readonly macs: number;
}

/** The layers that carry weights or do MACs, with their bytes at the report's precisions. */
export function layerBars(report: ModelReport): LayerBar[] {
  return report.layers
    .filter((r) => r.weights.value > 0 || r.macs.value > 0)
    .map((r, i) => ({
      n: i + 1,
      id: r.layer.id,
      type: r.layer.type,
      paramBytes: r.paramBytes.value,
      activationBytes: (r.activations.value * report.activationBits) / 8,
      macs: r.macs.value,
    }));
}

/** A byte unit that reads well for values up to `max`. */
export function byteScale(max: number): { unit: string; divisor: number } {
  if (max >= 1e9) return { unit: 'GB', divisor: 1e9 };
  if (max >= 1e6) return { unit: 'MB', divisor: 1e6 };
  if (max >= 1e3) return { unit: 'kB', divisor: 1e3 };
  return { unit: 'B', divisor: 1 };
}

export function countScale(max: number): { unit: string; divisor: number } {
  if (max >= 1e9) return { unit: 'billions', divisor: 1e9 };
  if (max >= 1e6) return { unit: 'millions', divisor: 1e6 };
  if (max >= 1e3) return { unit: 'thousands', divisor: 1e3 };
  return { unit: '', divisor: 1 };
}

export interface LayerChart {
  readonly bars: readonly LayerBar[];
  /** One panel per measure (parameters, activations, MACs): a wide SVG and a narrow one for phones. */
  readonly panels: readonly { readonly key: 'params' | 'activations' | 'macs'; readonly title: string; readonly svg: string; readonly narrowSvg: string }[];
  /** The largest layer of each measure and its share of the total, in words. */
  readonly summary: readonly string[];
}

const WIDTH = 880;

export interface LayerChartOptions {
  /**
   * Whether the chart carries the exact figures: each bar's value as its tooltip, and the largest
   * layer of each measure in words. The student edition's charts leave them out (its pages print
   * no figure a problem may ask for, src/site/model-visibility.ts) and show the shape alone, on
   * axes whose ticks are round numbers in kB, MB, millions.
   */
  readonly exact?: boolean;
}

export function layerChart(report: ModelReport, { exact = true }: LayerChartOptions = {}): LayerChart {
  const bars = layerBars(report);
  const bits = `${report.paramBits}-bit`;
  // Loops, not Math.max(...bars): a spread of a 150,000-layer model's bars overflows the stack.
  const largest = (of: (b: (typeof bars)[number]) => number) => bars.reduce((m, b) => Math.max(m, of(b)), -Infinity);
  const params = byteScale(largest((b) => b.paramBytes));
  const activations = byteScale(largest((b) => b.activationBytes));
  const macs = countScale(largest((b) => b.macs));
  const labelled = bars.length <= 24;
  const longest = largest((b) => b.id.length);
  const tickEvery = bars.length <= 60 ? 5 : 10;
  const ticks = bars.filter((b) => labelled || b.n === 1 || b.n % tickEvery === 0).map((b) => b.n);
  const name = report.model.name;

  // Phones: 12 px type at its natural size, 16 px per named bar (its rotated label) or 8 px.
  const narrowWidth = Math.max(340, 72 + bars.length * (labelled ? 16 : 8));
  const render = (key: LayerChart['panels'][number]['key'], title: string, value: (b: LayerBar) => number, divisor: number, unit: string, fill: string, last: boolean, width: number) => {
    const height = last ? (labelled ? 150 + Math.min(longest, 32) * 6.5 : 175) : 140;
    const options: Plot.PlotOptions = {
      width,
      height,
      marginLeft: 64,
      marginRight: 12,
      marginTop: 22,
      marginBottom: last ? (labelled ? 10 + Math.min(longest, 32) * 6.5 : 40) : 8,
      style: { fontSize: '12px' },
      x: {
        type: 'band',
        domain: bars.map((b) => b.n),
        padding: 0.15,
        axis: last ? 'bottom' : null,
        ticks,
        tickFormat: labelled ? (n: number) => bars[n - 1]!.id : (n: number) => String(n),
        tickRotate: labelled ? -60 : 0,
        label: last ? (labelled ? null : `layers with weights or MACs, in order (1 to ${bars.length})`) : null,
        labelAnchor: 'center',
      },
      y: { grid: true, label: `${title}${unit ? ` (${unit})` : ''}`, labelAnchor: 'top', ticks: 4 },
      marks: [
        Plot.barY(bars, {
          x: 'n',
          y: (b: LayerBar) => value(b) / divisor,
          fill,
          ...(exact ? { title: (b: LayerBar) => `${b.n}. ${b.id} (${b.type}): ${formatNumber(value(b))}${key === 'macs' ? ' MACs' : ' B'}` } : {}),
        }),
        Plot.ruleY([0]),
      ],
    };
    return renderPlotSvg(options, {
      label: `${name}: ${title.toLowerCase()} per layer`,
      description: `Bar chart of ${title.toLowerCase()} for the ${bars.length} layers with weights or MACs, in execution order${exact ? '; the layer table below lists every value' : ''}.`,
    });
  };
  const panel = (key: LayerChart['panels'][number]['key'], title: string, value: (b: LayerBar) => number, scale: { unit: string; divisor: number }, fill: string, last: boolean) => ({
    key,
    title,
    svg: render(key, title, value, scale.divisor, scale.unit, fill, last, WIDTH),
    narrowSvg: render(key, title, value, scale.divisor, scale.unit, fill, last, narrowWidth),
  });

  const panels = [
    panel('params', `Parameters, ${bits}`, (b) => b.paramBytes, params, 'var(--chart-params)', false),
    panel('activations', `Output activations, ${report.activationBits}-bit`, (b) => b.activationBytes, activations, 'var(--chart-activations)', false),
    panel('macs', 'MACs', (b) => b.macs, macs, 'var(--chart-macs)', true),
  ];

  const share = (pick: (b: LayerBar) => number, what: string, unit: (v: number) => string) => {
    const total = bars.reduce((acc, b) => acc + pick(b), 0);
    const top = [...bars].sort((a, b) => pick(b) - pick(a))[0]!;
    const pct = total === 0 ? 0 : (100 * pick(top)) / total;
    return `${what}: the largest is layer ${top.n}, ${top.id}, with ${unit(pick(top))} (${pct.toFixed(pct < 10 ? 1 : 0)}% of these layers' total).`;
  };
  const bytes = (v: number) => `${formatNumber(v)} B`;
  const summary = exact
    ? [share((b) => b.paramBytes, 'Parameters', bytes), share((b) => b.activationBytes, 'Output activations', bytes), share((b) => b.macs, 'MACs', (v) => `${formatNumber(v)} MACs`)]
    : [];
  return { bars, panels, summary };
}
