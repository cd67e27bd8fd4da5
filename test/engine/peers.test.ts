/**
 * Every tool's profile against what the tool itself gave back: test/fixtures/peers/figures.json is
 * written by tools/peers/run.py, which runs each tool (from its source, at the commit recorded) on
 * the models of tools/peers/models.py, each of which the engine reads as a built-in model or as a
 * JSON file in test/fixtures/peers/models/. Each figure is reproduced exactly, or
 * test/fixtures/peers/differences.json names it as a difference of the PyTorch the tools ran on
 * (Debian's 1.13) from the PyTorch 2.x path the profile models: then the profile's term for it
 * must be exactly the gap.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calflopsNumber, cleverFormat, COUNTER_IDS, defineModel, patchedMacs, profileTotals, ptflopsMacs, torchinfoSizes, zooModel, type CounterId, type ModelDef } from '../../src/engine/index.ts';

const FIXTURES = 'test/fixtures/peers';
/**
 * Tools that add up in float32: thop 0.0.31 keeps each module's count in a float32 buffer
 * (torch.zeros(1), += torch.Tensor([ops])) and sums the modules' buffers as float32 tensors, so its
 * total is the float32 sum of the layers' counts, each rounded to float32, in module order.
 */
const FLOAT32_TOOLS: ReadonlySet<string> = new Set(['thop-0.0.31']);
const float32Sum = (values: readonly number[]) => values.reduce((acc, v) => Math.fround(acc + Math.fround(v)), 0);

interface ToolFigures {
  readonly count?: number;
  readonly macs?: number;
  readonly inputBytes?: number;
  readonly forwardBackwardBytes?: number;
  readonly paramBytes?: number;
  readonly by_operator?: Readonly<Record<string, number>>;
  readonly error?: string;
  readonly printed?: string | readonly string[];
  readonly params?: number;
}
interface PeerFigures {
  readonly torch: string;
  readonly tools: Readonly<Record<string, { readonly source: string; readonly commit: string | null }>>;
  readonly models: Readonly<Record<string, { readonly input: readonly number[]; readonly zoo?: string; readonly json?: string }>>;
  readonly figures: Readonly<Record<string, Readonly<Record<string, ToolFigures>>>>;
}
/**
 * A figure that differs because of the PyTorch the tool ran on, and the profile's terms that make the
 * gap: recorded = profile − Σ `without` + Σ `with` (terms of the same profile on the model with
 * need_weights=true and eager attention, the only paths PyTorch 1.13 has) − the compute of the `layers` of that type +
 * Σ `operators` (ops 1.13's tracer records, as the recorded by_operator shows them).
 */
interface VersionDifference {
  readonly model: string;
  readonly tool: CounterId;
  readonly why: string;
  readonly without?: readonly string[];
  readonly with?: readonly string[];
  readonly layers?: string;
  readonly operators?: Readonly<Record<string, number>>;
  /** The tool gave no figure on 1.13: its error, recorded. */
  readonly error?: string;
}

const peers = JSON.parse(readFileSync(`${FIXTURES}/figures.json`, 'utf8')) as PeerFigures;
const differences = JSON.parse(readFileSync(`${FIXTURES}/differences.json`, 'utf8')) as { readonly differences: readonly VersionDifference[] };

const definition = (name: string): ModelDef => {
  const entry = peers.models[name]!;
  return entry.zoo ? zooModel(entry.zoo) : (JSON.parse(readFileSync(`${FIXTURES}/models/${entry.json}`, 'utf8')) as ModelDef);
};

const pairs = Object.entries(peers.figures).flatMap(([model, byTool]) =>
  Object.entries(byTool).map(([tool, figures]) => ({ model, tool: tool as CounterId, figures })),
);
const differenceOf = (model: string, tool: string) => differences.differences.find((d) => d.model === model && d.tool === tool);

