/**
 * The serving chapter's charts (issue 28) as static SVG: decode tokens per second against the
 * batch (the knee where a step turns compute-bound and the largest batch that fits, marked), and
 * weights + KV cache against the context (the device's memory as a line, where each line crosses
 * it marked). The data is src/workbook/llm-charts.ts's, the engine's figures; this file only draws.
 * Each chart is drawn wide (a desktop column, or paper) and narrow (340 px, for phones); series
 * differ by colour and by marker, so they read on paper in grey too.
 */
import { formatNumber } from '../../engine/math/latex.ts';
import type { ContextMemoryData, DecodeBatchData } from '../../workbook/llm-charts.ts';
import { Plot, renderPlotSvg } from './plot.ts';

export const LLM_CHART_SIZES = { wide: { width: 760, height: 400 }, narrow: { width: 340, height: 340 } } as const;
type Size = keyof typeof LLM_CHART_SIZES;

/** Series colours (CSS variables the component sets for light, dark and print) and markers. */
export const SERIES = [
  { color: 'var(--llm-series-1)', symbol: 'circle' },
  { color: 'var(--llm-series-2)', symbol: 'square' },
  { color: 'var(--llm-series-3)', symbol: 'triangle' },
  { color: 'var(--llm-series-4)', symbol: 'diamond' },
] as const;

/** 3 significant figures, grouped: 65,335.2 -> "65,300"; 0.4 stays "0.4". */
export function sig3(x: number): string {
  return formatNumber(Number(x.toPrecision(3)));
}

/** Bytes in a GiB: devices' memories are sold in them (an "80 GB" H100 holds 80 · 2^30 bytes). */
export const GIB = 2 ** 30;

/** 1024 -> "1k", 131072 -> "128k": contexts in units of 1,024 tokens. */
export const tokensK = (n: number) => (n >= 1024 && n % 1024 === 0 ? `${n / 1024}k` : formatNumber(n));

const compact = (x: number) => (x >= 1e6 ? `${x / 1e6}M` : x >= 1e3 ? `${x / 1e3}k` : String(x));

function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

export interface LlmChartSvg {
  readonly svg: string;
  readonly narrowSvg: string;
  readonly label: string;
  readonly description: string;
}

/** The sentence each device gets in the caption: where it turns compute-bound and what fits. */
export function decodeDeviceSummary(d: DecodeBatchData['devices'][number], context: number): string {
  const at = (b: number) => d.points.find((p) => p.batch === b)!;
  const knee =
    d.crossoverBatch === undefined
      ? `memory-bound at every batch (at a context of ${formatNumber(context)}, each sequence's cache costs more time to read than its FLOPs take)`
      : d.crossoverBatch === 1
        ? 'compute-bound from a batch of 1'
        : `memory-bound up to a batch of ${formatNumber(d.crossoverBatch - 1)}, compute-bound from ${formatNumber(d.crossoverBatch)}${at(d.crossoverBatch) ? ` (about ${sig3(at(d.crossoverBatch).tokensPerSecond)} tokens/s, where it stays)` : ''}`;
  const fit =
    d.maxBatch === undefined
      ? 'the weights alone do not fit in its memory'
      : d.maxBatch === 0
        ? 'not even one sequence fits in its memory beside the weights'
        : `weights and KV cache fit up to a batch of ${formatNumber(d.maxBatch)}`;
  return `${d.name}: ${knee}; ${fit}.`;
}

/** A chart drawn at both sizes from its options, with the text that goes with it. */
function drawnWideAndNarrow(options: (size: Size) => Plot.PlotOptions, label: string, description: string): LlmChartSvg {
  const draw = (size: Size) => renderPlotSvg(options(size), { label, description });
  return { svg: draw('wide'), narrowSvg: draw('narrow'), label, description };
}

export function decodeBatchChart(data: DecodeBatchData): LlmChartSvg {
  const label = `Decode tokens per second against the batch: ${data.model}, context ${formatNumber(data.context)}`;
  const description = `Log-log chart, one line per device (${data.devices.map((d) => d.name).join('; ')}): tokens per second rise with the batch while a decode step is memory-bound and level off where it turns compute-bound; a dotted line is a batch that does not fit in the device's memory. ${data.devices.map((d) => decodeDeviceSummary(d, data.context)).join(' ')}`;
  return drawnWideAndNarrow((size) => decodeBatchOptions(data, size), label, description);
}

