/**
 * A course site served under a base path, as GitHub Pages serves a project (`workbook build
 * --base /<repository>/`, WORKBOOK_BASE): the page scripts, which a build takes prebuilt
 * (src/site/client-prebuild.ts), load from under the base, with the chunks they load on demand,
 * and run: the analyzer computes, a practice page makes its variant, a set's student sheet starts.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.mjs';
import { buildSite, type BuiltSite } from '../helpers/site.ts';
import { writeBenchCourse } from '../bench/course.ts';
import { loadProblems } from '../../src/cli/problems.ts';
import { problemSet } from '../../src/publish/sets.ts';
import { variantOf } from '../../src/workbook/variants/index.ts';
import { mlpPhrase } from '../../src/site/describe.ts';

const BASE = '/course-repo/';
let course: string;
let site: BuiltSite;
let server: Server;
let origin: string;
let browser: Browser;
let page: Page;
/** Every response of the page under test with a status of 400 or more, and every script error. */
const failures: string[] = [];

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.woff2': 'font/woff2' };

/** Serves the built site under BASE only, as a project's Pages site is (anything else is a 404). */
function serve(dir: string): Promise<string> {
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.startsWith(BASE) ? normalize(join(dir, path.slice(BASE.length))) : '';
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
}

beforeAll(async () => {
  course = mkdtempSync(join(tmpdir(), 'base-path-course-'));
  writeBenchCourse(course, 3);
  // The course's own content cache, as `workbook build --base` gives a course in a folder of its own.
  site = await buildSite({ courseDir: course, variants: 2, env: { WORKBOOK_BASE: BASE, WORKBOOK_CACHE_DIR: join(course, '.astro/cache') } });
  origin = await serve(site.dir);
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('response', (r) => {
    // The icon is linked at the site's root, not under the base (Base.astro); not a script's.
    if (r.status() >= 400 && !r.url().endsWith('/favicon.svg')) failures.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  rmSync(course, { recursive: true, force: true });
});

/** The module script a page loads, and what that module imports. */
function pageScript(urlPath: string): { src: string; imports: string[] } {
  const src = /<script type="module" src="([^"]+)"><\/script>/.exec(site.page(urlPath))?.[1];
  if (!src) throw new Error(`${urlPath}: no module script`);
  const code = readFileSync(join(site.dir, src.slice(BASE.length)), 'utf8');
  return { src, imports: [...code.matchAll(/import\s*"([^"]+)"/g)].map((m) => m[1]!) };
}

describe(`a site built with the base path ${BASE}`, () => {
  it('refers to its page scripts under the base, and has every file they import', () => {
    const practicePage = readdirSync(join(site.dir, 'practice/hw1'))[0]!;
    for (const [path, entry] of [['/analyze/', 'analyzer'], [`/practice/hw1/${practicePage}/`, 'practice'], ['/sets/hw1/student/', 'practice']] as const) {
      const { src, imports } = pageScript(path);
      expect(src.startsWith(`${BASE}_astro/`), src).toBe(true);
      expect(imports).toHaveLength(1);
      expect(imports[0]).toMatch(new RegExp(`^${BASE}_astro/${entry}\\.[\\w-]+\\.js$`));
      expect(existsSync(join(site.dir, imports[0]!.slice(BASE.length)))).toBe(true);
    }
  });

  it('the analyzer computes a pasted model, and its derivations load their chunk (KaTeX) on demand', async () => {
    failures.length = 0;
    await page.goto(`${origin}${BASE}analyze/`);
    await page.waitForSelector('[data-analyzer][data-ready="true"]');
    await page.locator('#model-json').fill(JSON.stringify({ name: 'mlp', input: [784], layers: [{ type: 'Linear', out_features: 256 }, { type: 'ReLU' }, { type: 'Linear', out_features: 10 }] }));
    await page.locator('#analyzer-form button[type="submit"]').click();
    await expect.poll(() => page.locator('[data-total="params"]').first().textContent()).toBe((784 * 256 + 256 + 256 * 10 + 10).toLocaleString('en-US'));
    await page.locator('.totals-derivations details summary').first().click();
    await page.waitForSelector('.totals-derivations .katex');
    expect(failures).toEqual([]);
  });

  it('a practice page makes its variant, and a set\'s student sheet runs its script', async () => {
    failures.length = 0;
    const practicePage = readdirSync(join(site.dir, 'practice/hw1'))[0]!;
    await page.goto(`${origin}${BASE}practice/hw1/${practicePage}/?seed=3`);
    await page.waitForFunction(() => document.querySelector('.practice-body')?.getAttribute('data-seed') === '3');
    await page.goto(`${origin}${BASE}sets/hw1/student/?student=Alice`);
    await page.waitForFunction(() => typeof window.workbookShowStudent === 'function');
    // What `workbook handouts` does per student: the sheet poses the graded variants it is given.
    const variants = problemSet('hw1', loadProblems(course)).problems.map((p, i) => ({ p, v: variantOf(p, 101 + i, { domain: 'graded' }) }));
    expect(variants.length).toBeGreaterThan(0);
    const given = Object.fromEntries(variants.map(({ p, v }) => [p.id, { seed: v.seed, values: v.values }]));
    await page.evaluate((g) => window.workbookShowStudent!('Alice', undefined, g), given);
    expect(await page.locator('[data-student-id]').textContent()).toBe('Alice');
    for (const { p, v } of variants) {
      const section = page.locator(`[data-problem="${p.id}"]`);
      expect(await section.getAttribute('data-seed')).toBe(String(v.seed));
      expect(await section.locator('[data-network="inline"]').textContent()).toBe(mlpPhrase([v.values.n0!, v.values.h1!, 10]));
    }
    expect(failures).toEqual([]);
  });
});
