/**
 * Builds the Pagefind search index over the built pages once Astro has written them, so every
 * `astro build` (whatever its --outDir) ships a matching index. Only pages marked
 * `data-pagefind-body` (problems, chapters, guides, models) are indexed, and only those are handed
 * to Pagefind: parsing a page costs it about 4 ms, and variant pages (never indexed) number
 * hundreds (`npm run bench`, the per-variant-page cost). Each is read as text first
 * (`searchableHtml`, search-text.ts): formulas without their TeX source, derivations left out,
 * neighbouring inline elements apart.
 */
import type { AstroIntegration } from 'astro';
import { open, readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join, relative, sep } from 'node:path';
import { searchableHtml } from './search-text.ts';

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name)).sort();
}

/** Pages read at once while looking for the searchable ones, each through a buffer of its own. */
const READERS = 8;
const CHUNK_BYTES = 64 * 1024;
const MARKER = Buffer.from('data-pagefind-body');

/**
 * Whether a page holds the marker, read a chunk at a time into `buf` (the marker's first bytes
 * before a chunk's end are kept, so a marker across two chunks is found). A searchable page
 * holds it in its first kilobytes (`<main data-pagefind-body>`); the others are read through
 * without a buffer per page: a build with 1,000 variants per randomized problem has 1.2 GB of
 * HTML, and reading each page whole raised the build's memory when it peaks, as the indexer starts.
 */
async function holdsMarker(file: string, buf: Buffer): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    let kept = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, kept, buf.length - kept, null);
      if (bytesRead === 0) return false;
      const end = kept + bytesRead;
      if (buf.subarray(0, end).includes(MARKER)) return true;
      kept = Math.min(MARKER.length - 1, end);
      buf.copy(buf, 0, end - kept, end);
    }
  } finally {
    await handle.close();
  }
}

export function pagefindIndex(): AstroIntegration {
  return {
    name: 'workbook-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const pagefind = await import('pagefind');
        const outDir = fileURLToPath(dir);
        // Bytes, searched without decoding: most pages (variants) are never indexed, and decoding
        // every page as UTF-8 one after another took 0.6 s of a 783-page build. Only the
        // searchable pages are read whole and kept.
        const files = await htmlFiles(outDir);
        const searchable = new Array<boolean>(files.length);
        let next = 0;
        await Promise.all(
          Array.from({ length: READERS }, async () => {
            const buf = Buffer.allocUnsafe(CHUNK_BYTES);
            for (let i = next++; i < files.length; i = next++) searchable[i] = await holdsMarker(files[i]!, buf);
          }),
        );
        const pages = await Promise.all(
          files
            .filter((_, i) => searchable[i])
            .map(async (file) => ({ path: relative(outDir, file).split(sep).join('/'), content: searchableHtml(await readFile(file, 'utf8')) })),
        );
        const { index, errors } = await pagefind.createIndex({});
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
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