describe('the recorded run', () => {
  it('names each tool with its commit, the torch it ran on, and a figure for every model and tool (or a marked error)', () => {
    expect(peers.torch).toMatch(/^\d+\.\d+/);
    for (const [tool, source] of Object.entries(peers.tools)) {
      expect(COUNTER_IDS, tool).toContain(tool);
      expect(source.commit, tool).toMatch(/^[0-9a-f]{40}$/);
    }
    const errors = pairs.filter((p) => p.figures.error !== undefined);
    expect(errors.map((p) => `${p.model} × ${p.tool}: ${p.figures.error}`)).toEqual(errors.map((p) => `${p.model} × ${p.tool}: ${differenceOf(p.model, p.tool)?.error}`));
    expect(Object.keys(peers.figures).sort()).toEqual(Object.keys(peers.models).sort());
    for (const byTool of Object.values(peers.figures)) expect(Object.keys(byTool).sort()).toEqual(Object.keys(peers.tools).sort());
  });

  it('every marked difference is a recorded pair, with a reason and the terms that make it', () => {
    for (const d of differences.differences) {
      const figures = peers.figures[d.model]?.[d.tool];
      expect(figures, `${d.model} × ${d.tool}`).toBeDefined();
      expect(d.why.length).toBeGreaterThan(20);
      if (d.error) expect(figures!.error).toBe(d.error);
      else expect(d.without ?? d.with ?? d.layers ?? d.operators, `${d.model} × ${d.tool}`).toBeDefined();
    }
  });
});

/**
 * The model on PyTorch 1.13's only paths: every nn.MultiheadAttention with need_weights=True, every
 * CausalSelfAttention eager (transformers' sdpa needs F.scaled_dot_product_attention).
 */
const ON_TORCH_1_13: Readonly<Record<string, readonly [string, unknown]>> = { MultiheadAttention: ['need_weights', true], CausalSelfAttention: ['implementation', 'eager'] };
function onTorch113(def: ModelDef): ModelDef {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!value || typeof value !== 'object') return value;
    const path = ON_TORCH_1_13[(value as { type?: string }).type ?? ''];
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]).concat(path ? [path] : []));
  };
  return walk(def) as ModelDef;
}

/** The sum of the profile's terms with these rules, each of which must be there. */
function termsSum(terms: readonly { rule: string; value: number }[], rules: readonly string[] = []): number {
  expect(rules.filter((rule) => !terms.some((t) => t.rule === rule))).toEqual([]);
  return terms.filter((t) => rules.includes(t.rule)).reduce((acc, t) => acc + t.value, 0);
}

describe.each(Object.keys(peers.models))('%s', (name) => {
  const def = definition(name);
  const model = defineModel(def);
  it.each(pairs.filter((p) => p.model === name && p.figures.count !== undefined).map((p) => [p.tool, p] as const))('%s', (tool, { figures }) => {
    const totals = profileTotals(model, tool, { batch: 1 });
    const difference = differenceOf(name, tool);
    if (!difference) {
      if (FLOAT32_TOOLS.has(tool)) expect(float32Sum(totals.layerCompute.map((f) => f.value))).toBe(figures.count);
      else expect(totals.compute.value).toBe(figures.count);
      return;
    }
    // PyTorch 1.13 takes another path: the profile's terms named for it are the gap, exactly.
    let expected = totals.compute.value - termsSum(totals.terms, difference.without);
    if (difference.with) expected += termsSum(profileTotals(defineModel(onTorch113(def)), tool, { batch: 1 }).terms, difference.with);
    if (difference.layers) expected -= totals.report.layers.reduce((acc, r, i) => acc + (r.layer.type === difference.layers ? totals.layerCompute[i]!.value : 0), 0);
    for (const [operator, count] of Object.entries(difference.operators ?? {})) {
      expect(figures.by_operator?.[operator], operator).toBe(count);
      expected += count;
    }
    expect(expected).toBe(figures.count);
    expect(totals.compute.value).not.toBe(figures.count);
  });
});

