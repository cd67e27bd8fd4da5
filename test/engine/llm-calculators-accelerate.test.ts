/**
 * accelerate's profile against `accelerate estimate-memory` itself: test/fixtures/llm-calculators/
 * accelerate.json was recorded by running its command line on the built-in models' published
 * configs (tools/peers/llm-calculators/run_accelerate.py; accelerate, transformers and torch versions
 * and commits in the file), with the exact byte totals accelerate's own functions computed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ACCELERATE_COMMIT,
  ACCELERATE_TRANSFORMERS_COMMIT,
  accelerateBuffers,
  accelerateEstimate,
  accelerateSize,
  largestLayerBytes,
  largestLayerParams,
  type AccelerateDtype,
} from '../../src/engine/llm/calculators/accelerate.ts';
import { llmCalculatorProfiles } from '../../src/engine/llm/calculators/index.ts';
import { llmAnalysis, type LlmOptions } from '../../src/engine/llm/analysis.ts';
import { hardwareProfile } from '../../src/engine/hardware/profiles.ts';
import { LLM_ZOO } from '../../src/engine/zoo/llm/index.ts';
import { importHfConfig } from '../../src/engine/hf/index.ts';

const llmImport = (id: string) => importHfConfig(LLM_ZOO.find((e) => e.id === id)!.config, { name: id });

interface AccelerateCase {
  model: string;
  hubId: string;
  command: string;
  stdout: string;
  printed: Record<AccelerateDtype, { largestLayer: string; totalSize: string; trainingUsingAdam: string }>;
  measured: {
    class: string;
    parameters: number;
    parameterBytes: number;
    buffers: { name: string; shape: number[]; dtype: string; bytes: number; accelerateBytes: number }[];
    totalSizeBytes: number;
    largestLayerBytes: number;
    largestLayerNames: string[];
  };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/llm-calculators/accelerate.json', import.meta.url), 'utf8')) as {
  commit: string;
  commits: Record<string, string>;
  versions: Record<string, string>;
  cases: AccelerateCase[];
};

const DTYPES: readonly [AccelerateDtype, LlmOptions['weights']][] = [
  ['float32', { kind: 'bits', bits: 32 }],
  ['float16', { kind: 'bits', bits: 16 }],
  ['int8', { kind: 'bits', bits: 8 }],
  ['int4', { kind: 'bits', bits: 4 }],
];

describe('accelerate estimate-memory, run (huggingface/accelerate)', () => {
  it('was run at the commit the profile cites, on every built-in model', () => {
    expect(fixture.commit).toBe(ACCELERATE_COMMIT);
    expect(fixture.commits.transformers).toBe(ACCELERATE_TRANSFORMERS_COMMIT);
    expect(fixture.versions.transformers).toBe('4.48.0.dev0');
    expect(fixture.cases.map((c) => c.model).sort()).toEqual(LLM_ZOO.map((e) => e.id).sort());
    // The printed table is the command's own stdout.
    const llama = fixture.cases.find((c) => c.model === 'llama-2-7b')!;
    expect(llama.command).toBe('accelerate estimate-memory meta-llama/Llama-2-7b-hf');
    expect(llama.stdout).toContain('│float32│  772.03 MB  │ 24.61 GB │         98.46 GB        │');
  });

  it.each(fixture.cases.map((c) => [c.model, c] as const))('%s: the base model, its buffers and its byte totals, exactly', (id, c) => {
    const llm = llmAnalysis(llmImport(id), { weights: { kind: 'bits', bits: 32 } });
    const base = llm.layerWeights.filter((w) => w.layer.layer.type !== 'LMHead').reduce((n, w) => n + w.layer.params.value, 0);
    expect(base).toBe(c.measured.parameters);
    expect(c.measured.parameterBytes).toBe(4 * c.measured.parameters);
    const buffers = accelerateBuffers(llm.import.arch);
    expect(buffers.totalBytes).toBe(c.measured.buffers.reduce((n, b) => n + b.accelerateBytes, 0));
    expect(4 * base + buffers.totalBytes).toBe(c.measured.totalSizeBytes);
    expect(largestLayerBytes(llm)).toBe(c.measured.largestLayerBytes);
  });

  it.each(fixture.cases.flatMap((c) => DTYPES.map(([dtype, weights]) => [`${c.model} ${dtype}`, c, dtype, weights] as const)))(
    '%s: the printed row, and terms that add up to the difference from the standard figure',
    (_, c, dtype, weights) => {
      const llm = llmAnalysis(llmImport(c.model), { weights });
      const p = llmCalculatorProfiles(llm, hardwareProfile('nvidia-h100-sxm5-80gb')).profiles.find((x) => x.id === 'accelerate')!;
      const row = c.printed[dtype];
      expect(p.printed).toEqual({ 'largest layer': row.largestLayer, weights: row.totalSize, 'training (Adam)': row.trainingUsingAdam });
      expect(p.weightBytes).toBe(accelerateEstimate(c.measured.totalSizeBytes, dtype));
      expect(llm.weightBytes.value + p.terms.reduce((s, t) => s + t.value, 0)).toBe(p.weightBytes);
    },
  );

  it('the buffers that matter at its printed precision: Mixtral-8x7B 1 GiB of cos/sin caches, GPT-2 its causal masks', () => {
    const mixtral = llmAnalysis(llmImport('mixtral-8x7b'), { weights: { kind: 'bits', bits: 16 } });
    const b = accelerateBuffers(mixtral.import.arch);
    // 32 layers × (64 inv_freq + 2 × 32,768 × 128 cos/sin) fp32 values.
    expect(b.totalBytes).toBe(32 * (64 + 2 * 32768 * 128) * 4);
    const p = llmCalculatorProfiles(mixtral, hardwareProfile('nvidia-h100-sxm5-80gb')).profiles.find((x) => x.id === 'accelerate')!;
    expect(p.terms.find((t) => t.name.startsWith('buffers'))!.value).toBe(b.totalBytes / 2);
    expect(p.printed.weights).toBe('87.25 GB');
    expect(accelerateSize((4 * 46_571_720_704) / 2)).toBe('86.75 GB'); // without them
    // GPT-2: 12 masks of 1,024² bools at 1/8 byte, and 12 fp32 masked_bias.
    expect(accelerateBuffers(llmImport('gpt2').arch).totalBytes).toBe(12 * ((1024 * 1024) / 8 + 4));
    expect(accelerateSize(4 * 124_439_808 + 12 * ((1024 * 1024) / 8 + 4))).toBe('476.2 MB');
    expect(accelerateSize(4 * 124_439_808)).toBe('474.7 MB');
  });
});

describe('accelerate estimate-memory, its rule from the source', () => {
  it('gather_data: float16 = fp32 / 2, int8 = fp32 / 4, int4 = fp32 / 8; convert_bytes rounds binary units to 2 places', () => {
    const fp32 = 4 * 6_476_271_616;
    expect([accelerateEstimate(fp32, 'float32'), accelerateEstimate(fp32, 'float16'), accelerateEstimate(fp32, 'int8'), accelerateEstimate(fp32, 'int4')]).toEqual([fp32, fp32 / 2, fp32 / 4, fp32 / 8]);
    expect(accelerateSize(fp32, false)).toBe('24.13 GB');
    expect(accelerateSize(fp32 / 8)).toBe('3.02 GB');
    expect(accelerateSize(512, false)).toBe('512 bytes');
    expect(accelerateSize(2048)).toBe('2.0 KB');
  });

  it('Llama-2-7B at 4 bits in groups of 128: the base model at fp32 / 8, without the output layer, scales or zero points', () => {
    const llm = llmAnalysis(llmImport('llama-2-7b'), { weights: { kind: 'group', bits: 4, groupSize: 128 } });
    const r = llmCalculatorProfiles(llm, hardwareProfile('nvidia-rtx-4090'));
    const p = r.profiles.find((x) => x.id === 'accelerate')!;
    const baseParams = 6_738_415_616 - 32000 * 4096;
    // The base model's fp32 bytes and one rotary inv_freq of 64 fp32 values (LlamaModel.rotary_emb), / 8.
    expect(p.weightBytes).toBe((4 * baseParams + 64 * 4) / 8);
    expect([p.kvCacheBytes, p.prefillMs, p.decodeMsPerToken]).toEqual([null, null, null]);
    const t = Object.fromEntries(p.terms.map((x) => [x.name.split(' (')[0], x.value]));
    expect(t['output layer left out']).toBe(-32000 * 4096 * 2);
    expect(t['buffers summed as weights']).toBe((64 * 4) / 8);
    // Per Linear of n weights: n / 128 groups of a 16-bit scale and a 4-bit zero point.
    const linearWeights = 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008);
    expect(t['no group scales or zero points']).toBe(-(linearWeights / 128) * (2 + 0.5));
    expect(llm.weightBytes.value + p.terms.reduce((s, x) => s + x.value, 0)).toBe(p.weightBytes);
    // Its largest layer: one LlamaDecoderLayer (its _no_split_modules), 202,383,360 parameters, fp32 / 8.
    expect(largestLayerParams(llm)).toBe(4 * 4096 * 4096 + 3 * 4096 * 11008 + 2 * 4096);
    expect(p.printed).toEqual({ 'largest layer': '96.5 MB', weights: '3.08 GB', 'training (Adam)': 'N/A' });
  });

  it('16-bit weights: the tied Llama-3.2-1B differs from the standard by its rotary buffer only; a ggml format is not one of its dtypes', () => {
    const llm = llmAnalysis(llmImport('llama-3.2-1b'), {});
    const p = llmCalculatorProfiles(llm, hardwareProfile('nvidia-h100-sxm5-80gb')).profiles.find((x) => x.id === 'accelerate')!;
    expect(p.weightBytes).toBe(llm.weightBytes.value + (32 * 4) / 2);
    expect(p.terms.map((t) => [t.name, t.value])).toEqual([['buffers summed as weights (rotary inv_freq), fp32 / 2', 64]]);
    const q = llmCalculatorProfiles(llmAnalysis(llmImport('llama-3.2-1b'), { weights: { kind: 'ggml', format: 'q4_0' } }), hardwareProfile('nvidia-h100-sxm5-80gb'));
    expect(q.omitted.find((o) => o.id === 'accelerate')!.why).toMatch(/no llama.cpp block formats/);
  });
});
