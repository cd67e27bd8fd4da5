/**
 * The dev server's count of saves to the course's files, shared by every copy of the modules
 * that read the course: the integration's (Node's) and the pages' (Vite's module runner loads
 * its own copy of each module, in the same process). `workbook dev` bumps it as a file changes
 * (src/site/dev-check.ts); what was read from the course is kept until the count moves, so a page
 * request reads the course once per save, not once per call. Elsewhere there is no count
 * (`undefined`): a build reads the course once, and tests and one-off commands read it afresh.
 */
const KEY = Symbol.for('efficiency-workbook.course-generation');

type WithGeneration = typeof globalThis & { [KEY]?: number };

/** The number of saves seen by the dev server; undefined outside it. */
export function courseGeneration(): number | undefined {
  return (globalThis as WithGeneration)[KEY];
}

/** A course file was saved (or the dev server starts: from 0). */
export function bumpCourseGeneration(): void {
  const g = globalThis as WithGeneration;
  g[KEY] = (g[KEY] ?? -1) + 1;
}

/**
 * A cache of what is read from the course, kept as the course's readers keep it: for a whole build,
 * in the dev server until the next save, and not at all elsewhere (tests and commands read
 * afresh, so an edited file shows without a restart). `current()` is the map to use now.
 */
export function courseCache<K, V>(): { current(): Map<K, V>; clear(): void } {
  const map = new Map<K, V>();
  let seen: number | undefined;
  return {
    current() {
      const generation = courseGeneration();
      if (generation !== undefined) {
        if (generation !== seen) map.clear();
        seen = generation;
      } else if (process.env.NODE_ENV !== 'production') map.clear();
      return map;
    },
    clear: () => map.clear(),
  };
}
