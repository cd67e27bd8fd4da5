/**
 * The prebuilt client scripts (src/site/client-prebuild.ts) are reused while every input file has
 * the content it was bundled from, and bundled again when one changed: an edited source, another
 * version of a dependency, a missing output file. A small generator folder of its own (the two
 * .astro files with their scripts, the modules they import, a dependency in node_modules) keeps
 * the test off this checkout's own bundle.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePrebuiltClient, inputFile, inputKey, readManifest, staleReason } from '../../src/site/client-prebuild.ts';

let root: string;
let dir: string;

function write(file: string, text: string): void {
  mkdirSync(join(root, file, '..'), { recursive: true });
  writeFileSync(join(root, file), text);
}

function dependency(version: string): void {
  write('node_modules/fake-dep/package.json', JSON.stringify({ name: 'fake-dep', version, type: 'module', main: 'index.js' }));
  write('node_modules/fake-dep/index.js', `export const depVersion = ${JSON.stringify(version)};\n`);
}

/** The text of a script's bundled files, joined. */
const bundled = (name: string) =>
  readManifest(dir)!.scripts[name]!.files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'client-prebuild-'));
  dir = join(root, 'prebuilt/client');
  write('src/components/PracticeScript.astro', `---\n---\n<script>\n  import { startPractice } from '../site/practice/client.ts';\n  startPractice(document);\n</script>\n`);
  write('src/pages/[analyze].astro', `---\n---\n<p>analyzer</p>\n<script>\n  import { startAnalyzer } from '../site/analyze/client.ts';\n  startAnalyzer(document);\n</script>\n`);
  write('src/site/practice/client.ts', `export function startPractice(doc: Document): void {\n  doc.body.dataset.practice = 'first edition';\n}\n`);
  write('src/site/analyze/client.ts', `import { depVersion } from 'fake-dep';\nexport function startAnalyzer(doc: Document): void {\n  doc.body.dataset.dep = depVersion;\n  void import('./lazy.ts').then((m) => m.later(doc));\n}\n`);
  write('src/site/analyze/lazy.ts', `export function later(doc: Document): void {\n  doc.body.dataset.later = 'loaded on demand';\n}\n`);
  dependency('1.0.0');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the prebuilt client scripts', () => {
  it('are bundled when there is no manifest, listing every input with its content hash', async () => {
    expect(staleReason(dir, root)).toBe('no manifest');
    const first = await ensurePrebuiltClient(dir, root);
    expect(first.rebuilt).toBe('no manifest');
    const inputs = Object.keys(first.manifest.inputs);
    for (const key of ['src/components/PracticeScript.astro', 'src/pages/[analyze].astro', 'src/site/practice/client.ts', 'src/site/analyze/client.ts', 'src/site/analyze/lazy.ts', 'node_modules/fake-dep/index.js']) {
      expect(inputs).toContain(key);
    }
    // The analyzer's entry, and its chunk loaded on demand, with a relative import (any base path).
    const analyzer = first.manifest.scripts.analyzer!;
    expect(analyzer.files).toHaveLength(2);
    expect(analyzer.files).toContain(analyzer.entry);
    expect(readFileSync(join(dir, analyzer.entry), 'utf8')).toMatch(/import\(`\.\/lazy\.[\w-]+\.js`\)/);
    expect(bundled('analyzer')).toContain('`1.0.0`');
    expect(bundled('analyzer')).toContain('loaded on demand');
    expect(bundled('practice')).toContain('first edition');
  });

  it('are reused while nothing changed', async () => {
    const before = readManifest(dir)!;
    expect(staleReason(dir, root)).toBeUndefined();
    const again = await ensurePrebuiltClient(dir, root);
    expect(again.rebuilt).toBeUndefined();
    expect(again.manifest).toEqual(before);
    expect([...again.files.keys()].sort()).toEqual([...new Set(Object.values(before.scripts).flatMap((s) => s.files))].sort());
  });

  it('are bundled again when a source file is edited', async () => {
    const before = readManifest(dir)!.scripts.practice!.entry;
    write('src/site/practice/client.ts', `export function startPractice(doc: Document): void {\n  doc.body.dataset.practice = 'second edition';\n}\n`);
    expect(staleReason(dir, root)).toBe('src/site/practice/client.ts changed');
    const next = await ensurePrebuiltClient(dir, root);
    expect(next.rebuilt).toBe('src/site/practice/client.ts changed');
    expect(next.manifest.scripts.practice!.entry).not.toBe(before);
    expect(bundled('practice')).toContain('second edition');
    expect(staleReason(dir, root)).toBeUndefined();
  });

  it("are bundled again when a dependency's version changes", async () => {
    dependency('2.0.0');
    expect(staleReason(dir, root)).toBe('node_modules/fake-dep/index.js changed');
    expect((await ensurePrebuiltClient(dir, root)).rebuilt).toBe('node_modules/fake-dep/index.js changed');
    expect(bundled('analyzer')).toContain('`2.0.0`');
    expect(bundled('analyzer')).not.toContain('`1.0.0`');
  });

  it('are bundled again when a bundled file is missing, or the bundler\'s settings are others (not for another version of Vite)', async () => {
    const { entry } = readManifest(dir)!.scripts.analyzer!;
    rmSync(join(dir, entry));
    expect(staleReason(dir, root)).toBe(`${entry} is missing`);
    await ensurePrebuiltClient(dir, root);
    expect(staleReason(dir, root)).toBeUndefined();
    expect(staleReason(dir, root, 'vite; target es2020')).toBe('bundled by vite; target esnext; minify; no modulepreload polyfill; esm, now vite; target es2020');
    expect(readManifest(dir)!.bundler).not.toMatch(/\d+\.\d+/);
  });
});

describe("an input's name", () => {
  it('is the same in a checkout and in a course that installed the generator (dependencies hoisted beside it)', () => {
    const course = join(root, 'course');
    const installed = join(course, 'node_modules/efficiency-workbook');
    mkdirSync(join(installed, 'src'), { recursive: true });
    mkdirSync(join(course, 'node_modules/fake-dep'), { recursive: true });
    writeFileSync(join(course, 'node_modules/fake-dep/index.js'), 'export {};\n');
    expect(inputKey(join(root, 'node_modules/fake-dep/index.js'), root)).toBe('node_modules/fake-dep/index.js');
    expect(inputKey(join(course, 'node_modules/fake-dep/index.js'), installed)).toBe('node_modules/fake-dep/index.js');
    expect(inputKey(join(installed, 'src/site/x.ts'), installed)).toBe('src/site/x.ts');
    expect(inputFile('node_modules/fake-dep/index.js', installed)).toBe(join(course, 'node_modules/fake-dep/index.js'));
    expect(inputFile('node_modules/no-such-dep/index.js', installed)).toBeUndefined();
  });
});
