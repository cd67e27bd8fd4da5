/**
 * The build's memory, flat in the page count. Rendering a page leaves garbage in V8's old space
 * (what lived across the page's awaits), and V8 lets that space grow to about 2.6x what stays live
 * before it collects: with ~180 MB live, a build of 7,000 pages rose to 1.07 GB resident, one of
 * 800 pages stopped short of that. Growing the old space by at most `HEAP_GROWING_PERCENT` past
 * what stays live keeps the resident memory at ~0.7 GB whatever the page count, for a few percent
 * more time in the garbage collector (`npm run bench -- --scale --only build`).
 *
 * V8 reads this flag whenever it sets the next collection's limit, so setting it when the build
 * starts takes effect for the build, and only for the build (not `astro dev`).
 */
import type { AstroIntegration } from 'astro';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The old space may grow to (1 + p / 100) times the memory live after a full collection. */
export const HEAP_GROWING_PERCENT = 25;

export function flatBuildMemory(): AstroIntegration {
  return {
    name: 'workbook-flat-build-memory',
    hooks: {
      'astro:build:start': () => {
        setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
      },
      // Before the search index (pagefind.ts, next): the indexer is a process of its own
      // (~115 MB), started when the build holds the most it will (~0.84 GB at N = 30), and the
      // two together were the build's peak. A collection that reduces the heap returns ~90 MB
      // to the system first, for ~0.5 s of CPU.
      'astro:build:done': () => {
        collectAndShrink();
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