export function decodeBatchOptions(data: DecodeBatchData, size: Size): Plot.PlotOptions {
  const { width, height } = LLM_CHART_SIZES[size];
  const narrow = size === 'narrow';
  const lo = data.batches[0]!;
  const hi = data.batches.at(-1)!;
  const all = data.devices.flatMap((d) => d.points.map((p) => p.tokensPerSecond));
  const yLo = Math.min(...all) / 1.6;
  const yHi = Math.max(...all) * 2.2;
  const xTicks = data.batches.filter((_, i) => !narrow || data.batches.length <= 6 || i % 2 === 0);
  const marks: Plot.Markish[] = [];
  data.devices.forEach((d, i) => {
    const s = SERIES[i % SERIES.length]!;
    const fitting = d.points.filter((p) => p.fits);
    const lastFit = fitting.at(-1);
    const beyond = d.points.filter((p) => !p.fits);
    marks.push(Plot.line(fitting, { x: 'batch', y: 'tokensPerSecond', stroke: s.color, strokeWidth: 2.5 }));
    // Past the largest batch that fits: dotted and faint, drawn so the shape reads, marked as not fitting.
    if (beyond.length > 0) marks.push(Plot.line(lastFit ? [lastFit, ...beyond] : beyond, { x: 'batch', y: 'tokensPerSecond', stroke: s.color, strokeWidth: 1.5, strokeDasharray: '2 4', strokeOpacity: 0.8 }));
    const doublings = d.points.filter((p) => data.batches.includes(p.batch));
    marks.push(
      Plot.dot(doublings, {
        x: 'batch',
        y: 'tokensPerSecond',
        symbol: s.symbol,
        r: narrow ? 3 : 3.5,
        fill: (p: { fits: boolean }) => (p.fits ? s.color : 'none'),
        stroke: s.color,
        title: (p: DecodeBatchData['devices'][number]['points'][number]) => `${d.name}, batch ${formatNumber(p.batch)}: about ${sig3(p.tokensPerSecond)} tokens/s, ${p.bound}-bound${p.fits ? '' : ', does not fit'}`,
      }),
    );
    const knee = d.crossoverBatch === undefined ? undefined : d.points.find((p) => p.batch === d.crossoverBatch);
    // The first device's knee is labelled above its line, the others' below: labels apart from each other's lines.
    if (knee) {
      marks.push(Plot.dot([knee], { x: 'batch', y: 'tokensPerSecond', r: 7, stroke: 'currentColor', strokeWidth: 1.5, fill: 'none' }));
      marks.push(Plot.text([knee], { x: 'batch', y: 'tokensPerSecond', text: () => (narrow ? `knee ${formatNumber(knee.batch)}` : `compute-bound from ${formatNumber(knee.batch)}`), ...(i === 0 ? { dy: -14, dx: 6, textAnchor: 'end' } : { dy: 18, dx: 6, textAnchor: 'start' }), fill: 'currentColor', stroke: 'var(--bg, white)', strokeWidth: 3, paintOrder: 'stroke' }));
    }
    if (d.maxBatch !== undefined && d.maxBatch >= lo && d.maxBatch <= hi) {
      const fit = d.points.find((p) => p.batch === d.maxBatch)!;
      marks.push(Plot.ruleX([fit], { x: 'batch', y1: yLo, y2: 'tokensPerSecond', stroke: s.color, strokeDasharray: '5 3', strokeWidth: 1.5 }));
      marks.push(Plot.text([fit], { x: 'batch', y: yLo, text: () => (narrow ? `≤ ${formatNumber(fit.batch)}` : `fits ≤ ${formatNumber(fit.batch)}`), dy: -6 - 14 * i, dx: 4, textAnchor: 'start', fill: 'currentColor', stroke: 'var(--bg, white)', strokeWidth: 3, paintOrder: 'stroke' }));
    }
  });
  return {
    width,
    height,
    marginLeft: narrow ? 44 : 56,
    marginRight: narrow ? 22 : 28,
    marginTop: 24,
    marginBottom: 44,
    style: { fontSize: '12px' },
    x: { type: 'log', base: 2, domain: [lo / 1.15, hi * 1.15], ticks: xTicks, tickFormat: (b: number) => formatNumber(b), label: narrow ? 'batch (sequences)' : 'batch (sequences decoded together)', labelAnchor: 'center', grid: true },
    y: { type: 'log', domain: [yLo, yHi], ticks: decades(yLo, yHi).filter((t) => t >= yLo && t <= yHi), tickFormat: (t: number) => compact(t), label: 'tokens per second', labelAnchor: 'top', grid: true },
    marks,
  };
}

