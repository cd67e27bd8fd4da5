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

/** Pages read at once while looking for the searchable ones. */
const READ_BATCH = 64;

export function pagefindIndex(): AstroIntegration {
  return {
    name: 'workbook-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pagefind = await import('pagefind');
        const outDir = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        // Bytes, searched without decoding: most pages (variants) are never indexed, and decoding
        // every page as UTF-8 one after another took 0.6 s of a 783-page build. Read a batch at a
        // time, so that only the searchable pages stay in memory: the HTML of a build with 1,000
        // variants per randomized problem (7,083 pages) is 0.8 GB.
        const files = await htmlFiles(outDir);
        const pages: { path: string; content: string }[] = [];
        for (let i = 0; i < files.length; i += READ_BATCH) {
          const batch = files.slice(i, i + READ_BATCH);
          const read = await Promise.all(batch.map((file) => readFile(file)));
          read.forEach((bytes, j) => {
            if (bytes.includes('data-pagefind-body')) pages.push({ path: relative(outDir, batch[j]!).split(sep).join('/'), content: bytes.toString('utf8') });
          });
        }
        // Handed to Pagefind together: its service indexes them concurrently (the same index files).
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
