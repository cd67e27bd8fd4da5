/**
 * The build's watch over its pages. Each page's render is marked begun and ended (the
 * middleware, src/middleware.ts) in memory shared with a watcher thread; a page still rendering
 * past the time limit (WORKBOOK_PAGE_TIMEOUT_MS, default 120,000 ms) stops the build with the
 * page and its problem's file named, and nothing published. A thread of its own, because a page
 * that never returns (a loop in a page's code) holds the build's own thread: no timer there runs.
 *
 * Outside a build (astro dev, tests) no watch is started and the marks cost a lookup. In
 * `astro dev` each request's page is kept in an async context instead (`inDevPage`), so an error
 * it throws names its file as the build would (the dev server renders pages concurrently).
 *
 * One page is watched at a time: a build's pages take turns to render (`pageTurn`). Astro starts
 * several at once (`build.concurrency` in astro.config.mjs) so that one page's file is written while
 * the next renders, but each renders alone, so the page that stops the build is the one named.
 */
import { resolve } from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import { courseRoot, displayPath } from '../workbook/course.ts';
import { pageLine } from './build-log.ts';

export const DEFAULT_PAGE_TIMEOUT_MS = 120_000;

const KEY = Symbol.for('workbook.pageWatch');
const NAME_BYTES = 2048;

/** [0]: 1 while a page renders; [1]: pages begun. Then the start time and the page's name. */
interface Watch {
  readonly state: Int32Array;
  readonly startMs: Float64Array;
  readonly name: Uint8Array;
  readonly worker: Worker;
  /** The page's URL path, to name it beside its file. */
  url: string;
  /** What `name` holds. */
  nameText: string;
  /** Prints a page's line in the build's log (site/build-log.ts). */
  readonly log?: (line: string) => void;
}

/**
 * The marks an author's expression makes while it runs (site/mdx-locate.ts wraps each): the
 * watch's name becomes `file:line:column: {code} (page /url/)` until it returns, so a page that
 * ends the process or never returns inside it is named at the expression. `begin` returns what
 * `end` puts back (expressions nest).
 */
interface CodeMark {
  begin(place: string): string | undefined;
  end(previous: string | undefined): void;
}
const MARK_KEY = Symbol.for('workbook.codeMark');

// Shared through globalThis: the middleware runs in the build's bundle, a module instance of its own.
const current = () => (globalThis as Record<symbol, Watch | undefined>)[KEY];

/** The page time limit from the environment; an invalid value is an error saying so. */
export function pageTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKBOOK_PAGE_TIMEOUT_MS;
  if (raw === undefined || raw === '') return DEFAULT_PAGE_TIMEOUT_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms <= 0) throw new Error(`WORKBOOK_PAGE_TIMEOUT_MS=${raw}: a whole number of milliseconds above 0 (default ${DEFAULT_PAGE_TIMEOUT_MS})`);
  return ms;
}

