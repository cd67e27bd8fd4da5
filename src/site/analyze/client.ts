/**
 * The analyzer page's script (/analyze/): a model from a dropped or chosen file (.onnx or .json),
 * pasted JSON, or a built-in model the page embeds; batch, precision and hardware; then what a
 * model page shows, computed here by the engine that builds the workbook. Nothing is uploaded.
 *
 * Safety: text from the user's file (names, messages) is written only with `.textContent`; the
 * one `innerHTML` is KaTeX's rendering of engine-made TeX, loaded when a derivation is opened.
 * The engine's modules are imported one by one, not its index, which would bring the zoo along:
 * the page embeds only the built-in models its edition publishes.
 */
import { analyze, type ModelReport } from '../../engine/analysis/analyze.ts';
import { formatBytes } from '../../engine/analysis/conventions.ts';
import { compareProfiles } from '../../engine/analysis/profiles.ts';
import { costSummary, type CostSummary } from '../../engine/cost/summary.ts';
import { ModelError, LayerError } from '../../engine/errors.ts';
import { HardwareError } from '../../engine/hardware/profile.ts';
import { HARDWARE_PROFILES } from '../../engine/hardware/profiles.ts';
import { type Figure } from '../../engine/math/derivation.ts';
import { derivationHtml } from '../derivation-html.ts';
import { formatNumber } from '../../engine/math/latex.ts';
import { defineModel, type BlockNode, type Model, type ModelDef } from '../../engine/model/define.ts';
import { importOnnx } from '../../engine/onnx/index.ts';
import { fileSizeProblem } from '../../engine/model/rules.ts';
import { importHfConfig, isHfConfig, type HfImport } from '../../engine/hf/index.ts';
import { llmAnalysis, type LlmAnalysis } from '../../engine/llm/analysis.ts';
import { llmOnHardware, type LlmOnHardware } from '../../engine/llm/hardware.ts';
import { formatShape } from '../../engine/shape.ts';
import { KATEX_OPTIONS } from '../katex-options.ts';
import { drawLayerChart } from './chart.ts';
import { drawRoofline } from './roofline.ts';
import { el } from './dom.ts';

type KatexModule = typeof import('katex');
let katexModule: Promise<KatexModule> | undefined;
const loadKatex = () => (katexModule ??= import('katex'));

/** What the page embeds: the built-in models this edition publishes. */
export interface AnalyzerData {
  readonly zoo: readonly { readonly id: string; readonly description: string; readonly def: ModelDef }[];
  /** The built-in language models, as their Hugging Face config.json. */
  readonly llm?: readonly { readonly id: string; readonly description: string; readonly config: unknown }[];
}

const PRECISION_BITS = { fp32: 32, fp16: 16, int8: 8 } as const;
const n = formatNumber;