describe("the language models on PyTorch 1.13's path", () => {
  // transformers' eager attention is the same code on every PyTorch: the models with
  // implementation 'eager' are the recorded ones, and every profile reproduces each figure exactly.
  const eager = pairs.filter((p) => p.figures.count !== undefined && JSON.stringify(definition(p.model)).includes('"CausalSelfAttention"'));
  it('covers every tool on the seven language models', () => expect(eager.length).toBe(7 * Object.keys(peers.tools).length));
  it.each(eager.map((p) => [p.model, p.tool, p] as const))('%s × %s, eager', (name, tool, { figures }) => {
    const totals = profileTotals(defineModel(onTorch113(definition(name))), tool, { batch: 1 });
    if (FLOAT32_TOOLS.has(tool)) expect(float32Sum(totals.layerCompute.map((f) => f.value))).toBe(figures.count);
    else expect(totals.compute.value).toBe(figures.count);
    if (tool === 'ptflops') expect(ptflopsMacs(totals.compute.value)).toBe(figures.printed);
  });
});

describe('what the tools print, from the same counts', () => {
  const exact = pairs.filter((p) => p.figures.count !== undefined && !differenceOf(p.model, p.tool));
  it.each(exact.filter((p) => p.tool === 'thop').map((p) => [p.model, p] as const))('thop on %s: clever_format of its MACs and parameters', (name, { figures }) => {
    const totals = profileTotals(defineModel(definition(name)), 'thop', { batch: 1 });
    expect(`${cleverFormat(totals.compute.value)} ${cleverFormat(totals.params.value)}`).toBe(figures.printed);
    expect(totals.params.value).toBe(figures.params);
  });
  it.each(exact.filter((p) => p.tool === 'ptflops').map((p) => [p.model, p] as const))('ptflops on %s: flops_to_string', (name, { figures }) => {
    const totals = profileTotals(defineModel(definition(name)), 'ptflops', { batch: 1 });
    expect(ptflopsMacs(totals.compute.value)).toBe(figures.printed);
    expect(totals.params.value).toBe(figures.params);
  });
  it.each(exact.filter((p) => p.tool === 'torchinfo' || p.tool === 'torchinfo-1.8.0').map((p) => [p.tool, p.model, p] as const))('%s on %s: its summary lines and sizes', (tool, name, { figures }) => {
    const totals = profileTotals(defineModel(definition(name)), tool, { batch: 1 });
    const sizes = torchinfoSizes(totals.report, undefined, tool === 'torchinfo-1.8.0');
    expect([sizes.inputBytes, sizes.forwardBackwardBytes, sizes.paramBytes]).toEqual([figures.inputBytes, figures.forwardBackwardBytes, figures.paramBytes]);
    // torchinfo 1.8.0 formats its units with `Units(str, Enum)`, which Python 3.11 (the run's) prints
    // as `Units.GIGABYTES` where 3.8 to 3.10 print its value, `G`.
    const printed = (figures.printed as readonly string[]).map((line) => line.replace(/\(Units\.(\w+)\)/, (_, unit: string) => `(${{ GIGABYTES: 'G', MEGABYTES: 'M', TERABYTES: 'T' }[unit]})`));
    expect(totals.headline).toEqual(printed);
  });
  it.each(pairs.filter((p) => p.tool === 'calflops' || p.tool === 'deepspeed').map((p) => [p.tool, p.model, p] as const))('%s on %s: the MACs its patched calls report, and the parameters', (tool, name, { figures }) => {
    // A figure of PyTorch 1.13's path is the MACs of the model on that path (eager attention).
    const totals = profileTotals(defineModel(differenceOf(name, tool) ? onTorch113(definition(name)) : definition(name)), tool, { batch: 1 });
    expect(patchedMacs(totals.report, tool === 'deepspeed')).toBe(figures.macs);
    expect(totals.headline).toContain(tool === 'calflops' ? `MACs: ${calflopsNumber(figures.macs!)}MACs` : `fwd MACs per GPU: ${calflopsNumber(figures.macs!)}MACs`);
    expect(totals.params.value).toBe(figures.params);
  });
  it.each(Object.keys(peers.models))('%s: every tool\'s terms add up to its count minus the standard count', (name) => {
    const model = defineModel(definition(name));
    for (const tool of Object.keys(peers.tools) as CounterId[]) {
      const totals = profileTotals(model, tool, { batch: 1 });
      expect(totals.terms.reduce((acc, t) => acc + t.value, 0), tool).toBe(totals.compute.value - totals.standard.value);
    }
  });
});
