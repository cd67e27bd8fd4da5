/**
 * One engine, one truth: for every figure the engine produces, its derivation recomputed from
 * the leaves equals the figure, and the derivation's last line states that value.
 */
import { describe, expect, it } from 'vitest';
import {
  totalEntries,
  analyze,
  compareProfiles,
  defineModel,
  ZOO,
  zooEntry,
  derivationForms,
  evaluate,
  mcuLatency,
  valueTex,
  type Figure,
  type ModelReport,
  LLM_ZOO_IDS,
  llmZooImport,
  llmAnalysis,
  llmOnHardware,
  hardwareProfile,
} from '../../src/engine/index.ts';
import { mlpDef, mlpHw1Q1, mlpHw1Q2, mlpLab } from '../../src/engine/zoo/mlp.ts';

function figuresOf(report: ModelReport): [string, Figure][] {
  const out: [string, Figure][] = [];
  for (const r of report.layers) {
    for (const key of ['weights', 'biases', 'params', 'paramBytes', 'macs', 'flops', 'activations'] as const) {
      out.push([`${r.layer.name}.${key}`, r[key]]);
    }
  }
  for (const [key, f] of totalEntries(report.totals)) out.push([`totals.${key}`, f]);
  const latency = mcuLatency(report.totals.macs, { clockMHz: 80, cyclesPerMac: 4 });
  out.push(['cycles', latency.cycles], ['latencyMs', latency.latencyMs]);
  return out;
}

const reports = [
  analyze(defineModel(mlpHw1Q1), { paramBits: 8 }),
  analyze(defineModel(mlpHw1Q2), { paramBits: 32 }),
  analyze(defineModel(mlpLab), { batch: 64 }),
  analyze(defineModel(mlpDef('no-bias', [10, 20, 5])), { conventions: { biasInParams: false, inputInActivations: true } }),
];

describe.each(reports.map((r) => [r.model.name, r] as const))('%s', (_name, report) => {
  it.each(figuresOf(report))('%s: derivation recomputes to the figure and ends with it', (_key, f) => {
    expect(evaluate(f.expr)).toBe(f.value);
    const forms = derivationForms(f);
    expect(forms[forms.length - 1]).toBe(valueTex(f.value, f.unit));
  });
});

describe('every figure of every built-in model, and of the profiles', () => {
  const layerKeys = ['weights', 'biases', 'normParams', 'buffers', 'params', 'paramBytes', 'macs', 'flops', 'ops', 'activations', 'inputActivations'] as const;

  it.each(ZOO.map((e) => [e.id, e] as const))('%s', (_id, entry) => {
    const model = defineModel(entry.def);
    const report = analyze(model, { batch: 2, paramBits: 8, biasBits: 32 });
    const figures: Figure[] = [];
    for (const r of report.layers) {
      figures.push(...layerKeys.map((k) => r[k]), ...r.outputSizes);
      if (r.receptiveField) figures.push(r.receptiveField);
    }
    figures.push(...totalEntries(report.totals).map(([, f]) => f));
    const { optimizer: _optimizer, ...training } = report.training;
    figures.push(...Object.values(training));
    if (report.receptiveField) figures.push(report.receptiveField);
    for (const p of compareProfiles(model, { batch: 2 })) figures.push(p.compute, ...p.layerCompute);
    for (const f of figures) {
      expect(evaluate(f.expr)).toBe(f.value);
      const forms = derivationForms(f);
      expect(forms[forms.length - 1]).toBe(valueTex(f.value, f.unit));
      expect(forms.every((form) => !form.includes('NaN') && !form.includes('undefined'))).toBe(true);
    }
  });

  it('a conv output size reads as the lectures write it', () => {
    const report = analyze(defineModel(zooEntry('alexnet-grouped')!.def));
    expect(derivationForms(report.layers[0]!.outputSizes[0]!)).toEqual([
      '\\left\\lfloor \\frac{h_i + 2 \\cdot p - k}{s} \\right\\rfloor + 1',
      '\\left\\lfloor \\frac{224 + 2 \\times 2 - 11}{4} \\right\\rfloor + 1',
      '54 + 1',
      '55',
    ]);
  });
});

describe('every figure of every built-in language model (issue 27)', () => {
  it.each(LLM_ZOO_IDS.map((id) => [id] as const))('%s', (id) => {
    const llm = llmAnalysis(llmZooImport(id)!, { prompt: 64, generate: 16, batch: 2, weights: { kind: 'group', bits: 4, groupSize: 64 }, kvBits: 8 });
    const hw = llmOnHardware(llm, hardwareProfile('nvidia-h100-sxm5-80gb'));
    const stages = [llm.prefill, llm.decode, llm.generation!];
    const figures: Figure[] = [llm.params, llm.activeParams, llm.weightBytes, llm.kvCacheBytesPerToken, llm.kvCacheBytes, llm.totalFlops!, llm.totalBytes!];
    for (const s of stages) figures.push(s.flops, s.bytes, s.intensity, s.weightBytesRead, s.kvBytes, ...s.layers.flatMap((l) => [l.flops, l.bytes, ...(l.intensity ? [l.intensity] : [])]));
    figures.push(hw.ttftMs, hw.tpotMs, hw.tokensPerSecond, hw.memoryBytes, ...[hw.totalMs, hw.crossoverBatch, hw.maxBatch, hw.maxContext].filter((f): f is Figure => f !== undefined));
    for (const f of figures) {
      expect(evaluate(f.expr)).toBeCloseTo(f.value, 9);
      const forms = derivationForms(f);
      expect(forms[forms.length - 1]).toBe(valueTex(f.value, f.unit));
      expect(forms.every((form) => !form.includes('NaN') && !form.includes('undefined'))).toBe(true);
    }
  });
});

describe("a layer's figures, built when first read", () => {
  const keys = ['weights', 'biases', 'normParams', 'buffers', 'params', 'paramBytes', 'macs', 'flops', 'ops', 'activations', 'inputActivations', 'receptiveField', 'receptiveFieldWidth'] as const;
  const read = (r: ModelReport['layers'][number], order: readonly (typeof keys)[number][]) =>
    order.flatMap((k) => (r[k] ? [r[k]] : [])).concat(r.outputSizes);
  const text = (f: Figure) => `${f.symbol} | ${f.label} | ${f.unit} | ${f.value} | ${derivationForms(f).join(' ; ')}`;

  it.each(['lenet5', 'resnet18', 'mobilenet-v2', 'bert-base-uncased'])('%s: are the same whichever is read first, and the same object on each read', (id) => {
    const model = defineModel(zooEntry(id)!.def);
    const options = { batch: 3, paramBits: 8, biasBits: 32 };
    const forward = analyze(model, options);
    const backward = analyze(model, options);
    const reversed = [...keys].reverse();
    for (let i = forward.layers.length - 1; i >= 0; i--) read(backward.layers[i]!, reversed);
    forward.layers.forEach((r, i) => {
      const a = read(r, keys);
      expect(a.map(text)).toEqual(read(backward.layers[i]!, keys).map(text));
      a.forEach((f, j) => expect(read(r, keys)[j]).toBe(f));
    });
  });
});
