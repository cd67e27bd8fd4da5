/**
 * Issue 26's limits as a user meets them at the command line: a named pipe is refused at once
 * (it hung), a file past its format's size limit is refused from its size before a byte is read,
 * and models long enough to overflow a recursion or a spread print their text report.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { MODEL_LIMITS } from '../../src/engine/index.ts';
import { onnxBytes } from '../helpers/onnx.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'workbook-limits-'));

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { out: (t) => (stdout += t + '\n'), err: (t) => (stderr += t + '\n') });
  return { code, stdout, stderr };
}

/** A file of `bytes` zeros that takes no room on disk (sparse): its size is all stat reports. */
function sparse(name: string, bytes: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

describe('files that are not regular files, or too large', () => {
  it.each(['fifo.onnx', 'fifo.json'])('a named pipe given as the model (%s) is refused at once', (name) => {
    const path = join(dir, name);
    const made = spawnSync('mkfifo', [path]);
    expect(made.status).toBe(0);
    // Spawned as a user runs it: before, this never returned.
    const r = spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'src/cli/workbook.js'), 'analyze', path], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect([r.status, r.stderr.trim()]).toEqual([1, `workbook: ${path}: the file is a named pipe, not a regular file; give the path of a file`]);
  });

  it('a named pipe as the model of a new problem is refused at once', () => {
    const path = join(dir, 'new-fifo.json');
    expect(spawnSync('mkfifo', [path]).status).toBe(0);
    const r = spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'src/cli/workbook.js'), 'new', 'problem', 'hw9/q1', '--model', path, '--course', dir], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, `workbook new: --model: ${path}: the model file is a named pipe, not a regular file; give the path of a file`]);
  });

  it('a directory is refused the same way', async () => {
    const path = join(dir, 'folder.onnx');
    spawnSync('mkdir', [path]);
    const r = await cli(['analyze', path]);
    expect([r.code, r.stderr.trim()]).toEqual([1, `workbook: ${path}: the file is a directory, not a regular file; give the path of a file`]);
  });

  it('a 300 MB .onnx file is refused from its size, before it is read', async () => {
    const path = sparse('big.onnx', 300_000_000);
    const r = await cli(['analyze', path]);
    expect([r.code, r.stderr.trim()]).toEqual([
      1,
      `workbook: ${path}: the file is 300,000,000 bytes; the limit of a .onnx file is 268,435,456 bytes (256 MiB); the importer reads no weights: save the model with external data (onnx.save_model(m, path, save_as_external_data=True)) and give it the .onnx file`,
    ]);
  });

  it('a .json file one byte past 16 MiB is refused from its size', async () => {
    const path = sparse('big.json', MODEL_LIMITS.fileBytes + 1);
    const r = await cli(['analyze', path]);
    expect([r.code, r.stderr.trim()]).toEqual([1, `workbook: ${path}: the file is 16,777,217 bytes; the limit of a .json file is 16,777,216 bytes (16 MiB)`]);
  });
});

describe('long models print their text report (no recursion or spread depends on the model\'s size)', () => {
  it('a chain of 150,000 Relu nodes (it printed "Maximum call stack size exceeded")', async () => {
    const n = 150_000;
    const path = join(dir, 'chain.onnx');
    writeFileSync(path, onnxBytes({ inputs: { x: [1, 4] }, output: `t${n - 1}`, nodes: Array.from({ length: n }, (_, i) => ({ op: 'Relu', name: `r${i}`, inputs: [i ? `t${i - 1}` : 'x'], outputs: [`t${i}`] })) }));
    const r = await cli(['analyze', path]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('chain: input 1 x 4, batch 1, 32-bit parameters');
    // The header, its rule and one row per node.
    expect(lines.filter((l) => /^r\d+ +ReLU +1 x 4 /.test(l))).toHaveLength(n);
  });

  it('a JSON Repeat of 75,000 x [ReLU, ReLU]', async () => {
    const path = join(dir, 'repeat.json');
    writeFileSync(path, JSON.stringify({ name: 'rep', input: [4], layers: [{ type: 'Repeat', times: 75_000, layers: [{ type: 'ReLU' }, { type: 'ReLU' }] }] }));
    const r = await cli(['analyze', path]);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter((l) => / ReLU +1 x 4 /.test(l))).toHaveLength(150_000);
  });
});
