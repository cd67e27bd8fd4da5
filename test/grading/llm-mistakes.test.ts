/**
 * A language model's common mistakes, each with the figure a student would reach and its hint:
 * heads for KV heads, K or V forgotten, hidden / heads where head_dim is set, bits for bytes, the
 * tied output layer counted twice, the final context used for every decode step.
 */
import { describe, expect, it } from 'vitest';
import { answerFigure, solve } from '../../src/workbook/answers.ts';
import { BUILT_IN_HARDWARE, BUILT_IN_MODELS } from '../../src/workbook/builtins.ts';
import { grade } from '../../src/workbook/grading/grade.ts';
import { mistakenFigures } from '../../src/workbook/grading/mistakes.ts';
import { resolveModel } from '../../src/workbook/models.ts';
import type { Given } from '../../src/workbook/problem.ts';

const ctxOf = (model: string, given: Given = {}) => solve(resolveModel(model, BUILT_IN_MODELS), given, undefined, { hardwareProfiles: BUILT_IN_HARDWARE });
const byId = (model: string, given: Given, name: Parameters<typeof mistakenFigures>[1]) =>
  Object.fromEntries(mistakenFigures(ctxOf(model, given), name).map((m) => [m.id, m.value]));

describe('language-model mistakes', () => {
  it('Llama-3-8B KV cache per token (32 heads, 8 KV heads of 128, 32 layers, 16 bits)', () => {
    const right = 2 * 32 * 8 * 128 * 2;
    expect(byId('llama-3-8b', {}, 'kvCacheBytesPerToken')).toMatchObject({
      'heads-for-kv-heads': 2 * 32 * 32 * 128 * 2,
      'k-or-v-forgotten': right / 2,
      'kv-bits-for-bytes': right * 8,
    });
  });

  it("Gemma-2B sets head_dim 256 where hidden / heads is 2048 / 8 = 256: no such hint; Gemma's MQA has 1 KV head for 8", () => {
    const m = byId('gemma-2b', {}, 'kvCacheBytesPerToken');
    expect(m['hidden-over-heads-for-head-dim']).toBeUndefined();
    expect(m['heads-for-kv-heads']).toBe(2 * 18 * 8 * 256 * 2);
  });

  it('Llama-3.2-1B ties its output layer: counting it twice adds vocab × hidden', () => {
    const ctx = ctxOf('llama-3.2-1b');
    const m = mistakenFigures(ctx, 'params').find((x) => x.id === 'tied-output-counted-twice')!;
    expect(m.value).toBe(1_235_814_400 + 128_256 * 2048);
    expect(m.message).toMatch(/tied to the token embedding/);
    // A student who types it gets the hint, not a pass.
    const g = grade(String(m.value), ctx, 'params');
    expect(g.verdict).toBe('incorrect');
    expect(g.mistake).toBe('tied-output-counted-twice');
    expect(g.message).toContain('tied to the token embedding');
  });

  it('a generation summed at the final context: G steps at P + G', () => {
    const given: Given = { prompt: 512, generate: 64 };
    const last = mistakenFigures(ctxOf('tinyllama-1.1b', given), 'generationBytes').find((x) => x.id === 'final-context-every-step')!;
    const atEnd = ctxOf('tinyllama-1.1b', { context: 512 + 64 });
    expect(last.value).toBe(64 * answerFigure(atEnd, 'decodeBytes', 'test').value);
  });
});
