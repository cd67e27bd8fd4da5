/**
 * `workbook analyze` for language models: a built-in id or a Hugging Face config.json, the JSON
 * fields of issue 27, the text tables per stage, and the errors (exit 1 for a bad config, 2 for
 * flags that do not apply).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'src/cli/workbook.js');

function workbook(args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/node'), [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('workbook analyze <language model>', () => {
  it('Llama-2-13B on an H100 at context 1024: the JSON fields, 8.021 ms per token', () => {
    const r = workbook(['analyze', 'llama-2-13b', '--context', '1024', '--hardware', 'nvidia-h100-sxm5-80gb', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.totals.params).toBe(13_015_864_320);
    expect(out.llm.activeParams).toBe(13_015_864_320);
    expect(out.llm.weightBytes).toBe(26_031_728_640);
    expect(out.llm.kvCacheBytesPerToken).toBe(819_200);
    expect(out.llm.kvCacheBytes).toBe(1024 * 819_200);
    expect(out.llm.decode.bytes).toBe(26_031_728_640 + 1024 * 819_200);
    expect(out.llm.decode.msPerToken.toFixed(3)).toBe('8.021');
    expect(out.llm.decode.bound).toBe('memory');
    expect(out.llm.decode.tokensPerSecond).toBeCloseTo(1000 / out.llm.decode.msPerToken, 9);
    expect(Object.keys(out.llm.prefill)).toEqual(expect.arrayContaining(['flops', 'bytes', 'intensity', 'bound', 'ms']));
    expect(out.llm.fits).toBe(true);
    expect(out.llm.maxBatch).toBe(71);
    expect(out.llm.crossoverBatch).toBeNull();
  });

  it('a config.json file with a prompt, a generation and 4-bit groups of 128: Mixtral reads 2 of 8 experts at batch 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-llm-'));
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ model_type: 'mixtral', vocab_size: 32000, hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 8, intermediate_size: 14336, num_local_experts: 8, num_experts_per_tok: 2 }));
    const r = workbook(['analyze', file, '--prompt', '128', '--generate', '32', '--weight-bits', '4', '--group-size', '128', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.llm.params).toBe(46_702_792_704);
    expect(out.llm.activeParams).toBe(12_879_925_248);
    expect(out.llm.decode.weightBytesRead).toBeLessThan(out.llm.weightBytes);
    expect(out.llm.total.flops).toBe(out.llm.prefill.flops + out.llm.generation.flops);
    expect(out.llm.prefill.layers.length).toBeGreaterThan(32);
  });

  it('prints a per-layer table for each stage', () => {
    const r = workbook(['analyze', 'gpt2', '--context', '256', '--weight-format', 'q8_0']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^prefill of 256 tokens\nlayer\s+kind\s+FLOPs\s+bytes\s+FLOP\/B/m);
    expect(r.stdout).toMatch(/^decode step at context 256/m);
    expect(r.stdout).toMatch(/transformer\.h\.0\.attn_block\.attn\s+CausalSelfAttention/);
    expect(r.stdout).toMatch(/params\s+124,439,808/);
  });

  it('errors: a bad config names the key (exit 1); language-model flags on a CNN are a usage error (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-llm-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ model_type: 'llama', vocab_size: 32000, hidden_size: 4096, num_hidden_layers: 32, num_attention_head: 32, intermediate_size: 11008 }));
    const bad = workbook(['analyze', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json: .*missing key 'num_attention_heads'; did you mean 'num_attention_head'\?/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const flags = workbook(['analyze', 'lenet5', '--kv-bits', '8']);
    expect(flags.code).toBe(2);
    expect(flags.stderr).toMatch(/--kv-bits applies to a language model/);
    const both = workbook(['analyze', 'gpt2', '--context', '10', '--prompt', '5', '--generate', '5']);
    expect(both.code).toBe(2);
  });
});
