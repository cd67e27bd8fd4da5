/**
 * Throughput and latency across the lab's batch sizes under the roofline: a batch reads the
 * weights once and every sample's activations, so throughput rises with the batch, and so does
 * the batch's latency (the lectures: higher throughput does not mean lower latency).
 */
import { describe, expect, it } from 'vitest';
import { HARDWARE_PROFILES, LAB_BATCH_SIZES, derivationSteps, throughputVsBatch } from '../../src/engine/index.ts';
import { mlpLab } from '../../src/engine/zoo/mlp.ts';
import { expectClose, report } from './helpers.ts';

const ryzen = HARDWARE_PROFILES['ryzen-9-5950x']!;
const pi = 1_740.8e9;
const beta = 51.2e9;
const widths = [784, 256, 128, 10];

/** t(n) = Σ_ℓ max(2 n c_i c_o / π, ((c_i c_o + c_o) · 4 + n (c_i + c_o) · 4) / β), in ms. */
function expectedLatencyMs(n: number): number {
  let seconds = 0;
  for (let i = 1; i < widths.length; i++) {
    const [ci, co] = [widths[i - 1]!, widths[i]!];
    seconds += Math.max((2 * n * ci * co) / pi, ((ci * co + co) * 4 + n * (ci + co) * 4) / beta);
  }
  return seconds * 1e3;
}

describe('Lab MLP (784-256-128-10, fp32) on the Ryzen 9 5950X at batch 1, 32, 64, 128', () => {
  const sweep = throughputVsBatch(report(mlpLab), ryzen);

  it('sweeps the batch sizes the lab measured', () => {
    expect(sweep.points.map((p) => p.batch)).toEqual([...LAB_BATCH_SIZES]);
    expect(LAB_BATCH_SIZES).toEqual([1, 32, 64, 128]);
  });

  it.each(LAB_BATCH_SIZES.map((n) => [n]))('batch %i: latency and throughput', (n) => {
    const p = sweep.points.find((x) => x.batch === n)!;
    expectClose(p.latencyMs.value, expectedLatencyMs(n));
    expectClose(p.throughput.value, n / (expectedLatencyMs(n) / 1e3));
  });

  it('throughput rises with the batch, and so does latency', () => {
    expect(sweep.throughputRises).toBe(true);
    expect(sweep.latencyRises).toBe(true);
    const [first, last] = [sweep.points[0]!, sweep.points[sweep.points.length - 1]!];
    expect(last.throughput.value).toBeGreaterThan(first.throughput.value * 50);
    expect(last.latencyMs.value).toBeGreaterThan(first.latencyMs.value);
  });

  it('batch 1 is memory-bound (the weights dominate); batch 128 has become compute-bound', () => {
    expect(sweep.points.map((p) => p.bound)).toEqual(['memory', 'memory', 'memory', 'compute']);
  });

  it('derivation of a throughput', () => {
    const p = sweep.points[1]!;
    expect(derivationSteps(p.throughput)[0]).toBe('\\text{throughput}(32) = \\frac{n \\cdot 10^3}{t(32)}');
    expect(derivationSteps(p.latencyMs)[0]).toBe('t(32) = \\sum_\\ell \\max\\left(T^{\\text{comp}}_\\ell,\\ T^{\\text{mem}}_\\ell\\right)');
  });
});

describe('a sweep that is compute-bound throughout', () => {
  it('gains no throughput from batching: flat throughput, latency linear in n', () => {
    // A profile whose memory is effectively free: every layer is compute-bound at any batch.
    const sweep = throughputVsBatch(report(mlpLab), {
      ...ryzen,
      id: 'fast-memory',
      memoryBandwidthBytesPerS: { value: 1e18, source: 'test' },
    });
    expect(sweep.points.every((p) => p.bound === 'compute')).toBe(true);
    const macs = 784 * 256 + 256 * 128 + 128 * 10;
    for (const p of sweep.points) expectClose(p.throughput.value, pi / (2 * macs));
  });
});
