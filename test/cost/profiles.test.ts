/**
 * Hardware profiles: the built-in ones validate and cite a source for every value; a user's JSON
 * that is wrong fails with the file and every bad field named.
 */
import { describe, expect, it } from 'vitest';
import {
  HARDWARE_PROFILES,
  HardwareError,
  adHocProfile,
  hardwareProfile,
  hardwareProfileSchema,
  parseHardwareProfile,
  sourcesOf,
} from '../../src/engine/index.ts';

const KINDS_REQUIRED = ['microcontroller', 'single-board-computer', 'desktop-cpu', 'datacenter-gpu'] as const;

describe('built-in profiles', () => {
  it.each(Object.entries(HARDWARE_PROFILES))('%s validates, and each of its values has a source', (id, profile) => {
    expect(hardwareProfileSchema.safeParse(profile).success).toBe(true);
    expect(profile.id).toBe(id);
    const sources = sourcesOf(profile);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(Number.isFinite(s.value) && s.value > 0).toBe(true);
      expect(s.source.trim()).not.toBe('');
    }
  });

  it('include HW1, two Cortex-M parts, a single-board computer, a desktop CPU and a datacenter GPU', () => {
    const kinds = Object.values(HARDWARE_PROFILES).map((p) => p.kind);
    for (const kind of KINDS_REQUIRED) expect(kinds).toContain(kind);
    expect(kinds.filter((k) => k === 'microcontroller').length).toBeGreaterThanOrEqual(3);
    expect(HARDWARE_PROFILES['hw1-mcu']?.clockMHz?.value).toBe(80);
    expect(HARDWARE_PROFILES['hw1-mcu']?.cyclesPerMac?.default?.value).toBe(4);
  });

  it('the 45 nm energy table is the lectures\' (Horowitz, ISSCC 2014)', () => {
    const e = HARDWARE_PROFILES['horowitz-45nm']!.energy!;
    expect([e.addPj?.int32?.value, e.addPj?.fp32?.value, e.multPj?.int32?.value, e.multPj?.fp32?.value, e.sramAccess32Pj?.value, e.dramAccess32Pj?.value]).toEqual([
      0.1, 0.9, 3.1, 3.7, 5, 640,
    ]);
  });

  it('an unknown id lists the ones there are', () => {
    expect(() => hardwareProfile('pdp-11')).toThrow(/unknown hardware profile 'pdp-11'; built in: hw1-mcu, /);
  });
});

describe('a user profile', () => {
  const good = {
    id: 'my-board',
    name: 'My board',
    kind: 'custom',
    clockMHz: { value: 64, source: 'my datasheet' },
    cyclesPerMac: { int8: { value: 1, source: 'measured' } },
  };

  it('parses from an object or from JSON text', () => {
    expect(parseHardwareProfile(good).clockMHz?.value).toBe(64);
    expect(parseHardwareProfile(JSON.stringify(good), { file: 'board.json' }).cyclesPerMac?.int8?.value).toBe(1);
  });

  it.each([
    ['a negative clock', { ...good, clockMHz: { value: -1, source: 's' } }, /board\.json: hardware profile 'my-board': clockMHz\.value: /],
    ['an infinite bandwidth', { ...good, memoryBandwidthBytesPerS: { value: Infinity, source: 's' } }, /memoryBandwidthBytesPerS\.value: /],
    ['NaN cycles', { ...good, cyclesPerMac: { fp32: { value: NaN, source: 's' } } }, /cyclesPerMac\.fp32\.value: /],
    ['a value without its source', { ...good, sramBytes: { value: 1024 } }, /sramBytes\.source: /],
    ['a fractional byte count', { ...good, flashBytes: { value: 1.5, source: 's' } }, /flashBytes\.value: /],
    ['an unknown precision', { ...good, peakOpsPerS: { fp8: { value: 1, source: 's' } } }, /peakOpsPerS: unknown field 'fp8'/],
    ['an empty precision map', { ...good, peakOpsPerS: {} }, /peakOpsPerS: give at least one of int8/],
    ['a misspelt field', { ...good, clockMhz: { value: 1, source: 's' } }, /unknown field 'clockMhz'/],
    ['an id with spaces', { ...good, id: 'My Board' }, /id: use lowercase letters/],
    ['an unknown kind', { ...good, kind: 'abacus' }, /kind: /],
  ])('with %s is refused, naming the file and the field', (_what, json, message) => {
    expect(() => parseHardwareProfile(json, { file: 'board.json' })).toThrow(HardwareError);
    expect(() => parseHardwareProfile(json, { file: 'board.json' })).toThrow(message);
  });

  it('lists every bad field at once', () => {
    try {
      parseHardwareProfile({ ...good, clockMHz: { value: 0, source: 's' }, sramBytes: { value: -4, source: '' } }, { file: 'b.json' });
      expect.unreachable();
    } catch (error) {
      expect((error as HardwareError).problems.map((p) => p.field)).toEqual(['clockMHz.value', 'sramBytes.value', 'sramBytes.source']);
      expect((error as HardwareError).file).toBe('b.json');
    }
  });

  it('that is not JSON says so', () => {
    expect(() => parseHardwareProfile('{"id": ', { file: 'x.json' })).toThrow(/x\.json: hardware profile: not valid JSON/);
  });
});

