/**
 * Code blocks through the cached Shiki step (src/site/shiki-cache.ts) come out exactly as through
 * Astro's own (`rehypeShiki` of @astrojs/markdown-remark), whether highlighted now or taken from
 * the cache; a block seen before is read from the cache (Shiki is not asked again), and a changed
 * block is highlighted afresh. Compiled with @mdx-js/mdx, as Astro's MDX integration does.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@mdx-js/mdx';
import { rehypeShiki } from '@astrojs/markdown-remark';
import { afterAll, describe, expect, it } from 'vitest';
import { rehypeShikiCached, SHIKI_CONFIG } from '../../src/site/shiki-cache.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const cacheDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'shiki-cache-'));
  dirs.push(d);
  return d;
};

const MDX = [
  'Text before.',
  '```yaml',
  'title: "Tiny networks" # a comment',
  '```',
  '',
  '- a list',
  '- ```sh title="run"',
  '  npx workbook check   # every problem',
  '  ```',
  '',
  '```',
  'plain text, no language',
  '```',
  '',
  '```math',
  'a^2 + b^2',
  '```',
].join('\n');

const astro = async (mdx: string) => String(await compile(mdx, { rehypePlugins: [[rehypeShiki as never, SHIKI_CONFIG]] }));
const cached = async (mdx: string, dir: string) => String(await compile(mdx, { rehypePlugins: [[rehypeShikiCached, SHIKI_CONFIG, dir]] }));

describe('the cached Shiki step', () => {
  it("gives Astro's output, highlighting now and from the cache, and keeps one entry per block", async () => {
    const dir = cacheDir();
    const expected = await astro(MDX);
    // Highlighted for real: the yaml, sh and plain blocks; the math block is one Astro leaves (null).
    expect(expected).toContain('github-light-default');
    expect(await cached(MDX, dir)).toBe(expected);
    expect(readdirSync(dir)).toHaveLength(4);
    const left = readdirSync(dir).filter((f) => readFileSync(join(dir, f), 'utf8') === 'null');
    expect(left).toHaveLength(1);
    expect(await cached(MDX, dir)).toBe(expected);
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('reads a block seen before from the cache, and highlights a changed block afresh', async () => {
    const dir = cacheDir();
    const one = '```yaml\nsets: { hw1: { title: "Homework 1" } }\n```\n';
    await cached(one, dir);
    const [entry] = readdirSync(dir);
    // The entry, altered: what comes out is the cache's, so Shiki was not asked.
    const hast = JSON.parse(readFileSync(join(dir, entry!), 'utf8'));
    hast.properties.dataLanguage = 'from-the-cache';
    writeFileSync(join(dir, entry!), JSON.stringify(hast));
    expect(await cached(one, dir)).toContain('from-the-cache');
    const changed = one.replace('Homework 1', 'Homework One');
    expect(await cached(changed, dir)).toBe(await astro(changed));
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it('a folder it cannot write only goes unfilled', async () => {
    const file = join(cacheDir(), 'a-file');
    writeFileSync(file, '');
    expect(await cached(MDX, join(file, 'sub'))).toBe(await astro(MDX));
  });
});
