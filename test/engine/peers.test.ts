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
import { COUNTER_IDS, defineModel, profileTotals, zooModel, type CounterId, type ModelDef } from '../../src/engine/index.ts';

const FIXTURES = 'test/fixtures/peers';

interface ToolFigures {
  readonly count?: number;
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
/** A figure that differs because of the PyTorch the tool ran on: the profile's term for it is the gap. */
interface VersionDifference {
  readonly model: string;
  readonly tool: CounterId;
  readonly why: string;
  /** The rule of the profile's term that PyTorch 1.13 does not take: the profile's figure minus the tool's. */
  readonly rules: readonly string[];
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
  it('names each tool with its commit, the torch it ran on, and a figure for every model and tool', () => {
    expect(peers.torch).toMatch(/^\d+\.\d+/);
    for (const [tool, source] of Object.entries(peers.tools)) {
      expect(COUNTER_IDS, tool).toContain(tool);
      expect(source.commit, tool).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(pairs.filter((p) => p.figures.error !== undefined).map((p) => `${p.model} × ${p.tool}: ${p.figures.error}`)).toEqual([]);
    expect(Object.keys(peers.figures).sort()).toEqual(Object.keys(peers.models).sort());
  });

  it('every marked difference is a recorded pair', () => {
    for (const d of differences.differences) expect(peers.figures[d.model]?.[d.tool]?.count, `${d.model} × ${d.tool}`).toBeTypeOf('number');
  });
});

describe.each(Object.keys(peers.models))('%s', (name) => {
  const model = defineModel(definition(name));
  it.each(pairs.filter((p) => p.model === name && p.figures.count !== undefined).map((p) => [p.tool, p] as const))('%s', (tool, { figures }) => {
    const totals = profileTotals(model, tool, { batch: 1 });
    const difference = differenceOf(name, tool);
    if (!difference) {
      expect(totals.compute.value).toBe(figures.count);
      return;
    }
    // PyTorch 1.13 takes another path: the profile's terms named for it are the gap, exactly.
    const terms = totals.terms.filter((t) => difference.rules.includes(t.rule));
    expect(terms.map((t) => t.rule).sort()).toEqual([...difference.rules].sort());
    expect(totals.compute.value - terms.reduce((acc, t) => acc + t.value, 0)).toBe(figures.count);
  });
});
