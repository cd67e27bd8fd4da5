/**
 * The examples in FORMAT.md are valid: every JSON block that is complete JSON defines a model
 * (blocks are wrapped in a model with an input that fits them).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, type LayerDef, type ModelDef } from '../../src/engine/index.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../src/engine/model/FORMAT.md'), 'utf8');
const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
const parsed = blocks.flatMap((text) => {
  try {
    return [JSON.parse(text) as ModelDef | LayerDef];
  } catch {
    return []; // a schematic example with "..." placeholders
  }
});

/** An input that fits each example block. */
const inputFor: Record<string, number[]> = { Residual: [64, 56, 56], Repeat: [128, 768] };

describe('FORMAT.md examples', () => {
  it('has complete examples of a model, a residual block, a squeeze-and-excitation and a transformer encoder', () => {
    expect(parsed.map((p) => ('input' in p ? 'model' : p.type))).toEqual(['model', 'Residual', 'Residual', 'Repeat']);
  });

  it.each(parsed.map((p) => [('input' in p ? p.name : p.type) as string, p] as const))('%s defines a model', (_name, p) => {
    const def: ModelDef = 'input' in p ? (p as ModelDef) : { name: 'example', input: inputFor[(p as LayerDef).type]!, layers: [p as LayerDef] };
    expect(analyze(defineModel(def)).totals.params.value).toBeGreaterThan(0);
  });

  it('the LeNet-5 example is seed 001\'s 61,706 parameters', () => {
    expect(analyze(defineModel(parsed[0] as ModelDef)).totals.params.value).toBe(156 + 2_416 + 48_120 + 10_164 + 850);
  });
});

describe('FORMAT.md limits', () => {
  it('states the limits the code checks', async () => {
    const { MODEL_LIMITS, MAX_BITS } = await import('../../src/engine/index.ts');
    const row = (label: string) => doc.split('\n').find((l) => l.startsWith(`| ${label}`)) ?? '';
    expect(row('layers, with every')).toContain(MODEL_LIMITS.layers.toLocaleString('en-US'));
    expect(row('nesting depth')).toContain(`| ${MODEL_LIMITS.depth} |`);
    expect(row('copies of one')).toContain(MODEL_LIMITS.repeat.toLocaleString('en-US'));
    expect(row('characters in')).toContain(`| ${MODEL_LIMITS.nameLength} |`);
    expect(row('size of a model')).toContain(MODEL_LIMITS.fileBytes.toLocaleString('en-US'));
    expect(row('bits per')).toContain(`1 to ${MAX_BITS}`);
  });
});
