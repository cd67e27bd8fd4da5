/**
 * Conventions as named options: precision per layer, KB labels, training memory, and profiles
 * side by side with what each includes.
 */
import { describe, expect, it } from 'vitest';
import { analyze, byteUnitLabel, compareProfiles, defineModel, describeConventions, formatBytes, PROFILE_IDS, zooEntry } from '../../src/engine/index.ts';
import { mlpDef } from '../../src/engine/zoo/mlp.ts';

const mlp = defineModel(mlpDef('m', [120, 256, 10], { activation: 'ReLU' }));

describe('parameter bytes', () => {
  it('int8 weights with int32 biases', () => {
    const r = analyze(mlp, { paramBits: 8, biasBits: 32 });
    expect(r.totals.paramBytes.value).toBe((120 * 256 + 256 * 10) * 1 + (256 + 10) * 4);
    expect(r.layers[0]!.paramBytes.value).toBe(120 * 256 * 1 + 256 * 4);
  });

  it('per layer, by id or by type (an id wins)', () => {
    const r = analyze(mlp, { paramBits: 32, layerPrecision: { Linear: { weightBits: 8 }, fc2: { weightBits: 4, biasBits: 16 } } });
    expect(r.layers.map((l) => [l.layer.id, l.weightBits, l.biasBits])).toEqual([['fc1', 8, 8], ['act1', 32, 32], ['fc2', 4, 16]]);
    expect(r.totals.paramBytes.value).toBe((120 * 256 + 256) * 1 + (256 * 10 * 4) / 8 + 10 * 2);
  });

  it('bias left out of the parameters leaves it out of the bytes', () => {
    expect(analyze(mlp, { conventions: { biasInParams: false } }).totals.paramBytes.value).toBe((120 * 256 + 256 * 10) * 4);
  });
});

describe('kilobytes', () => {
  it.each([
    [243_818_624, 1000, '243.82 MB'],
    [243_818_624, 1024, '232.52 MiB'],
    [512, 1000, '512 B'],
    [7_168, 1024, '7 KiB'],
    [7_168, 1000, '7.17 kB'],
  ] as const)('%i B with 1 kB = %i B is %s', (bytes, kb, text) => {
    expect(formatBytes(bytes, kb)).toBe(text);
  });
  it('labels', () => {
    expect([byteUnitLabel('k', 1000), byteUnitLabel('k', 1024), byteUnitLabel('M', 1024)]).toEqual(['kB', 'KiB', 'MiB']);
  });
});

describe('activations with and without the input', () => {
  it('the convention picks one; both are always reported', () => {
    const without = analyze(mlp).totals;
    const withInput = analyze(mlp, { conventions: { inputInActivations: true } }).totals;
    expect(without.activations.value).toBe(256 + 10);
    expect(withInput.activations.value).toBe(120 + 256 + 10);
    expect([without.activationsWithInput.value, without.activationsWithoutInput.value]).toEqual([120 + 256 + 10, 256 + 10]);
  });
  it('describes the conventions in force', () => {
    expect(describeConventions(analyze(mlp).conventions)).toContain('activations exclude the input');
  });
});

describe('training memory', () => {
  const P = 120 * 256 + 256 + 256 * 10 + 10;
  const saved = 120 + 256 + 10;
  it.each([
    ['sgd', 0],
    ['sgd-momentum', 1],
    ['adam', 2],
  ] as const)('%s keeps %i state(s) per parameter', (optimizer, states) => {
    const t = analyze(mlp, { optimizer, batch: 4 }).training;
    expect(t.weightBytes.value).toBe(P * 4);
    expect(t.gradientBytes.value).toBe(P * 4);
    expect(t.optimizerBytes.value).toBe(states * P * 4);
    expect(t.activationBytes.value).toBe(4 * saved * 4);
    expect(t.totalBytes.value).toBe(P * 4 * (2 + states) + 4 * saved * 4);
  });

  it('attention keeps its Q, K, V, scores and probabilities', () => {
    const attn = defineModel({ name: 'a', input: [10, 64], layers: [{ type: 'MultiheadAttention', num_heads: 4 }] });
    const t = analyze(attn, { optimizer: 'sgd' }).training;
    expect(t.activationBytes.value).toBe((10 * 64 + 10 * 64 + 4 * 10 * 64 + 2 * 4 * 10 * 10) * 4);
  });
});

describe('profiles side by side', () => {
  it('show every profile with what it includes and excludes', () => {
    const rows = compareProfiles(defineModel(zooEntry('lenet5')!.def));
    expect(rows.map((r) => r.profile.id)).toEqual([...PROFILE_IDS]);
    for (const r of rows) {
      expect(r.profile.includes.length).toBeGreaterThan(0);
      expect(r.profile.excludes.length).toBeGreaterThan(0);
    }
    const byId = Object.fromEntries(rows.map((r) => [r.profile.id, r]));
    expect(byId.standard!.compute.value).toBe(416_520);
    expect(byId.lectures!.params.value).toBe(61_706 - (6 + 16 + 120 + 84 + 10));
    // seed 001: 2n per neuron with its bias, h w - 1 comparisons per pooled output
    expect(byId['seed001-non-pipelined']!.compute.value).toBe(
      6 * 28 * 28 * 2 * 25 + 6 * 14 * 14 * 3 + 16 * 10 * 10 * 2 * 150 + 16 * 5 * 5 * 3 + 120 * 2 * 400 + 84 * 2 * 120 + 10 * 2 * 84,
    );
    expect(byId['seed001-fma']!.compute.value).toBe(
      6 * 28 * 28 * 26 + 6 * 14 * 14 * 3 + 16 * 10 * 10 * 151 + 16 * 5 * 5 * 3 + 120 * 401 + 84 * 121 + 10 * 85,
    );
  });
});