export function startAnalyzer(doc: Document): void {
  const root = doc.querySelector<HTMLElement>('[data-analyzer]');
  const dataElement = doc.getElementById('analyzer-data');
  if (!root || !dataElement) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as AnalyzerData;
  const form = doc.getElementById('analyzer-form') as HTMLFormElement;
  const fileInput = doc.getElementById('model-file') as HTMLInputElement;
  const drop = doc.getElementById('drop-zone')!;
  const jsonInput = doc.getElementById('model-json') as HTMLTextAreaElement;
  const zooSelect = doc.getElementById('model-zoo') as HTMLSelectElement;
  const batchInput = doc.getElementById('opt-batch') as HTMLInputElement;
  const precisionSelect = doc.getElementById('opt-precision') as HTMLSelectElement;
  const hardwareSelect = doc.getElementById('opt-hardware') as HTMLSelectElement;
  const contextInput = doc.getElementById('opt-context') as HTMLInputElement | null;
  const status = doc.getElementById('analyzer-status')!;
  const errorBox = doc.getElementById('analyzer-error')!;
  const result = doc.getElementById('analyzer-result')!;

  /** The model the user brought last: its source and how to build it. */
  let source: { label: string; load: () => Model; llm?: HfImport } | undefined;
  /** The context of a language model: its prompt, and the decode step's context. */
  const context = () => Number(contextInput?.value ?? 1024);
  /** A language model (a Hugging Face config) from JSON text, or undefined for a model definition. */
  const llmSource = (text: string, label: string): { label: string; load: () => Model; llm: HfImport } | undefined => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return undefined; // parseJson says why
    }
    if (!isHfConfig(json)) return undefined;
    const base = label.replace(/\.[^.]*$/, '');
    const imp = importHfConfig(text, { file: label, ...(base === 'config' || label === 'pasted JSON' ? {} : { name: base }) });
    return { label, llm: imp, load: () => defineModel(imp.def({ tokens: context() })) };
  };
  /** What the result on the page was computed from, so a repeated change event does not redraw it. */
  let shown: { source: unknown; options: string } | undefined;
  const optionsKey = () => `${batchInput.value}|${precisionSelect.value}|${hardwareSelect.value}|${contextInput?.value ?? ''}`;

  const showError = (message: string) => {
    errorBox.hidden = false;
    errorBox.textContent = message;
    result.hidden = true;
    status.textContent = '';
  };

  /**
   * Analyzes the model brought last. `reveal`: the model is new, so its results are brought into
   * view (on a phone they start a screen or more below the form): with the focus after a file or
   * the Analyze button, scrolled to only after a pick from the list of built-in models, where the
   * arrow keys pick the next one (the focus stays on the list). A changed option keeps the
   * reader at the option.
   */
  const run = ({ reveal }: { reveal?: 'focus' | 'scroll' } = {}) => {
    errorBox.hidden = true;
    errorBox.textContent = '';
    shown = undefined;
    if (!source) {
      showError('Bring a model first: drop an .onnx or .json file, paste a JSON model, or pick a built-in one.');
      return;
    }
    const batch = Number(batchInput.value);
    if (!Number.isSafeInteger(batch) || batch < 1) {
      showError(`batch must be a positive whole number, got '${batchInput.value}'`);
      return;
    }
    const bits = PRECISION_BITS[precisionSelect.value as keyof typeof PRECISION_BITS] ?? 32;
    try {
      const model = source.load();
      const report = analyze(model, { batch, paramBits: bits });
      const hardware = hardwareSelect.value ? HARDWARE_PROFILES[hardwareSelect.value] : undefined;
      const cost = hardware ? costSummary(report, hardware) : undefined;
      render(doc, result, report, cost, source.label, bits);
      if (source.llm) {
        const llm = llmAnalysis(source.llm, { batch, context: context(), weights: { kind: 'bits', bits } });
        result.insertBefore(llmSection(doc, llm, hardware ? llmOnHardware(llm, hardware) : undefined), result.children[1] ?? null);
      }
      result.hidden = false;
      shown = { source, options: optionsKey() };
      status.textContent = `Analyzed ${model.name}: ${n(report.totals.params.value)} parameters, ${n(report.totals.macs.value)} MACs at batch ${batch}.`;
      if (reveal) revealResult(result, reveal);
    } catch (error) {
      if (error instanceof ModelError || error instanceof LayerError || error instanceof HardwareError) showError(error.message);
      else showError(`${source.label}: ${(error as Error).message ?? String(error)}`);
    }
  };

  const fromFile = async (file: File) => {
    const name = file.name;
    const base = name.replace(/\.[^.]*$/, '') || 'model';
    // The size limit before a byte is read, as the CLI does from stat.
    const format = /\.onnx$/i.test(name) ? 'onnx' : /\.json$/i.test(name) ? 'json' : undefined;
    const tooBig = format && fileSizeProblem(file.size, format);
    if (tooBig) {
      source = undefined;
      showError(`${name}: ${tooBig}`);
      return;
    }
    if (/\.onnx$/i.test(name)) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      source = { label: name, load: () => importOnnx(bytes, { name: base, file: name }).model };
    } else if (/\.json$/i.test(name)) {
      const text = await file.text();
      try {
        source = llmSource(text, name) ?? { label: name, load: () => defineModel(parseJson(text, name), { file: name }) };
      } catch (error) {
        source = undefined;
        showError((error as Error).message);
        return;
      }
    } else {
      source = undefined;
      showError(`${name}: not an .onnx or .json file`);
      return;
    }
    zooSelect.value = '';
    run({ reveal: 'focus' });
  };

  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void fromFile(file);
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('drop-zone--over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('drop-zone--over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('drop-zone--over');
    const file = event.dataTransfer?.files[0];
    if (file) void fromFile(file);
  });
  jsonInput.addEventListener('input', () => {
    const text = jsonInput.value;
    const plain = { label: 'pasted JSON', load: () => defineModel(parseJson(text, 'pasted JSON'), { file: 'pasted JSON' }) };
    try {
      source = text.trim() ? (llmSource(text, 'pasted JSON') ?? plain) : undefined;
    } catch (error) {
      source = { label: 'pasted JSON', load: () => { throw error; } };
    }
    zooSelect.value = '';
  });
  zooSelect.addEventListener('change', () => {
    const entry = data.zoo.find((e) => e.id === zooSelect.value);
    const llm = data.llm?.find((e) => e.id === zooSelect.value);
    if (llm) {
      const imp = importHfConfig(llm.config, { name: llm.id, description: llm.description });
      source = { label: llm.id, llm: imp, load: () => defineModel(imp.def({ tokens: context() })) };
      run();
      return;
    }
    if (!entry) return;
    source = { label: entry.id, load: () => defineModel(entry.def) };
    run({ reveal: 'scroll' });
  });
  for (const input of [batchInput, precisionSelect, hardwareSelect, ...(contextInput ? [contextInput] : [])]) {
    input.addEventListener('change', () => {
      if (source && !(shown?.source === source && shown.options === optionsKey())) run();
    });
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run({ reveal: 'focus' });
  });
  root.dataset.ready = 'true';
}

