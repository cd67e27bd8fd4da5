/**
 * Energy per forward pass (45 nm, Horowitz ISSCC 2014):
 * E = MACs · (E_mult + E_add) + N_w · E_{DRAM|SRAM} + N_a · E_SRAM, accesses in 32-bit words.
 */
import { describe, expect, it } from 'vitest';
import { ENERGY_45NM, HARDWARE_PROFILES, HardwareError, costSummary, derivationSteps, energyPerInference } from '../../src/engine/index.ts';
import { mlpHw1Q1, mlpHw1Q2, mlpLab } from '../../src/engine/zoo/mlp.ts';
import { expectClose, report } from './helpers.ts';

const q1 = report(mlpHw1Q1, { paramBits: 8 });
const q2 = report(mlpHw1Q2);

describe('HW1 Q2 (fp32), weights in DRAM', () => {
  const e = energyPerInference(q2, ENERGY_45NM, { weightsIn: 'dram' });

  it.each([
    ['MAC energy (pJ)', e.macEnergyPj.value, 933_888 * (3.7 + 0.9)],
    ['weight accesses', e.weightAccesses.value, 934_944 * 32 / 32],
    ['weight energy (pJ)', e.weightEnergyPj.value, 934_944 * 640],
    ['activation accesses', e.activationAccesses.value, (1280 + 512) + (512 + 512) + (512 + 32)],
    ['activation energy (pJ)', e.activationEnergyPj.value, ((1280 + 512) + (512 + 512) + (512 + 32)) * 5],
    ['energy (µJ)', e.energyUj.value, (933_888 * (3.7 + 0.9) + 934_944 * 640 + ((1280 + 512) + (512 + 512) + (512 + 32)) * 5) / 1e6],
  ])('%s', (_name, actual, expected) => {
    expectClose(actual, expected);
  });

  it('is dominated by the DRAM reads: 99 % of it', () => {
    expect(e.weightEnergyPj.value / (e.energyUj.value * 1e6)).toBeGreaterThan(0.99);
  });

  it('states its assumptions', () => {
    expect(e.assumptions).toContain('every parameter read once per forward pass from DRAM');
    expect(e.energyPerSampleUj).toBeUndefined();
  });

  it('derivation', () => {
    expect(derivationSteps(e.energyUj)).toEqual([
      'E = \\frac{E_{\\text{MAC}} + E_w + E_a}{10^6}',
      '= \\frac{4{,}295{,}884.8 + 598{,}364{,}160 + 16{,}800}{10^6}',
      '= \\frac{602{,}676{,}840}{1{,}000{,}000}',
      '= 602.67684\\ \\mu\\text{J}',
    ]);
  });
});

describe('weight placement is the named assumption', () => {
  it('weights in SRAM: 128× less weight energy (640 pJ → 5 pJ per access)', () => {
    const sram = energyPerInference(q2, ENERGY_45NM, { weightsIn: 'sram' });
    expectClose(sram.weightEnergyPj.value, 934_944 * 5);
    expectClose(sram.energyUj.value, (933_888 * (3.7 + 0.9) + 934_944 * 5 + 3_360 * 5) / 1e6);
    expect(sram.assumptions).toContain('every parameter read once per forward pass from SRAM');
  });
});

describe('HW1 Q1 at 8 bits', () => {
  it('uses int8 operations and a quarter of a 32-bit access per value', () => {
    const e = energyPerInference(q1, ENERGY_45NM, { weightsIn: 'dram' });
    expect(e.precision).toBe('int8');
    const activations = (120 + 256) + (256 + 256) + (256 + 10);
    expectClose(e.energyUj.value, (98_816 * (0.2 + 0.03) + 99_338 * 8 / 32 * 640 + activations * 8 / 32 * 5) / 1e6);
  });
});

describe('Lab MLP at batch 64: weights read once for the whole batch', () => {
  const one = energyPerInference(report(mlpLab), ENERGY_45NM, { weightsIn: 'dram' });
  const batch = energyPerInference(report(mlpLab, { batch: 64 }), ENERGY_45NM, { weightsIn: 'dram' });
  const activations = (784 + 256) + (256 + 128) + (128 + 10);

  it('energy of the pass and per sample', () => {
    expectClose(batch.energyUj.value, (15_024_128 * (3.7 + 0.9) + 235_146 * 640 + 64 * activations * 5) / 1e6);
    expectClose(batch.energyPerSampleUj!.value, (15_024_128 * (3.7 + 0.9) + 235_146 * 640 + 64 * activations * 5) / 1e6 / 64);
  });

  it('costs less per sample than batch 1', () => {
    expectClose(one.energyUj.value, (234_752 * (3.7 + 0.9) + 235_146 * 640 + activations * 5) / 1e6);
    expect(batch.energyPerSampleUj!.value).toBeLessThan(one.energyUj.value);
  });
});

describe('missing energy data', () => {
  it('is an error listing every missing field', () => {
    expect(() => energyPerInference(q2, { sramAccess32Pj: { value: 5, source: 's' } }, { weightsIn: 'dram' })).toThrow(HardwareError);
    expect(() => energyPerInference(q2, { sramAccess32Pj: { value: 5, source: 's' } }, { weightsIn: 'dram' })).toThrow(
      /energy\.multPj\.fp32: .*energy\.addPj\.fp32: .*energy\.dramAccess32Pj: /,
    );
    expect(() => energyPerInference(q2, ENERGY_45NM, { weightsIn: 'dram', precision: 'int16' })).toThrow(/energy\.multPj\.int16/);
  });

  it('leaves energy out of a summary whose profile has none', () => {
    const s = costSummary(q2, HARDWARE_PROFILES['raspberry-pi-4']!);
    expect(s.energyMicrojoules).toBeUndefined();
    expect(s.omitted.find((o) => o.quantity === 'energy')?.reason).toMatch(/energy\.multPj\.fp32/);
  });

  it('the 45 nm profile yields energy and nothing else', () => {
    const s = costSummary(q2, HARDWARE_PROFILES['horowitz-45nm']!);
    expectClose(s.json.energyMicrojoules!, (933_888 * (3.7 + 0.9) + 934_944 * 640 + 3_360 * 5) / 1e6);
    expect(Object.keys(s.json)).toEqual(['hardware', 'energyMicrojoules']);
  });
});
