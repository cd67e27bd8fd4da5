/**
 * The engine and the workbook layer as a build's Node side loads them (site/node-prebuild.ts): one
 * bundle, an entry per source file exporting exactly that file's exports, used through a
 * resolution hook while fresh, made again when a source changed or a file was added.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureNodePrebuilt, nodeStaleReason, NODE_PREBUILT_DIR, prebuildNode, readNodeManifest, sourceModules, type NodePrebuiltManifest } from '../../src/site/node-prebuild.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const node = (script: string, env: Record<string, string> = {}) =>
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });

let manifest: NodePrebuiltManifest;
beforeAll(async () => {
  const ensured = await ensureNodePrebuilt();
  if (!ensured.manifest) throw new Error(ensured.unusable);
  manifest = ensured.manifest;
}, 120_000);

describe("the generator's prebuilt Node bundle", () => {
  it('has an entry for every source file of src/engine and src/workbook, and is fresh', () => {
    expect(manifest.modules).toEqual(sourceModules());
    expect(manifest.modules).toContain('engine/index.ts');
    expect(manifest.modules).toContain('workbook/check/index.ts');
    expect(nodeStaleReason()).toBeUndefined();
    expect(Object.keys(manifest.inputs)).toContain('src/engine/index.ts');
  });

  it("each entry exports exactly its source file's exports (Node loads both here)", () => {
    const script = `
      const modules = ${JSON.stringify(manifest.modules)};
      const out = [];
      for (const m of modules) {
        const src = Object.keys(await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src')).href)} + '/' + m)).sort();
        const built = Object.keys(await import(${JSON.stringify(pathToFileURL(join(NODE_PREBUILT_DIR, manifest.key)).href)} + '/' + m.replace(/\\.ts$/, '.js'))).sort();
        if (src.join() !== built.join()) out.push(m + ': ' + src.join() + ' / ' + built.join());
      }
      console.log(JSON.stringify({ checked: modules.length, mismatched: out }));`;
    const result = JSON.parse(node(script)) as { checked: number; mismatched: string[] };
    expect(result.mismatched).toEqual([]);
    expect(result.checked).toBe(manifest.modules.length);
  }, 120_000);

  it('once in use, an import of a source file loads its entry in the bundle, one module for every importer; WORKBOOK_NODE_PREBUILT=off loads the sources', () => {
    const script = `
      const { useNodePrebuilt } = await import('./src/site/node-prebuild.ts');
      const said = await useNodePrebuilt();
      const a = await import('./src/workbook/check/index.ts');
      const b = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/workbook/check/index.ts')).href)});
      console.log(JSON.stringify({ said, same: a === b, url: import.meta.resolve('./src/engine/index.ts') }));`;
    const on = JSON.parse(node(script)) as { said: string; same: boolean; url: string };
    expect(on.said).toBe('prebuilt');
    expect(on.same).toBe(true);
    expect(on.url).toBe(pathToFileURL(join(NODE_PREBUILT_DIR, manifest.key, 'engine/index.js')).href);
    const off = JSON.parse(node(script, { WORKBOOK_NODE_PREBUILT: 'off' })) as { said: string; url: string };
    expect(off.said).toBe('sources (WORKBOOK_NODE_PREBUILT=off)');
    expect(off.url).toBe(pathToFileURL(join(ROOT, 'src/engine/index.ts')).href);
  }, 60_000);
});

describe('when the bundle is stale', () => {
  // A generator of two files, its bundle in a folder of its own.
  const root = mkdtempSync(join(tmpdir(), 'workbook-node-prebuild-'));
  const dir = join(root, 'prebuilt/node');
  beforeAll(() => {
    mkdirSync(join(root, 'src/engine'), { recursive: true });
    mkdirSync(join(root, 'src/workbook'), { recursive: true });
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(root, 'src/engine/macs.ts'), 'export const macs = (k: number, c: number): number => k * c;\n');
    writeFileSync(join(root, 'src/workbook/answer.ts'), "import { macs } from '../engine/macs.ts';\nexport const answer = macs(96, 3 * 11 * 11);\n");
    return () => rmSync(root, { recursive: true, force: true });
  });

  it('says why: no bundle, a changed source, a new file, a missing bundle; and is fresh once made again', async () => {
    expect(nodeStaleReason(dir, root)).toBe('no manifest');
    const made = await prebuildNode(dir, root);
    expect(made.modules).toEqual(['engine/macs.ts', 'workbook/answer.ts']);
    expect(nodeStaleReason(dir, root)).toBeUndefined();
    const entry = await import(pathToFileURL(join(dir, made.key, 'workbook/answer.js')).href);
    expect(entry.answer).toBe(96 * 3 * 11 * 11);

    writeFileSync(join(root, 'src/engine/macs.ts'), 'export const macs = (k: number, c: number): number => 2 * k * c;\n');
    expect(nodeStaleReason(dir, root)).toBe('src/engine/macs.ts changed');
    const again = await prebuildNode(dir, root);
    expect(again.key).not.toBe(made.key);
    expect(nodeStaleReason(dir, root)).toBeUndefined();

    writeFileSync(join(root, 'src/engine/energy.ts'), 'export const pj = 1;\n');
    expect(nodeStaleReason(dir, root)).toBe('src/engine/energy.ts is new');
    const third = await prebuildNode(dir, root);
    rmSync(join(dir, third.key), { recursive: true });
    expect(nodeStaleReason(dir, root)).toBe(`${third.key} is missing`);
    expect(readNodeManifest(dir)?.modules).toEqual(['engine/energy.ts', 'engine/macs.ts', 'workbook/answer.ts']);
  }, 60_000);

  it('a folder that cannot be written: the sources, and why', async () => {
    const blocked = join(root, 'blocked');
    writeFileSync(blocked, 'a file where the folder would be');
    const ensured = await ensureNodePrebuilt(join(blocked, 'node'), root);
    expect(ensured.manifest).toBeUndefined();
    expect(ensured.unusable).toMatch(/^no manifest, and it could not be bundled: /);
    expect(readFileSync(blocked, 'utf8')).toBe('a file where the folder would be');
  });
});