/** The caption's sentence for one line of the memory chart. */
export function memorySeriesSummary(s: ContextMemoryData['series'][number], data: ContextMemoryData): string {
  const perToken = `${sig3(s.kvBytesPerToken / 1024)} KiB of cache per token`;
  const last = s.points.at(-1)!;
  const grows = s.window !== null ? `the cache stops growing at ${formatNumber(s.window)} tokens` : `${sig3(last.totalBytes / GIB)} GiB at ${tokensK(last.context)} tokens`;
  const device = data.device;
  const fit = !device ? '' : s.contextUnbounded ? `; fits ${device.name} at any context` : s.maxContext === undefined ? `; does not fit ${device.name}` : s.maxContext >= last.context ? `; fits ${device.name} up to ${formatNumber(s.maxContext)} tokens` : `; fits ${device.name} up to ${formatNumber(s.maxContext)} tokens, then no more`;
  return `${s.label}${s.own ? ' (the model as published)' : ''}: weights ${sig3(s.weightBytes / GIB)} GiB, ${perToken}; ${grows}${fit}.`;
}

export function contextMemoryChart(data: ContextMemoryData): LlmChartSvg {
  const label = `Weights and KV cache against the context: ${data.model}, batch ${formatNumber(data.batch)}`;
  const description = `Chart of gibibytes (2^30 bytes) against the context in tokens (doubling from ${tokensK(data.contexts[0]!)} to ${tokensK(data.contexts.at(-1)!)}), one line per kind of attention${data.device ? `, the ${data.device.name}'s memory as a horizontal line` : ''}. ${data.series.map((s) => memorySeriesSummary(s, data)).join(' ')}`;
  return drawnWideAndNarrow((size) => contextMemoryOptions(data, size), label, description);
}

export function contextMemoryOptions(data: ContextMemoryData, size: Size): Plot.PlotOptions {
  const { width, height } = LLM_CHART_SIZES[size];
  const narrow = size === 'narrow';
  const lo = data.contexts[0]!;
  const hi = data.contexts.at(-1)!;
  const gb = (b: number) => b / GIB;
  const capacity = data.device ? gb(data.device.capacityBytes) : 0;
  const top = Math.max(capacity, ...data.series.flatMap((s) => s.points.map((p) => gb(p.totalBytes)))) * 1.08;
  const xTicks = data.contexts.filter((_, i) => !narrow || data.contexts.length <= 6 || i % 2 === (data.contexts.length - 1) % 2);
  const marks: Plot.Markish[] = [Plot.ruleY([0])];
  if (data.device) {
    const device = data.device;
    marks.push(Plot.ruleY([capacity], { stroke: 'currentColor', strokeWidth: 1.5, strokeDasharray: '6 4' }));
    marks.push(Plot.text([capacity], { x: lo, y: (c: number) => c, text: () => `${narrow ? 'device' : device.name}: ${sig3(capacity)} GiB`, dy: -8, textAnchor: 'start', fill: 'currentColor', stroke: 'var(--bg, white)', strokeWidth: 3, paintOrder: 'stroke' }));
  }
  data.series.forEach((s, i) => {
    const st = SERIES[i % SERIES.length]!;
    const points = s.points.map((p) => ({ ...p, gb: gb(p.totalBytes) }));
    marks.push(Plot.line(points, { x: 'context', y: 'gb', stroke: st.color, strokeWidth: s.own ? 3 : 2 }));
    marks.push(
      Plot.dot(points, {
        x: 'context',
        y: 'gb',
        symbol: st.symbol,
        r: narrow ? 3 : 3.5,
        fill: st.color,
        stroke: st.color,
        title: (p: (typeof points)[number]) => `${s.label}, ${tokensK(p.context)} tokens: about ${sig3(p.gb)} GiB${p.fits === false ? ', does not fit' : ''}`,
      }),
    );
    if (data.device && s.maxContext !== undefined && s.maxContext >= lo && s.maxContext <= hi) {
      const at = { context: s.maxContext, gb: capacity };
      marks.push(Plot.dot([at], { x: 'context', y: 'gb', r: 7, stroke: 'currentColor', strokeWidth: 1.5, fill: 'none' }));
      marks.push(Plot.text([at], { x: 'context', y: 'gb', text: () => `${formatNumber(s.maxContext!)}`, dy: 16, textAnchor: 'end', fill: 'currentColor', stroke: 'var(--bg, white)', strokeWidth: 3, paintOrder: 'stroke' }));
    }
  });
  return {
    width,
    height,
    marginLeft: narrow ? 40 : 52,
    marginRight: narrow ? 14 : 24,
    marginTop: 24,
    marginBottom: 44,
    style: { fontSize: '12px' },
    x: { type: 'log', base: 2, domain: [lo / 1.12, hi * 1.12], ticks: xTicks, tickFormat: tokensK, label: narrow ? 'context (tokens; k = 1,024)' : 'context (tokens per sequence; k = 1,024)', labelAnchor: 'center', grid: true },
    y: { domain: [0, top], label: 'weights + KV cache (GiB)', labelAnchor: 'top', grid: true, ticks: narrow ? 5 : 8 },
    marks,
  };
}
