/**
 * The data of a chapter's two language-model charts (issue 28), every number the engine's
 * (src/engine/llm/): decode tokens per second against the batch on one or more devices, with the
 * batch where a decode step turns compute-bound and the largest batch that fits; and weights + KV
 * cache against the context for a model's own attention and variants of it with fewer KV heads or
 * a sliding window, against a device's memory. The props are checked here, so `workbook check`
 * and the build say the same thing at the same place (src/workbook/check/chapter-props.ts).
 */
import { join, resolve } from 'node:path';
import {
  decodeModel,
  importHfConfig,
  decodePoint,
  llmAnalysis,
  llmDef,
  llmOnHardware,
  llmZooImport,
  LLM_ZOO_IDS,
  formatName,
  type HardwareProfile,
  type HfImport,
  type LlmOptions,
} from '../engine/index.ts';
import { kvCacheBytes } from '../engine/llm/kv.ts';
import { z } from '../engine/schema.ts';
import { BUILT_IN_HARDWARE } from './builtins.ts';
import { contentDir } from './course.ts';
import { readUserFile, UnreadableFileError } from './read-file.ts';
import { didYouMean } from './check/diagnostics.ts';
import { fieldIssues, type FieldIssue } from './check/zod.ts';
import { llmOptions } from './answers-llm.ts';

const positiveInt = z.int().check(z.positive());
/** The largest batch or context a chart spans: 2^20 (a million tokens). */
export const MAX_CHART_TOKENS = 2 ** 20;
const powerOfTwo = positiveInt.check(
  z.lte(MAX_CHART_TOKENS),
  z.refine((n: number) => Number.isInteger(Math.log2(n)), { message: 'a power of two (the axis is in doublings)' }),
);
const range = z.tuple([powerOfTwo, powerOfTwo]).check(z.refine(([lo, hi]) => lo < hi, { message: 'the first bound is below the second: [low, high]' }));

/** The precision of the weights and the cache: the `given` fields of an <Example> that apply. */
const storageGiven = {
  paramBits: z.optional(positiveInt),
  groupSize: z.optional(positiveInt),
  weightFormat: z.optional(z.enum(['q4_0', 'q8_0'])),
  kvBits: z.optional(positiveInt),
};

export const decodeBatchChartSchema = z.strictObject({
  /** A built-in language model's id (`workbook models`), or a Hugging Face config.json relative to the chapter. */
  model: z.string(),
  /** One to three built-in hardware profiles, one line each. */
  hardware: z.union([z.string(), z.array(z.string()).check(z.minLength(1), z.maxLength(3))]),
  /** The context of every decode step (tokens in each sequence's cache); the batch is the x axis. */
  given: z.optional(z.strictObject({ context: z.optional(positiveInt.check(z.lte(MAX_CHART_TOKENS))), ...storageGiven })),
  /** The batches drawn, [low, high], powers of two; default [1, 1024]. */
  batches: z.optional(range),
});

export const contextMemoryChartSchema = z.strictObject({
  model: z.string(),
  /** The built-in hardware profile whose memory is drawn as a line; none: no line. */
  hardware: z.optional(z.string()),
  /** The sequences held (default 1) and the storage; the context is the x axis. */
  given: z.optional(z.strictObject({ batch: z.optional(positiveInt.check(z.lte(MAX_CHART_TOKENS))), ...storageGiven })),
  /** The KV-head counts compared (each divides the model's heads); default: the model's own, 8, 1. */
  kvHeads: z.optional(z.array(positiveInt).check(z.minLength(1), z.maxLength(4))),
  /** A sliding window of this many tokens on the model's own attention, as one more line. */
  window: z.optional(positiveInt.check(z.lte(MAX_CHART_TOKENS))),
  /** The contexts drawn, [low, high], powers of two; default [1024, 131072]. */
  contexts: z.optional(range),
});

export type DecodeBatchChartProps = z.output<typeof decodeBatchChartSchema>;
export type ContextMemoryChartProps = z.output<typeof contextMemoryChartSchema>;

export const LLM_CHART_SCHEMAS = { DecodeBatchChart: decodeBatchChartSchema, ContextMemoryChart: contextMemoryChartSchema } as const;
export type LlmChartName = keyof typeof LLM_CHART_SCHEMAS;

/** A chart's data from its props: what the component draws, and what `workbook check` runs. */
export const llmChartData = (name: LlmChartName, props: Record<string, unknown>, baseDir?: string): DecodeBatchData | ContextMemoryData =>
  name === 'DecodeBatchChart' ? decodeBatchData(props, baseDir) : contextMemoryData(props, baseDir);

