/**
 * Seed 001's operation-count model: 2n operations per output non-pipelined, n + 1 pipelined (FMA);
 * latency = ops / speed, throughput = speed / ops.
 */
import { describe, expect, it } from 'vitest';
import { derivationSteps, operationCountModel } from '../../src/engine/index.ts';
import { mlpHw1Q1, mlpLab } from '../../src/engine/zoo/mlp.ts';
import { expectClose, report } from './helpers.ts';

const q1 = report(mlpHw1Q1, { paramBits: 8 });
const S = 1e9; // a 1 GOPS processor

describe('HW1 Q1 (120-256-256-10)', () => {
  it.each([
    ['non-pipelined: 2n per neuron', false, 2 * (120 * 256 + 256 * 256 + 256 * 10)],
    ['pipelined: n + 1 per neuron', true, (120 + 1) * 256 + (256 + 1) * 256 + (256 + 1) * 10],
  ])('%s', (_name, pipelined, ops) => {
    const m = operationCountModel(q1, { pipelined, speedOpsPerS: S });
    expect(m.ops.value).toBe(ops);
    expectClose(m.latencyMs.value, (ops / S) * 1e3);
    expectClose(m.throughput.value, S / ops);
  });

  it('pipelined, a neuron costs as many operations as it has parameters', () => {
    expect(operationCountModel(q1, { pipelined: true, speedOpsPerS: S }).ops.value).toBe(q1.totals.params.value);
  });

  it('per layer', () => {
    const m = operationCountModel(q1, { pipelined: false, speedOpsPerS: S });
    expect(m.layers.map((l) => [l.path, l.ops.value])).toEqual([
      ['fc1', 2 * 120 * 256],
      ['fc2', 2 * 256 * 256],
      ['fc3', 2 * 256 * 10],
    ]);
    expect(derivationSteps(m.layers[0]!.ops)).toEqual(['\\text{ops}_{\\text{fc1}} = 2 \\cdot \\text{MACs}_{\\text{fc1}}', '= 2 \\times 30{,}720', '= 61{,}440\\ \\text{ops}']);
  });
});

describe('Lab MLP at batch 64, samples one after another', () => {
  it('throughput = n · speed / ops', () => {
    const ops = 15_024_128 + 64 * (256 + 128 + 10);
    const m = operationCountModel(report(mlpLab, { batch: 64 }), { pipelined: true, speedOpsPerS: S });
    expect(m.ops.value).toBe(ops);
    expectClose(m.throughput.value, (64 * S) / ops);
  });

  it('refuses a speed that is not a positive number', () => {
    expect(() => operationCountModel(q1, { pipelined: true, speedOpsPerS: 0 })).toThrow(/speed/);
    expect(() => operationCountModel(q1, { pipelined: true, speedOpsPerS: Number.NaN })).toThrow(/speed/);
  });
});