/** The result's title at the top of the view, focused or not (a screen reader continues there). */
function revealResult(result: HTMLElement, how: 'focus' | 'scroll'): void {
  const title = result.querySelector<HTMLElement>('#result-title');
  if (!title) return;
  if (how === 'focus') {
    title.tabIndex = -1;
    title.focus({ preventScroll: true });
  }
  title.scrollIntoView({ block: 'start' });
}

function parseJson(text: string, where: string): ModelDef {
  try {
    return JSON.parse(text) as ModelDef;
  } catch (error) {
    throw new ModelError('(model)', [], `not valid JSON: ${(error as Error).message}`, where);
  }
}

// ---- rendering (DOM API and textContent only) --------------------------------------------------

function section(doc: Document, id: string, title: string, ...children: (Node | string)[]): HTMLElement {
  return el(doc, 'section', { 'aria-labelledby': id }, el(doc, 'h2', { id }, title), ...children);
}

/** A <details> whose derivation is typeset by KaTeX when first opened. */
function derivation(doc: Document, title: string, f: Figure): HTMLElement {
  const details = el(doc, 'details', { class: 'figure-derivation' }, el(doc, 'summary', {}, `${title}: ${n(f.value)}`));
  details.addEventListener('toggle', async () => {
    if (!details.open || details.dataset.rendered) return;
    details.dataset.rendered = 'true';
    const math = el(doc, 'div', { class: 'math-display' });
    try {
      const katex = (await loadKatex()).default;
      // KaTeX's HTML of engine-made TeX.
      // The same line-per-step layout as the problem pages: lines wrap, never scroll.
      math.innerHTML = derivationHtml(f, (tex, displayMode) => katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode, throwOnError: false }));
    } catch (error) {
      math.textContent = `The derivation could not be typeset: ${(error as Error).message}`;
    }
    details.append(math);
  });
  return details;
}

