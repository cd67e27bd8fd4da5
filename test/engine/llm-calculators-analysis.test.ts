/**
 * llm-analysis's profile. Its figures were recorded by running its own `infer`
 * (tools/peers/llm-calculators/run.py; commit in the fixture). accelerate's profile is tested
 * against its own run in llm-calculators-accelerate.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ANALYSIS_FIGURES,
  ANALYSIS_GPUS,
  analysisInfer,
  analysisLatency,
  analysisModel,
  analysisModelFromHub,
  type AnalysisHubConfig,
  type AnalysisModelJson,
} from '../../src/engine/llm/calculators/llm-analysis.ts';
import { ANALYSIS_COMMIT, hubConfigOf } from '../../src/engine/llm/calculators/llm-analysis-profile.ts';
import { llmCalculatorProfiles, standardFigure, type CalculatorProfile } from '../../src/engine/llm/calculators/index.ts';
import { llmAnalysis, type LlmOptions } from '../../src/engine/llm/analysis.ts';
import { hardwareProfile } from '../../src/engine/hardware/profiles.ts';
import { LLM_ZOO } from '../../src/engine/zoo/llm/index.ts';
import { importHfConfig } from '../../src/engine/hf/index.ts';

const llmImport = (id: string) => importHfConfig(LLM_ZOO.find((e) => e.id === id)!.config, { name: id });

interface AnalysisCase {
  model: string;
  modelName: string;
  gpu: string;
  batch: number;
  seqLen: number;
  generate: number;
  dtype: string;
  summary?: Record<string, number>;
  error?: string;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/llm-calculators/figures.json', import.meta.url), 'utf8')) as {
  configs: Record<string, AnalysisHubConfig>;
  tools: { tool: string; commit: string; cases: AnalysisCase[]; gpuConfigs: Record<string, Record<string, number>>; modelConfigs: Record<string, AnalysisModelJson> }[];
};
const tool = fixture.tools.find((t) => t.tool === 'llm-analysis')!;
const bits = (dtype: string) => Number(/^w(\d+)/.exec(dtype)![1]);

function run(c: AnalysisCase) {
  const hub = fixture.configs[c.model];
  const model = hub ? analysisModelFromHub(c.modelName, hub) : analysisModel(tool.modelConfigs[c.model]!);
  return analysisInfer(model, ANALYSIS_GPUS[c.gpu]!, { batch: c.batch, seqLen: c.seqLen, generate: c.generate, weightBits: bits(c.dtype) });
}

describe('llm-analysis (cli99/llm-analysis)', () => {
  it('was recorded at the commit the profile was read from, on at least three models and two GPUs', () => {
    expect(tool.commit).toBe(ANALYSIS_COMMIT);
    const ok = tool.cases.filter((c) => c.summary);
    expect(new Set(ok.map((c) => c.model)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(ok.map((c) => c.gpu)).size).toBeGreaterThanOrEqual(2);
  });

  it('its GPU table is the one the tool ran with', () => {
    for (const [name, g] of Object.entries(tool.gpuConfigs)) {
      const mine = ANALYSIS_GPUS[name]!;
      for (const k of ['mem_per_GPU_in_GB', 'hbm_bandwidth_in_GB_per_sec', 'intra_node_bandwidth_in_GB_per_sec', 'peak_fp16_TFLOPS', 'peak_i8_TFLOPS', 'peak_i4_TFLOPS'] as const) expect(mine[k], `${name} ${k}`).toBe(g[k]);
    }
  });

  const ok = tool.cases.filter((c) => c.summary);
  it.each(ok.map((c) => [`${c.model} ${c.gpu} batch ${c.batch} ${c.dtype}`, c] as const))('%s: every figure, to the last bit', (_, c) => {
    const r = run(c);
    for (const k of ANALYSIS_FIGURES) expect(r[k], k).toBe(c.summary![k]);
  });

  const failed = tool.cases.filter((c) => c.error);
  it.each(failed.map((c) => [`${c.model} ${c.gpu} batch ${c.batch} ${c.dtype}`, c] as const))('%s: raises what the tool raised', (_, c) => {
    expect(() => run(c)).toThrow(c.error!);
  });

  it('reproduces its README: LLaMA-7B on an A100-SXM-80GB, prompt 512, 32 generated: prefill 22.41 ms, decode 6.73 ms', () => {
    const c = tool.cases.find((x) => x.model === 'decapoda-research_llama-7b-hf' && x.gpu === 'a100-sxm-80gb' && x.batch === 1 && x.dtype === 'w16a16e16')!;
    const r = run(c);
    expect(analysisLatency(r.prefill_latency)).toBe('22.41 ms');
    expect(analysisLatency(r.decode_latency)).toBe('6.73 ms');
    // Its bundled config: a plain MLP 4 × 4,096 wide, 32 layers, embedding once.
    expect(r.num_params_total).toBe(32 * (4 * 4096 ** 2 + 2 * 4096 * 16384 + 2 * 4096) + 32000 * 4096 + 4096);
  });

  it('its Hub rule: gated only when intermediate / hidden is exactly 3.5; Mixtral read as top-1 of 8', () => {
    expect(analysisModelFromHub('x', hubConfigOf(llmImport('llama-3-8b').arch)).mlp_gated_linear_units).toBe(true);
    expect(() => analysisModelFromHub('x', hubConfigOf(llmImport('llama-3.2-1b').arch))).toThrow(/UnboundLocalError/);
    expect(analysisModelFromHub('x', hubConfigOf(llmImport('gpt2').arch))).toMatchObject({ mlp_gated_linear_units: false, ffn_embed_dim: 4 * 768 });
    const mixtral = analysisModelFromHub('x', hubConfigOf(llmImport('mixtral-8x7b').arch));
    expect([mixtral.moe_num_experts, mixtral.moe_top_k]).toEqual([8, 1]);
  });
});

const sumOf = (p: CalculatorProfile, figure: string) => p.terms.filter((t) => t.figure === figure).reduce((s, t) => s + t.value, 0);

describe("llm-analysis's profile against the standard figures", () => {
  it('Llama-3-8B on an H100, prompt 512 + 32: the figures it printed, and terms that add up', () => {
    const llm = llmAnalysis(llmImport('llama-3-8b'), { prompt: 512, generate: 32 });
    const hw = hardwareProfile('nvidia-h100-sxm5-80gb');
    const p = llmCalculatorProfiles(llm, hw).profiles.find((x) => x.id === 'llm-analysis')!;
    const recorded = tool.cases.find((c) => c.model === 'llama-3-8b' && c.gpu === 'h100-sxm-80gb' && c.batch === 1 && c.dtype === 'w16a16e16')!.summary!;
    expect(p.weightBytes).toBe(recorded.weight_memory_per_gpu);
    expect(p.kvCacheBytes).toBe(recorded.kv_cache_memory_per_gpu);
    expect(p.decodeMsPerToken).toBe(recorded.decode_latency! * 1e3);
    expect(p.printed).toEqual({ prefill: analysisLatency(recorded.prefill_latency!), decode: analysisLatency(recorded.decode_latency!) });
    // The output layer it leaves out: 128,256 × 4,096 at 2 bytes; the rest of the weights agree.
    expect(p.terms.filter((t) => t.figure === 'weightBytes').map((t) => [t.name, t.value])).toEqual([['output layer left out (it counts the embedding once, as if tied)', -128256 * 4096 * 2]]);
    expect(p.terms.filter((t) => t.figure === 'kvCacheBytes')).toEqual([]);
    // Its KV cache read and written whole: 2 × 544 tokens × 131,072 B over its 3,350 GB/s.
    expect(p.terms.find((t) => t.name.startsWith('its KV cache read and written'))!.value).toBeCloseTo(((2 * 544 * 131072) / 3350e9) * 1e3, 12);
    for (const figure of ['weightBytes', 'kvCacheBytes', 'prefillMs', 'decodeMsPerToken'] as const) {
      expect(standardFigure(llm, hw, figure) + sumOf(p, figure)).toBeCloseTo(p[figure]!, figure.endsWith('Bytes') ? 0 : 9);
    }
  });

  const cases = [
    ['mistral-7b', 'nvidia-a100-sxm4-80gb', { context: 8192, batch: 4 }],
    ['llama-3-8b', 'nvidia-h100-sxm5-80gb', { context: 2048, weights: { kind: 'group', bits: 4, groupSize: 128 }, kvBits: 8 }],
    ['mixtral-8x7b', 'nvidia-h100-sxm5-80gb', { prompt: 512, generate: 32, weights: { kind: 'bits', bits: 4 } }],
    ['gpt2', 'nvidia-rtx-a6000', { context: 1024, batch: 8 }],
  ] as const;
  it.each(cases)('%s on %s: each figure is the standard one plus its terms', (model, device, options) => {
    const llm = llmAnalysis(llmImport(model), options as LlmOptions);
    const hw = hardwareProfile(device);
    const p = llmCalculatorProfiles(llm, hw).profiles.find((x) => x.id === 'llm-analysis')!;
    for (const figure of ['weightBytes', 'kvCacheBytes', 'prefillMs', 'decodeMsPerToken'] as const) {
      expect(standardFigure(llm, hw, figure) + sumOf(p, figure)).toBeCloseTo(p[figure]!, figure.endsWith('Bytes') ? 0 : 9);
    }
  });

  it("Mixtral at 4 bits: two all-to-alls per layer of top-1 × 4,096 16-bit values over its 450 GB/s link", () => {
    const llm = llmAnalysis(llmImport('mixtral-8x7b'), { prompt: 512, generate: 32, weights: { kind: 'bits', bits: 4 } });
    const p = llmCalculatorProfiles(llm, hardwareProfile('nvidia-h100-sxm5-80gb')).profiles.find((x) => x.id === 'llm-analysis')!;
    const t = p.terms.find((x) => x.name.startsWith('two all-to-alls'))!;
    expect(t.value).toBeCloseTo(32 * 2 * ((1 * 4096 * 16) / 8 / 450e9) * 1e3, 12);
    const recorded = tool.cases.find((c) => c.model === 'mixtral-8x7b' && c.gpu === 'h100-sxm-80gb' && c.dtype === 'w4a16e16')!.summary!;
    expect(p.decodeMsPerToken).toBe(recorded.decode_latency! * 1e3);
  });

  it('Mistral: the sliding window it ignores, and the one more token its cache holds', () => {
    const llm = llmAnalysis(llmImport('mistral-7b'), { context: 8192 });
    const p = llmCalculatorProfiles(llm, hardwareProfile('nvidia-a100-sxm4-80gb')).profiles.find((x) => x.id === 'llm-analysis')!;
    const perToken = 2 * 32 * 8 * 128 * 2;
    expect(p.terms.filter((t) => t.figure === 'kvCacheBytes').map((t) => t.value)).toEqual([(8192 - 4096) * perToken, perToken]);
  });

  it('a failure of the tool is a reason, not a figure', () => {
    const r = llmCalculatorProfiles(llmAnalysis(llmImport('llama-2-7b'), {}), hardwareProfile('nvidia-a100-sxm4-80gb'));
    expect(r.profiles.map((p) => p.id)).toEqual(['llm-viewer', 'accelerate']);
    expect(r.omitted).toEqual([
      {
        id: 'llm-analysis',
        why: "its infer raises UnboundLocalError: cannot access local variable 'mlp_gated_linear_units' where it is not associated with a value (its Hub-config reader sets the gated-MLP flag only when intermediate / hidden is exactly 3.5; here 11,008 / 4,096 = 2.6875)",
      },
    ]);
    const mixtral = llmCalculatorProfiles(llmAnalysis(llmImport('mixtral-8x7b'), { prompt: 512, generate: 32 }), hardwareProfile('nvidia-h100-sxm5-80gb'));
    expect(mixtral.omitted.find((o) => o.id === 'llm-analysis')!.why).toBe('its infer raises AssertionError: model is too large (requiring 86.75 GB) to fit in total GPU memory');
    expect(llmCalculatorProfiles(llmAnalysis(llmImport('llama-3-8b'), {}), hardwareProfile('nvidia-rtx-4090')).omitted.find((o) => o.id === 'llm-analysis')!.why).toBe('its gpu_configs have no entry for NVIDIA GeForce RTX 4090 (24 GB)');
  });
});
