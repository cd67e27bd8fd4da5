/**
 * The build's memory, flat in the page count. Rendering a page leaves garbage in V8's old space
 * (what lived across the page's awaits), and V8 lets that space grow to about 2.6x what stays live
 * before it collects: with ~180 MB live, a build of 7,000 pages rose to 1.07 GB resident, one of
 * 800 pages stopped short of that. Growing the old space by at most `HEAP_GROWING_PERCENT` past
 * what stays live keeps the resident memory at ~0.7 GB whatever the page count, for a few percent
 * more time in the garbage collector (`npm run bench -- --scale --only build`).
 *
 * Only a big build pays for it: the limit is set once V8's heap passes `FLAT_FROM_HEAP_BYTES`. A
 * small course's build never gets there (its heap peaks at ~240 MB, 0.8 GB resident, for 356
 * pages) and would spend ~1 s of its ~10 s of CPU collecting garbage early
 * (`npm run bench -- --only course`).
 *
 * V8 reads this flag whenever it sets the next collection's limit, so setting it during the build
 * takes effect for the rest of the build, and only for the build (not `astro dev`).
 */
import type { AstroIntegration } from 'astro';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The old space may grow to (1 + p / 100) times the memory live after a full collection. */
export const HEAP_GROWING_PERCENT = 25;
/** V8's heap (total_heap_size) past which the build's memory is kept flat. */
export const FLAT_FROM_HEAP_BYTES = 320 * 1024 * 1024;
/** How often the heap's size is read until it passes the mark. */
const POLL_MS = 100;

export function flatBuildMemory(): AstroIntegration {
  let flat = false;
  let poll: ReturnType<typeof setInterval> | undefined;
  const flatten = () => {
    if (flat || getHeapStatistics().total_heap_size < FLAT_FROM_HEAP_BYTES) return;
    flat = true;
    clearInterval(poll);
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  };
  return {
    name: 'workbook-flat-build-memory',
    hooks: {
      'astro:build:start': () => {
        // A timer, not a hook per page: the heap grows in Astro's bundling too. Unref'd: it never
        // keeps the build alive.
        poll = setInterval(flatten, POLL_MS);
        poll.unref();
      },
      // Before the search index (pagefind.ts, next): the indexer is a process of its own
      // (~115 MB), started when the build holds the most it will (~0.84 GB at N = 30), and the
      // two together were the build's peak. A collection that reduces the heap returns ~90 MB
      // to the system first, for ~0.5 s of CPU: worth it only in a build big enough to be kept flat.
      'astro:build:done': () => {
        clearInterval(poll);
        flatten();
        if (flat) collectAndShrink();
      },
    },
  };
}

/**
 * A full collection in V8's memory-reducing mode ("last resort": it also releases the pages it
 * frees). Node exposes `gc` only under --expose-gc; set now, the flag gives the function to
 * contexts created from then on.
 */
function collectAndShrink(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
