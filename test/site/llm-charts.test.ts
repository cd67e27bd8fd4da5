/**
 * The serving chapter's charts (issue 28): their data is the engine's (decode points, crossover,
 * largest batch and context, KV bytes), checked here against arithmetic from the models' configs;
 * the SVG marks what the data says (the knee, the fit limit, the device's memory), and bad props
 * are one message each at their prop, from `workbook check` as from the build.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel, decodePoint, hardwareProfile, llmAnalysis, llmOnHardware, llmZooImport } from '../../src/engine/index.ts';
import { contextMemoryChart, decodeBatchChart, decodeDeviceSummary, memorySeriesSummary, sig3, tokensK } from '../../src/site/charts/llm-charts.ts';
import { checkChapters } from '../../src/workbook/check/course-file.ts';
import { contextMemoryData, decodeBatchData, llmChartIssues } from '../../src/workbook/llm-charts.ts';

const H100 = 'nvidia-h100-sxm5-80gb';
const RTX4090 = 'nvidia-rtx-4090';

describe('memory against context', () => {
  const data = contextMemoryData({ model: 'llama-2-13b', hardware: H100, kvHeads: [40, 8, 1], window: 4096 });
  const [mha, gqa, mqa, window] = data.series;

  it('has the model as published, 8 and 1 KV heads, and a window, labelled by kind', () => {
    expect(data.series.map((s) => s.label)).toEqual(['MHA (40 KV heads)', 'GQA (8 KV heads)', 'MQA (1 KV head)', 'MHA (40 KV heads), window 4,096']);
    expect(data.series.map((s) => s.own)).toEqual([true, false, false, false]);
    expect(data.contexts).toEqual([1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072]);
  });

  it('KV bytes are 2 · layers · KV heads · head size · context · 2 bytes (Llama-2-13B: 40 layers, head size 128)', () => {
    const at8k = (s: typeof mha) => s!.points.find((p) => p.context === 8192)!.kvBytes;
    expect(at8k(mha)).toBe(2 * 40 * 40 * 128 * 8192 * 2);
    expect(at8k(gqa)).toBe(2 * 40 * 8 * 128 * 8192 * 2);
    expect(at8k(mqa)).toBe(2 * 40 * 1 * 128 * 8192 * 2);
    // The window keeps 4,096 tokens whatever the context.
    expect(window!.points.at(-1)!.kvBytes).toBe(2 * 40 * 40 * 128 * 4096 * 2);
    expect(mha!.kvBytesPerToken).toBe(2 * 40 * 40 * 128 * 2);
  });

  it('each line starts from its own weights: fewer KV heads, smaller K and V projections', () => {
    // 13,015,864,320 parameters in 16 bits (Llama-2-13B's published count).
    expect(mha!.weightBytes).toBe(13_015_864_320 * 2);
    // W_K and W_V of 5,120 × (h_kv · 128) in each of 40 layers.
    expect(mha!.weightBytes - gqa!.weightBytes).toBe(2 * 40 * 2 * 5120 * (40 - 8) * 128);
    expect(mha!.weightBytes - mqa!.weightBytes).toBe(2 * 40 * 2 * 5120 * (40 - 1) * 128);
    for (const s of data.series) for (const p of s.points) expect(p.totalBytes).toBe(s.weightBytes + p.kvBytes);
  });

  it("marks where each line passes the device's memory: the engine's longest context", () => {
    const capacity = hardwareProfile(H100).dramBytes!.value;
    expect(data.device?.capacityBytes).toBe(capacity);
    expect(mha!.maxContext).toBe(Math.floor((capacity - mha!.weightBytes) / mha!.kvBytesPerToken));
    // 64k tokens still fit (79.7 GB); 128k does not.
    expect(mha!.points.map((p) => p.fits)).toEqual([true, true, true, true, true, true, true, false]);
    for (const p of mha!.points) expect(p.fits).toBe(p.context <= mha!.maxContext!);
    expect(gqa!.points.every((p) => p.fits)).toBe(true);
    expect(window!.contextUnbounded).toBe(true);
    expect(window!.maxContext).toBeUndefined();
    const llm = llmAnalysis(llmZooImport('llama-2-13b')!, { context: 1024 });
    expect(mha!.maxContext).toBe(llmOnHardware(llm, hardwareProfile(H100)).maxContext!.value);
  });

  it('the SVG has the memory line, a ring at the crossing, and the summary as its description', () => {
    const chart = contextMemoryChart(data);
    for (const svg of [chart.svg, chart.narrowSvg]) {
      expect(svg).toMatch(/^<svg[^>]*role="img"/);
      expect(svg).toContain(`aria-label="${chart.label}"`);
      expect(svg).toMatch(/data-mark="rule"/);
      expect(svg.match(/data-mark="line"/g)?.length).toBe(4);
      expect(svg).not.toMatch(/<g[^>]* aria-label=/);
    }
    expect(chart.svg).toContain(`${mha!.maxContext!.toLocaleString('en-US')}</text>`);
    expect(chart.description).toContain(memorySeriesSummary(mha!, data));
    expect(memorySeriesSummary(window!, data)).toContain('fits NVIDIA H100 SXM5 80 GB at any context');
    expect(tokensK(131072)).toBe('128k');
  });

  it("holds what the chapter says of it: every head's cache passes the weights between 16k and 32k tokens, the H100's memory before 128k; one head's hardly shows", () => {
    const kv = (s: typeof mha, c: number) => s!.points.find((p) => p.context === c)!.kvBytes;
    expect(kv(mha, 16384)).toBeLessThan(mha!.weightBytes);
    expect(kv(mha, 32768)).toBeGreaterThan(mha!.weightBytes);
    expect(mha!.maxContext!).toBeLessThan(131072);
    expect(kv(mqa, 131072) / mqa!.weightBytes).toBeLessThan(0.15);
  });

  it('a model with a window of its own (Mistral-7B) keeps it on its own line; the defaults are its heads, 8 and 1', () => {
    const mistral = contextMemoryData({ model: 'mistral-7b' });
    expect(mistral.series.map((s) => s.label)).toEqual(['MHA (32 KV heads)', 'GQA (8 KV heads), window 4,096', 'MQA (1 KV head)']);
    expect(mistral.device).toBeUndefined();
    expect(mistral.series[1]!.points.at(-1)!.kvBytes).toBe(2 * 32 * 8 * 128 * 4096 * 2);
  });
});

describe('tokens per second against the batch', () => {
  const data = decodeBatchData({ model: 'llama-3-8b', hardware: [H100, RTX4090], given: { context: 256 }, batches: [1, 2048] });
  const [h100, rtx] = data.devices;

  it("every point is the engine's decode point at the context", () => {
    const llm = llmAnalysis(llmZooImport('llama-3-8b')!, { context: 256 });
    const m = decodeModel(llm, hardwareProfile(RTX4090));
    for (const p of rtx!.points) expect(p.tokensPerSecond).toBe(decodePoint(m, p.batch, 256).tokensPerSecond);
    expect(data.batches).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]);
  });

  it('batch 1 on the RTX 4090 is its bandwidth over the bytes of a step: weights + 256 tokens of cache', () => {
    const weightBytes = 8_030_261_248 * 2; // Llama-3-8B's parameters, 16-bit
    const kvBytes = 2 * 32 * 8 * 128 * 256 * 2;
    const bandwidth = hardwareProfile(RTX4090).memoryBandwidthBytesPerS!.value;
    expect(data.weightBytes).toBe(weightBytes);
    expect(rtx!.points[0]!.tokensPerSecond).toBeCloseTo(bandwidth / (weightBytes + kvBytes), 9);
    expect(rtx!.points[0]!.bound).toBe('memory');
  });

  it("marks the engine's knee and largest batch, and draws past it as not fitting", () => {
    const llm = llmAnalysis(llmZooImport('llama-3-8b')!, { context: 256 });
    for (const [d, id] of [[h100!, H100], [rtx!, RTX4090]] as const) {
      const hw = llmOnHardware(llm, hardwareProfile(id));
      expect(d.crossoverBatch).toBe(hw.crossoverBatch!.value);
      expect(d.maxBatch).toBe(hw.maxBatch!.value);
      // The knee and the limit are points of the line, as well as the doublings, when within the range.
      expect(d.points.map((p) => p.batch)).toEqual(expect.arrayContaining([d.crossoverBatch, d.maxBatch].filter((b) => b! <= 2048)));
      for (const p of d.points) {
        expect(p.fits).toBe(p.batch <= d.maxBatch!);
        expect(p.bound).toBe(p.batch >= d.crossoverBatch! ? 'compute' : 'memory');
      }
    }
    // On the 4090 (24 GB) the knee comes just before the batch stops fitting; the H100 has room past it.
    expect(rtx!.crossoverBatch!).toBeLessThan(rtx!.maxBatch!);
    expect(rtx!.maxBatch!).toBeLessThan(512);
    expect(h100!.maxBatch!).toBeGreaterThan(2 * h100!.crossoverBatch!);
    expect(decodeDeviceSummary(rtx!, 256)).toContain(`compute-bound from ${rtx!.crossoverBatch}`);
  });

  it('takes the storage from given: Llama-2-13B at 4 bits in groups of 128 fits the 4090 that its 16 bits do not', () => {
    const q4 = decodeBatchData({ model: 'llama-2-13b', hardware: RTX4090, given: { context: 1024, paramBits: 4, groupSize: 128, kvBits: 8 } });
    const f16 = decodeBatchData({ model: 'llama-2-13b', hardware: RTX4090, given: { context: 1024 } });
    const llm = llmAnalysis(llmZooImport('llama-2-13b')!, { context: 1024, weights: { kind: 'group', bits: 4, groupSize: 128 }, kvBits: 8 });
    expect(q4.weightBytes).toBe(llm.weightBytes.value);
    expect(q4.weights).toBe('4-bit weights in groups of 128 (16-bit scale and 4-bit zero point each)');
    expect(q4.kvBits).toBe(8);
    expect(q4.devices[0]!.maxBatch).toBe(llmOnHardware(llm, hardwareProfile(RTX4090)).maxBatch!.value);
    expect(q4.devices[0]!.points[0]!.fits).toBe(true);
    // 26 GB of 16-bit weights in 24 GiB: nothing fits, every point dotted, and the caption says why.
    expect(f16.devices[0]!.maxBatch).toBeUndefined();
    expect(f16.devices[0]!.points.every((p) => !p.fits)).toBe(true);
    expect(decodeDeviceSummary(f16.devices[0]!, 1024)).toContain('the weights alone do not fit in its memory');
    expect(decodeBatchChart(f16).svg.match(/stroke-dasharray="2 4"/g)?.length).toBe(1);
  });

  it('at a context of 4,096 no batch is compute-bound, and the caption says so', () => {
    const long = decodeBatchData({ model: 'llama-3-8b', hardware: [H100, RTX4090], given: { context: 4096 } });
    for (const d of long.devices) {
      expect(d.crossoverBatch).toBeUndefined();
      expect(d.points.every((p) => p.bound === 'memory')).toBe(true);
      expect(decodeDeviceSummary(d, 4096)).toContain('memory-bound at every batch');
    }
    expect(long.batches.at(-1)).toBe(1024);
  });

  it('the SVG: a solid line per device, a dotted one past the fit, the knee ringed and labelled', () => {
    const chart = decodeBatchChart(data);
    // The H100 fits every batch up to 2,048 (its limit is past the axis): one line; the 4090 two.
    expect(h100!.maxBatch!).toBeGreaterThan(2048);
    expect(chart.svg.match(/data-mark="line"/g)?.length).toBe(3);
    expect(chart.svg.match(/stroke-dasharray="2 4"/g)?.length).toBe(1);
    expect(chart.svg).toContain(`compute-bound from ${rtx!.crossoverBatch}</text>`);
    expect(chart.svg).toContain(`fits ≤ ${rtx!.maxBatch}</text>`);
    expect(chart.narrowSvg).toContain(`knee ${rtx!.crossoverBatch}</text>`);
    expect(chart.svg).toContain('viewBox="0 0 760 400"');
    expect(chart.narrowSvg).toContain('viewBox="0 0 340 340"');
    expect(sig3(65_335.2)).toBe('65,300');
  });
});

describe('bad props: one message each, at the prop', () => {
  it('names the nearest model and profile, and the rule broken', () => {
    const issues = llmChartIssues('DecodeBatchChart', { model: 'llama-3-8', hardware: ['nvidia-h100-sxm5-80gb', 'nvidia-rtx-409'], given: { contxt: 256 } });
    expect(issues.map((i) => i.message)).toEqual(['given.contxt: unknown field; did you mean context?; allowed: context, paramBits, groupSize, weightFormat, kvBits']);
    const names = llmChartIssues('DecodeBatchChart', { model: 'llama-3-8', hardware: ['nvidia-h100-sxm5-80gb', 'nvidia-rtx-409'] });
    expect(names).toEqual([
      { path: ['model'], message: expect.stringMatching(/^model: 'llama-3-8' is not a built-in language model; did you mean llama-3-8b\?/) },
      { path: ['hardware', 1], message: "hardware[1]: 'nvidia-rtx-409' is not a built-in hardware profile; did you mean nvidia-rtx-4090?" },
    ]);
    expect(llmChartIssues('DecodeBatchChart', { model: 'llama-3-8b', hardware: 'stm32f446re' })[0]!.message).toMatch(/has no dramBytes/);
    expect(llmChartIssues('DecodeBatchChart', { model: 'llama-3-8b', hardware: H100, batches: [3, 2] }).map((i) => i.message)).toEqual([
      'batches[0]: a power of two (the axis is in doublings)',
      'batches: the first bound is below the second: [low, high]',
    ]);
    expect(llmChartIssues('ContextMemoryChart', { model: 'llama-2-13b', kvHeads: [40, 7] })).toEqual([
      { path: ['kvHeads', 1], message: "kvHeads[1]: 7 KV heads do not divide llama-2-13b's 40 query heads into groups; allowed: 1, 2, 4, 5, 8, 10, 20, 40" },
    ]);
    expect(() => decodeBatchData({ model: 'llama-3-8b', hardware: H100, given: { batch: 4 } })).toThrow(/^<DecodeBatchChart model="llama-3-8b">: given.batch: unknown field/);
  });

  it("GPT-2's learned positions bound the context; a count past 2^53 is the engine's error, named by the chart", () => {
    expect(llmChartIssues('ContextMemoryChart', { model: 'gpt2' })).toEqual([
      { path: ['model'], message: 'model: gpt2 has 1,024 learned positions; a context of 131,072 is longer (the default; set contexts)' },
    ]);
    expect(llmChartIssues('DecodeBatchChart', { model: 'gpt2', hardware: H100, given: { context: 2048 } })).toEqual([
      { path: ['given', 'context'], message: 'given.context: gpt2 has 1,024 learned positions; a context of 2,048 is longer' },
    ]);
    expect(contextMemoryData({ model: 'gpt2', contexts: [256, 1024] }).series[0]!.points.at(-1)!.kvBytes).toBe(2 * 12 * 12 * 64 * 1024 * 2);
    expect(() => decodeBatchData({ model: 'llama-2-13b', hardware: H100, given: { context: 1048576 } })).toThrow(
      /^<DecodeBatchChart model="llama-2-13b">: llama-2-13b > model\.layers\.0\.attn_block > self_attn: FLOPs: a product gives [\d,]+, beyond exact integer range/,
    );
  });

  it('workbook check reports them at the prop, file:line:column', () => {
    const root = mkdtempSync(join(tmpdir(), 'llm-chart-check-'));
    mkdirSync(join(root, 'content/chapters'), { recursive: true });
    writeFileSync(
      join(root, 'content/chapters/serving.mdx'),
      ['---', 'title: "Serving"', 'summary: "s"', 'topics: [memory]', '---', '', 'Text.', '', '<DecodeBatchChart model="llama-3-8b" hardware={["nvidia-h100-sxm5-80gb", "nvidia-h100"]} />', '', '<ContextMemoryChart model="llama-2-13b"', '  kvHeads={[3]} />', '', '<DecodeBatchChart model="llama-2-13b" hardware="nvidia-h100-sxm5-80gb" given={{ context: 1048576 }} />', ''].join('\n'),
    );
    const { diagnostics } = checkChapters(root);
    expect(diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`)).toEqual([
      "9:38: <DecodeBatchChart> hardware[1]: 'nvidia-h100' is not a built-in hardware profile; did you mean nvidia-h100-sxm5-80gb?",
      "12:3: <ContextMemoryChart> kvHeads[0]: 3 KV heads do not divide llama-2-13b's 40 query heads into groups; allowed: 1, 2, 4, 5, 8, 10, 20, 40",
      expect.stringMatching(/^14:72: <DecodeBatchChart model="llama-2-13b">: llama-2-13b > model\.layers\.0\.attn_block > self_attn: FLOPs: .*beyond exact integer range/),
    ]);
  });

  it("takes the author's own config.json, relative to the chapters' folder, and says what is wrong with it", () => {
    const root = mkdtempSync(join(tmpdir(), 'llm-chart-config-'));
    const dir = join(root, 'content/chapters');
    mkdirSync(join(dir, 'models'), { recursive: true });
    const config = JSON.parse(readFileSync(new URL('../../src/engine/zoo/llm/llama-2-13b.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'models/gqa.json'), JSON.stringify({ ...config, num_key_value_heads: 8 }, null, 2));
    writeFileSync(join(dir, 'models/bad.json'), JSON.stringify({ ...config, num_hiden_layers: 40, num_hidden_layers: undefined }, null, 2));
    const data = contextMemoryData({ model: './models/gqa.json', contexts: [1024, 8192] }, dir);
    expect(data.model).toBe('gqa');
    expect(data.series.map((s) => s.label)).toEqual(['MHA (40 KV heads)', 'GQA (8 KV heads)', 'MQA (1 KV head)']);
    expect(data.series.find((s) => s.own)!.points.at(-1)!.kvBytes).toBe(2 * 40 * 8 * 128 * 8192 * 2);
    expect(llmChartIssues('ContextMemoryChart', { model: './models/none.json' }, dir)[0]!.message).toMatch(/^model: .*none\.json.*; a path is relative to the chapter's folder \(content\/chapters\/\)$/);
    expect(llmChartIssues('ContextMemoryChart', { model: './models/bad.json' }, dir)[0]!.message).toMatch(/num_hiden_layers|num_hidden_layers/);
  });
});
