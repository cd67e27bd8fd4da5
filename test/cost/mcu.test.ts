/**
 * Microcontroller latency (t = MACs × k / f) per layer and in total, and the fit check
 * (parameters against flash, peak activations against SRAM).
 */
import { describe, expect, it } from 'vitest';
import { HARDWARE_PROFILES, HardwareError, adHocProfile, costSummary, derivationSteps, fitCheck, mcuLatencyReport } from '../../src/engine/index.ts';
import { mlpHw1Q1, mlpHw1Q2 } from '../../src/engine/zoo/mlp.ts';
import { expectClose, report } from './helpers.ts';

const hw1 = HARDWARE_PROFILES['hw1-mcu']!;
const m4 = HARDWARE_PROFILES['stm32f446re']!;
const m7 = HARDWARE_PROFILES['stm32f746ng']!;
const q1 = report(mlpHw1Q1, { paramBits: 8 });
const q2 = report(mlpHw1Q2, { paramBits: 32 });

describe('HW1 Q2 on the HW1 microcontroller (80 MHz, 4 cycles per MAC)', () => {
  const mcu = mcuLatencyReport(q2, hw1);

  it('takes 3,735,552 cycles = 46.6944 ms', () => {
    expect(mcu.total.cycles.value).toBe(933_888 * 4);
    expect(mcu.total.latencyMs.value).toBe(933_888 * 4 / 80e3);
    expect(mcu.total.latencyMs.value).toBeCloseTo(46.6944, 12);
  });

  it.each([
    ['fc1', 1280 * 512 * 4 / 80e3],
    ['fc2', 512 * 512 * 4 / 80e3],
    ['fc3', 512 * 32 * 4 / 80e3],
  ])('layer %s takes its MACs × 4 / 80 MHz', (name, expected) => {
    const layer = mcu.layers.find((l) => l.layer.layer.name === name)!;
    expectClose(layer.latencyMs.value, expected);
  });

  it('the layers add up to the total', () => {
    expectClose(mcu.layers.reduce((a, l) => a + l.latencyMs.value, 0), mcu.total.latencyMs.value);
  });

  it('the same from the ad hoc flags --clock-mhz 80 --cycles-per-mac 4', () => {
    expect(mcuLatencyReport(q2, adHocProfile({ clockMHz: 80, cyclesPerMac: 4 })).total.latencyMs.value).toBe(46.6944);
  });

  it('the derivation reads as HW1 writes it', () => {
    expect(derivationSteps(mcu.total.cycles)).toEqual(['\\text{cycles} = \\text{MACs} \\cdot k', '= 933{,}888 \\times 4', '= 3{,}735{,}552\\ \\text{cycles}']);
    expect(derivationSteps(mcu.total.latencyMs)).toEqual([
      't = \\frac{\\text{cycles}}{f \\cdot 10^3}',
      '= \\frac{3{,}735{,}552}{80 \\times 10^3}',
      '= \\frac{3{,}735{,}552}{80{,}000}',
      '= 46.6944\\ \\text{ms}',
    ]);
  });

  it('is the latency of the cost summary, whose JSON has only what the profile supports', () => {
    expect(costSummary(q2, hw1).json).toEqual({ hardware: 'hw1-mcu', latencyMs: 933_888 * 4 / 80e3 });
  });
});

describe('cycles per MAC by precision', () => {
  it.each([
    ['HW1 Q1 int8 on the M4', q1, m4, 98_816 * 0.5 / 180e3],
    ['HW1 Q2 fp32 on the M4', q2, m4, 933_888 * 3 / 180e3],
    ['HW1 Q1 int8 on the M7', q1, m7, 98_816 * 0.5 / 216e3],
  ])('%s', (_name, r, hw, expected) => {
    expectClose(mcuLatencyReport(r, hw).total.latencyMs.value, expected);
  });

  it('a precision the profile does not list is an error naming the field, not a guess', () => {
    expect(() => mcuLatencyReport(q2, m7)).toThrow(HardwareError);
    expect(() => mcuLatencyReport(q2, m7)).toThrow(/stm32f746ng'?: cyclesPerMac\.fp32: needed for microcontroller latency/);
    expect(costSummary(q2, m7).latencyMs).toBeUndefined();
  });
});

describe('fit check', () => {
  it.each([
    // [case, report, profile, memory, need, capacity]
    ['HW1 Q2 parameters in the M4 flash', q2, m4, 'flash', 934_944 * 4, 512 * 1024],
    ['HW1 Q2 activations in the M4 SRAM', q2, m4, 'sram', 4 * (1280 + 512), 128 * 1024],
    ['HW1 Q1 parameters in the M4 flash', q1, m4, 'flash', 99_338 * 1, 512 * 1024],
    ['HW1 Q1 activations in the M7 SRAM', q1, m7, 'sram', 256 + 256, 320 * 1024],
    ['HW1 Q2 on the Pi 4 DRAM', q2, HARDWARE_PROFILES['raspberry-pi-4']!, 'dram', 934_944 * 4 + 4 * (1280 + 512), 4 * 2 ** 30],
  ] as const)('%s', (_name, r, hw, memory, need, capacity) => {
    const check = fitCheck(r, hw).checks.find((c) => c.memory === memory)!;
    expect(check.need.value).toBe(need);
    expect(check.capacity.value).toBe(capacity);
    expect(check.margin.value).toBe(capacity - need);
    expectClose(check.used.value, need / capacity * 100);
    expect(check.fits).toBe(need <= capacity);
    expect(check.verdict).toMatch(need <= capacity ? /^fits: .* to spare$/ : /^does not fit: .* short$/);
  });

  it('HW1 Q2 (3.7 MB of fp32 weights) does not fit the M4: 3,215,488 B short of flash', () => {
    const fit = fitCheck(q2, m4);
    expect(fit.fits).toBe(false);
    expect(fit.checks.find((c) => c.memory === 'flash')!.verdict).toContain('3,215,488 B short');
    expect(fit.checks.find((c) => c.memory === 'sram')!.fits).toBe(true);
  });

  it('HW1 Q1 at 8 bits fits the M4', () => {
    expect(fitCheck(q1, m4).fits).toBe(true);
  });

  it('a profile without memory sizes gives no verdict', () => {
    expect(fitCheck(q2, hw1)).toEqual({ checks: [], fits: undefined });
  });
});
