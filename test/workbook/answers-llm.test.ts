/**
 * The language-model answers (src/workbook/answers-llm.ts): every kind through `answerFigure` as a
 * problem page asks for it, on the built-in LLMs, each value recomputed from its derivation.
 */
import { describe, expect, it } from 'vitest';
import { answerDecision, answerFigure, solve, type ProblemContext } from '../../src/workbook/answers.ts';
import { resolveModel } from '../../src/workbook/models.ts';
import type { Given } from '../../src/workbook/problem.ts';
import { BUILT_IN_HARDWARE, BUILT_IN_MODELS } from '../../src/workbook/builtins.ts';
import { evaluate } from '../../src/engine/index.ts';
import { llmAnswerKinds } from '../../src/workbook/answers-llm.ts';

const ctxOf = (model: string, given: Given = {}): ProblemContext => solve(resolveModel(model, BUILT_IN_MODELS), given, undefined, { hardwareProfiles: BUILT_IN_HARDWARE });
const figureOf = (model: string, given: Given, name: string, props: Record<string, unknown> = {}) => answerFigure(ctxOf(model, given), name, 'test.mdx', props);

const H100: Given = { hardware: 'nvidia-h100-sxm5-80gb' };

describe('language-model answers', () => {
  it.each([
    ['llama-2-7b', {}, 'params', 6_738_415_616],
    ['mixtral-8x7b', {}, 'activeParams', 12_879_925_248],
    ['llama-2-7b', {}, 'kvCacheBytesPerToken', 524_288],
    ['llama-2-7b', { batch: 8, context: 4096 }, 'kvCacheBytes', 8 * 4096 * 524_288],
    ['mistral-7b', { context: 32768 }, 'kvCacheBytes', 4096 * 131_072],
    ['llama-2-7b', { kvBits: 8 }, 'kvCacheBytesPerToken', 262_144],
    ['llama-2-7b', { paramBits: 4, groupSize: 128 }, 'llmWeightBytes', 3_889_307_648],
    ['llama-2-7b', { weightFormat: 'q4_0' }, 'llmWeightBytes', 4_167_573_504],
    ['llama-2-13b', { context: 1024 }, 'decodeBytes', 2 * 13_015_864_320 + 1024 * 819_200],
    ['llama-2-7b', { context: 512 }, 'prefillBytes', 2 * 6_738_415_616 + 512 * 524_288],
  ] as [string, Given, string, number][])('%s %j: %s = %d', (model, given, name, want) => {
    const f = figureOf(model, given, name);
    expect(f.value).toBe(want);
    expect(evaluate(f.expr)).toBe(want);
  });

  it('on the H100: TPOT 8.021 ms for Llama-2-13B at context 1024, tokens/s, fit, largest batch', () => {
    const given = { ...H100, context: 1024 };
    expect(figureOf('llama-2-13b', given, 'tpotMs').value.toFixed(3)).toBe('8.021');
    expect(figureOf('llama-2-13b', given, 'tokensPerSecond').value).toBeCloseTo(1000 / 8.0210715, 3);
    expect(figureOf('llama-2-13b', given, 'maxBatch').value).toBe(71);
    expect(answerDecision(ctxOf('llama-2-13b', { ...given, batch: 256 }), 'llmFits', 'test.mdx').yes).toBe(false);
    expect(answerDecision(ctxOf('llama-2-13b', given), 'decodeMemoryBound', 'test.mdx').yes).toBe(true);
    expect(() => figureOf('llama-2-13b', given, 'crossoverBatch')).toThrow(/memory-bound at this context whatever the batch/);
    expect(figureOf('llama-2-13b', { ...H100, context: 16 }, 'crossoverBatch').value).toBeGreaterThan(1);
  });

  it('a prompt and a generation: the request is prefill + generation; per-layer decode figures', () => {
    const given: Given = { ...H100, prompt: 256, generate: 64, batch: 2 };
    const prefill = figureOf('qwen2.5-0.5b', given, 'prefillFlops').value;
    const generation = figureOf('qwen2.5-0.5b', given, 'generationFlops').value;
    expect(figureOf('qwen2.5-0.5b', given, 'requestFlops').value).toBe(prefill + generation);
    // 64 decode steps each take at least the time to read the weights once.
    const weightsMs = (figureOf('qwen2.5-0.5b', { ...given, paramBits: 16 }, 'llmWeightBytes').value / 3.35e12) * 1e3;
    expect(figureOf('qwen2.5-0.5b', given, 'requestMs').value - figureOf('qwen2.5-0.5b', given, 'ttftMs').value).toBeGreaterThanOrEqual(64 * weightsMs);
    const attn = figureOf('qwen2.5-0.5b', given, 'decodeBytes', { layer: 'model.layers.0.attn_block.self_attn' });
    expect(attn.value).toBeGreaterThan(0);
    expect(evaluate(attn.expr)).toBe(attn.value);
  });

  it('every language-model answer kind resolves on a model, with a derivation that recomputes', () => {
    const given: Given = { ...H100, prompt: 100, generate: 10, batch: 4, measuredTokensPerSecond: 50 };
    const names = Object.keys(llmAnswerKinds(() => undefined as never));
    for (const name of names) {
      if (name === 'crossoverBatch' || name === 'maxContext') continue; // may have no value: tested above
      const f = figureOf('tinyllama-1.1b', given, name);
      expect(evaluate(f.expr), name).toBeCloseTo(f.value, 6);
    }
  });

  it('a CNN is not a language model: the answer says what it needs', () => {
    expect(() => figureOf('lenet5', {}, 'kvCacheBytesPerToken')).toThrow(/needs a decoder-only language model/);
  });
});