/** Where a chapter's relative paths start: content/chapters/ of the course. */
export const chaptersDir = (root?: string): string => join(contentDir(root), 'chapters');

const configs = new Map<string, HfImport>();

/**
 * A chart's model: a built-in id, or a config.json path (ending in .json) read from the chapters'
 * folder by the same importer as a problem's; an unreadable or bad file is the reason, in words.
 */
export function chartModel(model: string, baseDir: string = chaptersDir()): HfImport | { readonly error: string } {
  if (!/\.json$/i.test(model)) {
    return llmZooImport(model) ?? { error: `model: '${model}' is not a built-in language model${didYouMean(model, LLM_ZOO_IDS)}; models: ${LLM_ZOO_IDS.join(', ')}, or a config.json` };
  }
  const path = resolve(baseDir, model);
  try {
    const text = new TextDecoder().decode(readUserFile(path, 'json', 'model file'));
    // Keyed by the text too: the preview reads an edited file anew.
    const key = `${path}\u0000${text}`;
    const cached = configs.get(key);
    if (cached) return cached;
    const imp = importHfConfig(text, { name: model.replace(/^.*[\\/]/, '').replace(/\.json$/i, ''), file: model });
    configs.set(key, imp);
    return imp;
  } catch (error) {
    if (error instanceof UnreadableFileError) return { error: `model: ${error.message}; a path is relative to the chapter's folder (content/chapters/)` };
    return { error: `model: ${(error as Error).message}` };
  }
}

/** What is wrong with a chart's props, each at its prop's path (`hardware[1]`, `given.context`). */
export function llmChartIssues(name: LlmChartName, props: Record<string, unknown>, baseDir?: string): FieldIssue[] {
  const schema = LLM_CHART_SCHEMAS[name];
  const parsed = schema.safeParse(props, { reportInput: true });
  if (!parsed.success) return fieldIssues(schema, parsed.error.issues);
  const out: FieldIssue[] = [];
  const data = parsed.data as DecodeBatchChartProps | ContextMemoryChartProps;
  const found = chartModel(data.model, baseDir);
  const imp = 'error' in found ? undefined : found;
  if ('error' in found) out.push({ path: ['model'], message: found.error });
  const devices = data.hardware === undefined ? [] : typeof data.hardware === 'string' ? [[['hardware'], data.hardware] as const] : data.hardware.map((id, i) => [['hardware', i], id] as const);
  const ids = Object.keys(BUILT_IN_HARDWARE);
  for (const [path, id] of devices) {
    const profile = Object.hasOwn(BUILT_IN_HARDWARE, id) ? BUILT_IN_HARDWARE[id] : undefined;
    if (!profile) out.push({ path, message: `${path.join('.').replace(/\.(\d+)/, '[$1]')}: '${id}' is not a built-in hardware profile${didYouMean(id, ids)}` });
    else if (!profile.dramBytes) out.push({ path, message: `${path.join('.').replace(/\.(\d+)/, '[$1]')}: '${id}' has no dramBytes: the chart marks what fits in the device's memory` });
  }
  const given = data.given ?? {};
  if (given.weightFormat !== undefined && given.groupSize !== undefined) out.push({ path: ['given', 'groupSize'], message: 'given.groupSize: give either weightFormat or groupSize (with paramBits), not both' });
  if (name === 'ContextMemoryChart' && imp) {
    const d = data as ContextMemoryChartProps;
    (d.kvHeads ?? []).forEach((h, i) => {
      if (h > imp.arch.heads || imp.arch.heads % h !== 0) out.push({ path: ['kvHeads', i], message: `kvHeads[${i}]: ${h} KV heads do not divide ${data.model}'s ${imp.arch.heads} query heads into groups; allowed: ${divisors(imp.arch.heads).join(', ')}` });
    });
    if (d.kvHeads && new Set(d.kvHeads).size !== d.kvHeads.length) out.push({ path: ['kvHeads'], message: 'kvHeads: each count once' });
  }
  // GPT-2's learned positions end at n_positions: a longer context has no figure to draw.
  const positions = imp?.arch.learnedPositions;
  if (imp && positions !== undefined) {
    const longest = name === 'ContextMemoryChart' ? ((data as ContextMemoryChartProps).contexts ?? [1024, 131072])[1] : ((data as DecodeBatchChartProps).given?.context ?? 4096);
    if (longest > positions) {
      const path = name === 'ContextMemoryChart' ? ((data as ContextMemoryChartProps).contexts ? ['contexts', 1] : ['model']) : (data as DecodeBatchChartProps).given?.context !== undefined ? ['given', 'context'] : ['model'];
      out.push({ path, message: `${path.join('.').replace(/\.(\d+)/, '[$1]')}: ${data.model} has ${positions.toLocaleString('en-US')} learned positions; a context of ${longest.toLocaleString('en-US')} is longer${path[0] === 'model' ? ` (the default; set ${name === 'ContextMemoryChart' ? 'contexts' : 'given.context'})` : ''}` });
    }
  }
  return out;
}

