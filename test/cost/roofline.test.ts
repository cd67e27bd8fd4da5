/**
 * The roofline model: I = W / Q, P = min(π, I·β), T_compute = W / π, T_memory = Q / β,
 * t ≈ max(T_compute, T_memory); memory-bound below the ridge π / β.
 */
import { describe, expect, it } from 'vitest';
import {
  HARDWARE_PROFILES,
  HardwareError,
  derivationSteps,
  figure,
  parseHardwareProfile,
  requireRoof,
  roofline,
  rooflineChartData,
  rooflineTerms,
} from '../../src/engine/index.ts';
import { variable } from '../../src/engine/math/expr.ts';
import { mlpHw1Q1, mlpHw1Q2, mlpLab } from '../../src/engine/zoo/mlp.ts';
import { expectClose, report } from './helpers.ts';

const pi4 = HARDWARE_PROFILES['raspberry-pi-4']!;
const ryzen = HARDWARE_PROFILES['ryzen-9-5950x']!;
const a100 = HARDWARE_PROFILES['nvidia-a100-sxm4-40gb']!;

describe("the lecture's roofline table (seed 004, op1-op6)", () => {
  // The table's rows imply its roof: op4-op6 sit on a flat 4,608 GFLOPS, and op1's
  // 226.5 GFLOPS at 57.8 / 24.5 FLOP/B is a 96 GB/s slope.
  const lecture = parseHardwareProfile({
    id: 'lecture-roofline',
    name: 'Roof of the lecture example',
    kind: 'reference',
    peakOpsPerS: { default: { value: 4608e9, source: 'lecture 004, roofline insight table (op4-op6)' } },
    memoryBandwidthBytesPerS: { value: 96e9, source: 'lecture 004, roofline insight table (op1)' },
  });
  const roof = requireRoof(lecture, 'fp32');
  const op = (name: string, mflops: number, mbytes: number) =>
    rooflineTerms(
      roof,
      figure(`W_{${name}}`, 'FLOPs', 'FLOPs', variable(`W_{${name}}`, mflops * 1e6)),
      figure(`Q_{${name}}`, 'bytes', 'B', variable(`Q_{${name}}`, mbytes * 1e6)),
      name,
    );

  it('has its ridge at 4608 / 96 = 48 FLOP/B', () => {
    expect(roof.ridge.value).toBe(4608e9 / 96e9);
  });

  it.each([
    // [op, MFLOPs, MB, bound, attainable FLOP/s, time in µs as the slide prints it]
    ['op1', 57.8, 24.5, 'memory', (57.8 / 24.5) * 96e9, 255],
    ['op2', 51.4, 2.3, 'memory', (51.4 / 2.3) * 96e9, 23.8],
    ['op3', 925, 24.5, 'memory', (925 / 24.5) * 96e9, 255],
    ['op4', 236, 3.7, 'compute', 4608e9, 51.2],
    ['op5', 172, 1.3, 'compute', 4608e9, 37.3],
    ['op6', 231, 1.3, 'compute', 4608e9, 50.3],
  ] as const)('%s: %f MFLOPs moving %f MB is %s-bound', (name, mflops, mbytes, bound, attainable, slideMicros) => {
    const t = op(name, mflops, mbytes);
    expect(t.bound).toBe(bound);
    expectClose(t.intensity.value, (mflops * 1e6) / (mbytes * 1e6));
    expectClose(t.attainable.value, attainable);
    expectClose(t.computeMs.value, (mflops * 1e6 / 4608e9) * 1e3);
    expectClose(t.memoryMs.value, (mbytes * 1e6 / 96e9) * 1e3);
    expectClose(t.latencyMs.value, Math.max(mflops * 1e6 / 4608e9, mbytes * 1e6 / 96e9) * 1e3);
    // The slide rounds its inputs (e.g. op2's 22.5 FLOP/B), so agree with it to 1 %.
    expect(Math.abs(t.latencyMs.value * 1e3 - slideMicros) / slideMicros).toBeLessThan(0.01);
  });

  it("reproduces the lecture's insights: op1 → op3 adds FLOPs but no time; op4 → op6 cuts bytes but no time", () => {
    expectClose(op('op3', 925, 24.5).latencyMs.value, op('op1', 57.8, 24.5).latencyMs.value);
    expectClose(op('op6', 231, 1.3).latencyMs.value, (231e6 / 4608e9) * 1e3);
    expect(op('op6', 231, 1.3).latencyMs.value).toBeLessThan(op('op4', 236, 3.7).latencyMs.value);
  });
});