function render(doc: Document, root: HTMLElement, report: ModelReport, cost: CostSummary | undefined, label: string, bits: number): void {
  const t = report.totals;
  const model = report.model;
  const header = el(
    doc,
    'header',
    {},
    el(doc, 'h2', { id: 'result-title' }, model.name),
    el(doc, 'p', { class: 'model-meta' }, el(doc, 'span', {}, `From ${label}`), el(doc, 'span', {}, `Input ${formatShape(model.input)}`), el(doc, 'span', {}, `Output ${formatShape(model.outputShape)}`), el(doc, 'span', {}, `${model.layers.length} layers`)),
  );
  if (model.description) header.append(el(doc, 'p', { class: 'note' }, model.description));

  const figures: [string, string, Figure, string][] = [
    ['params', 'Parameters', t.params, ''],
    ['buffers', 'Buffers (BatchNorm statistics)', t.buffers, ''],
    ['paramBytes', `Model size at ${bits}-bit`, t.paramBytes, ` B (${formatBytes(t.paramBytes.value)})`],
    ['macs', 'MACs', t.macs, ''],
    ['flops', 'FLOPs', t.flops, ''],
    ['activations', 'Activations (layer outputs)', t.activations, ''],
    ['peakActivations', 'Peak activations', t.peakActivations, ''],
    ['peakLiveActivations', 'Peak live activations', t.peakLiveActivations, ''],
  ];
  const keyFigures = el(doc, 'dl', { class: 'key-figures' });
  for (const [key, title, f, unit] of figures) keyFigures.append(el(doc, 'div', {}, el(doc, 'dt', {}, title), el(doc, 'dd', { 'data-total': key }, `${n(f.value)}${unit}`)));
  const totals = section(
    doc,
    'result-totals',
    'Totals',
    keyFigures,
    el(doc, 'p', { class: 'note' }, `At batch ${report.batch}, ${bits}-bit parameters and activations, the standard conventions: parameters are weights, biases and norm scales (buffers apart); MACs are the multiply-accumulates of convolutions, linear layers and matmuls.`),
    el(doc, 'div', { class: 'totals-derivations' }, ...figures.map(([, title, f]) => derivation(doc, title, f))),
  );

  const chart = el(doc, 'figure', { class: 'chart layer-chart' });
  drawLayerChart(doc, chart, report);

  const conventions = section(doc, 'result-conventions', 'Counting conventions side by side', conventionsTable(doc, report));

  const parts: HTMLElement[] = [header, totals];
  if (cost) {
    const roof = cost.roofline ? [el(doc, 'p', { class: 'note' }, 'Each layer at its operational intensity under the roof min(π, I · β) of this hardware.'), drawRoofline(doc, cost.roofline, model.name)] : [];
    parts.push(section(doc, 'result-cost', `Cost on ${cost.hardwareName}`, costList(doc, cost), ...roof));
  }
  parts.push(
    section(doc, 'result-architecture', 'Architecture', el(doc, 'p', { class: 'note' }, 'The layer stack with each output shape per sample; blocks as nested lists.'), architecture(doc, model)),
    section(doc, 'result-layers', 'Parameters, activations and MACs per layer', chart, layerTable(doc, report)),
    conventions,
  );
  root.replaceChildren(...parts);
}

function architecture(doc: Document, model: Model): HTMLElement {
  const list = (nodes: readonly BlockNode[]): HTMLElement => {
    const ol = el(doc, 'ol', { class: 'stack' });
    for (const node of nodes) {
      if (node.kind === 'layer') {
        const l = model.layers[node.index]!;
        ol.append(el(doc, 'li', { class: 'stack-layer' }, el(doc, 'span', { class: 'stack-name' }, l.id), ' ', el(doc, 'code', { class: 'stack-label' }, l.label), ` → ${formatShape(l.outputShape)}`));
        continue;
      }
      const children: BlockNode[] =
        node.kind === 'Residual' ? [...node.body, ...node.shortcut, node.join, ...node.after] : node.kind === 'Parallel' ? [...node.branches.flat(), node.join, ...node.after] : [...node.children];
      ol.append(el(doc, 'li', { class: 'stack-block' }, el(doc, 'details', { open: '' }, el(doc, 'summary', {}, `${node.path.join('.') || node.name} (${node.kind})`), list(children))));
    }
    return ol;
  };
  return el(doc, 'div', { class: 'diagram' }, el(doc, 'p', { class: 'stack-input' }, `input → ${formatShape(model.input)}`), list(model.tree.kind === 'layer' ? [model.tree] : model.tree.kind === 'Sequential' || model.tree.kind === 'Repeat' ? model.tree.children : [model.tree]));
}

/**
 * A scroll region for a wide table, with the cue that says it scrolls (shown by the scroll-state
 * query of global.css only while it does). On phones the analyzer's tables are stacked instead
 * (analyze.css): a row per card, each figure under its column's name (`data-label`).
 */
