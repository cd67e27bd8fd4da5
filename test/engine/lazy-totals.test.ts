/**
 * A report's totals and training memory are built when first read when no figure can fail, and
 * all at once otherwise (analyze.ts, `cannotFail`). Either way each figure is the same: the same
 * value and the same derivation, whatever was read before it.
 */
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, TOTAL_NAMES, ZOO, type AnalyzeOptions, type ModelReport } from '../../src/engine/index.ts';

const TRAINING = ['weightBytes', 'gradientBytes', 'optimizerBytes', 'activationBytes', 'totalBytes'] as const;

/** Every total and training figure, read in the given order, listed by name. */
function figures(report: ModelReport, reversed: boolean) {
  const totals = reversed ? [...TOTAL_NAMES].reverse() : [...TOTAL_NAMES];
  const training = reversed ? [...TRAINING].reverse() : [...TRAINING];
  const out = new Map<string, unknown>();
  for (const name of totals) out.set(`totals.${name}`, report.totals[name]);
  for (const name of training) out.set(`training.${name}`, report.training[name]);
  return Object.fromEntries([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const OPTIONS: AnalyzeOptions[] = [
  {},
  { batch: 3, paramBits: 8, activationBits: 16 },
  { paramBits: 8, biasBits: 32, optimizer: 'sgd', conventions: { inputInActivations: true, operations: 'non-pipelined', poolingOps: true } },
  { layerPrecision: { Linear: { weightBits: 4 } }, conventions: { flopsPerMac: 1, biasInParams: false } },
];

describe('totals built when first read', () => {
  it.each(ZOO.filter((e) => ['mlp-hw1-q1', 'lenet5', 'resnet18', 'mobilenet-v2', 'bert-base-uncased', 'vit-b-16'].includes(e.id)).map((e) => [e.id, e.def] as const))(
    '%s: the same figures read in either order, under every option',
    (_id, def) => {
      const model = defineModel(def);
      for (const options of OPTIONS) {
        expect(figures(analyze(model, options), true)).toEqual(figures(analyze(model, options), false));
      }
    },
  );

  it('a model beyond the bound is built at once: exact figures are read, inexact ones refused by analyze', () => {
    // 2^48 inputs through a ReLU (in place): the bound (3 × 2^48 elements × 16) is past 2^53, the figures are not.
    const model = defineModel({ name: 'wide', input: [2 ** 48], layers: [{ type: 'ReLU' }] });
    const report = analyze(model, { paramBits: 8 });
    expect(report.totals.activationsWithInput.value).toBe(2 ** 48);
    expect(report.totals.sramBytes.value).toBe(2 ** 48);
    expect(report.training.totalBytes.value).toBe(2 ** 48);
    // At a batch of 2^5 the input alone is 2^53 elements: analyze refuses, naming the figure.
    expect(() => analyze(model, { paramBits: 8, batch: 2 ** 5 })).toThrow(/^wide > 0: input activations: a product gives 9,007,199,254,740,992, beyond exact integer range/);
  });
});
