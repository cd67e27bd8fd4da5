/**
 * One engine, one truth, for the cost models too: every figure's derivation recomputes to the
 * figure, ends with its value, and no value is NaN or infinite.
 */
import { describe, expect, it } from 'vitest';
import {
  ENERGY_45NM,
  HARDWARE_PROFILES,
  costSummary,
  derivationForms,
  energyPerInference,
  evaluate,
  operationCountModel,
  throughputVsBatch,
  valueTex,
  type Figure,
} from '../../src/engine/index.ts';
import { mlpDef, mlpHw1Q1, mlpHw1Q2, mlpLab } from '../../src/engine/zoo/mlp.ts';
import { report } from './helpers.ts';

const isFigure = (x: unknown): x is Figure =>
  typeof x === 'object' && x !== null && 'expr' in x && 'symbol' in x && 'value' in x && 'unit' in x;

/** Every figure in a result, by its path; the analyzer's own figures (under `layer`) are tested elsewhere. */
function figuresIn(root: unknown, path = ''): [string, Figure][] {
  if (isFigure(root)) return [[path, root]];
  if (typeof root !== 'object' || root === null) return [];
  return Object.entries(root).flatMap(([k, v]) =>
    ['layer', 'hardware', 'model'].includes(k) ? [] : figuresIn(v, path ? `${path}.${k}` : k),
  );
}

const reports = [
  report(mlpHw1Q1, { paramBits: 8 }),
  report(mlpHw1Q2),
  report(mlpLab, { batch: 64 }),
  report(mlpDef('tiny', [3, 2]), { batch: 3 }),
];

const cases: [string, Figure][] = [];
for (const r of reports) {
  const name = `${r.model.name}@${r.batch}`;
  for (const [id, hw] of Object.entries(HARDWARE_PROFILES)) {
    const summary = costSummary(r, hw, { inPlaceLayers: 'memory-pass' });
    for (const [p, f] of figuresIn({ mcu: summary.mcu, roofline: summary.roofline, energy: summary.energy, fit: summary.fit })) {
      cases.push([`${name} ${id} ${p}`, f]);
    }
  }
  for (const [p, f] of figuresIn(energyPerInference(r, ENERGY_45NM, { weightsIn: 'sram' }))) cases.push([`${name} energy(sram) ${p}`, f]);
  for (const pipelined of [false, true]) {
    for (const [p, f] of figuresIn(operationCountModel(r, { pipelined, speedOpsPerS: 2.5e9 }))) cases.push([`${name} ops(${pipelined}) ${p}`, f]);
  }
  for (const [p, f] of figuresIn(throughputVsBatch(r, HARDWARE_PROFILES['nvidia-a100-sxm4-40gb']!).points)) cases.push([`${name} sweep ${p}`, f]);
}

describe('cost figures', () => {
  it('are many', () => {
    expect(cases.length).toBeGreaterThan(500);
  });

  it.each(cases)('%s: finite, recomputes from its derivation, and the derivation ends with it', (_key, f) => {
    expect(Number.isFinite(f.value)).toBe(true);
    expect(evaluate(f.expr)).toBe(f.value);
    const forms = derivationForms(f);
    expect(forms[forms.length - 1]).toBe(valueTex(f.value, f.unit));
  });
});