// The watcher: CommonJS, evaluated in its own thread. It writes with writeSync (the main
// thread, which would relay its console, is the one that is stuck) and kills the process.
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync, rmSync } = require('node:fs');
const { buffer, timeoutMs, partialDir, nameBytes } = workerData;
const state = new Int32Array(buffer, 0, 2);
const startMs = new Float64Array(buffer, 8, 1);
const name = new Uint8Array(buffer, 16, nameBytes);
setInterval(() => {
  if (Atomics.load(state, 0) !== 1) return;
  const seq = Atomics.load(state, 1);
  if (Date.now() - startMs[0] < timeoutMs) return;
  const end = name.indexOf(0);
  const page = Buffer.from(name.subarray(0, end < 0 ? name.length : end)).toString('utf8');
  if (Atomics.load(state, 0) !== 1 || Atomics.load(state, 1) !== seq) return;
  writeSync(2, '\\n' + page + ': the page ran past ' + timeoutMs + ' ms (WORKBOOK_PAGE_TIMEOUT_MS), so the build stopped; nothing was published\\n');
  try { rmSync(partialDir, { recursive: true, force: true }); } catch {}
  process.kill(process.pid, 'SIGKILL');
}, Math.max(20, Math.min(1000, Math.floor(timeoutMs / 10))));
`;

/**
 * Starts the watch for a build writing into `partialDir`; returns its stop. `log` prints each
 * page's line once it has rendered (Astro's own lines would be joined: site/build-log.ts).
 */
export function startPageWatch(timeoutMs: number, partialDir: string, log?: (line: string) => void): () => void {
  const buffer = new SharedArrayBuffer(16 + NAME_BYTES);
  const worker = new Worker(WATCHER, { eval: true, workerData: { buffer, timeoutMs, partialDir, nameBytes: NAME_BYTES } });
  worker.unref();
  const watch: Watch = { state: new Int32Array(buffer, 0, 2), startMs: new Float64Array(buffer, 8, 1), name: new Uint8Array(buffer, 16, NAME_BYTES), worker, url: '', nameText: '', ...(log ? { log } : {}) };
  (globalThis as Record<symbol, Watch | undefined>)[KEY] = watch;
  const mark: CodeMark = {
    begin(place) {
      if (Atomics.load(watch.state, 0) !== 1) return undefined;
      const previous = watch.nameText;
      writeName(watch, `${place} (page ${watch.url})`);
      return previous;
    },
    end(previous) {
      if (previous !== undefined && Atomics.load(watch.state, 0) === 1) writeName(watch, previous);
    },
  };
  (globalThis as Record<symbol, CodeMark | undefined>)[MARK_KEY] = mark;
  return () => {
    (globalThis as Record<symbol, Watch | undefined>)[KEY] = undefined;
    (globalThis as Record<symbol, CodeMark | undefined>)[MARK_KEY] = undefined;
    void worker.terminate();
  };
}

/** The dev server's page of the current request (its URL path, and its file once the page names it). */
interface DevPage {
  readonly url: string;
  name?: string;
}
const DEV_KEY = Symbol.for('workbook.devPage');
const devPages = (): AsyncLocalStorage<DevPage> => ((globalThis as Record<symbol, AsyncLocalStorage<DevPage> | undefined>)[DEV_KEY] ??= new AsyncLocalStorage<DevPage>());

const ACTIVE_KEY = Symbol.for('workbook.devPagesActive');
const activeDevPages = (): Set<DevPage> => ((globalThis as Record<symbol, Set<DevPage> | undefined>)[ACTIVE_KEY] ??= new Set());

/** In `astro dev`: renders a request's page with its name kept for pageNow. */
export function inDevPage<T>(urlPath: string, work: () => Promise<T>): Promise<T> {
  const page: DevPage = { url: urlPath };
  activeDevPages().add(page);
  devRan(`page ${urlPath}`);
  return devPages().run(page, work).finally(() => activeDevPages().delete(page));
}

/**
 * In `astro dev`: expressions mark the request's page name with their place while they run (as
 * in a build), so a page that ends the process is named at its expression (devPagesNow).
 */
export function installDevMarks(): void {
  const mark: CodeMark = {
    begin(place) {
      const page = devPages().getStore();
      if (!page) return undefined;
      const previous = page.name ?? '';
      page.name = `${place} (page ${page.url})`;
      devRan(page.name);
      return previous;
    },
    end(previous) {
      const page = devPages().getStore();
      if (page && previous !== undefined) {
        page.name = previous || undefined;
        devRan(page.name ?? `page ${page.url}`);
      }
    },
  };
  (globalThis as Record<symbol, CodeMark | undefined>)[MARK_KEY] = mark;
}

const DEV_WATCH_KEY = Symbol.for('workbook.devWatch');
const devWatchName = (): Uint8Array | undefined => (globalThis as Record<symbol, Uint8Array | undefined>)[DEV_WATCH_KEY];

/** The dev watch's record of the page or expression that ran last (what a stuck thread was doing). */
function devRan(text: string | undefined): void {
  const name = devWatchName();
  if (!name || text === undefined) return;
  const bytes = new TextEncoder().encode(text).subarray(0, NAME_BYTES - 1);
  name.fill(0);
  name.set(bytes);
}

// The dev server's watcher: the main thread beats while it is free; a page's code that holds it
// past the limit (a loop that never ends) stops no timer there, so this thread says where it was.
const DEV_WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { buffer, timeoutMs, nameBytes } = workerData;
const beat = new Float64Array(buffer, 0, 1);
const name = new Uint8Array(buffer, 8, nameBytes);
setInterval(() => {
  if (Date.now() - beat[0] < timeoutMs) return;
  const end = name.indexOf(0);
  const page = Buffer.from(name.subarray(0, end < 0 ? name.length : end)).toString('utf8') || 'a page';
  writeSync(2, '\\n' + page + ': the page ran past ' + timeoutMs + ' ms (WORKBOOK_PAGE_TIMEOUT_MS) without returning, so the dev server stopped\\n');
  process.kill(process.pid, 'SIGKILL');
}, Math.max(20, Math.min(1000, Math.floor(timeoutMs / 10))));
`;

