/**
 * `workbook analyze <language model> --profiles --hardware ID`: the LLM calculators' figures
 * (JSON `llm.profiles`) with their terms, and the device a calculator has no entry for.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const workbook = (args: string[]) => spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'src/cli/workbook.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

describe('workbook analyze <language model> --profiles', () => {
  it('Llama-2-7B on an A100 80 GB: LLM-Viewer with id, prefillMs, decodeMsPerToken, weightBytes, kvCacheBytes and terms', () => {
    const r = workbook(['analyze', 'llama-2-7b', '--context', '1024', '--hardware', 'nvidia-a100-sxm4-80gb', '--profiles', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const [viewer] = out.llm.profiles;
    expect(viewer.id).toBe('llm-viewer');
    expect(viewer.weightBytes).toBe(32 * (4 * 4096 * 4096 + 3 * 4096 * 11008) * 2);
    expect(viewer.kvCacheBytes).toBe(out.llm.kvCacheBytes);
    // LLM-Viewer's own figure for this case (test/fixtures/llm-calculators: 6.752276339382051e-3 s).
    expect(viewer.decodeMsPerToken).toBeCloseTo(6.752276339382051, 12);
    const sum = (figure: string) => viewer.terms.filter((t: { figure: string }) => t.figure === figure).reduce((s: number, t: { value: number }) => s + t.value, 0);
    expect(out.llm.weightBytes + sum('weightBytes')).toBe(viewer.weightBytes);
    expect(out.llm.decode.msPerToken + sum('decodeMsPerToken')).toBeCloseTo(viewer.decodeMsPerToken, 9);
  });

  it('Llama-3-8B on an H100, prompt 512 + 32: llm-analysis as it ran, accelerate with its weights only', () => {
    const r = workbook(['analyze', 'llama-3-8b', '--prompt', '512', '--generate', '32', '--hardware', 'nvidia-h100-sxm5-80gb', '--profiles', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.llm.profiles.map((p: { id: string }) => p.id)).toEqual(['llm-viewer', 'llm-analysis', 'accelerate']);
    const [, analysis, accelerate] = out.llm.profiles;
    // llm-analysis's own infer for this case (test/fixtures/llm-calculators): 4.524846153728989e-3 s, 15,009,849,344 B.
    expect(analysis.decodeMsPerToken).toBe(0.004524846153728989 * 1e3);
    expect(analysis.weightBytes).toBe(15009849344);
    expect(analysis.printed).toEqual({ prefill: '8.38 ms', decode: '4.52 ms' });
    expect([accelerate.kvCacheBytes, accelerate.prefillMs, accelerate.decodeMsPerToken]).toEqual([null, null, null]);
    // AutoModel: Llama-3-8B without its 128,256 × 4,096 output layer, and its rotary inv_freq (64 fp32), fp32 / 2,
    // as `accelerate estimate-memory meta-llama/Meta-Llama-3-8B` printed it (test/fixtures/llm-calculators/accelerate.json).
    expect(accelerate.weightBytes).toBe(((8030261248 - 128256 * 4096) * 4 + 64 * 4) / 2);
    expect(accelerate.printed).toEqual({ 'largest layer': '1002.0 MB', weights: '13.98 GB', 'training (Adam)': '55.92 GB' });
  });

  it('the text lists each figure beside the standard one, and says which device a tool lacks', () => {
    const r = workbook(['analyze', 'llama-3-8b', '--hardware', 'nvidia-rtx-4090', '--profiles']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('llm-viewer: not computed: its device table has no entry for NVIDIA GeForce RTX 4090 (24 GB)');
    const h = workbook(['analyze', 'llama-3-8b', '--hardware', 'nvidia-h100-sxm5-80gb', '--profiles']);
    expect(h.stdout).toMatch(/LLM-Viewer \(hahnyuan\/LLM-Viewer at 472f71f\), its device nvidia_H100_SXM:/);
    expect(h.stdout).toMatch(/its device table \(3\.072 TB\/s, 989\.5 TFLOP\/s\)/);
  });

  it('--profiles without --hardware says why', () => {
    const r = workbook(['analyze', 'llama-3-8b', '--profiles']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--profiles for a language model needs --hardware/);
  });
});
