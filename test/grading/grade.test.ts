/**
 * Grading against the engine: the precision rule, answers in several forms, and the hint for
 * each common mistake, computed by the engine under the mistaken assumption.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineModel, hardwareProfile } from '../../src/engine/index.ts';
import { mlpDef } from '../../src/engine/zoo/mlp.ts';
import { solve, answerFigure } from '../../src/workbook/answers.ts';
import { grade, gradeFigure } from '../../src/workbook/grading/grade.ts';
import { figure } from '../../src/engine/math/derivation.ts';
import { num } from '../../src/engine/math/expr.ts';
import { mistakenFigures } from '../../src/workbook/grading/mistakes.ts';
import { displayValue, toleranceOf, withinTolerance } from '../../src/workbook/grading/precision.ts';

// HW1 Q1 (8-bit) and Q2 (fp32, 80 MHz, 4 cycles per MAC), and Q2's network at batch 4.
const q1 = solve(defineModel(mlpDef('q1', [120, 256, 256, 10])), { paramBits: 8, activationBits: 8 });
const q2 = solve(defineModel(mlpDef('q2', [1280, 512, 512, 32])), { paramBits: 32, activationBits: 32, clockMHz: 80, cyclesPerMac: 4 });
const q2batch = solve(defineModel(mlpDef('q2', [1280, 512, 512, 32])), { paramBits: 32, activationBits: 32, batch: 4 });

describe('the precision rule', () => {
  it.each([
    [99_338, 'B', '99,338 B'],
    [3_735_552 / 80_000, 'ms', '46.7 ms'],
    [16.96, 'ms', '17.0 ms'],
    [0.2581333, 'ms', '0.258 ms'],
    [1427.456, 'ms', '1,430 ms'],
  ] as const)('%d %s is displayed as %s', (value, unit, text) => {
    expect(displayValue(value, unit)).toBe(text);
  });

  it.each([
    [46.6944, 'ms', 0.5 * 10 ** (1 - 2)],
    [0.2581333, 'ms', 0.5 * 10 ** (-1 - 2)],
    [1427.456, 'ms', 0.5 * 10 ** (3 - 2)],
  ] as const)('the tolerance of %d %s is half a unit of the 3rd significant digit (%d)', (value, unit, tol) => {
    expect(Math.abs(toleranceOf(value, unit) - tol) / tol).toBeLessThan(1e-8);
  });

  it('a small count shown rounded (8.589934592 GB as 8.5899346 GB) accepts its shown figure', () => {
    expect(displayValue(8.589934592, 'GB')).toBe('8.5899346 GB');
    expect(withinTolerance(8.5899346, 8.589934592, 'GB')).toBe(true);
    expect(withinTolerance(8.5899347, 8.589934592, 'GB')).toBe(false);
  });

  it('counts are exact: one off is wrong', () => {
    expect(withinTolerance(99_338, 99_338, 'B')).toBe(true);
    expect(withinTolerance(99_339, 99_338, 'B')).toBe(false);
    expect(withinTolerance(99.338 * 1000, 99_338, 'B')).toBe(true);
  });

  it('a count shown rounded (243.818624 MB shows as 243.81862 MB) accepts its shown digits, half a unit of the last', () => {
    expect(displayValue(243.818624, 'MB')).toBe('243.81862 MB');
    expect(Math.abs(toleranceOf(243.818624, 'MB') - 0.000005) / 0.000005).toBeLessThan(1e-8);
    expect(withinTolerance(243.81862, 243.818624, 'MB')).toBe(true);
    expect(withinTolerance(243.818624, 243.818624, 'MB')).toBe(true);
    expect(withinTolerance(243.81863, 243.818624, 'MB')).toBe(false);
    expect(withinTolerance(243.8186, 243.818624, 'MB')).toBe(false);
    expect(gradeFigure('243.81862 MB', figure('S', 'parameter storage', 'MB', num(243.818624))).verdict).toBe('correct');
    expect(gradeFigure('243,818,624 B', figure('S', 'parameter storage', 'MB', num(243.818624))).verdict).toBe('correct');
    // Shown in full (99.338 kB is every digit of 99,338 B): still exact.
    expect(displayValue(99.338, 'kB')).toBe('99.338 kB');
    expect(withinTolerance(99.3381, 99.338, 'kB')).toBe(false);
  });

  it('the displayed value of any count in MB is itself accepted, and a byte more than half the last digit is not', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 50 }), (bytes) => {
      const mb = bytes / 1e6;
      const shown = Number(displayValue(mb, 'MB').replace(/,/g, '').split(' ')[0]);
      expect(withinTolerance(shown, mb, 'MB')).toBe(true);
      expect(withinTolerance(mb + 2 * toleranceOf(mb, 'MB'), mb, 'MB')).toBe(false);
    }));
  });

  it('the displayed value of any time is itself accepted', () => {
    fc.assert(fc.property(fc.double({ min: 1e-6, max: 1e9, noNaN: true }), (v) => {
      const shown = Number(displayValue(v, 'ms').replace(/,/g, '').split(' ')[0]);
      expect(withinTolerance(shown, v, 'ms')).toBe(true);
    }));
  });
});

describe('grading HW1 answers', () => {
  it.each([
    [q1, 'paramBytes', '99338'],
    [q1, 'paramBytes', '99,338 B'],
    [q1, 'paramBytes', '99.338 KB'],
    [q1, 'paramBytes', '9.9338e4 bytes'],
    [q1, 'paramBytes', `${99_338 * 8} bits`],
    [q1, 'params', '99 338'],
    [q1, 'macs', '98,816 MACs'],
    [q1, 'macs', '98.816K MACs'],
    [q1, 'sramBytes', '512 B'],
    [q2, 'paramBytes', '3.739776 MB'],
    [q2, 'latencyMs', '46.6944'],
    [q2, 'latencyMs', '46.7 ms'],
    [q2, 'latencyMs', '46.69 ms'],
    [q2, 'latencyMs', '0.0467 s'],
    [q2, 'latencyMs', '46694 us'],
    [q2, 'cycles', '3.735552M cycles'],
  ] as const)('%# %s: %j is correct', (ctx, name, input) => {
    expect(grade(input, ctx, name)).toMatchObject({ verdict: 'correct' });
  });

  it.each([
    [q1, 'paramBytes', '120,000', undefined, /^Incorrect/],
    [q1, 'paramBytes', '99,339', undefined, /Close, but not exact: this is a count/],
    [q1, 'paramBytes', '99.3 KB', undefined, /Close, but not exact: this is a count/],
    [q2, 'latencyMs', '46.8 ms', undefined, /Close, but not within the precision accepted \(3 significant digits\)/],
    [q2, 'latencyMs', '47 ms', undefined, /Close/],
    // The common mistakes, each with its own hint.
    [q1, 'params', String(98_816), 'biases-forgotten', /that is the parameters without biases/],
    [q1, 'paramBytes', String(98_816), 'biases-forgotten', /without biases/],
    [q1, 'paramBytes', String(99_338 * 8), 'bits-for-bytes', /size in bits, not bytes/],
    [q2, 'paramBytes', String(934_944), 'bytes-per-value-forgotten', /number of values, as if each took one byte. Each takes 32 bits/],
    [q2, 'paramBytes', String(934_944 * 32), 'bits-for-bytes', /bits, not bytes/],
    [q2, 'sramBytes', String(7_168 * 8), 'bits-for-bytes', /bits, not bytes/],
    [q1, 'paramBytes', `${(99_338 / 1024).toFixed(2)} KB`, 'kb-vs-kib', /divided by 1024 but wrote KB. 1 KB = 1000 B/],
    [q1, 'paramBytes', '99.338 KiB', 'kb-vs-kib', /divided by 1000 but wrote KiB/],
    [q2batch, 'macs', String(933_888), 'batch-forgotten', /for one sample; the batch holds 4/],
    [q2batch, 'flops', String(2 * 933_888), 'batch-forgotten', /for one sample/],
    [q1, 'macs', String(2 * 98_816), 'flops-for-macs', /FLOPs count .* asks for MACs/],
    [q1, 'macs', '197,632 FLOPs', 'wrong-unit', /asks for MACs, not FLOPs/],
    [q1, 'flops', String(98_816), 'macs-for-flops', /that is the MAC count/],
    [q2, 'latencyMs', String(933_888 / 80_000), 'cycles-per-mac-forgotten', /one cycle per MAC; each MAC takes 4 cycles/],
    [q2, 'latencyMs', '46.7 s', 'unit-off-by-1000', /factor of 1000/],
    [q2, 'latencyMs', '99 KB', 'wrong-unit', /The answer is a time, but “KB” is a size in bytes/],
    // SRAM: the peak pair of Q2 is fc1 (1280 in + 512 out); fc2 is 512 + 512; one layer alone 1280.
    [q2, 'sramBytes', String((512 + 512) * 4), 'sram-wrong-pair', /input and output of fc2, which is not the largest pair/],
    [q2, 'sramBytes', String((512 + 32) * 4), 'sram-wrong-pair', /fc3/],
    [q2, 'sramBytes', String(1280 * 4), 'sram-one-layer', /one layer’s values only/],
  ] as const)('%# %s: %j is incorrect (%s)', (ctx, name, input, mistake, message) => {
    const feedback = grade(input, ctx, name);
    expect(feedback.verdict).toBe('incorrect');
    expect(feedback.mistake).toBe(mistake);
    expect(feedback.message).toMatch(message);
  });

  it.each(['', 'abc', '<script>alert(1)</script>', '1e400', '-3'])('%j is unreadable, with a message', (input) => {
    const feedback = grade(input, q1, 'paramBytes');
    expect(feedback.verdict).toBe('unreadable');
    expect(feedback.message.length).toBeGreaterThan(0);
  });

  it('a mistaken figure is computed by the engine under the mistaken assumption', () => {
    const mistakes = Object.fromEntries(mistakenFigures(q1, 'paramBytes').map((m) => [m.id, m.value]));
    const noBias = solve(q1.model, q1.given, { biasInParams: false });
    expect(mistakes['biases-forgotten']).toBe(answerFigure(noBias, 'paramBytes', 'x').value);
    expect(mistakes['biases-forgotten']).toBe(98_816);
    expect(mistakes['bits-for-bytes']).toBe(99_338 * 8);
  });

  it('a mistake on a hardware answer is solved on the same hardware profiles', () => {
    const hardwareProfiles = { 'raspberry-pi-4': hardwareProfile('raspberry-pi-4') };
    const model = defineModel(mlpDef('m', [784, 256, 10]));
    const ctx = solve(model, { batch: 8, hardware: 'raspberry-pi-4' }, undefined, { hardwareProfiles });
    const one = solve(model, { batch: 1, hardware: 'raspberry-pi-4' }, undefined, { hardwareProfiles });
    const mistakes = Object.fromEntries(mistakenFigures(ctx, 'memoryTimeMs').map((m) => [m.id, m.value]));
    expect(mistakes['batch-forgotten']).toBe(answerFigure(one, 'memoryTimeMs', 'x').value);
  });

  it('never calls a wrong answer correct, nor the right one wrong (any count)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), (n) => {
      const verdict = grade(String(n), q1, 'params').verdict;
      expect(verdict).toBe(n === 99_338 ? 'correct' : 'incorrect');
    }));
  });
});
