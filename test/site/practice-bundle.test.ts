/**
 * What the practice page's script imports, without building the site: its module graph, bundled
 * as Astro bundles it (rolldown, KaTeX left to its own chunk). The page embeds the built-in models
 * and hardware profiles its problem names (builtins.ts), so the script carries neither the zoo nor
 * the profiles' data, nor the engine's index, which loads both.
 */
import { relative } from 'node:path';
import { build } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/site.ts';

async function practiceModules(): Promise<string[]> {
  const out = await build({ input: `${ROOT}src/site/practice/client.ts`, cwd: ROOT, external: ['katex'], write: false, output: { format: 'esm' } });
  const entry = out.output.find((o) => o.type === 'chunk' && o.isEntry);
  if (!entry || entry.type !== 'chunk') throw new Error('no entry chunk');
  return Object.keys(entry.modules).map((id) => relative(ROOT, id));
}

describe('the practice script', () => {
  it('imports no zoo, no hardware profile data and no build-only module', async () => {
    const modules = await practiceModules();
    expect(modules).toContain('src/workbook/variants/variant.ts');
    const buildOnly = modules.filter((m) => /^src\/(engine\/(zoo\/|hardware\/profiles|index\.ts|model\/builder\.ts)|workbook\/(builtins|tables)\.ts)/.test(m));
    expect(buildOnly).toEqual([]);
  });
});
