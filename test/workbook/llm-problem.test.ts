/**
 * A language model is a problem's model like any other: a built-in one (`model: llama-2-7b`) or a
 * Hugging Face config beside the problem (`model: ./models/config.json`), with randomized batch and
 * context; the practice page's embedded spec (JSON) gives the same variants.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerFigure } from '../../src/workbook/answers.ts';
import { builtInsFor } from '../../src/workbook/builtins.ts';
import { problemSchema } from '../../src/workbook/problem.ts';
import { figuresAsked } from '../../src/publish/document.ts';
import { variantOf, type ProblemSpec } from '../../src/workbook/variants/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'workbook-llm-'));
mkdirSync(join(dir, 'problems', 'lab', 'models'), { recursive: true });
writeFileSync(
  join(dir, 'problems', 'lab', 'models', 'config.json'),
  JSON.stringify({ model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, intermediate_size: 4864, tie_word_embeddings: true }, null, 2),
);
const file = join(dir, 'problems', 'lab', 'q.mdx');
const base = { title: 't', source: 's', set: 'lectures-cost', order: 1, topics: ['a'], difficulty: 'core' };
const body = '<Answer of="kvCacheBytes" /> <Answer of="tpotMs" />';

describe('a problem about a language model', () => {
  for (const model of ['llama-2-7b', './models/config.json']) {
    it(`${model}: randomized batch and context, the KV cache of each variant, the same from the embedded spec`, () => {
      const data = problemSchema.parse({
        ...base,
        model,
        given: { batch: '$b', context: '$c', hardware: 'nvidia-h100-sxm5-80gb' },
        params: { b: { default: 1, choices: [1, 2, 4, 8] }, c: { default: 1024, choices: [256, 512, 1024, 2048] } },
      });
      const spec: ProblemSpec = { id: 'lab/q', file, data, answers: figuresAsked(body, file), ...builtInsFor(data, body, file) };
      const perToken = model === 'llama-2-7b' ? 524_288 : 2 * 24 * 2 * 64 * 2;
      const params = model === 'llama-2-7b' ? 6_738_415_616 : 494_032_768;
      const embedded = JSON.parse(JSON.stringify(spec)) as ProblemSpec;
      for (const seed of [0, 1, 2, 3]) {
        const v = variantOf(spec, seed);
        const { b, c } = v.values as { b: number; c: number };
        expect(answerFigure(v.ctx, 'kvCacheBytes', file).value).toBe(b * c * perToken);
        expect(answerFigure(v.ctx, 'params', file).value).toBe(params);
        expect(answerFigure(variantOf(embedded, seed).ctx, 'tpotMs', file).value).toBe(answerFigure(v.ctx, 'tpotMs', file).value);
      }
    });
  }

  it('a config with a bad key is an error naming the problem file, the model file and the key', () => {
    writeFileSync(join(dir, 'problems', 'lab', 'models', 'bad.json'), JSON.stringify({ model_type: 'llama', vocab_size: 10, hidden_size: 64, num_hidden_layers: 1, num_attention_heads: 3, intermediate_size: 8 }));
    const bad = problemSchema.parse({ ...base, model: './models/bad.json' });
    expect(() => builtInsFor(bad, '', file)).toThrow(/q\.mdx \(model \.\/models\/bad\.json\): .*num_attention_heads: 3 heads do not divide hidden_size 64/);
  });
});
