/**
 * `workbook dev` on a course made by `workbook init`: a chapter whose code throws while its page
 * renders is shown as the build names it, one located line (src/middleware.ts, page-error.ts), in
 * the terminal and in the browser's error overlay (the payload the dev server sends the page's
 * Vite client over its WebSocket), with no stack-trace frame; once the file is fixed the page
 * renders again. One dev server for every case (it is heavy).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/workbook/check/index.ts';
import { lineOf } from '../helpers/course.ts';
import { ROOT } from '../helpers/site.ts';
import { freePort } from '../support/browser.mjs';

const CHAPTER = 'content/chapters/counting.mdx';

/** The overlay's text: the payload's message is rendered as HTML. */
const overlayText = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The test runner's environment without what vitest adds (NODE_ENV=test, BASE_URL, MODE, ...): the dev server's own. */
function devEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };
  for (const key of Object.keys(env)) if (/^(VITEST|NODE_ENV$|TEST$|MODE$|DEV$|PROD$|SSR$|BASE_URL$|WORKBOOK_)/.test(key)) delete env[key];
  return env;
}

let dir: string;
let original: string;
let child: ChildProcess;
let base: string;
let socket: WebSocket;
/** The error payloads the dev server sent its clients. */
const overlays: { message: string; stack?: string; hint?: string; loc?: { file?: string; line?: number; column?: number } }[] = [];

