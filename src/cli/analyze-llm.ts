/**
 * `workbook analyze` for a language model: a built-in LLM id or a Hugging Face config.json.
 *
 *   workbook analyze <config.json | llm-id> [--context N | --prompt P --generate G] [--batch B]
 *     [--weight-bits b [--group-size g] | --weight-format q4_0|q8_0] [--kv-bits b] [--hardware ID] [--json]
 *
 * The text output is a per-layer table per stage (prefill, a decode step) and the figures; the
 * JSON keeps `totals.params` and adds `llm` (see issue 27 and README). Node-only code (files)
 * stays here; every number is the engine's.
 */
import {
  formatNumber,
  formatName,
  importHfConfig,
  isHfConfig,
  llmAnalysis,
  llmOnHardware,
  llmZooImport,
  LLM_ZOO,
  type HardwareProfile,
  type HfImport,
  type LlmAnalysis,
  type LlmOnHardware,
  type Stage,
  type WeightFormat,
} from '../engine/index.ts';
import { llmCalculatorProfiles, type CalculatorProfiles } from '../engine/llm/calculators/index.ts';
import { basename } from 'node:path';
import { FileError, readText } from './files.ts';

/** The flags only a language model takes. */
export const LLM_FLAGS = ['context', 'prompt', 'generate', 'weight-bits', 'group-size', 'weight-format', 'kv-bits'] as const;
export const LLM_OPTIONS = Object.fromEntries(LLM_FLAGS.map((f) => [f, { type: 'string' as const }])) as Record<(typeof LLM_FLAGS)[number], { type: 'string' }>;

export const LLM_USAGE = `  workbook analyze <config.json | llm-id> [--context N | --prompt P --generate G] [--batch B]
      [--weight-bits b [--group-size g] | --weight-format q4_0|q8_0] [--kv-bits b] [--hardware ID] [--json]
                a language model (a Hugging Face config.json, or ${LLM_ZOO.map((e) => e.id).join(', ')}):
                prefill and decode per layer, weights, KV cache; on hardware TTFT, TPOT, tokens/s, fit`;

type Values = Partial<Record<(typeof LLM_FLAGS)[number] | 'batch' | 'bits' | 'hardware' | 'csv' | 'profiles' | 'seq', unknown>> & { json?: boolean };

/** The import when `target` is a language model: a built-in id or a config.json with a model_type. */
export function llmTarget(target: string): { imp: HfImport; file?: string } | undefined {
  const builtIn = llmZooImport(target);
  if (builtIn) return { imp: builtIn };
  if (!target.toLowerCase().endsWith('.json')) return undefined;
  let text: string;
  try {
    text = readText(target);
  } catch {
    return undefined; // the model loader says why
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isHfConfig(json)) return undefined;
  return { imp: importHfConfig(text, { file: target, name: basename(target, '.json') === 'config' ? undefined : basename(target, '.json') }), file: target };
}

/** Language-model flags given to another model: a usage error. */
export function llmFlagsGiven(values: Values): string[] {
  return LLM_FLAGS.filter((f) => values[f] !== undefined).map((f) => `--${f}`);
}

function int(flag: string, raw: unknown, usage: (m: string) => Error): number | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw);
  const value = Number(s);
  if (!/^\d+$/.test(s) || !Number.isSafeInteger(value) || value <= 0) throw usage(`--${flag} must be a positive integer, got '${s}'`);
  return value;
}

function weightFormat(values: Values, usage: (m: string) => Error): WeightFormat | undefined {
  const bits = int('weight-bits', values['weight-bits'], usage);
  const group = int('group-size', values['group-size'], usage);
  const format = values['weight-format'];
  if (format !== undefined) {
    if (bits !== undefined || group !== undefined) throw usage('give either --weight-format or --weight-bits (with --group-size), not both');
    if (format !== 'q4_0' && format !== 'q8_0') throw usage(`--weight-format must be q4_0 or q8_0, got '${String(format)}'`);
    return { kind: 'ggml', format };
  }
  if (group !== undefined) {
    if (bits === undefined) throw usage('--group-size needs --weight-bits');
    return { kind: 'group', bits, groupSize: group };
  }
  return bits === undefined ? undefined : { kind: 'bits', bits };
}

export interface LlmRun {
  readonly llm: LlmAnalysis;
  readonly hw?: LlmOnHardware;
}

