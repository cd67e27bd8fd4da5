/**
 * The analyzer's per-layer chart, drawn in the browser with Observable Plot (the model pages draw
 * the same three panels at build time, src/site/charts/layer-chart.ts): parameter bytes,
 * output-activation bytes and MACs of the layers with weights or MACs, in execution order.
 */
import * as Plot from '@observablehq/plot';
import type { ModelReport } from '../../engine/analysis/analyze.ts';
import { formatNumber } from '../../engine/math/latex.ts';
import { asChartImage } from '../charts/aria.ts';
import { el } from './dom.ts';

interface Bar {
  readonly n: number;
  readonly id: string;
  readonly paramBytes: number;
  readonly activationBytes: number;
  readonly macs: number;
}

const scale = (max: number, units: readonly [string, string, string, string]): { unit: string; divisor: number } =>
  max >= 1e9 ? { unit: units[3], divisor: 1e9 } : max >= 1e6 ? { unit: units[2], divisor: 1e6 } : max >= 1e3 ? { unit: units[1], divisor: 1e3 } : { unit: units[0], divisor: 1 };

export function drawLayerChart(doc: Document, figure: HTMLElement, report: ModelReport): void {
  const bars: Bar[] = report.layers
    .filter((r) => r.weights.value > 0 || r.macs.value > 0)
    .map((r, i) => ({ n: i + 1, id: r.layer.id, paramBytes: r.paramBytes.value, activationBytes: (r.activations.value * report.activationBits) / 8, macs: r.macs.value }));
  if (bars.length === 0) {
    figure.append(Object.assign(doc.createElement('p'), { textContent: 'No layer has weights or MACs.' }));
    return;
  }
  // Loops, not Math.max(...bars): a spread of a 150,000-layer model's bars overflows the stack.
  const memory = scale(bars.reduce((m, b) => Math.max(m, b.paramBytes, b.activationBytes), 0), ['B', 'kB', 'MB', 'GB']);
  const macs = scale(bars.reduce((m, b) => Math.max(m, b.macs), 0), ['', 'thousands', 'millions', 'billions']);
  const panels: [string, (b: Bar) => number, { unit: string; divisor: number }, string, string][] = [
    [`Parameters, ${report.paramBits}-bit`, (b) => b.paramBytes, memory, 'var(--chart-params)', ' B'],
    [`Output activations, ${report.activationBits}-bit`, (b) => b.activationBytes, memory, 'var(--chart-activations)', ' B'],
    ['MACs', (b) => b.macs, macs, 'var(--chart-macs)', ' MACs'],
  ];
  const draw = ([title, value, s, fill, unit]: (typeof panels)[number], last: boolean, width: number) =>
    asChartImage(
      Plot.plot({
        document: doc,
        width,
        height: last ? 175 : 140,
        marginLeft: 64,
        marginTop: 22,
        marginBottom: last ? 40 : 8,
        style: { fontSize: '12px' },
        x: { type: 'band', domain: bars.map((b) => b.n), padding: 0.15, axis: last ? 'bottom' : null, ticks: bars.filter((b) => b.n === 1 || b.n % (bars.length <= 60 ? 5 : 10) === 0).map((b) => b.n), label: last ? `layers with weights or MACs, in order (1 to ${bars.length})` : null },
        y: { grid: true, label: `${title}${s.unit ? ` (${s.unit})` : ''}`, labelAnchor: 'top', ticks: 4 },
        marks: [Plot.barY(bars, { x: 'n', y: (b: Bar) => value(b) / s.divisor, fill, title: (b: Bar) => `${b.n}. ${b.id}: ${formatNumber(value(b))}${unit}` }), Plot.ruleY([0])],
        ariaLabel: `${report.model.name}: ${title.toLowerCase()} per layer`,
        ariaDescription: `Bar chart of ${title.toLowerCase()} for the ${bars.length} layers with weights or MACs; the table lists every value.`,
      }),
    );
  // As on the model pages (models.css): wide panels scaled to a desktop column, and for phones
  // narrow ones at their natural size (12 px type, 8 px a bar), each in a box that scrolls
  // sideways and says so when a long model needs more room.
  const narrowWidth = Math.max(340, 72 + bars.length * 8);
  const wide = el(doc, 'div', { class: 'chart-wide' }, ...panels.map((p, i) => el(doc, 'div', { class: 'chart-panel' }, draw(p, i === panels.length - 1, 880))));
  const narrow = el(
    doc,
    'div',
    { class: 'chart-narrow' },
    ...panels.map((p, i) =>
      el(
        doc,
        'div',
        { class: 'table-scroll chart-scroll', role: 'region', 'aria-label': `${p[0]} per layer`, tabindex: '0' },
        el(doc, 'p', { class: 'scroll-cue', 'aria-hidden': 'true' }, 'Scroll sideways for more layers →'),
        el(doc, 'div', { class: 'chart-panel chart-panel--natural' }, draw(p, i === panels.length - 1, narrowWidth)),
      ),
    ),
  );
  const caption = doc.createElement('figcaption');
  caption.textContent = `The ${bars.length} layers with weights or MACs, numbered in execution order; the table below lists every layer.`;
  figure.append(wide, narrow, caption);
}
