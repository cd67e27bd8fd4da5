/**
 * The LLM calculators' profiles reproduce what the tools themselves computed: the figures in
 * test/fixtures/llm-calculators/figures.json were recorded by running each tool's own code
 * (tools/peers/llm-calculators/run.py; commits in the file).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VIEWER_FIGURES, VIEWER_HARDWARE, llmViewer, viewerTime, type ViewerConfig } from '../../src/engine/llm/calculators/llm-viewer.ts';

interface ViewerCase {
  model: string;
  hardware: string;
  hardwareParams: { bandwidth: number; FP16: number; INT8: number };
  batch: number;
  seqlen: number;
  wBit: number;
  aBit: number;
  kvBit: number;
  results: Record<'prefill' | 'decode', Record<string, number> & { printed: Record<string, string> }> & {
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
    for (const stage of ['prefill', 'decode'] as const) {
      for (const k of VIEWER_FIGURES) expect(r[stage][k], `${stage} ${k}`).toBe(c.results[stage][k]);
      expect(viewerTime(r[stage].inference_time)).toBe(c.results[stage].printed.inference_time.replace(/s$/, ''));
    }
    expect(r.weightBytes).toBe(c.results.decode.memory_consumption_weight);
    expect(r.kvCacheBytes).toBe(c.results.decode.memory_consumption_kv_cache);
    if (c.results.layers) {
      for (const stage of ['prefill', 'decode'] as const) {
        expect(r.layers[stage].map((o) => o.name)).toEqual(Object.keys(c.results.layers[stage]));
        for (const o of r.layers[stage]) expect(o.bound, `${stage} ${o.name}`).toBe(c.results.layers[stage][o.name]!.bound);
      }
    }
  });
});