/** Runs the analysis; `hardware` is loaded by the caller (built-in id or file). */
export function analyzeLlm(imp: HfImport, values: Values, hardware: HardwareProfile | undefined, usage: (m: string) => Error): string {
  for (const flag of ['bits', 'seq', 'csv'] as const) {
    if (values[flag] !== undefined && values[flag] !== false) throw usage(`--${flag} does not apply to a language model; use --weight-bits, --kv-bits or --json`);
  }
  const weights = weightFormat(values, usage);
  const kvBits = int('kv-bits', values['kv-bits'], usage);
  const context = int('context', values.context, usage);
  const prompt = int('prompt', values.prompt, usage);
  const generate = int('generate', values.generate, usage);
  if (context !== undefined && (prompt !== undefined || generate !== undefined)) throw usage('give either --context or --prompt with --generate, not both');
  if ((prompt === undefined) !== (generate === undefined)) throw usage('--prompt and --generate go together');
  const batch = int('batch', values.batch, usage);
  const llm = llmAnalysis(imp, {
    ...(batch !== undefined ? { batch } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(prompt !== undefined ? { prompt } : {}),
    ...(generate !== undefined ? { generate } : {}),
    ...(weights ? { weights } : {}),
    ...(kvBits !== undefined ? { kvBits } : {}),
  });
  const hw = hardware ? llmOnHardware(llm, hardware) : undefined;
  // The LLM calculators' figures need a device: each tool has its own table of them.
  if (values.profiles && !hardware) throw usage('--profiles for a language model needs --hardware: each calculator reads its own device table');
  const calculators = values.profiles && hardware ? llmCalculatorProfiles(llm, hardware) : undefined;
  return values.json ? JSON.stringify(llmJson(llm, hw, calculators), null, 2) : llmText(llm, hw, calculators);
}

function stageJson(stage: Stage, terms: LlmOnHardware['prefill'] | undefined) {
  return {
    tokens: stage.tokens,
    past: stage.past,
    flops: stage.flops.value,
    bytes: stage.bytes.value,
    weightBytesRead: stage.weightBytesRead.value,
    kvBytes: stage.kvBytes.value,
    intensity: stage.intensity.value,
    ...(terms ? { bound: terms.bound, computeMs: terms.computeMs.value, memoryMs: terms.memoryMs.value, ms: terms.latencyMs.value } : {}),
    layers: stage.layers.map((l) => ({ name: l.layer.layer.id, kind: l.layer.layer.type, flops: l.flops.value, bytes: l.bytes.value, intensity: l.intensity?.value ?? null })),
  };
}

export function llmJson(llm: LlmAnalysis, hw?: LlmOnHardware, calculators?: CalculatorProfiles) {
  const t = llm.report.totals;
  return {
    model: llm.name,
    modelType: llm.import.arch.modelType,
    batch: llm.batch,
    prompt: llm.prompt,
    context: llm.context,
    ...(llm.generate !== undefined ? { generate: llm.generate } : {}),
    weightFormat: formatName(llm.weights),
    kvBits: llm.kvBits,
    totals: { params: t.params.value, weights: t.weights.value, biases: t.biases.value, normParams: t.normParams.value },
    llm: {
      params: llm.params.value,
      activeParams: llm.activeParams.value,
      weightBytes: llm.weightBytes.value,
      kvCacheBytesPerToken: llm.kvCacheBytesPerToken.value,
      kvCacheBytes: llm.kvCacheBytes.value,
      prefill: stageJson(llm.prefill, hw?.prefill),
      decode: {
        ...stageJson(llm.decode, hw?.decode),
        context: llm.context,
        ...(hw ? { msPerToken: hw.tpotMs.value, tokensPerSecond: hw.tokensPerSecond.value } : {}),
      },
      ...(llm.generation ? { generation: stageJson(llm.generation, hw?.generation) } : {}),
      ...(llm.totalFlops && llm.totalBytes ? { total: { flops: llm.totalFlops.value, bytes: llm.totalBytes.value, ...(hw?.totalMs ? { ms: hw.totalMs.value } : {}) } } : {}),
      ...(hw
        ? {
            hardware: hw.hardware.id,
            precision: hw.precision,
            ttftMs: hw.ttftMs.value,
            memoryBytes: hw.memoryBytes.value,
            fits: hw.fits ?? null,
            maxBatch: hw.maxBatch?.value ?? null,
            maxContext: hw.contextUnbounded ? null : (hw.maxContext?.value ?? null),
            ...(hw.contextUnbounded ? { contextUnbounded: true } : {}),
            // null: decode stays memory-bound at this context whatever the batch.
            crossoverBatch: hw.crossoverBatch?.value ?? null,
            omitted: hw.omitted,
          }
        : {}),
      ...(calculators ? { profiles: calculators.profiles, profilesOmitted: calculators.omitted } : {}),
    },
  };
}

function table(header: string[], rows: string[][], right: number[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (v: number) => formatNumber(v);
const ms = (v: number) => `${formatNumber(v)} ms`;

function stageText(title: string, stage: Stage, terms?: LlmOnHardware['prefill']): string {
  const rows = stage.layers
    .filter((l) => l.flops.value !== 0 || l.bytes.value !== 0)
    .map((l) => [l.layer.layer.id, l.layer.layer.type, num(l.flops.value), num(l.bytes.value), l.intensity ? num(l.intensity.value) : '-']);
  const lines = [title, table(['layer', 'kind', 'FLOPs', 'bytes', 'FLOP/B'], rows, [2, 3, 4])];
  lines.push(`total: ${num(stage.flops.value)} FLOPs, ${num(stage.bytes.value)} B (weights ${num(stage.weightBytesRead.value)}, KV cache ${num(stage.kvBytes.value)}), ${num(stage.intensity.value)} FLOP/B`);
  if (terms) lines.push(`on the roof: compute ${ms(terms.computeMs.value)}, memory ${ms(terms.memoryMs.value)}: ${ms(terms.latencyMs.value)}, ${terms.bound}-bound`);
  return lines.join('\n');
}

export function llmText(llm: LlmAnalysis, hw?: LlmOnHardware, calculators?: CalculatorProfiles): string {
  const a = llm.import.arch;
  const head = `${llm.name} (${a.modelType}): ${a.layers} layers of ${a.hidden}, ${a.heads} heads, ${a.kvHeads} KV heads of ${a.headDim}${a.moe ? `, ${a.moe.experts} experts (top ${a.moe.topK})` : ''}${a.slidingWindow !== null ? `, sliding window ${a.slidingWindow}` : ''}; batch ${llm.batch}, ${formatName(llm.weights)} weights, ${llm.kvBits}-bit KV cache`;
  const parts = [
    head,
    '',
    stageText(`prefill of ${llm.prompt} tokens`, llm.prefill, hw?.prefill),
    '',
    stageText(`decode step at context ${llm.context}`, llm.decode, hw?.decode),
  ];
  if (llm.generation) parts.push('', `generation of ${llm.generate} tokens after the prompt: ${num(llm.generation.flops.value)} FLOPs, ${num(llm.generation.bytes.value)} B${hw?.generation ? `, ${ms(hw.generation.latencyMs.value)}` : ''}`);
  parts.push(
    '',
    `params             ${num(llm.params.value)} (tied weights once)`,
    `active params      ${num(llm.activeParams.value)} per token`,
    `weight bytes       ${num(llm.weightBytes.value)} B (${formatName(llm.weights)})`,
    `KV cache           ${num(llm.kvCacheBytesPerToken.value)} B per token; ${num(llm.kvCacheBytes.value)} B for ${llm.batch} × ${llm.context} tokens`,
  );
  if (llm.totalFlops && llm.totalBytes) parts.push(`prompt + generation ${num(llm.totalFlops.value)} FLOPs, ${num(llm.totalBytes.value)} B`);
  if (hw) {
    parts.push(
      `on ${hw.hardware.name} (${hw.hardware.id}), ${hw.precision} peak`,
      `TTFT               ${ms(hw.ttftMs.value)}`,
      `TPOT               ${ms(hw.tpotMs.value)} (${hw.decode.bound}-bound)`,
      `tokens/s           ${num(hw.tokensPerSecond.value)}`,
      ...(hw.totalMs ? [`total              ${ms(hw.totalMs.value)}`] : []),
      `crossover batch    ${hw.crossoverBatch ? num(hw.crossoverBatch.value) : 'none: decode stays memory-bound at this context'}`,
      ...(hw.fits !== undefined ? [`fits               ${hw.fits ? 'yes' : 'no'}: weights + KV cache ${num(hw.memoryBytes.value)} B of ${num(hw.capacityBytes!.value)} B`] : []),
      ...(hw.maxBatch ? [`largest batch      ${num(hw.maxBatch.value)} at context ${llm.context}`] : []),
      ...(hw.contextUnbounded ? [`longest context    no limit: the sliding window caps the cache`] : hw.maxContext ? [`longest context    ${num(hw.maxContext.value)} at batch ${llm.batch}`] : []),
      ...hw.omitted.map((o) => `not computed       ${o}`),
    );
  }
  if (hw && calculators) parts.push('', calculatorsText(llm, hw, calculators));
  return parts.join('\n');
}

/** Each calculator's figures beside the standard ones, and the terms between them. */
function calculatorsText(llm: LlmAnalysis, hw: LlmOnHardware, c: CalculatorProfiles): string {
  const lines = ['LLM calculators (each figure = the standard one + its terms):'];
  const std = { weightBytes: llm.weightBytes.value, kvCacheBytes: llm.kvCacheBytes.value, prefillMs: hw.ttftMs.value, decodeMsPerToken: hw.tpotMs.value };
  const show = (figure: keyof typeof std, v: number) => (figure.endsWith('Bytes') ? `${num(v)} B` : ms(v));
  for (const p of c.profiles) {
    lines.push(`${p.tool} (${p.repository} at ${p.commit.slice(0, 7)}), its device ${p.device}:`);
    if (p.input) lines.push(`  as ${p.input}`);
    for (const figure of ['weightBytes', 'kvCacheBytes', 'prefillMs', 'decodeMsPerToken'] as const) {
      const v = p[figure];
      if (v === null) {
        lines.push(`  ${figure.padEnd(17)} not estimated by it`);
        continue;
      }
      lines.push(`  ${figure.padEnd(17)} ${show(figure, v)}   standard ${show(figure, std[figure])}`);
      for (const t of p.terms.filter((t) => t.figure === figure)) lines.push(`      ${t.value >= 0 ? '+' : '-'} ${show(figure, Math.abs(t.value))}  ${t.name}`);
    }
    lines.push(`  printed: ${Object.entries(p.printed).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  for (const o of c.omitted) lines.push(`${o.id}: not computed: ${o.why}`);
  return lines.join('\n');
}

export { FileError };
