/**
 * `workbook analyze <id> --json` prints the published parameter and MAC counts of every built-in
 * model (test/engine/published.ts, the standard convention), and `--seq` changes the transformers'
 * sequence length. Every model goes through the command's own `run` (in process, one process
 * start per model would cost a second each); two are also spawned as a user runs them.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { PUBLISHED_STANDARD, STANDARD_FROM_OTHERS } from '../engine/published.ts';

const root = resolve(import.meta.dirname, '../..');

async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function spawned(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'src/cli/workbook.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const rows = [...PUBLISHED_STANDARD, ...STANDARD_FROM_OTHERS];

describe('workbook analyze <id> --json', () => {
  it.each(rows.map((p) => [p.id, p] as const))('%s: published params and MACs', async (id, p) => {
    const r = await inProcess(['analyze', id, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const report = JSON.parse(r.stdout);
    expect([report.model, report.totals.params, report.totals.macs]).toEqual([id, p.params, p.macs]);
  });

  it.each(['resnet50', 'bert-base-uncased'])('%s, spawned', (id) => {
    const p = rows.find((row) => row.id === id)!;
    const r = spawned(['analyze', id, '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const report = JSON.parse(r.stdout);
    expect([report.model, report.totals.params, report.totals.macs]).toEqual([id, p.params, p.macs]);
  });
});

describe('--seq', () => {
  it('bert-base-uncased at 64 tokens: input 1 x 64, attention matmuls at 64² per head (spawned)', () => {
    const r = spawned(['analyze', 'bert-base-uncased', '--seq', '64', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.layers[0].inputShape).toEqual([1, 64]);
    expect(report.totals.params).toBe(109_482_240);
    expect(report.totals.macs).toBe(12 * (4 * 64 * 768 * 768 + 2 * 64 * 768 * 3072) + 768 * 768 + 12 * 2 * 12 * 64 * 64 * 64);
  });

  it.each([
    [['analyze', 'resnet18', '--seq', '64'], 1, /resnet18: takes no options, got seq/],
    [['analyze', 'bert-base-uncased', '--seq', '1024'], 1, /bert-base-uncased: sequence length 1024 is not allowed; allowed: an integer from 1 to 512/],
    [['analyze', 'bert-base-uncased', '--seq', 'x'], 2, /--seq must be a positive integer, got 'x'/],
    [['analyze', 'model.json', '--seq', '64'], 2, /--seq applies to the built-in transformers/],
  ] as const)('%j exits %i', async (args, code, message) => {
    const r = await inProcess([...args]);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });
});