const divisors = (n: number) => Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);

/** The props as a chart reads them, or an Error naming the component and each issue. */
function parse<N extends LlmChartName>(name: N, props: Record<string, unknown>, baseDir?: string): z.output<(typeof LLM_CHART_SCHEMAS)[N]> {
  const issues = llmChartIssues(name, props, baseDir);
  if (issues.length > 0) throw new Error(`<${name} model="${String(props.model)}">: ${issues.map((i) => i.message).join('; ')}`);
  return LLM_CHART_SCHEMAS[name].parse(props) as z.output<(typeof LLM_CHART_SCHEMAS)[N]>;
}

const doublings = ([lo, hi]: readonly [number, number]) => {
  const out: number[] = [];
  for (let x = lo; x <= hi; x *= 2) out.push(x);
  return out;
};

const profile = (id: string): HardwareProfile => BUILT_IN_HARDWARE[id]!;

export interface DecodeBatchPoint {
  readonly batch: number;
  readonly tokensPerSecond: number;
  readonly msPerToken: number;
  readonly bound: 'compute' | 'memory';
  readonly fits: boolean;
}

export interface DecodeBatchDevice {
  readonly id: string;
  readonly name: string;
  readonly capacityBytes: number;
  readonly bandwidthBytesPerS: number;
  /** The engine's crossover batch at the context (`crossoverBatch`); absent when none is compute-bound. */
  readonly crossoverBatch?: number;
  /** The engine's largest batch that fits (`maxBatch`); absent when the weights alone do not fit. */
  readonly maxBatch?: number;
  /** The line's points: the doublings of the range, and the crossover and largest batch within it. */
  readonly points: readonly DecodeBatchPoint[];
}

export interface DecodeBatchData {
  readonly model: string;
  readonly context: number;
  readonly weights: string;
  readonly kvBits: number;
  readonly weightBytes: number;
  readonly batches: readonly number[];
  readonly devices: readonly DecodeBatchDevice[];
}

/** The engine's own error (a count past 2^53, say), named by the component it stops. */
function named<T>(name: LlmChartName, props: Record<string, unknown>, make: () => T): T {
  try {
    return make();
  } catch (error) {
    throw new Error(`<${name} model="${String(props.model)}">: ${(error as Error).message}`, { cause: error });
  }
}

export function decodeBatchData(props: Record<string, unknown>, baseDir?: string): DecodeBatchData {
  const p = parse('DecodeBatchChart', props, baseDir);
  return named('DecodeBatchChart', props, () => decodeBatch(p, chartModel(p.model, baseDir) as HfImport));
}

function decodeBatch(p: DecodeBatchChartProps, imp: HfImport): DecodeBatchData {
  const context = p.given?.context ?? 4096;
  const llm = llmAnalysis(imp, { ...llmOptions(p.given ?? {}), context });
  const batches = doublings(p.batches ?? [1, 1024]);
  const ids = typeof p.hardware === 'string' ? [p.hardware] : p.hardware;
  const devices = ids.map((id): DecodeBatchDevice => {
    const hardware = profile(id);
    const hw = llmOnHardware(llm, hardware);
    const m = decodeModel(llm, hardware);
    const crossoverBatch = hw.crossoverBatch?.value;
    const maxBatch = hw.maxBatch?.value;
    const lo = batches[0]!;
    const hi = batches.at(-1)!;
    const marked = [crossoverBatch, maxBatch].filter((b): b is number => b !== undefined && b >= lo && b <= hi);
    const at = [...new Set([...batches, ...marked])].sort((a, b) => a - b);
    return {
      id,
      name: hardware.name,
      capacityBytes: hardware.dramBytes!.value,
      bandwidthBytesPerS: m.bandwidth,
      ...(crossoverBatch !== undefined ? { crossoverBatch } : {}),
      ...(maxBatch !== undefined ? { maxBatch } : {}),
      points: at.map((batch) => {
        const q = decodePoint(m, batch, context);
        return { batch, tokensPerSecond: q.tokensPerSecond, msPerToken: q.msPerToken, bound: q.bound, fits: q.fits ?? true };
      }),
    };
  });
  return { model: imp.name, context, weights: formatName(llm.weights), kvBits: llm.kvBits, weightBytes: llm.weightBytes.value, batches, devices };
}

