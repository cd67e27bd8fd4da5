/**
 * The `workbook` command line (src/cli/workbook.js loads this file through tsx).
 *
 *   workbook analyze <model-id | file.json | file.onnx> [--batch N] [--bits N] [--seq N] [--json | --csv] [--profiles] [--hardware H]
 *   workbook models [--json]
 *
 * Exit codes: 0 success, 1 a model or file error (the message names the file, model and layer
 * path), 2 a usage error. Node-only code lives here, never in the engine.
 */
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { runAnswers } from './answers.ts';
import { analyzeLlm, LLM_OPTIONS, LLM_USAGE, llmFlagsGiven, llmTarget } from './analyze-llm.ts';
import { FileError, readBytes, readText } from './files.ts';
import { isSiteCommand, runSite } from './site.ts';
import { parseArgs } from 'node:util';
import {
  analyze,
  compareProfiles,
  defineModel,
  formatNumber,
  formatShape,
  ModelError,
  ZOO,
  zooEntry,
  adHocProfile,
  costSummary,
  hardwareProfile,
  HardwareError,
  HARDWARE_PROFILE_IDS,
  HARDWARE_PROFILES,
  oneLine,
  parseHardwareProfile,
  type CostSummary,
  type HardwareProfile,
  importOnnx,
  type Model,
  type ModelDef,
  type ModelReport,
  type WeightPlacement,
} from '../engine/index.ts';

const USAGE = `Usage:
  workbook analyze <model-id | file.json | file.onnx> [--batch N] [--bits N] [--seq N] [--json | --csv] [--profiles]
${LLM_USAGE}
  workbook models [--json]
  workbook answers (<problem>... | --all) (--seeds 1-100 | --roster file.csv | --student ID) [--json | --csv]
  workbook init DIR [--gitlab]                               a new course that builds as it is
  workbook build | dev | preview | pdf [--course DIR]       the course's site (workbook build --help)
  workbook check [--course DIR] [--seeds N]                 validate every problem (no site build)
  workbook new problem <set>/<name> [--model <id | file.json>]   a problem that builds as it is
  workbook export (moodle | qti) --set <set> --variants N --out <file>
  workbook handouts --set <set> --roster roster.csv [--out dir] [--paper a4|letter]
  workbook secret init [--course DIR]                        the course secret graded variants are keyed by

  --course DIR  any command that reads a course: the course's folder (default: WORKBOOK_COURSE_DIR or .)

  --batch N     samples per inference (default 1): MACs and activations scale with it
  --bits N      bits per parameter and activation (default 32)
  --seq N       sequence length in tokens, for the built-in transformers (default 128)
  --json        machine-readable report
  --csv         one row per layer
  --profiles    totals under each counting profile (standard, the tools: thop, ptflops, torchprofile,
                fvcore, torchinfo, calflops, deepspeed, torchvision; lectures, seed 001), what each
                tool prints, and its difference from the standard count term by term
  --hardware H  cost figures on a hardware profile: a built-in id (${HARDWARE_PROFILE_IDS.join(', ')})
                or a .json file (format: src/engine/hardware/FORMAT.md)
  --clock-mhz F --cycles-per-mac K
                cost on an ad hoc microcontroller instead (HW1: --clock-mhz 80 --cycles-per-mac 4)
  --weights-in dram|sram
                where weights are read from, for the energy estimate (default dram)`;

