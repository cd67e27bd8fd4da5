/**
 * costSummary: the one call the CLI makes. Its JSON holds exactly the fields the profile supports;
 * everything left out is listed with the missing profile fields; no NaN or Infinity escapes.
 */
import { describe, expect, it } from 'vitest';
import { HARDWARE_PROFILES, costSummary, parseHardwareProfile, type CostJson } from '../../src/engine/index.ts';
import { mlpHw1Q1, mlpHw1Q2, mlpLab } from '../../src/engine/zoo/mlp.ts';
import { expectClose, report } from './helpers.ts';

const q2 = report(mlpHw1Q2);

describe('HW1 Q2 (fp32) on each built-in profile', () => {
  it.each([
    ['hw1-mcu', ['hardware', 'latencyMs'], ['roofline (compute, memory, bound)', 'energy', 'fit']],
    ['stm32f446re', ['hardware', 'latencyMs', 'fits'], ['roofline (compute, memory, bound)', 'energy']],
    ['stm32f746ng', ['hardware', 'fits'], ['latency', 'roofline (compute, memory, bound)', 'energy']],
    ['raspberry-pi-4', ['hardware', 'latencyMs', 'computeMs', 'memoryMs', 'bound', 'fits'], ['energy']],
    ['ryzen-9-5950x', ['hardware', 'latencyMs', 'computeMs', 'memoryMs', 'bound'], ['energy', 'fit']],
    ['nvidia-a100-sxm4-40gb', ['hardware', 'latencyMs', 'computeMs', 'memoryMs', 'bound', 'fits'], ['energy']],
    ['horowitz-45nm', ['hardware', 'energyMicrojoules'], ['latency', 'roofline (compute, memory, bound)', 'fit']],
  ])('%s gives %j and says why the rest is omitted', (id, fields, omitted) => {
    const s = costSummary(q2, HARDWARE_PROFILES[id]!);
    expect(Object.keys(s.json)).toEqual(fields);
    expect(s.json.hardware).toBe(id);
    expect(s.omitted.map((o) => o.quantity)).toEqual(omitted);
    for (const o of s.omitted) expect(o.reason).toMatch(/^the profile has no /);
    const text = JSON.stringify(s.json);
    expect(text).not.toMatch(/null|NaN|Infinity/);
    for (const value of Object.values(s.json)) if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
  });

  it('on the Pi 4 the JSON carries the roofline totals', () => {
    const s = costSummary(q2, HARDWARE_PROFILES['raspberry-pi-4']!);
    const bytes = (934_944 + (1280 + 512) + (512 + 512) + (512 + 32)) * 4;
    const expected: CostJson = {
      hardware: 'raspberry-pi-4',
      latencyMs: (bytes / 12.8e9) * 1e3,
      computeMs: ((2 * 933_888) / 48e9) * 1e3,
      memoryMs: (bytes / 12.8e9) * 1e3,
      bound: 'memory',
      fits: true,
    };
    expect(Object.keys(s.json)).toEqual(Object.keys(expected));
    for (const key of ['latencyMs', 'computeMs', 'memoryMs'] as const) expectClose(s.json[key]!, expected[key]!);
    expect([s.json.bound, s.json.fits, s.latencyModel]).toEqual(['memory', true, 'roofline']);
  });

  it('lists the profile values it used, each with its source', () => {
    const s = costSummary(q2, HARDWARE_PROFILES['hw1-mcu']!);
    expect(s.sources).toEqual([
      { field: 'clockMHz', value: 80, source: 'HW1 (course homework), question 2' },
      { field: 'cyclesPerMac.default', value: 4, source: 'HW1 (course homework), question 2' },
    ]);
  });
});

describe('a user profile with everything', () => {
  const s = (n = 1) =>
    costSummary(
      report(mlpLab, { batch: n }),
      parseHardwareProfile({
        id: 'full',
        name: 'everything',
        kind: 'custom',
        clockMHz: { value: 100, source: 't' },
        cyclesPerMac: { default: { value: 2, source: 't' } },
        memoryBandwidthBytesPerS: { value: 400e6, source: 't' },
        sramBytes: { value: 1 << 20, source: 't' },
        flashBytes: { value: 1 << 20, source: 't' },
        energy: {
          addPj: { fp32: { value: 0.9, source: 't' } },
          multPj: { fp32: { value: 3.7, source: 't' } },
          sramAccess32Pj: { value: 5, source: 't' },
        },
      }),
      { weightsIn: 'sram' },
    );

  it('takes latency from cycles per MAC, compute and memory times from the roofline', () => {
    const x = s();
    expect(x.latencyModel).toBe('mcu-cycles');
    expectClose(x.latencyMs!, (234_752 * 2) / 100e3);
    // π = 2 · 100 MHz / 2 cycles = 100 MFLOP/s
    expectClose(x.computeMs!, ((2 * 234_752) / 100e6) * 1e3);
    expect(x.assumptions).toContain('latency from cycles per MAC (microcontroller model); compute and memory times from the roofline');
    expect(Object.keys(x.json)).toEqual(['hardware', 'latencyMs', 'computeMs', 'memoryMs', 'bound', 'energyMicrojoules', 'fits']);
    expect(x.omitted).toEqual([]);
  });

  it('weights in SRAM need no DRAM energy; the assumption is stated', () => {
    const x = s();
    const activations = (784 + 256) + (256 + 128) + (128 + 10);
    expectClose(x.energyMicrojoules!, (234_752 * (3.7 + 0.9) + 235_146 * 5 + activations * 5) / 1e6);
    expect(x.assumptions).toContain('every parameter read once per forward pass from SRAM');
  });

  it('asking for weights in DRAM without a DRAM energy omits energy instead of guessing', () => {
    const x = costSummary(report(mlpLab), { ...HARDWARE_PROFILES['horowitz-45nm']!, energy: { ...HARDWARE_PROFILES['horowitz-45nm']!.energy!, dramAccess32Pj: undefined } });
    expect(x.energyMicrojoules).toBeUndefined();
    expect(x.omitted.find((o) => o.quantity === 'energy')?.reason).toBe('the profile has no energy.dramAccess32Pj');
  });
});

describe('precision', () => {
  it('follows the report (int8 on the A100) unless told', () => {
    const q1 = report(mlpHw1Q1, { paramBits: 8 });
    const a100 = HARDWARE_PROFILES['nvidia-a100-sxm4-40gb']!;
    expect(costSummary(q1, a100).precision).toBe('int8');
    expect(costSummary(q1, a100).roofline!.roof.peak.value).toBe(624e12);
    expect(costSummary(q1, a100, { precision: 'fp16' }).roofline!.roof.peak.value).toBe(312e12);
  });

  it('bits without a default precision ask for one', () => {
    expect(() => costSummary(report(mlpHw1Q1, { paramBits: 4 }), HARDWARE_PROFILES['hw1-mcu']!)).toThrow(/no default precision for 4-bit values/);
    expect(costSummary(report(mlpHw1Q1, { paramBits: 4 }), HARDWARE_PROFILES['hw1-mcu']!, { precision: 'int8' }).json.latencyMs).toBe((98_816 * 4) / 80e3);
  });
});
