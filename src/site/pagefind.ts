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

export function pagefindIndex(): AstroIntegration {
  return {
    name: 'workbook-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pagefind = await import('pagefind');
        const outDir = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        let pages = 0;
        for (const file of await htmlFiles(outDir)) {
          const content = await readFile(file, 'utf8');
          if (!content.includes('data-pagefind-body')) continue;
          const path = relative(outDir, file).split(sep).join('/');
          const added = await index.addHTMLFile({ url: `/${path.replace(/(^|\/)index\.html$/, '$1')}`, content });
          if (added.errors.length) throw new Error(`Pagefind: ${path}: ${added.errors.join('; ')}`);
          pages++;
        }
        const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
        if (written.errors.length) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
        logger.info(`search index: ${pages} pages`);
        await pagefind.close();
      },
    },
  };
}
