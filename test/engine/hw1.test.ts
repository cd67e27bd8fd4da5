/**
 * HW1 (seed 000) and Lab 1's MLPs: every figure in ../shared/REFERENCE.md, exactly.
 */
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, mcuLatency } from '../../src/engine/index.ts';
import { mlpDef, mlpHw1Q1, mlpHw1Q2, mlpLab } from '../../src/engine/zoo/mlp.ts';

describe('HW1 Q1: 120-256-256-10 at 8 bits', () => {
  const report = analyze(defineModel(mlpHw1Q1), { paramBits: 8 });
  const t = report.totals;

  it.each([
    ['weights', t.weights.value, 120 * 256 + 256 * 256 + 256 * 10],
    ['biases', t.biases.value, 256 + 256 + 10],
    ['params', t.params.value, 98_816 + 522],
    ['parameter bytes', t.paramBytes.value, 99_338 * 1],
    ['MACs', t.macs.value, 98_816],
    ['SRAM bytes', t.sramBytes.value, (256 + 256) * 1],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('matches the reference numbers as printed', () => {
    expect([t.params.value, t.paramBytes.value, t.macs.value, t.sramBytes.value]).toEqual([99_338, 99_338, 98_816, 512]);
  });
});

describe('HW1 Q2: 1280-512-512-32 at 32 bits, 80 MHz, 4 cycles per MAC', () => {
  const report = analyze(defineModel(mlpHw1Q2), { paramBits: 32 });
  const t = report.totals;
  const latency = mcuLatency(t.macs, { clockMHz: 80, cyclesPerMac: 4 });

  it.each([
    ['params', t.params.value, 1280 * 512 + 512 + (512 * 512 + 512) + (512 * 32 + 32)],
    ['parameter bytes', t.paramBytes.value, 934_944 * 4],
    ['MACs', t.macs.value, 1280 * 512 + 512 * 512 + 512 * 32],
    ['cycles', latency.cycles.value, 933_888 * 4],
    ['SRAM bytes', t.sramBytes.value, 4 * (1280 + 512)],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('latency is 3,735,552 cycles / 80 MHz = 46.6944 ms', () => {
    expect(latency.latencyMs.value).toBeCloseTo(46.6944, 12);
    expect(latency.latencyMs.value).toBe(3_735_552 / 80_000);
  });

  it('matches the reference numbers as printed', () => {
    expect([t.params.value, t.paramBytes.value, t.macs.value, t.sramBytes.value]).toEqual([934_944, 3_739_776, 933_888, 7_168]);
  });
});

describe('Lab 1 MLPs', () => {
  const params = (widths: number[]) => analyze(defineModel(mlpDef('m', widths, { activation: 'ReLU' }))).totals.params.value;

  it('784-256-128-10: params, MACs per sample and by batch, fp32 weight bytes per layer', () => {
    const model = defineModel(mlpLab);
    const one = analyze(model);
    expect(one.totals.params.value).toBe(784 * 256 + 256 + (256 * 128 + 128) + (128 * 10 + 10));
    expect(one.totals.params.value).toBe(235_146);
    expect(one.totals.macs.value).toBe(784 * 256 + 256 * 128 + 128 * 10);
    expect(analyze(model, { batch: 64 }).totals.macs.value).toBe(15_024_128);
    expect(analyze(model, { batch: 128 }).totals.macs.value).toBe(30_048_256);
    const linears = one.layers.filter((r) => r.layer.type === 'Linear');
    const weightBytes = linears.map((r) => r.weights.value * 4);
    expect(weightBytes).toEqual([802_816, 131_072, 5_120]);
    expect(weightBytes.map((b) => b / 1024)).toEqual([784, 128, 5]);
  });

  it.each([
    [[784, 128, 128, 10], 118_282],
    [[784, 1024, 128, 10], 936_330],
    [[784, 128, 10], 101_770],
    [[784, 128, 128, 128, 10], 134_794],
  ])('%j has %i parameters', (widths, expected) => {
    expect(params(widths)).toBe(expected);
  });
});
