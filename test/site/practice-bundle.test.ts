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

/** The modules of the script's entry chunk (loaded with the page), and of its chunks loaded on demand. */
async function practiceChunks(): Promise<{ eager: string[]; lazy: string[] }> {
  // platform 'browser': `#counting-profiles` resolves by the browser condition, as in Astro's client build.
  const out = await build({ input: `${ROOT}src/site/practice/client.ts`, cwd: ROOT, platform: 'browser', external: ['katex'], write: false, output: { format: 'esm' } });
  const chunks = out.output.flatMap((o) => (o.type === 'chunk' ? [o] : []));
  const entry = chunks.find((o) => o.isEntry);
  if (!entry) throw new Error('no entry chunk');
  const modules = (c: (typeof chunks)[number]) => Object.keys(c.modules).map((id) => relative(ROOT, id));
  // Eager: the entry and the chunks it imports statically, transitively.
  const eager = new Set([entry]);
  for (const c of eager) for (const name of c.imports) eager.add(chunks.find((o) => o.fileName === name)!);
  return { eager: [...eager].flatMap(modules), lazy: chunks.filter((c) => !eager.has(c)).flatMap(modules) };
}

async function practiceModules(): Promise<string[]> {
  return (await practiceChunks()).eager;
}

describe('the practice script', () => {
  it('imports no zoo, no hardware profile data and no build-only module', async () => {
    const modules = await practiceModules();
    expect(modules).toContain('src/workbook/variants/variant.ts');
    const buildOnly = modules.filter((m) => /^src\/(engine\/(zoo\/|hardware\/profiles|index\.ts|model\/builder\.ts)|workbook\/(builtins|tables)\.ts)/.test(m));
    expect(buildOnly).toEqual([]);
  });

  it('loads the tools\' counting rules, the cost models, the grading and the derivations\' HTML on demand, not with the page', async () => {
    const { eager, lazy } = await practiceChunks();
    const onDemand = [
      'src/engine/analysis/profiles.ts',
      'src/engine/analysis/counters.ts',
      'src/engine/analysis/headlines.ts',
      'src/engine/cost/roofline.ts',
      'src/engine/cost/energy.ts',
      'src/engine/cost/batch.ts',
      'src/engine/cost/fit.ts',
      'src/workbook/grading/grade.ts',
      'src/workbook/grading/mistakes.ts',
      'src/workbook/grading/parse.ts',
      'src/site/practice/render.ts',
      'src/site/legend-core.ts',
    ];
    for (const m of onDemand) {
      expect(eager, m).not.toContain(m);
      expect(lazy, m).toContain(m);
    }
    // What every variant needs stays: the analysis, the answers, the profiles' ids for the schema.
    for (const m of ['src/engine/analysis/analyze.ts', 'src/workbook/answers.ts', 'src/engine/analysis/profile-ids.ts', 'src/workbook/counting-profiles.browser.ts', 'src/workbook/cost-models.browser.ts']) expect(eager, m).toContain(m);
    expect(eager).not.toContain('src/workbook/counting-profiles.ts');
    expect(eager).not.toContain('src/workbook/cost-models.ts');
  });
});