/**
 * In `astro dev`: a page's code that holds the server's thread past `timeoutMs` stops the dev
 * server, naming the page, or the expression, that ran last (rather than a server that hangs).
 */
export function startDevWatch(timeoutMs: number): void {
  // Once per process: Astro runs the server's setup again when it restarts.
  if (devWatchName()) return;
  const buffer = new SharedArrayBuffer(8 + NAME_BYTES);
  const beat = new Float64Array(buffer, 0, 1);
  beat[0] = Date.now();
  setInterval(() => (beat[0] = Date.now()), Math.max(10, Math.min(500, Math.floor(timeoutMs / 10)))).unref();
  (globalThis as Record<symbol, Uint8Array | undefined>)[DEV_WATCH_KEY] = new Uint8Array(buffer, 8, NAME_BYTES);
  new Worker(DEV_WATCHER, { eval: true, workerData: { buffer, timeoutMs, nameBytes: NAME_BYTES } }).unref();
}

/** The dev server's pages rendering now, named as pageNow names them. */
export function devPagesNow(): string[] {
  return [...activeDevPages()].map((page) => page.name ?? `page ${page.url}`);
}

export function watching(): boolean {
  return current() !== undefined;
}

function writeName(watch: Watch, text: string): void {
  watch.nameText = text;
  const bytes = new TextEncoder().encode(text).subarray(0, NAME_BYTES - 1);
  watch.name.fill(0);
  watch.name.set(bytes);
}

const TURN_KEY = Symbol.for('workbook.pageTurns');

/**
 * Waits for the page's turn to render, in the order pages ask; resolves to the function that ends
 * the turn. The next page begins in a later turn of the event loop (setImmediate), so what the page
 * left behind (a rejected promise nobody awaited) is reported while it is still the page named.
 * Shared through globalThis, as the watch is: the middleware is one copy per bundle.
 */
export function pageTurn(): Promise<() => void> {
  const turns = globalThis as Record<symbol, Promise<void> | undefined>;
  const previous = turns[TURN_KEY] ?? Promise.resolve();
  let end!: () => void;
  turns[TURN_KEY] = new Promise<void>((resolve) => (end = () => setImmediate(resolve)));
  return previous.then(() => end);
}

/** A page begins to render: its URL path. */
export function pageBegins(urlPath: string): void {
  const watch = current();
  if (!watch) return;
  Atomics.store(watch.state, 0, 0);
  watch.url = urlPath;
  writeName(watch, `page ${urlPath}`);
  watch.startMs[0] = Date.now();
  Atomics.add(watch.state, 1, 1);
  Atomics.store(watch.state, 0, 1);
}

/**
 * The file the page is rendering now, named with the page if it stops: relative to the course
 * folder, as messages print it (variants.ts fileOf), or absolute.
 */
export function pageFile(file: string): void {
  const watch = current();
  if (!watch) {
    const page = devPages().getStore();
    if (page) page.name = `${displayPath(resolve(courseRoot(), file))} (page ${page.url})`;
    devRan(page?.name);
    return;
  }
  if (Atomics.load(watch.state, 0) !== 1) return;
  writeName(watch, `${displayPath(resolve(courseRoot(), file))} (page ${watch.url})`);
}

export function pageEnds(): void {
  const watch = current();
  if (!watch) return;
  Atomics.store(watch.state, 0, 0);
  watch.log?.(pageLine(watch.url, Date.now() - watch.startMs[0]!));
}

/**
 * The page being rendered (or, with `last`, the last one begun), or undefined: for the message
 * of a build that stops in a page.
 */
export function pageNow(last = false): string | undefined {
  const watch = current();
  if (!watch) {
    const page = devPages().getStore();
    return page ? (page.name ?? `page ${page.url}`) : undefined;
  }
  if ((!last && Atomics.load(watch.state, 0) !== 1) || Atomics.load(watch.state, 1) === 0) return undefined;
  const end = watch.name.indexOf(0);
  return new TextDecoder().decode(watch.name.subarray(0, end < 0 ? NAME_BYTES : end));
}