function scrollRegion(doc: Document, label: string, table: HTMLElement): HTMLElement {
  return el(doc, 'div', { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' }, el(doc, 'p', { class: 'scroll-cue', 'aria-hidden': 'true' }, 'Scroll sideways for more columns →'), table);
}

function layerTable(doc: Document, report: ModelReport): HTMLElement {
  const heads = ['Layer', 'Kind', 'Output', 'Params', 'MACs', 'Activations', 'Param bytes'];
  const table = el(doc, 'table', { class: 'layer-table stackable' }, el(doc, 'caption', {}, `Every layer at batch ${report.batch}; open a layer for the derivations of its parameters and MACs.`));
  table.append(el(doc, 'thead', {}, el(doc, 'tr', {}, ...heads.map((h, i) => el(doc, 'th', { scope: 'col', ...(i >= 3 ? { class: 'num' } : {}) }, h)))));
  const body = el(doc, 'tbody');
  const figure = (label: string, value: number) => el(doc, 'td', { class: 'num', 'data-label': label }, n(value));
  for (const r of report.layers) {
    const name = el(doc, 'details', { class: 'layer-derivations' }, el(doc, 'summary', {}, el(doc, 'code', {}, r.layer.id)));
    name.addEventListener(
      'toggle',
      () => {
        if (name.open && name.childElementCount === 1) name.append(derivation(doc, 'Parameters', r.params), derivation(doc, 'MACs', r.macs));
      },
    );
    body.append(
      el(
        doc,
        'tr',
        r.params.value === 0 && r.macs.value === 0 ? { class: 'minor' } : {},
        el(doc, 'th', { scope: 'row' }, name),
        el(doc, 'td', { class: 'kind' }, el(doc, 'code', {}, r.layer.label)),
        el(doc, 'td', { class: 'shape', 'data-label': 'Output' }, formatShape(r.layer.outputShape)),
        figure('Params', r.params.value),
        figure('MACs', r.macs.value),
        figure('Activations', r.activations.value),
        figure('Param bytes', r.paramBytes.value),
      ),
    );
  }
  table.append(body);
  const t = report.totals;
  table.append(
    el(
      doc,
      'tfoot',
      {},
      el(
        doc,
        'tr',
        {},
        el(doc, 'th', { scope: 'row', colspan: '3' }, `Total (${report.layers.length} layers)`),
        figure('Params', t.params.value),
        figure('MACs', t.macs.value),
        figure('Activations', t.activations.value),
        figure('Param bytes', t.paramBytes.value),
      ),
    ),
  );
  return scrollRegion(doc, 'Layers', table);
}

/**
 * A row of figures per profile, and under it, across the whole table, what the profile counts
 * (its cell names the profile as its header): in a column of its own, that prose made every row
 * as tall as a paragraph in a narrow column, the figures beside it a line and a blank.
 */
function conventionsTable(doc: Document, report: ModelReport): HTMLElement {
  const profiles = compareProfiles(report.model, { batch: report.batch, paramBits: report.paramBits });
  const heads = ['Profile', 'Compute', 'Parameters', 'Activations'];
  const table = el(doc, 'table', { class: 'conventions-table stackable' }, el(doc, 'caption', {}, 'The same model under each counting profile: what it counts as compute, parameters and activations.'));
  table.append(el(doc, 'thead', {}, el(doc, 'tr', {}, ...heads.map((h, i) => el(doc, 'th', { scope: 'col', ...(i >= 1 ? { class: 'num' } : {}) }, h)))));
  const body = el(doc, 'tbody');
  for (const [i, p] of profiles.entries()) {
    const header = `profile-${i}`;
    body.append(
      el(
        doc,
        'tr',
        { 'data-profile': p.profile.id, class: 'profile-figures' },
        el(doc, 'th', { scope: 'row', id: header }, p.profile.label),
        el(doc, 'td', { class: 'num', 'data-label': 'Compute' }, `${n(p.compute.value)} ${p.profile.unit}`),
        el(doc, 'td', { class: 'num', 'data-label': 'Parameters' }, n(p.params.value)),
        el(doc, 'td', { class: 'num', 'data-label': 'Activations' }, n(p.activations.value)),
      ),
      el(doc, 'tr', { class: 'profile-counts' }, el(doc, 'td', { colspan: '4', headers: header }, el(doc, 'span', { class: 'counts-label' }, 'Counts: '), p.profile.includes.join('; '))),
    );
  }
  table.append(body);
  return scrollRegion(doc, 'Counting conventions', table);
}

function costList(doc: Document, cost: CostSummary): HTMLElement {
  const ms = (v: number) => `${n(Number(v.toPrecision(4)))} ms`;
  const rows: [string, string][] = [];
  if (cost.latencyMs !== undefined) rows.push(['Latency', `${ms(cost.latencyMs)} (${cost.latencyModel === 'mcu-cycles' ? 'MACs × cycles per MAC / clock' : 'Σ max(compute, memory) per layer'})`]);
  if (cost.computeMs !== undefined) rows.push(['Compute time', ms(cost.computeMs)]);
  if (cost.memoryMs !== undefined) rows.push(['Memory time', ms(cost.memoryMs)]);
  if (cost.bound !== undefined) rows.push(['Bound', cost.bound]);
  if (cost.energyMicrojoules !== undefined) rows.push(['Energy', `${n(Number(cost.energyMicrojoules.toPrecision(4)))} µJ`]);
  if (cost.fit) rows.push(['Fits', `${cost.fits ? 'yes' : 'no'}${cost.fit.checks.map((c) => `; ${c.verdict}`).join('')}`]);
  for (const o of cost.omitted) rows.push([`Not computed: ${o.quantity}`, o.reason]);
  const dl = el(doc, 'dl', { class: 'cost-list' });
  // A line may break after each dot of a profile's field name (energy.multPj.fp32), not inside a word.
  const breakable = (text: string) => text.split(/(?<=\.)(?=\w)/).flatMap((part, i) => (i === 0 ? [part] : [el(doc, 'wbr'), part]));
  for (const [k, v] of rows) dl.append(el(doc, 'div', {}, el(doc, 'dt', {}, k), el(doc, 'dd', {}, ...breakable(v))));
  return el(doc, 'div', {}, dl, el(doc, 'p', { class: 'note' }, `Assumed: ${cost.assumptions.join('; ')}.`));
}

/** A language model's figures: weights, KV cache, prefill and a decode step, and on hardware its times and fit. */
function llmSection(doc: Document, llm: LlmAnalysis, hw: LlmOnHardware | undefined): HTMLElement {
  const ms = (v: number) => `${n(Number(v.toPrecision(4)))} ms`;
  const figures: [string, Figure, string][] = [
    ['Parameters (tied weights once)', llm.params, ''],
    ['Parameters active per token', llm.activeParams, ''],
    [`Weight bytes (${llm.weights.kind === 'bits' ? `${llm.weights.bits}-bit` : 'quantized'})`, llm.weightBytes, ` B (${formatBytes(llm.weightBytes.value)})`],
    [`KV cache per token (${llm.kvBits}-bit)`, llm.kvCacheBytesPerToken, ' B'],
    [`KV cache, batch ${llm.batch} × context ${llm.context}`, llm.kvCacheBytes, ` B (${formatBytes(llm.kvCacheBytes.value)})`],
    [`Prefill of ${llm.prompt} tokens: FLOPs`, llm.prefill.flops, ''],
    ['Prefill: bytes moved', llm.prefill.bytes, ' B'],
    [`Decode step at context ${llm.context}: FLOPs`, llm.decode.flops, ''],
    ['Decode step: bytes moved', llm.decode.bytes, ' B'],
  ];
  const dl = el(doc, 'dl', { class: 'key-figures' });
  for (const [title, f, unit] of figures) dl.append(el(doc, 'div', {}, el(doc, 'dt', {}, title), el(doc, 'dd', {}, `${n(f.value)}${unit}`)));
  const parts: HTMLElement[] = [dl];
  parts.push(el(doc, 'p', { class: 'note' }, `Intensity: prefill ${n(Number(llm.prefill.intensity.value.toPrecision(4)))} FLOP/B, decode ${n(Number(llm.decode.intensity.value.toPrecision(4)))} FLOP/B. A decode step reads every weight once and the KV cache of every sequence.`));
  if (hw) {
    const rows: [string, string][] = [
      ['Time to first token', `${ms(hw.ttftMs.value)} (${hw.prefill.bound}-bound)`],
      ['Time per output token', `${ms(hw.tpotMs.value)} (${hw.decode.bound}-bound)`],
      ['Tokens per second', n(Number(hw.tokensPerSecond.value.toPrecision(4)))],
      ['Decode turns compute-bound at batch', hw.crossoverBatch ? n(hw.crossoverBatch.value) : 'never, at this context'],
    ];
    if (hw.fits !== undefined) rows.push(['Weights + KV cache fit', `${hw.fits ? 'yes' : 'no'}: ${formatBytes(hw.memoryBytes.value)} of ${formatBytes(hw.capacityBytes!.value)}`]);
    if (hw.maxBatch) rows.push(['Largest batch that fits', n(hw.maxBatch.value)]);
    const costs = el(doc, 'dl', { class: 'cost-list' });
    for (const [k, v] of rows) costs.append(el(doc, 'div', {}, el(doc, 'dt', {}, k), el(doc, 'dd', {}, v)));
    parts.push(el(doc, 'h3', {}, `On ${hw.hardware.name}`), costs);
  }
  parts.push(el(doc, 'div', { class: 'totals-derivations' }, ...figures.map(([title, f]) => derivation(doc, title, f)), ...(hw ? [derivation(doc, 'Time per output token (ms)', hw.tpotMs)] : [])));
  return section(doc, 'result-llm', 'Language model: prefill and decode', ...parts);
}