class UsageError extends Error {}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** Runs the command and returns its exit code. `answers` is asynchronous (it reads problem files). */
export function run(argv: readonly string[], io: Io): number | Promise<number> {
  // The site and a new course (src/cli/site.ts, init.ts).
  const command = argv[0];
  if (isSiteCommand(command)) return runSite(command, argv.slice(1), io);
  if (argv[0] === 'init') return import('./init.ts').then((m) => m.runInit(argv.slice(1), io));
  // --course DIR on the commands that read a course without parsing it themselves: the course
  // folder for the command's run (WORKBOOK_COURSE_DIR), then as before.
  const courseAt = argv.findIndex((a) => a === '--course' || a.startsWith('--course='));
  if (courseAt >= 0 && ['answers', 'export', 'handouts'].includes(argv[0] ?? '')) {
    const flag = argv[courseAt]!;
    const dir = flag.includes('=') ? flag.slice('--course='.length) : argv[courseAt + 1];
    if (!dir) {
      io.err(`workbook ${argv[0]}: --course needs a folder`);
      return 2;
    }
    const rest = argv.filter((_, i) => i !== courseAt && (flag.includes('=') || i !== courseAt + 1));
    return inCourse(dir, () => run(rest, io));
  }
  // The commands that read or write courses load their modules (the Markdown pipeline, the LMS
  // exports) when run: `workbook answers` for a roster is mostly start-up.
  if (argv[0] === 'check') return import('./course.ts').then((m) => m.runCheck(argv.slice(1), io));
  if (argv[0] === 'new') return import('./course.ts').then((m) => m.runNew(argv.slice(1), io));
  if (argv[0] === 'answers') {
    return runAnswers([...argv.slice(1)], {
      stdout: { write: (text: string) => io.out(text.replace(/\n$/, '')) },
      stderr: { write: (text: string) => io.err(text.replace(/\n$/, '')) },
    }, resolve(process.env.WORKBOOK_COURSE_DIR ?? '.')); // the course folder, as courseRoot() (not imported: start-up)
  }
  if (argv[0] === 'export') return import('./publish.ts').then((m) => m.runExport(argv.slice(1), io));
  if (argv[0] === 'handouts') return import('./publish.ts').then((m) => m.runHandouts(argv.slice(1), io));
  if (argv[0] === 'secret') return import('./secret.ts').then((m) => m.runSecret(argv.slice(1), io));
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        batch: { type: 'string' },
        bits: { type: 'string' },
        seq: { type: 'string' },
        json: { type: 'boolean', default: false },
        csv: { type: 'boolean', default: false },
        profiles: { type: 'boolean', default: false },
        hardware: { type: 'string' },
        'clock-mhz': { type: 'string' },
        'cycles-per-mac': { type: 'string' },
        'weights-in': { type: 'string' },
        ...LLM_OPTIONS,
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    const [command, target, ...extra] = positionals;
    if (values.help || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command === 'models') {
      if (target !== undefined) throw new UsageError(`models takes no arguments, got ${oneLine(target, 60)}`);
      io.out(values.json ? JSON.stringify(ZOO.map((e) => ({ id: e.id, description: e.description, source: e.source })), null, 2) : modelsTable());
      return 0;
    }
    if (command !== 'analyze') throw new UsageError(command ? `unknown command '${oneLine(command, 60)}'; allowed: analyze, models, answers, check, new, export, handouts, secret` : 'no command given');
    if (!target) throw new UsageError('analyze needs a model id, a .json or an .onnx file');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (values.json && values.csv) throw new UsageError('choose one of --json and --csv');

    // A language model (a built-in LLM id or a Hugging Face config.json): analyze-llm.ts.
    const llm = llmTarget(target);
    if (llm) {
      const hardware = values.hardware !== undefined ? loadHardware(values.hardware) : undefined;
      io.out(inFile(llm.file, () => analyzeLlm(llm.imp, values, hardware, (m) => new UsageError(m))));
      return 0;
    }
    const llmOnly = llmFlagsGiven(values);
    if (llmOnly.length > 0) throw new UsageError(`${llmOnly.join(', ')} ${llmOnly.length > 1 ? 'apply' : 'applies'} to a language model (a Hugging Face config.json), not to ${oneLine(target, 60)}`);
    const batch = positiveInt('--batch', values.batch, 1);
    const bits = positiveInt('--bits', values.bits, 32);
    const seq = values.seq === undefined ? undefined : positiveInt('--seq', values.seq, 0);
    const { build, file } = loadModel(target, seq);
    // Every stage's error names the file, not only the definition's: analysis and cost too.
    const output = inFile(file, () => {
      const model = build();
      const options = { batch, paramBits: bits };
      const report = analyze(model, options);
      const cost = costOf(report, values);
      if (values.json) return JSON.stringify(jsonReport(report, values.profiles ? profilesJson(model, options) : undefined, cost), null, 2);
      if (values.csv) return csvReport(report, cost);
      return textReport(report, cost) + (cost ? `\n\n${costText(cost)}` : '') + (values.profiles ? `\n\n${profilesTable(model, options)}` : '');
    });
    io.out(output);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`workbook: ${oneLine(error.message)}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ModelError || error instanceof FileError || error instanceof HardwareError) {
      io.err(`workbook: ${oneLine(error.message)}`);
      return 1;
    }
    // Anything else is a bug in the workbook: one line, no stack trace, and its own exit code.
    io.err(`workbook: internal error (please report it): ${oneLine(error instanceof Error ? error.message : String(error), 500)}`);
    return 70;
  }
}

/** Runs `body` with WORKBOOK_COURSE_DIR set to `dir` (resolved), then puts it back. */
async function inCourse(dir: string, body: () => number | Promise<number>): Promise<number> {
  const before = process.env.WORKBOOK_COURSE_DIR;
  process.env.WORKBOOK_COURSE_DIR = resolve(dir);
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.WORKBOOK_COURSE_DIR;
    else process.env.WORKBOOK_COURSE_DIR = before;
  }
}

/** Runs `stage`; a model or hardware error it raises is said of `file` (when the model came from one). */
function inFile<T>(file: string | undefined, stage: () => T): T {
  try {
    return stage();
  } catch (error) {
    if (file === undefined) throw error;
    if (error instanceof ModelError) throw error.file ? error : error.inFile(file);
    if (error instanceof HardwareError && !error.file) throw new FileError(`${file}: ${error.message}`);
    if (error instanceof RangeError) throw new FileError(`${file}: ${error.message}`);
    throw error;
  }
}


const WEIGHT_PLACES = ['dram', 'sram'] as const;

/**
 * The hardware the cost figures are for: a built-in profile id or a JSON file (`--hardware`), or
 * an ad hoc microcontroller (`--clock-mhz` with `--cycles-per-mac`). None given: no cost figures.
 */
function costOf(
  report: ModelReport,
  values: { hardware?: string; 'clock-mhz'?: string; 'cycles-per-mac'?: string; 'weights-in'?: string },
): CostSummary | undefined {
  const clock = values['clock-mhz'];
  const cycles = values['cycles-per-mac'];
  const weightsIn = values['weights-in'];
  if (weightsIn !== undefined && !(WEIGHT_PLACES as readonly string[]).includes(weightsIn)) {
    throw new UsageError(`--weights-in must be one of ${WEIGHT_PLACES.join(', ')}, got '${weightsIn}'`);
  }
  let hardware: HardwareProfile | undefined;
  if (values.hardware !== undefined) {
    if (clock !== undefined || cycles !== undefined) throw new UsageError('give either --hardware or --clock-mhz with --cycles-per-mac, not both');
    hardware = loadHardware(values.hardware);
  } else if (clock !== undefined || cycles !== undefined) {
    if (clock === undefined || cycles === undefined) throw new UsageError('--clock-mhz and --cycles-per-mac go together');
    hardware = adHocProfile({ clockMHz: positiveNumber('--clock-mhz', clock), cyclesPerMac: positiveNumber('--cycles-per-mac', cycles) });
  }
  if (!hardware) {
    if (weightsIn !== undefined) throw new UsageError('--weights-in needs --hardware');
    return undefined;
  }
  return costSummary(report, hardware, weightsIn ? { weightsIn: weightsIn as WeightPlacement } : {});
}

function positiveNumber(flag: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} must be a positive number, got '${raw}'`);
  return value;
}

