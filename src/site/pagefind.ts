/**
 * Builds the Pagefind search index over the built pages once Astro has written them, so every
 * `astro build` (whatever its --outDir) ships a matching index. Only pages marked
 * `data-pagefind-body` (problems, chapters, guides, models) are indexed, and only those are handed
 * to Pagefind: parsing a page costs it about 4 ms, and variant pages (never indexed) number
 * hundreds (`npm run bench`, the per-variant-page cost).
 */
import type { AstroIntegration } from 'astro';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative, sep } from 'node:path';

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name)).sort();
}

/**
 * The page as a reader sees it: KaTeX writes each formula three times (MathML for screen
 * readers, its TeX source as an annotation, and the visible HTML); the index keeps the visible
 * text only, so excerpts show `MACs = 96 × 55`, not `\text{MACs}\end{aligned}`.
 */
export function withoutTexSource(html: string): string {
  return html.replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, '');
}

export function pagefindIndex(): AstroIntegration {
  return {
    name: 'workbook-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pagefind = await import('pagefind');
        const outDir = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        // Bytes, read together, searched without decoding: most pages (variants) are never indexed,
        // and decoding every page as UTF-8 one after another took 0.6 s of a 783-page build.
        const files = await htmlFiles(outDir);
        const searchable = await Promise.all(
          files.map(async (file) => {
            const bytes = await readFile(file);
            return bytes.includes('data-pagefind-body') ? bytes.toString('utf8') : undefined;
          }),
        );
        // Handed to Pagefind together: its service indexes them concurrently (the same index files).
        const pages = files.flatMap((file, i) => (searchable[i] === undefined ? [] : [{ path: relative(outDir, file).split(sep).join('/'), content: withoutTexSource(searchable[i]!) }]));
        await Promise.all(
          pages.map(async ({ path, content }) => {
            const added = await index.addHTMLFile({ url: `/${path.replace(/(^|\/)index\.html$/, '$1')}`, content });
            if (added.errors.length) throw new Error(`Pagefind: ${path}: ${added.errors.join('; ')}`);
          }),
        );
        const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
        if (written.errors.length) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
        logger.info(`search index: ${pages.length} pages`);
        await pagefind.close();
      },
    },
  };
}