export interface ContextMemorySeries {
  /** "MHA (40 KV heads)", "GQA (8 KV heads)", "MQA (1 KV head)", "40 KV heads, window 4,096". */
  readonly label: string;
  readonly kvHeads: number;
  readonly window: number | null;
  /** Whether this is the model as published. */
  readonly own: boolean;
  readonly weightBytes: number;
  readonly kvBytesPerToken: number;
  readonly points: readonly { readonly context: number; readonly kvBytes: number; readonly totalBytes: number; readonly fits?: boolean }[];
  /** The engine's longest context that fits (`maxContext`) at the batch; absent when unbounded or nothing fits. */
  readonly maxContext?: number;
  /** A window's cache stops growing and fits at any context. */
  readonly contextUnbounded: boolean;
}

export interface ContextMemoryData {
  readonly model: string;
  readonly heads: number;
  readonly batch: number;
  readonly weights: string;
  readonly kvBits: number;
  readonly contexts: readonly number[];
  readonly device?: { readonly id: string; readonly name: string; readonly capacityBytes: number };
  readonly series: readonly ContextMemorySeries[];
}

/** The model with `kvHeads` KV heads and a sliding window: the importer's seam (llmDef) on a changed architecture. */
function variant(imp: HfImport, kvHeads: number, window: number | null): HfImport {
  if (kvHeads === imp.arch.kvHeads && window === imp.arch.slidingWindow) return imp;
  const arch = { ...imp.arch, kvHeads, slidingWindow: window };
  return { ...imp, arch, def: (w) => llmDef(imp.name, arch, w) };
}

const attentionName = (heads: number, kvHeads: number) => {
  const n = `${kvHeads} KV head${kvHeads === 1 ? '' : 's'}`;
  return kvHeads === heads ? `MHA (${n})` : kvHeads === 1 ? `MQA (${n})` : `GQA (${n})`;
};

export function contextMemoryData(props: Record<string, unknown>, baseDir?: string): ContextMemoryData {
  const p = parse('ContextMemoryChart', props, baseDir);
  return named('ContextMemoryChart', props, () => contextMemory(p, chartModel(p.model, baseDir) as HfImport));
}

function contextMemory(p: ContextMemoryChartProps, imp: HfImport): ContextMemoryData {
  const { heads } = imp.arch;
  const contexts = doublings(p.contexts ?? [1024, 131072]);
  const hardware = p.hardware === undefined ? undefined : profile(p.hardware);
  // The figures that do not depend on the context (weights, bytes per token, the largest context) at
  // the first one; the cache at each context from the same geometry (a prefill of 128k tokens would
  // pass 2^53 FLOPs, and the cache needs none).
  const options: LlmOptions = llmOptions(p.given ?? {});
  const kvHeads = p.kvHeads ?? [...new Set([imp.arch.kvHeads, ...[heads, 8, 1].filter((h) => heads % h === 0)])].sort((a, b) => b - a);
  const lines: { kvHeads: number; window: number | null }[] = kvHeads.map((h) => ({ kvHeads: h, window: h === imp.arch.kvHeads ? imp.arch.slidingWindow : null }));
  if (p.window !== undefined) lines.push({ kvHeads: imp.arch.kvHeads, window: p.window });
  const series = lines.map(({ kvHeads: h, window }): ContextMemorySeries => {
    const model = variant(imp, h, window);
    const first = llmAnalysis(model, { ...options, context: contexts[0]! });
    const hw = hardware ? llmOnHardware(first, hardware) : undefined;
    const label = `${attentionName(heads, h)}${window !== null ? `, window ${window.toLocaleString('en-US')}` : ''}`;
    return {
      label,
      kvHeads: h,
      window,
      own: h === imp.arch.kvHeads && window === imp.arch.slidingWindow,
      weightBytes: first.weightBytes.value,
      kvBytesPerToken: first.kvCacheBytesPerToken.value,
      points: contexts.map((context) => {
        const kvBytes = kvCacheBytes(first.geometry, first.kvBits, first.batch, context).value;
        const totalBytes = first.weightBytes.value + kvBytes;
        return { context, kvBytes, totalBytes, ...(hardware ? { fits: totalBytes <= hardware.dramBytes!.value } : {}) };
      }),
      ...(hw?.maxContext ? { maxContext: hw.maxContext.value } : {}),
      contextUnbounded: hw?.contextUnbounded ?? false,
    };
  });
  return {
    model: imp.name,
    heads,
    batch: p.given?.batch ?? 1,
    weights: formatName(options.weights ?? { kind: 'bits', bits: 16 }),
    kvBits: options.kvBits ?? 16,
    contexts,
    ...(hardware ? { device: { id: p.hardware!, name: hardware.name, capacityBytes: hardware.dramBytes!.value } } : {}),
    series,
  };
}