describe('ad hoc profile from --clock-mhz and --cycles-per-mac', () => {
  it('holds exactly what was given', () => {
    const p = adHocProfile({ clockMHz: 80, cyclesPerMac: 4 });
    expect(p.clockMHz?.value).toBe(80);
    expect(p.cyclesPerMac?.default?.value).toBe(4);
    expect(sourcesOf(p).map((s) => s.field)).toEqual(['clockMHz', 'cyclesPerMac.default']);
  });

  it('refuses a zero clock', () => {
    expect(() => adHocProfile({ clockMHz: 0, cyclesPerMac: 4 })).toThrow(/clockMHz\.value/);
  });
});

describe('FORMAT.md', () => {
  it('its example validates, and every built-in profile is in the documented format', async () => {
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(new URL('../../src/engine/hardware/FORMAT.md', import.meta.url), 'utf8');
    const example = md.split('```json')[1]?.split('```')[0];
    expect(parseHardwareProfile(example, { file: 'FORMAT.md' }).id).toBe('my-cortex-m4');
    for (const field of Object.keys(hardwareProfileSchema.shape)) expect(md).toContain(`\`${field}`);
  });
});

// The devices the LLM figures run on. Datasheets print Tensor Core rates with 2:4 sparsity; a
// profile holds the dense rate, half of it. Each row: bandwidth, memory, dense fp16 peak.
describe('the LLM devices', () => {
  const GiB = 2 ** 30;
  it.each([
    ['nvidia-h100-pcie-80gb', 2_000e9, 80 * GiB, 1_513e12 / 2],
    ['nvidia-h200-sxm-141gb', 4_800e9, 141e9, 1_979e12 / 2],
    ['nvidia-a100-sxm4-80gb', 2_039e9, 80 * GiB, 312e12],
    ['nvidia-rtx-a6000', 768e9, 48 * GiB, 309.7e12 / 2],
    ['nvidia-rtx-4090', (21e9 * 384) / 8, 24 * GiB, 165.2e12],
    ['nvidia-l4', 300e9, 24 * GiB, 242e12 / 2],
    ['nvidia-jetson-agx-orin-64gb', 204.8e9, 64 * GiB, 170e12 / 2 / 2],
    ['nvidia-jetson-orin-nano-8gb', 102e9, 8 * GiB, 67e12 / 2 / 2],
    ['apple-m2-ultra', 800e9, 192 * GiB, 76 * 128 * 2 * 1398e6],
    ['apple-m3-max', 400e9, 128 * GiB, 40 * 128 * 2 * 1398e6],
    ['apple-m4-max', 546e9, 128 * GiB, 40 * 128 * 2 * 1678e6],
    ['raspberry-pi-5', 4267e6 * 4, 8 * GiB, 4 * 2.4e9 * 32],
  ] as const)('%s: bandwidth, memory and dense fp16 peak', (id, bandwidthBytesPerS, dramBytes, fp16OpsPerS) => {
    const p = hardwareProfile(id);
    expect(p.memoryBandwidthBytesPerS?.value).toBeCloseTo(bandwidthBytesPerS, -6);
    expect(p.dramBytes?.value).toBe(dramBytes);
    expect(p.peakOpsPerS?.fp16?.value).toBeCloseTo(fp16OpsPerS, -6);
  });
});
