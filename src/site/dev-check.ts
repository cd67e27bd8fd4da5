/**
 * The author's loop in `workbook dev` (astro dev): the same located messages as `workbook check`,
 * in the terminal and in the browser's error overlay, never a stack trace into the generator.
 *
 * - On every save of a course file, it is checked (a problem: that problem; the course file, a
 *   chapter, a model: the whole course; 2 sampled variants per randomized problem, for speed) and
 *   its errors are printed and sent to the overlay; a clean check says so in one line.
 * - A problem page whose problem has errors is not rendered: it throws them, located
 *   (`problemErrors`), so the overlay shows `problems/hw2/q1.mdx:24:9: paramByte: unknown
 *   answer; did you mean paramBytes?` and the line, not the engine's stack.
 */
import type { AstroIntegration } from 'astro';
import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { checkCourse, checkProblem, formatReport, type Diagnostic } from '../workbook/check/index.ts';
import { courseRoot, displayPath, forgetCourse, problemsDir } from '../workbook/course.ts';
import { bumpCourseGeneration, courseGeneration } from '../workbook/course-generation.ts';
import { devPagesNow, installDevMarks, pageTimeoutMs, startDevWatch } from './page-watch.ts';

/** Variants sampled per randomized problem on each save: enough to catch a broken space, fast. */
const DEV_SEEDS = 2;

interface LocatedError extends Error {
  loc?: { file: string; line: number; column: number };
  frame?: string;
  id?: string;
  plugin?: string;
}

/** Two lines either side of the first error's line, with a caret under its column. */
function frameOf(path: string, line: number, column: number): string | undefined {
  try {
    const lines = readFileSync(path, 'utf8').split('\n');
    const from = Math.max(1, line - 2);
    const to = Math.min(lines.length, line + 2);
    const width = String(to).length;
    const out: string[] = [];
    for (let n = from; n <= to; n++) {
      out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]}`);
      if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
    }
    return out.join('\n');
  } catch {
    return undefined;
  }
}

/** The diagnostics as one error the overlay shows: the report as its message, the first one located. */
export function locatedError(diagnostics: readonly Diagnostic[], root = courseRoot()): LocatedError {
  const error: LocatedError = new Error(formatReport(diagnostics));
  error.name = 'Authoring error';
  // No stack: Astro would locate the error from it, in the generator's code.
  error.stack = '';
  error.plugin = 'workbook check';
  const first = diagnostics[0];
  if (first) {
    const path = resolve(root, first.file);
    error.id = path;
    if (first.line !== undefined) {
      // Relative to Astro's root: Astro prefixes its root to an absolute path outside it (a course
      // in its own folder) when it shows a thrown error, and resolves a relative one.
      const astroRoot = process.env.WORKBOOK_ASTRO_ROOT;
      error.loc = { file: astroRoot ? relative(astroRoot, path) : path, line: first.line, column: first.column ?? 1 };
      const frame = frameOf(path, first.line, first.column ?? 1);
      if (frame) error.frame = frame;
    }
  }
  return error;
}

/** problemErrors' last findings per file, with the count of saves they were found at. */
const checked = new Map<string, { generation: number; diagnostics: readonly Diagnostic[] }>();

/**
 * In the dev server: the errors of one problem file (relative to the course), thrown located.
 * Checked once per save of a course file (course-generation.ts), not on every request of the page.
 */
export function problemErrors(file: string): void {
  const root = courseRoot();
  const generation = courseGeneration();
  const key = resolve(root, file);
  let found = checked.get(key);
  if (!found || generation === undefined || found.generation !== generation) {
    found = { generation: generation ?? -1, diagnostics: checkProblem(key, file, root, DEV_SEEDS).diagnostics };
    checked.set(key, found);
  }
  if (found.diagnostics.length > 0) throw locatedError(found.diagnostics, root);
}

let devWatched = false;

/**
 * The dev server's watch over pages' code, once per process (Astro sets the server up again when
 * it restarts): an expression marks its place while it runs; a page that ends the process or never
 * returns (WORKBOOK_PAGE_TIMEOUT_MS) stops the server with that place said, not silently.
 */
function installDevWatch(logger: { error(message: string): void }): void {
  if (devWatched) return;
  devWatched = true;
  installDevMarks();
  try {
    startDevWatch(pageTimeoutMs());
  } catch (error) {
    logger.error((error as Error).message);
  }
  process.on('exit', () => {
    for (const page of devPagesNow()) process.stderr.write(`\n${page}: the page ended the process while it rendered, so the dev server stopped\n`);
  });
}

const COURSE_FILE = /\.(mdx|ya?ml|json|onnx)$/i;

export function devCheck(): AstroIntegration {
  let dev = false;
  return {
    name: 'workbook-dev-check',
    hooks: {
      'astro:config:setup': ({ command }) => {
        dev = command === 'dev';
      },
      'astro:server:setup': ({ server, logger }) => {
        const root = courseRoot();
        // The course may be outside Astro's root: watch it too.
        server.watcher.add(root);
        // From now on, what the pages read from the course is kept until a course file changes.
        bumpCourseGeneration();
        // A build sets up a server too (it has its own page watch): what follows is the dev server's.
        if (dev) installDevWatch(logger);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const run = (path: string) => {
          forgetCourse();
          const started = performance.now();
          // A problem saved: that problem (its page re-checks it as it renders); else (a problem
          // deleted too) the whole course.
          const problem = path.endsWith('.mdx') && path.startsWith(problemsDir() + sep) && existsSync(path);
          const file = displayPath(path, root);
          const { diagnostics } = problem ? checkProblem(path, file, root, DEV_SEEDS) : checkCourse({ seeds: DEV_SEEDS });
          const ms = Math.round(performance.now() - started);
          if (diagnostics.length === 0) {
            logger.info(`${problem ? file : 'course'} checked: no errors (${ms} ms)`);
            return;
          }
          logger.error(formatReport(diagnostics));
          const error = locatedError(diagnostics, root);
          server.ws.send({
            type: 'error',
            err: { message: error.message, stack: '', ...(error.id ? { id: error.id } : {}), ...(error.frame ? { frame: error.frame } : {}), ...(error.loc ? { loc: { ...error.loc, file: resolve(process.env.WORKBOOK_ASTRO_ROOT ?? '.', error.loc.file) } } : {}), plugin: 'workbook check' },
          });
        };
        const changed = (path: string) => {
          if (!path.startsWith(root + sep) || path.includes(`${sep}node_modules${sep}`) || !COURSE_FILE.test(path)) return;
          // At once, before the page's reload asks: the course is read again (src/site/content.ts),
          // and Astro forgets the pages' getStaticPaths props, read from it.
          bumpCourseGeneration();
          for (const environment of Object.values(server.environments)) {
            if (environment.name !== 'client') environment.hot.send('astro:content-changed', {});
          }
          clearTimeout(timer);
          // After the page's own reload has been served: the check does not delay the page.
          timer = setTimeout(() => run(path), 250);
        };
        server.watcher.on('change', changed);
        server.watcher.on('add', changed);
        server.watcher.on('unlink', changed);
      },
    },
  };
}