describe('HW1 Q2 (fp32) on the Raspberry Pi 4: every layer memory-bound', () => {
  const rl = roofline(report(mlpHw1Q2), pi4);
  // ridge = 48 GFLOP/s / 12.8 GB/s = 3.75 FLOP/B
  const layers = [
    // [name, FLOPs, bytes = (weights + biases) × 4 + (inputs + outputs) × 4]
    ['fc1', 2 * 1280 * 512, (1280 * 512 + 512) * 4 + (1280 + 512) * 4],
    ['fc2', 2 * 512 * 512, (512 * 512 + 512) * 4 + (512 + 512) * 4],
    ['fc3', 2 * 512 * 32, (512 * 32 + 32) * 4 + (512 + 32) * 4],
  ] as const;

  it('ridge point', () => {
    expect(rl.roof.ridge.value).toBe(48e9 / 12.8e9);
  });

  it.each(layers)('%s', (name, flops, bytes) => {
    const l = rl.layers.find((x) => x.layer.layer.name === name)!;
    expect(l.flops.value).toBe(flops);
    expect(l.bytes.value).toBe(bytes);
    expectClose(l.intensity.value, flops / bytes);
    expectClose(l.attainable.value, (flops / bytes) * 12.8e9);
    expectClose(l.computeMs.value, (flops / 48e9) * 1e3);
    expectClose(l.memoryMs.value, (bytes / 12.8e9) * 1e3);
    expectClose(l.latencyMs.value, (bytes / 12.8e9) * 1e3);
    expect(l.bound).toBe('memory');
  });

  it('totals: t = Σ max(T_comp, T_mem) = Σ bytes / β', () => {
    const bytes = layers.reduce((a, [, , b]) => a + b, 0);
    const flops = layers.reduce((a, [, f]) => a + f, 0);
    expect(rl.totals.bytes.value).toBe(bytes);
    expect(rl.totals.flops.value).toBe(flops);
    expectClose(rl.totals.latencyMs.value, (bytes / 12.8e9) * 1e3);
    expectClose(rl.totals.computeMs.value, (flops / 48e9) * 1e3);
    expectClose(rl.totals.overlappedLatencyMs.value, Math.max(flops / 48e9, bytes / 12.8e9) * 1e3);
    expect(rl.totals.bound).toBe('memory');
  });

  it('derivations show the formula, the numbers and the result', () => {
    const fc3 = rl.layers[2]!;
    expect(derivationSteps(fc3.bytes)).toEqual([
      'Q_{\\text{fc3}} = |P_{\\text{fc3}}| \\cdot \\frac{b_w}{8} + \\left(a_{\\text{in}} + a_{\\text{out}}\\right) \\cdot \\frac{b_a}{8}',
      '= 16{,}416 \\times \\frac{32}{8} + \\left(512 + 32\\right) \\times \\frac{32}{8}',
      '= 65{,}664 + 2{,}176',
      '= 67{,}840\\ \\text{B}',
    ]);
    expect(derivationSteps(fc3.latencyMs)[0]).toBe('t_{\\text{fc3}} = \\max\\left(T^{\\text{comp}}_{\\text{fc3}},\\ T^{\\text{mem}}_{\\text{fc3}}\\right)');
  });
});

describe('Lab MLP at batch 128 on the Ryzen 9 5950X: compute- and memory-bound layers', () => {
  const r = report(mlpLab, { batch: 128 });
  // ridge = 1,740.8 GFLOP/s / 51.2 GB/s = 34 FLOP/B
  const pi = 1_740.8e9;
  const beta = 51.2e9;
  const cases = [
    // [layer, FLOPs = 2 n c_i c_o, bytes = (c_i c_o + c_o) × 4 + n (c_i + c_o) × 4, bound]
    ['fc1', 2 * 128 * 784 * 256, (784 * 256 + 256) * 4 + 128 * (784 + 256) * 4, 'compute'],
    ['fc2', 2 * 128 * 256 * 128, (256 * 128 + 128) * 4 + 128 * (256 + 128) * 4, 'memory'],
    ['fc3', 2 * 128 * 128 * 10, (128 * 10 + 10) * 4 + 128 * (128 + 10) * 4, 'memory'],
  ] as const;

  it.each(cases)('%s', (name, flops, bytes, bound) => {
    const rl = roofline(r, ryzen);
    expect(rl.roof.ridge.value).toBe(pi / beta);
    const l = rl.layers.find((x) => x.layer.layer.name === name)!;
    expect([l.flops.value, l.bytes.value]).toEqual([flops, bytes]);
    expect(l.bound).toBe(bound);
    // The classification by intensity agrees with the comparison of times.
    expect(l.bound === 'memory').toBe(l.memoryMs.value > l.computeMs.value);
    expectClose(l.latencyMs.value, Math.max(flops / pi, bytes / beta) * 1e3);
    expectClose(l.attainable.value, Math.min(pi, (flops / bytes) * beta));
  });

  it('ReLUs are fused by default, and read and write their tensor as a memory pass when asked', () => {
    expect(roofline(r, ryzen).layers.map((l) => l.layer.layer.name)).toEqual(['fc1', 'fc2', 'fc3']);
    const passes = roofline(r, ryzen, { inPlaceLayers: 'memory-pass' });
    const act1 = passes.layers.find((l) => l.layer.layer.name === 'relu1')!;
    expect(act1.bytes.value).toBe(128 * (256 + 256) * 4);
    expect([act1.flops.value, act1.intensity.value, act1.computeMs.value, act1.bound]).toEqual([0, 0, 0, 'memory']);
    expectClose(act1.latencyMs.value, ((128 * (256 + 256) * 4) / beta) * 1e3);
  });
});