/** A built-in hardware profile by id, or a profile in a JSON file. */
function loadHardware(target: string): HardwareProfile {
  // Own keys only: `--hardware toString` (or constructor, __proto__) is not a profile.
  if (Object.hasOwn(HARDWARE_PROFILES, target)) return hardwareProfile(target);
  if (!target.endsWith('.json')) {
    throw new FileError(`unknown hardware '${oneLine(target, 60)}'; built in: ${HARDWARE_PROFILE_IDS.join(', ')}, or a .json file`);
  }
  return parseHardwareProfile(readText(target), { file: target });
}


/** Latency per layer from the cost model in force (microcontroller cycles, else roofline). */
function layerLatencies(cost: CostSummary): Map<string, number> {
  const rows = cost.mcu ? cost.mcu.layers : (cost.roofline?.layers ?? []);
  return new Map(rows.map((r) => [r.layer.layer.id, r.latencyMs.value]));
}

function costText(cost: CostSummary): string {
  const ms = (v: number) => `${formatNumber(v)} ms`;
  const lines = [`cost on ${cost.hardwareName} (${cost.hardware}), ${cost.precision}`];
  if (cost.latencyMs !== undefined) lines.push(`latency            ${ms(cost.latencyMs)} (${cost.latencyModel === 'mcu-cycles' ? 'MACs × cycles per MAC / clock' : 'Σ max(T_compute, T_memory) per layer'})`);
  if (cost.mcu) lines.push(`cycles             ${formatNumber(cost.mcu.total.cycles.value)}`);
  if (cost.computeMs !== undefined) lines.push(`compute time       ${ms(cost.computeMs)}`);
  if (cost.memoryMs !== undefined) lines.push(`memory time        ${ms(cost.memoryMs)}`);
  if (cost.bound !== undefined) lines.push(`bound              ${cost.bound}`);
  if (cost.energyMicrojoules !== undefined) lines.push(`energy             ${formatNumber(cost.energyMicrojoules)} µJ`);
  if (cost.fit) lines.push(`fits               ${cost.fits ? 'yes' : 'no'}${cost.fit.checks.map((c) => `; ${c.verdict}`).join('')}`);
  for (const o of cost.omitted) lines.push(`not computed       ${o.quantity}: ${o.reason}`);
  for (const a of cost.assumptions) lines.push(`assumption         ${a}`);
  return lines.join('\n');
}

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${flag} must be a positive integer, got '${raw}'`);
  return value;
}

/** A zoo model, a JSON definition or an ONNX file: how to build it (validated), and its file. */
function loadModel(target: string, seq?: number): { build: () => Model; file?: string } {
  const entry = zooEntry(target);
  if (entry) return { build: () => defineModel(entry.build({ seq })) };
  if (seq !== undefined) throw new UsageError('--seq applies to the built-in transformers (bert-base-uncased, bert-base-cased-qa), not to a file');
  if (target.endsWith('.onnx')) {
    const bytes = readBytes(target, 'onnx');
    // The file's batch dimension (symbolic or as exported) is --batch here.
    return { build: () => importOnnx(bytes, { name: basename(target, '.onnx'), file: target }).model, file: target };
  }
  const { def, file } = load(target);
  return { build: () => defineModel(def, file ? { file } : {}), ...(file ? { file } : {}) };
}

function load(target: string): { def: ModelDef; file?: string } {
  if (!target.endsWith('.json')) {
    throw new FileError(`unknown model '${oneLine(target, 60)}'; allowed: ${ZOO.map((e) => e.id).join(', ')}, a .json or an .onnx file`);
  }
  const text = readText(target);
  try {
    return { def: JSON.parse(text) as ModelDef, file: target };
  } catch (error) {
    throw new FileError(`${target}: not valid JSON: ${(error as Error).message}`);
  }
}

function modelsTable(): string {
  return table(
    ['id', 'description', 'source'],
    ZOO.map((e) => [e.id, e.description, e.source]),
  );
}

const shapeText = (batch: number, shape: readonly number[]) => formatShape([batch, ...shape]).replace(/×/g, ' x ');

function textReport(report: ModelReport, cost?: CostSummary): string {
  const latencies = cost ? layerLatencies(cost) : undefined;
  const rows = report.layers.map((r) => [
    r.layer.id,
    r.layer.type,
    shapeText(report.batch, r.layer.outputShape),
    formatNumber(r.params.value),
    formatNumber(r.macs.value),
    formatNumber(r.activations.value),
    ...(latencies ? [latencies.has(r.layer.id) ? formatNumber(latencies.get(r.layer.id)!) : '-'] : []),
  ]);
  const t = report.totals;
  const lines = [
    `${report.model.name}: input ${shapeText(report.batch, report.model.input)}, batch ${report.batch}, ${report.paramBits}-bit parameters`,
    table(['layer', 'kind', 'output shape', 'params', 'MACs', 'activations', ...(latencies ? ['latency ms'] : [])], rows, [3, 4, 5, 6]),
    '',
    `params             ${formatNumber(t.params.value)} (weights ${formatNumber(t.weights.value)}, biases ${formatNumber(t.biases.value)}, norm ${formatNumber(t.normParams.value)}); buffers ${formatNumber(t.buffers.value)}`,
    `parameter bytes    ${formatNumber(t.paramBytes.value)} B`,
    `MACs               ${formatNumber(t.macs.value)}`,
    `FLOPs              ${formatNumber(t.flops.value)}`,
    `activations        ${formatNumber(t.activationsWithoutInput.value)} (input ${formatNumber(t.inputActivations.value)} not included)`,
    `peak activations   ${formatNumber(t.peakActivations.value)} (largest input + output of one layer)`,
    `peak live          ${formatNumber(t.peakLiveActivations.value)} (${formatNumber(t.peakLiveBytes.value)} B)`,
  ];
  if (report.receptiveField) lines.push(`receptive field    ${formatNumber(report.receptiveField.value)}`);
  return lines.join('\n');
}

function jsonReport(report: ModelReport, profiles?: unknown, cost?: CostSummary) {
  const t = report.totals;
  return {
    model: report.model.name,
    batch: report.batch,
    paramBits: report.paramBits,
    layers: report.layers.map((r) => ({
      name: r.layer.id,
      kind: r.layer.type,
      inputShape: [report.batch, ...r.layer.inputShape],
      outputShape: [report.batch, ...r.layer.outputShape],
      params: r.params.value,
      macs: r.macs.value,
      activations: r.activations.value,
      weights: r.weights.value,
      biases: r.biases.value,
      normParams: r.normParams.value,
      buffers: r.buffers.value,
      flops: r.flops.value,
      paramBytes: r.paramBytes.value,
    })),
    totals: {
      params: t.params.value,
      weights: t.weights.value,
      biases: t.biases.value,
      macs: t.macs.value,
      flops: t.flops.value,
      activations: t.activationsWithoutInput.value,
      inputActivations: t.inputActivations.value,
      peakActivations: t.peakActivations.value,
      peakLiveActivations: t.peakLiveActivations.value,
      paramBytes: t.paramBytes.value,
      normParams: t.normParams.value,
      buffers: t.buffers.value,
      ops: t.ops.value,
      sramBytes: t.sramBytes.value,
      peakLiveBytes: t.peakLiveBytes.value,
      ...(report.receptiveField ? { receptiveField: report.receptiveField.value } : {}),
    },
    ...(profiles ? { profiles } : {}),
    ...(cost ? { cost: cost.json } : {}),
  };
}

function profilesJson(model: ReturnType<typeof defineModel>, options: { batch: number; paramBits: number }) {
  return compareProfiles(model, options).map((p) => ({
    id: p.profile.id,
    label: p.profile.label,
    unit: p.profile.unit,
    compute: p.compute.value,
    params: p.params.value,
    activations: p.activations.value,
    includes: p.profile.includes,
    excludes: p.profile.excludes,
    ...(p.profile.counter
      ? {
          tool: p.profile.counter,
          headline: p.headline,
          standard: p.standard.value,
          difference: p.compute.value - p.standard.value,
          terms: p.terms.map((t) => ({ rule: t.rule, coefficient: t.coefficient, quantity: t.quantity.value, of: t.of, value: t.value, text: t.text })),
        }
      : {}),
  }));
}

function profilesTable(model: ReturnType<typeof defineModel>, options: { batch: number; paramBits: number }): string {
  const profiles = compareProfiles(model, options);
  const rows = profiles.map((p) => [p.profile.id, `${formatNumber(p.compute.value)} ${p.profile.unit}`, formatNumber(p.params.value), formatNumber(p.activations.value)]);
  const notes = profiles.map((p) => `  ${p.profile.id}: includes ${p.profile.includes.join('; ')}; excludes ${p.profile.excludes.join('; ')}`);
  // Each tool: what it prints, then its difference from the standard count, term by term.
  const tools = profiles.flatMap((p) => {
    if (!p.profile.counter) return [];
    const difference = p.compute.value - p.standard.value;
    const sign = difference < 0 ? '−' : '+';
    return [
      `${p.profile.label}: ${formatNumber(p.compute.value)} ${p.profile.unit}`,
      ...p.headline.map((h) => `    prints  ${h}`),
      `    standard ${formatNumber(p.standard.value)} MACs ${sign} ${formatNumber(Math.abs(difference))}${p.terms.length ? ':' : ''}`,
      ...p.terms.map((t) => `      ${t.text}`),
    ];
  });
  return [table(['profile', 'compute', 'params', 'activations'], rows, [1, 2, 3]), '', ...tools, '', ...notes].join('\n');
}

function csvReport(report: ModelReport, cost?: CostSummary): string {
  const cell = (v: string | number) => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const shape = (s: readonly number[]) => [report.batch, ...s].join('x');
  const latencies = cost ? layerLatencies(cost) : undefined;
  const rows = report.layers.map((r) => [
    r.layer.id, r.layer.type, shape(r.layer.inputShape), shape(r.layer.outputShape), r.params.value, r.macs.value, r.activations.value,
    ...(latencies ? [latencies.get(r.layer.id) ?? ''] : []),
  ]);
  const header = ['name', 'kind', 'inputShape', 'outputShape', 'params', 'macs', 'activations', ...(latencies ? ['latencyMs'] : [])];
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\n');
}

/** A plain-text table; columns in `right` are right-aligned (numbers). */
function table(header: string[], rows: string[][], right: number[] = []): string {
  // A loop, not Math.max(...rows): a spread of 150,000 rows overflows the stack.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (cells: string[]) =>
    cells.map((c, i) => (right.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
