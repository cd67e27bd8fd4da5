/**
 * Builds the Pagefind search index over the built pages once Astro has written them, so every
 * `astro build` (whatever its --outDir) ships a matching index. Only pages marked
 * `data-pagefind-body` (problems, chapters, guides, models) are indexed.
 */
import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export function pagefindIndex(): AstroIntegration {
  return {
    name: 'workbook-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pagefind = await import('pagefind');
        const outDir = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        const added = await index.addDirectory({ path: outDir });
        if (added.errors.length) throw new Error(`Pagefind: ${added.errors.join('; ')}`);
        const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
        if (written.errors.length) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
        logger.info(`search index: ${added.page_count} pages`);
        await pagefind.close();
      },
    },
  };
}
