/**
 * Pages handed to the search indexer as they are rendered (src/middleware.ts), rather than read
 * back from disk once all are written: Pagefind indexes in a process of its own, on the other
 * core, while the build renders the next pages. The indexer (src/site/pagefind.ts) installs the
 * feed for a build; the pages' bundle and the integration are separate copies of the modules, so
 * the feed is shared through `globalThis`, as the course generation is (workbook/course-generation.ts).
 */
const KEY = Symbol.for('efficiency-workbook.search-feed');

/** A rendered page: its path on the site (Astro's pathname) and its HTML's bytes. */
export type SearchFeed = (pathname: string, html: Uint8Array) => void;

type WithFeed = typeof globalThis & { [KEY]?: SearchFeed };

export function setSearchFeed(feed: SearchFeed | undefined): void {
  (globalThis as WithFeed)[KEY] = feed;
}

/** Hands a rendered page to the indexer, when a build has one. */
export function feedSearch(pathname: string, html: Uint8Array): void {
  (globalThis as WithFeed)[KEY]?.(pathname, html);
}
