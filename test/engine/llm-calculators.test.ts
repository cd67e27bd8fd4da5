/**
 * The LLM calculators' profiles reproduce what the tools themselves computed: the figures in
 * test/fixtures/llm-calculators/figures.json were recorded by running each tool's own code
 * (tools/peers/llm-calculators/run.py; commits in the file).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VIEWER_FIGURES, VIEWER_HARDWARE, llmViewer, viewerTime, type ViewerConfig } from '../../src/engine/llm/calculators/llm-viewer.ts';
import { llmCalculatorProfiles, standardFigure } from '../../src/engine/llm/calculators/index.ts';
import { llmAnalysis, type LlmOptions } from '../../src/engine/llm/analysis.ts';
import { hardwareProfile } from '../../src/engine/hardware/profiles.ts';
import { LLM_ZOO } from '../../src/engine/zoo/llm/index.ts';
import { importHfConfig } from '../../src/engine/hf/index.ts';

const llmImport = (id: string) => importHfConfig(LLM_ZOO.find((e) => e.id === id)!.config, { name: id });

interface ViewerCase {
  model: string;
  hardware: string;
  hardwareParams: { bandwidth: number; FP16: number; INT8: number };
  batch: number;
  seqlen: number;
  wBit: number;
  aBit: number;
  kvBit: number;
  results: Record<'prefill' | 'decode', Record<string, number> & { printed: Record<string, string | undefined> }> & {
    layers?: Record<'prefill' | 'decode', Record<string, Record<string, number | string>>>;
  };
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/llm-calculators/figures.json', import.meta.url), 'utf8')) as {
  configs: Record<string, ViewerConfig>;
  tools: { tool: string; commit: string; cases: ViewerCase[] }[];
};
const viewer = fixture.tools.find((t) => t.tool === 'llm-viewer')!;

describe('LLM-Viewer (hahnyuan/LLM-Viewer)', () => {
  it('was recorded at the commit the profile was read from', () => {
    expect(viewer.commit).toBe('472f71f1a1807e80b573252e9185fd5e8d795e95');
    expect(new Set(viewer.cases.map((c) => c.model)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(viewer.cases.map((c) => c.hardware)).size).toBeGreaterThanOrEqual(2);
  });

  it('its device table is the one the tool ran with', () => {
    for (const c of viewer.cases) {
      const hw = VIEWER_HARDWARE[c.hardware]!;
      expect([hw.bandwidth, hw.FP16, hw.INT8]).toEqual([c.hardwareParams.bandwidth, c.hardwareParams.FP16, c.hardwareParams.INT8]);
    }
  });

  it.each(viewer.cases.map((c) => [`${c.model} ${c.hardware} batch ${c.batch} ${c.wBit}-bit`, c] as const))('%s: every total of both stages, to the last bit', (_, c) => {
    const r = llmViewer(fixture.configs[c.model]!, VIEWER_HARDWARE[c.hardware]!, c);
    const layers = c.results.layers;
    for (const stage of ['prefill', 'decode'] as const) {
      for (const k of VIEWER_FIGURES) expect(r[stage][k], `${stage} ${k}`).toBe(c.results[stage][k]);
      expect(viewerTime(r[stage].inference_time)).toBe(c.results[stage].printed.inference_time!.replace(/s$/, ''));
    }
    expect(r.weightBytes).toBe(c.results.decode.memory_consumption_weight);
    expect(r.kvCacheBytes).toBe(c.results.decode.memory_consumption_kv_cache);
    if (layers) {
      for (const stage of ['prefill', 'decode'] as const) {
        expect(r.layers[stage].map((o) => o.name)).toEqual(Object.keys(layers[stage]));
        for (const o of r.layers[stage]) expect(o.bound, `${stage} ${o.name}`).toBe(layers[stage][o.name]!.bound);
      }
    }
  });
});

describe('the calculators against the standard figures', () => {
  const cases = [
    ['llama-2-7b', 'nvidia-a100-sxm4-80gb', { context: 1024 }],
    ['llama-2-13b', 'nvidia-h100-sxm5-80gb', { context: 1024, batch: 64 }],
    ['llama-3-8b', 'nvidia-a100-sxm4-80gb', { context: 1024, weights: { kind: 'group', bits: 4, groupSize: 128 } }],
    ['mistral-7b', 'nvidia-h100-sxm5-80gb', { context: 8192 }],
    ['gemma-2b', 'nvidia-h100-sxm5-80gb', { context: 1024 }],
    ['qwen2.5-0.5b', 'nvidia-rtx-a6000', { prompt: 512, generate: 32 }],
  ] as const;

  it.each(cases)('%s on %s: each figure is the standard one plus its terms, exactly', (model, device, options) => {
    const llm = llmAnalysis(llmImport(model), options as LlmOptions);
    const hw = hardwareProfile(device);
    const { profiles } = llmCalculatorProfiles(llm, hw);
    const viewerProfile = profiles.find((p) => p.id === 'llm-viewer')!;
    for (const figure of ['weightBytes', 'kvCacheBytes', 'prefillMs', 'decodeMsPerToken'] as const) {
      const terms = viewerProfile.terms.filter((t) => t.figure === figure).reduce((s, t) => s + t.value, 0);
      expect(standardFigure(llm, hw, figure) + terms).toBeCloseTo(viewerProfile[figure]!, figure.endsWith('Ms') || figure === 'decodeMsPerToken' ? 9 : 0);
    }
  });

  it('LLM-Viewer leaves the embedding, the output layer and the norms out of the weights (Llama-2-7B, 16 bits)', () => {
    const llm = llmAnalysis(llmImport('llama-2-7b'), { context: 1024 });
    const p = llmCalculatorProfiles(llm, hardwareProfile('nvidia-a100-sxm4-80gb')).profiles[0]!;
    expect(p.weightBytes).toBe(32 * (4 * 4096 * 4096 + 3 * 4096 * 11008) * 2);
    expect(p.terms.filter((t) => t.figure === 'weightBytes').map((t) => [t.name, t.value])).toEqual([
      ['token embedding left out', -32000 * 4096 * 2],
      ['output layer left out', -32000 * 4096 * 2],
      ['norm weights left out', -(2 * 32 + 1) * 4096 * 2],
    ]);
  });

  it("Gemma-2B's explicit head_dim and Mistral's sliding window are terms of the KV cache", () => {
    const gemma = llmCalculatorProfiles(llmAnalysis(llmImport('gemma-2b'), { context: 1024 }), hardwareProfile('nvidia-h100-sxm5-80gb')).profiles[0]!;
    // 18 layers, 1 KV head: LLM-Viewer's 2048 / 8 = 256, the config's head_dim 256: no term.
    expect(gemma.terms.filter((t) => t.figure === 'kvCacheBytes')).toEqual([]);
    const mistral = llmCalculatorProfiles(llmAnalysis(llmImport('mistral-7b'), { context: 8192 }), hardwareProfile('nvidia-h100-sxm5-80gb')).profiles[0]!;
    expect(mistral.terms.filter((t) => t.figure === 'kvCacheBytes')).toEqual([{ figure: 'kvCacheBytes', name: 'sliding window ignored', value: (8192 - 4096) * 2 * 32 * 8 * 128 * 2 }]);
  });

  it('a device or model it cannot describe is said, not guessed', () => {
    const r = llmCalculatorProfiles(llmAnalysis(llmImport('llama-2-7b'), {}), hardwareProfile('nvidia-rtx-4090'));
    // accelerate has no device table: only its weights, on any device.
    expect(r.profiles.map((p) => p.id)).toEqual(['accelerate']);
    expect(r.omitted.find((o) => o.id === 'llm-viewer')).toEqual({ id: 'llm-viewer', why: 'its device table has no entry for NVIDIA GeForce RTX 4090 (24 GB)' });
    expect(llmCalculatorProfiles(llmAnalysis(llmImport('gpt2'), {}), hardwareProfile('nvidia-h100-sxm5-80gb')).omitted[0]!.why).toMatch(/gpt2 model/);
  });
});
