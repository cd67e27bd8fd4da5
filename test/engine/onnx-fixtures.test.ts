/**
 * The vendored PyTorch exports (test/fixtures/onnx/pytorch/) are the course's `shared/onnx/`, byte
 * for byte, wherever that folder sits beside the repository; a fresh clone without it still tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseOnnxDir, sharedOnnxDir } from '../helpers/onnx.ts';

const vendored = sharedOnnxDir();
const course = courseOnnxDir();

describe('vendored ONNX exports', () => {
  it('hold expected.json and every file it describes', () => {
    const expected = JSON.parse(readFileSync(join(vendored, 'expected.json'), 'utf8')) as Record<string, unknown>;
    const files = readdirSync(vendored).filter((f) => f.endsWith('.onnx'));
    expect(files.length).toBeGreaterThanOrEqual(11);
    for (const file of files) expect(Object.keys(expected), file).toContain(file);
  });

  it.runIf(course !== undefined)('equal the course folder shared/onnx/ byte for byte', () => {
    const names = readdirSync(course!).sort();
    expect(readdirSync(vendored).sort()).toEqual(names);
    for (const name of names) expect(readFileSync(join(vendored, name)).equals(readFileSync(join(course!, name))), name).toBe(true);
  });
});