describe('a measured rate against the bound', () => {
  it('achievedFraction: measured tokens per second over the bound, in percent (Llama-3-8B on an RTX 4090)', () => {
    const given: Given = { hardware: 'nvidia-rtx-4090', context: 512, measuredTokensPerSecond: 54.34 };
    const bound = figureOf('llama-3-8b', given, 'tokensPerSecond').value;
    const f = figureOf('llama-3-8b', given, 'achievedFraction');
    expect(f.value).toBeCloseTo((54.34 / bound) * 100, 9);
    expect(evaluate(f.expr)).toBeCloseTo(f.value, 9);
    // 16-bit weights over 1,008 GB/s bound the rate near 62 tokens/s: llama.cpp reached about 87 %.
    expect(Math.round(f.value)).toBe(87);
    expect(() => figureOf('llama-3-8b', { hardware: 'nvidia-rtx-4090' }, 'achievedFraction')).toThrow(/needs `measuredTokensPerSecond`/);
  });
});

describe('a language model is taken at 16 bits unless paramBits says otherwise', () => {
  const A100: Given = { hardware: 'nvidia-a100-sxm4-80gb' };
  it('the roofline answers use the 16-bit roof, as the LLM answers beside them', () => {
    const ridge16 = figureOf('llama-3-8b', A100, 'ridge').value;
    expect(ridge16).toBe(figureOf('llama-3-8b', { ...A100, paramBits: 16 }, 'ridge').value);
    expect(ridge16).toBeGreaterThan(figureOf('llama-3-8b', { ...A100, paramBits: 32 }, 'ridge').value);
  });
  it('parameter bytes: 2 per parameter by default, 4 when paramBits is 32', () => {
    expect(figureOf('llama-2-7b', {}, 'paramBytes').value).toBe(2 * 6_738_415_616);
    expect(figureOf('llama-2-7b', { paramBits: 32 }, 'paramBytes').value).toBe(4 * 6_738_415_616);
    expect(figureOf('llama-2-7b', {}, 'paramBytes').value).toBe(figureOf('llama-2-7b', {}, 'llmWeightBytes').value);
  });
  it('a model that is not a language model keeps the 32-bit default', () => {
    expect(figureOf('resnet18', {}, 'paramBytes').value).toBe(4 * figureOf('resnet18', {}, 'params').value);
  });
});
