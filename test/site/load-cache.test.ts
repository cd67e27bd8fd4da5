import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const LOAD_CACHE = pathToFileURL(join(import.meta.dirname, '../../src/site/load-cache.ts')).href;
const dir = mkdtempSync(join(tmpdir(), 'load-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A Node process that installs the cache, then imports `file` and prints what it exports. */
function run(file: string): string {
  const script = `import { installLoadCache } from ${JSON.stringify(LOAD_CACHE)};
installLoadCache(${JSON.stringify(join(dir, 'cache'))});
const m = await import(${JSON.stringify(pathToFileURL(file).href)});
console.log(JSON.stringify(m.area(3, 4)));`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim();
}

describe('the stripped-source cache (src/site/load-cache.ts)', () => {
  const file = join(dir, 'area.ts');
  const source = `interface Box { w: number; h: number }\nexport function area(w: number, h: number): number {\n  const box: Box = { w, h };\n  return box.w * box.h;\n}\n`;
  writeFileSync(file, source);

  it('stores Node\'s own stripping of a file, and loads it again from there', () => {
    expect(run(file)).toBe(String(3 * 4));
    const cached = readdirSync(join(dir, 'cache/ts'));
    expect(cached).toHaveLength(1);
    expect(readFileSync(join(dir, 'cache/ts', cached[0]!), 'utf8')).toBe(stripTypeScriptTypes(source, { mode: 'strip' }));
    // A second start reads the cached text: the file's own line positions, no types.
    expect(run(file)).toBe('12');
    expect(readdirSync(join(dir, 'cache/ts'))).toEqual(cached);
  });

  it('keys the cache by the source: an edited file is stripped afresh', () => {
    writeFileSync(file, source.replace('box.w * box.h', 'box.w * box.h * 2'));
    expect(run(file)).toBe(String(3 * 4 * 2));
    expect(readdirSync(join(dir, 'cache/ts'))).toHaveLength(2);
  });
});
