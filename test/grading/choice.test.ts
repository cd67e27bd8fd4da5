/**
 * Yes/no and multiple-choice answers: the engine decides and picks, and the practice page grades
 * a student's pick against that, on a microcontroller profile (fit) and a roof (bound).
 */
import { describe, expect, it } from 'vitest';
import { defineModel, hardwareProfile } from '../../src/engine/index.ts';
import { mlpDef } from '../../src/engine/zoo/mlp.ts';
import { answerDecision, answerFigure, choiceAnswer, solve } from '../../src/workbook/answers.ts';
import { gradeChoice, gradeDecision } from '../../src/workbook/grading/choice.ts';

const hardwareProfiles = { stm32f746ng: hardwareProfile('stm32f746ng'), 'raspberry-pi-4': hardwareProfile('raspberry-pi-4') };
// HW1 Q2's network: 934,944 parameters.
const params = 1280 * 512 + 512 + 512 * 512 + 512 + 512 * 32 + 32;
const at = (paramBits: number) => solve(defineModel(mlpDef('q2', [1280, 512, 512, 32])), { paramBits, activationBits: paramBits, hardware: 'stm32f746ng' }, undefined, { hardwareProfiles });
const flash = 1024 * 1024;

describe('yes/no answers', () => {
  it.each([
    // [bits, fits in 1 MiB of flash?, margin in bytes]
    [8, true, flash - params],
    [16, false, flash - params * 2],
    [32, false, flash - params * 4],
  ] as const)('at %i bits the parameters fit in flash: %s (margin %i B)', (bits, yes, margin) => {
    const ctx = at(bits);
    expect(answerDecision(ctx, 'fitsInFlash', 'p.mdx')).toMatchObject({ yes, figure: { value: margin, unit: 'B' } });
    expect(gradeDecision(yes ? 'yes' : 'no', ctx, 'fitsInFlash').verdict).toBe('correct');
    expect(gradeDecision(yes ? 'no' : 'yes', ctx, 'fitsInFlash').verdict).toBe('incorrect');
    expect(gradeDecision('', ctx, 'fitsInFlash')).toEqual({ verdict: 'unreadable', message: 'Choose yes or no.' });
  });

  it('compute- or memory-bound follows the intensity against the ridge point', () => {
    const ctx = solve(defineModel(mlpDef('m', [1280, 512, 512, 32])), { hardware: 'raspberry-pi-4' }, undefined, { hardwareProfiles });
    const intensity = answerFigure(ctx, 'intensity', 'p.mdx').value;
    const ridge = answerFigure(ctx, 'ridge', 'p.mdx').value;
    expect(answerDecision(ctx, 'memoryBound', 'p.mdx').yes).toBe(intensity < ridge);
    expect(answerDecision(ctx, 'computeBound', 'p.mdx').yes).toBe(intensity >= ridge);
  });

  it('a profile without the memory is an error naming it', () => {
    const ctx = solve(defineModel(mlpDef('m', [4, 2])), { hardware: 'raspberry-pi-4' }, undefined, { hardwareProfiles });
    expect(() => answerDecision(ctx, 'fitsInFlash', 'p.mdx')).toThrow("p.mdx: <Answer of=\"fitsInFlash\">: hardware profile 'raspberry-pi-4' lists no flash size");
  });
});

describe('multiple choice', () => {
  const ctx = at(8);
  const fc1 = 1280 * 512;
  const fc2 = 512 * 512;

  it('picks the layer with the most MACs, and grades the pick', () => {
    const ids = ctx.report.layers.filter((r) => r.macs.value > 0).map((r) => r.layer.id);
    const result = choiceAnswer(ctx, 'macs', 'max', ids, 'p.mdx');
    expect(result.figures.map((f) => f.value)).toEqual([fc1, fc2, 512 * 32]);
    expect(result.index).toBe(0);
    expect(gradeChoice('0', ctx, 'macs', 'max', ids).verdict).toBe('correct');
    expect(gradeChoice('1', ctx, 'macs', 'max', ids)).toMatchObject({ verdict: 'incorrect' });
    expect(gradeChoice('7', ctx, 'macs', 'max', ids)).toEqual({ verdict: 'unreadable', message: 'Choose one of the options.' });
  });

  it('picks the change that halves the model size', () => {
    const options = [
      { label: '16-bit values', paramBits: 16 },
      { label: '4-bit values', paramBits: 4 },
    ];
    const result = choiceAnswer(ctx, 'paramBytes', { ratio: 0.5 }, options, 'p.mdx');
    expect(result.labels[result.index]).toBe('4-bit values');
    expect(result.figures.map((f) => f.value)).toEqual([params * 2, params / 2]);
  });

  it('a tie or no right option is the author\'s error', () => {
    const same = [
      { label: 'a', paramBits: 8 },
      { label: 'b', paramBits: 8 },
    ];
    expect(() => choiceAnswer(ctx, 'paramBytes', 'max', same, 'p.mdx')).toThrow(`p.mdx: <Choice of="paramBytes">: options 'a' and 'b' all give the largest; options give a: ${params.toLocaleString('en-US')}, b: ${params.toLocaleString('en-US')}`);
    expect(() => choiceAnswer(ctx, 'paramBytes', { ratio: 3 }, same, 'p.mdx')).toThrow(/no option gives 3 × the problem's/);
  });
});
