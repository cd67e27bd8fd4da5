/**
 * The Pagefind search index of the built site, so every `astro build` (whatever its --outDir)
 * ships a matching one. Only pages marked `data-pagefind-body` (problems, chapters, guides,
 * models) are indexed: each is handed to Pagefind as it is rendered (src/middleware.ts through
 * search-feed.ts), so Pagefind, a process of its own, indexes while the build renders the next
 * pages, and the index is written once the pages are. Each is read as text first
 * (`searchableHtml`, search-text.ts): formulas without their TeX source, derivations left out,
 * neighbouring inline elements apart. Pages are matched on their bytes: most (variants, hundreds)
 * are never indexed, and decoding every page as UTF-8 took 0.6 s of a 783-page build.
 */
import type { AstroIntegration } from 'astro';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchableHtml } from './search-text.ts';
import { setSearchFeed } from './search-feed.ts';

const MARKER = Buffer.from('data-pagefind-body');

/** A page's URL in the index: its path on the site below the base, ending in `/` for a page's folder. */
export function indexedUrl(pathname: string, base: string): string {
  const prefix = base.replace(/\/+$/, '');
  let path = prefix && (pathname === prefix || pathname.startsWith(`${prefix}/`)) ? pathname.slice(prefix.length) : pathname;
  if (!path.startsWith('/')) path = `/${path}`;
  if (!path.endsWith('/') && !/\.[a-z0-9]+$/i.test(path)) path = `${path}/`;
  return path;
}

type Pagefind = typeof import('pagefind');
type Index = NonNullable<Awaited<ReturnType<Pagefind['createIndex']>>['index']>;

export function pagefindIndex(): AstroIntegration {
  let base = '/';
  let started: Promise<{ pagefind: Pagefind; index: Index }> | undefined;
  let added: Promise<void>[] = [];
  const errors: string[] = [];
  // Pagefind starts with the first searchable page, not before: a build the check stops starts no indexer.
  const start = () =>
    (started ??= (async () => {
      const pagefind = await import('pagefind');
      const { index, errors: failed } = await pagefind.createIndex({});
      if (!index) throw new Error(`Pagefind could not start: ${failed.join('; ')}`);
      return { pagefind, index };
    })());
  return {
    name: 'workbook-pagefind',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base;
      },
      'astro:build:start': () => {
        added = [];
        setSearchFeed((pathname, bytes) => {
          const html = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          if (!html.includes(MARKER)) return;
          const url = indexedUrl(pathname, base);
          const content = searchableHtml(html.toString('utf8'));
          // Settled in build:done; a failure is kept, not thrown here, where no one awaits it.
          added.push(
            start()
              .then(({ index }) => index.addHTMLFile({ url, content }))
              .then((result) => {
                if (result.errors.length) errors.push(`${url}: ${result.errors.join('; ')}`);
              })
              .catch((error: unknown) => {
                errors.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
              }),
          );
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        setSearchFeed(undefined);
        await Promise.all(added);
        if (errors.length) throw new Error(`Pagefind: ${errors.join('\n')}`);
        const { pagefind, index } = await start();
        const written = await index.writeFiles({ outputPath: join(fileURLToPath(dir), 'pagefind') });
        if (written.errors.length) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
        logger.info(`search index: ${added.length} pages`);
        await pagefind.close();
      },
    },
  };
}