describe('precision', () => {
  it('int8 weights use the int8 peak and move a quarter of the bytes', () => {
    const rl = roofline(report(mlpHw1Q1, { paramBits: 8 }), a100);
    expect(rl.precision).toBe('int8');
    expect(rl.roof.peak.value).toBe(624e12);
    expect(rl.layers[0]!.bytes.value).toBe((120 * 256 + 256) * 1 + (120 + 256) * 1);
  });

  it('overrides apply per layer (mixed precision)', () => {
    const rl = roofline(report(mlpHw1Q2), a100, { layerBits: (l) => (l.layer.name === 'fc1' ? { paramBits: 8 } : undefined) });
    expect(rl.layers[0]!.bytes.value).toBe((1280 * 512 + 512) * 1 + (1280 + 512) * 4);
    expect(rl.layers[1]!.bytes.value).toBe((512 * 512 + 512) * 4 + (512 + 512) * 4);
  });
});

describe('roof from the clock when the profile lists no peak', () => {
  const mcu = parseHardwareProfile({
    id: 'mcu-with-bus',
    name: 'test',
    kind: 'custom',
    clockMHz: { value: 80, source: 'test' },
    cyclesPerMac: { default: { value: 4, source: 'test' } },
    memoryBandwidthBytesPerS: { value: 320e6, source: 'test' },
  });

  it('π = 2 · f · 10^6 / k', () => {
    const roof = requireRoof(mcu, 'fp32');
    expect(roof.peak.value).toBe((2 * 80e6) / 4);
    expect(roof.ridge.value).toBe((2 * 80e6) / 4 / 320e6);
  });

  it('a profile without bandwidth is an error naming what is missing', () => {
    expect(() => roofline(report(mlpHw1Q2), HARDWARE_PROFILES['hw1-mcu']!)).toThrow(HardwareError);
    expect(() => roofline(report(mlpHw1Q2), HARDWARE_PROFILES['hw1-mcu']!)).toThrow(/memoryBandwidthBytesPerS: needed for the roofline model/);
    expect(() => roofline(report(mlpHw1Q2), HARDWARE_PROFILES['stm32f746ng']!)).toThrow(/peakOpsPerS\.fp32 \(or clockMHz and cyclesPerMac\.fp32\)/);
  });
});

describe('chart data', () => {
  const rl = roofline(report(mlpLab, { batch: 128 }), ryzen, { inPlaceLayers: 'memory-pass' });
  const chart = rooflineChartData(rl);

  it('the roof rises along the bandwidth to the ridge, then stays at the peak', () => {
    expect(chart.ridgeFlopsPerByte).toBe(34);
    expect(chart.roof.map((p) => p.intensityFlopsPerByte)).toEqual([chart.xDomain[0], 34, chart.xDomain[1]]);
    expect(chart.roof[0]!.flopsPerS).toBe(chart.xDomain[0] * 51.2e9);
    expect(chart.roof[1]!.flopsPerS).toBe(1_740.8e9);
    expect(chart.roof[2]!.flopsPerS).toBe(1_740.8e9);
  });

  it('plots the layers with FLOPs, each with its bound, and lists those without', () => {
    expect(chart.points.map((p) => [p.name, p.bound])).toEqual([
      ['fc1', 'compute'],
      ['fc2', 'memory'],
      ['fc3', 'memory'],
    ]);
    // The lab's SimpleMLP applies ReLU after fc3 too, then nn.Softmax.
    expect(chart.omitted.map((o) => o.path)).toEqual(['relu1', 'relu2', 'relu3', 'softmax']);
    for (const p of [...chart.points, chart.model]) {
      expect(p.intensityFlopsPerByte).toBeGreaterThan(chart.xDomain[0]);
      expect(p.intensityFlopsPerByte).toBeLessThan(chart.xDomain[1]);
      expect(p.attainableFlopsPerS).toBeGreaterThan(chart.yDomain[0]);
      expect(p.attainableFlopsPerS).toBeLessThanOrEqual(Math.min(chart.peakFlopsPerS, p.intensityFlopsPerByte * chart.bandwidthBytesPerS) * (1 + 1e-12));
    }
  });

  it('places the whole model at W / t', () => {
    expectClose(chart.model.attainableFlopsPerS, rl.totals.flops.value / (rl.totals.latencyMs.value / 1e3));
  });
});