/** `workbook dev --course dir` on a free port, once it answers. */
async function startDev(course: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; base: string; port: number; output: () => string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let text = '';
  const server = spawn(process.execPath, [join(ROOT, 'src/cli/workbook.js'), 'dev', '--course', course, '--port', String(port)], {
    cwd: ROOT,
    env: { ...devEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  server.stdout!.on('data', (d) => (text += d));
  server.stderr!.on('data', (d) => (text += d));
  const started = performance.now();
  for (;;) {
    const res = await fetch(`${url}/`).catch(() => undefined);
    if (res) break;
    if (server.exitCode !== null || performance.now() - started > 180_000) throw new Error(`workbook dev did not start:\n${text.slice(-3000)}`);
    await sleep(200);
  }
  return { child: server, base: url, port, output: () => text };
}

function stop(server: ChildProcess | undefined): void {
  try {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

function initCourse(): string {
  const course = join(mkdtempSync(join(tmpdir(), 'workbook-dev-errors-')), 'course');
  const init = spawnSync(process.execPath, [join(ROOT, 'src/cli/workbook.js'), 'init', course], { encoding: 'utf8' });
  expect(init.status, init.stderr).toBe(0);
  return course;
}

let server: Awaited<ReturnType<typeof startDev>>;

beforeAll(async () => {
  dir = initCourse();
  original = readFileSync(join(dir, CHAPTER), 'utf8');
  server = await startDev(dir);
  child = server.child;
  base = server.base;
  const port = server.port;
  // The browser's side: the Vite client's socket, with the token its script carries.
  const client = await (await fetch(`${base}/@vite/client`)).text();
  const token = /const wsToken = "([^"]+)"/.exec(client)?.[1];
  expect(token).toBeDefined();
  socket = new WebSocket(`ws://127.0.0.1:${port}/?token=${token}`, 'vite-hmr');
  socket.addEventListener('message', (event) => {
    const payload = JSON.parse(String(event.data)) as { type: string; err?: (typeof overlays)[number] };
    if (payload.type === 'error' && payload.err) overlays.push(payload.err);
  });
  await new Promise((done, fail) => {
    socket.addEventListener('open', done);
    socket.addEventListener('error', fail);
  });
}, 240_000);

afterAll(() => {
  socket?.close();
  stop(child);
});

/** Saves the chapter, then fetches its page until `ready` says the server has the new text. */
async function save(text: string, ready: (status: number, html: string) => boolean): Promise<{ status: number; html: string }> {
  writeFileSync(join(dir, CHAPTER), text);
  const started = performance.now();
  for (;;) {
    await sleep(300);
    const res = await fetch(`${base}/chapters/counting/`);
    const html = await res.text();
    if (ready(res.status, html)) return { status: res.status, html };
    if (performance.now() - started > 60_000) throw new Error(`the page did not change within 60 s (${res.status}):\n${html.slice(0, 500)}\n${server.output().slice(-3000)}`);
  }
}

/** Breaks the chapter with `text`; the located line must reach the terminal and the overlay. */
async function broken(text: string, line: string): Promise<void> {
  const before = server.output().length;
  overlays.length = 0;
  const page = await save(text, (status) => status === 500);
  expect(page.html).toContain('<title>Authoring error</title>');
  // The overlay's payload follows the page's response.
  for (let i = 0; i < 50 && overlays.length === 0; i++) await sleep(100);
  expect(overlays.length).toBeGreaterThan(0);
  const err = overlays.at(-1)!;
  expect(overlayText(err.message).split('\n')[0]).toBe(line);
  expect(err.stack ?? '').toBe('');
  expect(err.hint ?? '').toBe('');
  const terminal = server.output().slice(before);
  expect(terminal.split('\n').some((l) => l.endsWith(line))).toBe(true);
  expect(terminal).not.toMatch(/\n\s+at |Stack trace|Hint:/);
}

async function fixed(): Promise<void> {
  const page = await save(original, (status) => status === 200);
  expect(page.html).toContain('<h1');
  expect(page.html).toContain('Counting parameters');
}

describe('workbook dev: a problem page renders through the located components (src/site/component-at.ts)', () => {
  it('the example problem: its questions, given and answers, with no workbookAt in the page', async () => {
    const res = await fetch(`${base}/problems/hw1/q1/`);
    const html = await res.text();
    expect(res.status).toBe(200);
    // [784, 128, 10]: the init problem's network; its parameters, as the engine counts them.
    expect(html).toContain((784 * 128 + 128 + 128 * 10 + 10).toLocaleString('en-US'));
    expect(html).toContain('(a)');
    expect(html).toContain('(b)');
    expect(html).not.toContain('workbookAt');
  }, 120_000);
});

describe('workbook dev: a chapter whose code throws', () => {
  it('an {expression} that throws: its line in the terminal and the overlay, then the page again once fixed', async () => {
    const text = `${original}\nHere is {(() => { throw new Error("thrown by the chapter") })()}.\n`;
    await broken(text, formatDiagnostic({ file: CHAPTER, ...lineOf(text, '{(() =>'), message: '{(() => { throw new Error("thrown by t...} threw: thrown by the chapter' }));
    const err = overlays.at(-1)!;
    expect(err.loc).toEqual({ file: join(dir, CHAPTER), ...lineOf(text, '{(() =>') });
    await fixed();
  }, 120_000);

  it('a chapter component given computed props it cannot use: at the element, in its words', async () => {
    const text = `${original}\nexport const fc = { type: "Linear", out_features: -3 }\n\n<LayerFormulas layer={fc} input={[784]} />\n`;
    await broken(text, formatDiagnostic({ file: CHAPTER, ...lineOf(text, '<LayerFormulas'), message: '<LayerFormulas layer={{ type: "Linear" }}>: Linear: out_features: Too small: expected number to be >0' }));
    await fixed();
  }, 120_000);
});

// Last: it stops the dev server (Astro runs one per project, so it cannot be a second one).
describe('workbook dev: a chapter whose code ends the process', () => {
  it('the dev server stops, saying at which expression of which page', async () => {
    const text = `${original}\nHere {process.exit(0)} ends it.\n`;
    writeFileSync(join(dir, CHAPTER), text);
    // The save reaches the server, then the page is asked for until the server is gone.
    for (let i = 0; i < 300 && child.exitCode === null; i++) {
      await fetch(`${base}/chapters/counting/`).catch(() => undefined);
      await sleep(200);
    }
    expect(child.exitCode).not.toBeNull();
    const place = formatDiagnostic({ file: CHAPTER, ...lineOf(text, '{process.exit'), message: '{process.exit(0)} (page /chapters/counting/)' });
    expect(server.output()).toContain(`${place}: the page ended the process while it rendered, so the dev server stopped`);
  }, 120_000);
});

// After it (one dev server at a time): a new server, whose page never returns.
describe('workbook dev: a chapter whose code never returns', () => {
  it('past WORKBOOK_PAGE_TIMEOUT_MS the dev server stops, naming the expression, rather than hanging', async () => {
    const course = initCourse();
    const text = `${readFileSync(join(course, CHAPTER), 'utf8')}\nHere {(() => { while (true) {} })()} never ends.\n`;
    writeFileSync(join(course, CHAPTER), text);
    const dev = await startDev(course, { WORKBOOK_PAGE_TIMEOUT_MS: '3000' });
    try {
      await fetch(`${dev.base}/chapters/counting/`).catch(() => undefined);
      for (let i = 0; i < 300 && dev.child.exitCode === null && dev.child.signalCode === null; i++) await sleep(100);
      expect(dev.child.exitCode ?? dev.child.signalCode).not.toBeNull();
      const place = formatDiagnostic({ file: CHAPTER, ...lineOf(text, '{(() =>'), message: '{(() => { while (true) {} })()} (page /chapters/counting/)' });
      expect(dev.output()).toContain(`${place}: the page ran past 3000 ms (WORKBOOK_PAGE_TIMEOUT_MS) without returning, so the dev server stopped`);
    } finally {
      stop(dev.child);
    }
  }, 240_000);
});
