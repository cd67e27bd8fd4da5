/**
 * Every built page of both editions, read as a student reads it: at 390 px (a phone) and 1280 px
 * (a desktop), in the light and the dark scheme, and printed. Each page must:
 * - not scroll sideways;
 * - keep every KaTeX display and table within its container, unless the table sits in a declared
 *   scroll region (role="region", a label, tabindex="0") that shows a visible cue when it scrolls;
 * - show every derivation line whole: a derivation never scrolls and no line is cut off;
 * - pass axe-core's rules on labels and names, landmarks and headings, and on contrast in both
 *   schemes. axe-core takes seconds on a page of thousands of KaTeX spans, so it runs on one page
 *   of each kind (pages that differ in their last path segment share a template and its colours)
 *   and, for the structure rules, on every page an author wrote (problems, chapters, guides),
 *   whose headings and links are the author's; the search page with results too.
 *   WORKBOOK_AXE_ALL=1 runs every one of those rules on every page (about 8 minutes on 2 cores).
 * Problem pages are printed to PDF (A4 and Letter), and `pdftotext` must find the final figure of
 * every derivation line. A few variants per problem keep the run short: variant pages share one
 * template, so more of them add time, not coverage.
 * Then the states a student reaches after the page has loaded, each at both widths and in both
 * schemes, with every axe-core rule: search results, the analyzer with a model loaded (results in
 * view, every column of its tables readable), a practice page after a wrong and a right answer.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser.mjs';
import { ROOT, buildSite, type BuiltSite } from '../helpers/site.ts';
import { findProblem } from '../../src/cli/problems.ts';
import { zooModel } from '../../src/engine/index.ts';
import { answerFigure, type AnswerProps } from '../../src/workbook/answers.ts';
import { STRUCTURE_RULES, axeViolations, layoutProblems } from './page-checks.ts';
import { variantOf } from '../../src/workbook/variants/index.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');
const WIDTHS = [390, 1280] as const;
const SCHEMES = ['light', 'dark'] as const;
/** Pages whose content an author wrote (MDX): their headings, links and labels are checked each. */
const AUTHORED = /^\/(problems|chapters|guides)\//;
/** Pages whose derivations printing must keep whole. */
const PRINTED = /^\/problems\//;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** Every page of a built site, as URL paths: each index.html's folder, and the 404 page. */
function pagesOf(site: BuiltSite): string[] {
  return site
    .files()
    .filter((f) => f === '404.html' || f.endsWith('index.html'))
    .map((f) => (f === '404.html' ? '/404.html' : `/${f.replace(/index\.html$/, '')}`))
    .sort();
}

/** One page of each kind: the first of the pages that differ only in their last segment. */
function onePerKind(pages: readonly string[]): Set<string> {
  const kinds = new Map<string, string>();
  for (const p of pages) {
    const kind = p.replace(/[^/]+\/?$/, '*');
    if (!kinds.has(kind)) kinds.set(kind, p);
  }
  return new Set(kinds.values());
}



/** The last number of each derivation line (`= 724{,}406{,}816\ \text{MACs}` gives 724,406,816). */
async function derivationFinalFigures(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('.derivation-form annotation')].flatMap((a) => {
      const numbers = (a.textContent ?? '').replace(/\{,\}/g, ',').match(/\d[\d,]*(?:\.\d+)?/g);
      return numbers ? [numbers[numbers.length - 1]!] : [];
    }),
  );
}

/** The page's sideways scroll in words, or '' when it has none. Runs in the page. */
function sidewaysScroll(): string {
  const root = document.documentElement;
  return root.scrollWidth > root.clientWidth ? `the page scrolls sideways: ${root.scrollWidth} px in ${root.clientWidth} px` : '';
}

/** Where the analyzer left the reader after a model was brought: at the result's title, focused. Runs in the page. */
function analyzerReveal(): string[] {
  const title = document.getElementById('result-title');
  if (!title) return ['no result title'];
  const top = title.getBoundingClientRect().top;
  return [
    ...(top < -1 || top > innerHeight / 3 ? [`the result's title is at ${top.toFixed(0)} px of a ${innerHeight} px view, not where the reader is looking`] : []),
    ...(document.activeElement === title ? [] : [`the focus is on <${document.activeElement?.tagName.toLowerCase()}>, not on the result's title`]),
  ];
}

/**
 * What of the analyzer's tables a reader cannot read: a cell outside the view or outside its
 * table's box (a column to scroll to), text cut off, or, in the counting-profiles table, a cell
 * taller than its content by more than three lines (a blank stretch beside a paragraph). Runs in the page.
 */
function analyzerTableProblems(): string[] {
  const problems: string[] = [];
  const width = document.documentElement.clientWidth;
  const name = (el: Element) => `<${el.tagName.toLowerCase()}> "${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)}"`;
  const tables = [...document.querySelectorAll<HTMLTableElement>('#analyzer-result table')];
  if (tables.length < 2) problems.push(`${tables.length} result tables, expected the layers and the counting profiles`);
  for (const table of tables) {
    const box = (table.closest('.table-scroll') ?? table).getBoundingClientRect();
    const left = Math.max(0, box.left) - 1;
    const right = Math.min(width, box.right) + 1;
    for (const cell of table.querySelectorAll<HTMLElement>('tbody :is(th, td), tfoot :is(th, td)')) {
      const r = cell.getBoundingClientRect();
      if (r.left < left || r.right > right) {
        problems.push(`${table.className}: a cell at ${r.left.toFixed(0)}..${r.right.toFixed(0)} px, shown ${left.toFixed(0)}..${right.toFixed(0)}: ${name(cell)}`);
        break;
      }
      if (cell.scrollWidth > cell.clientWidth + 1) {
        problems.push(`${table.className}: text cut off in ${name(cell)}`);
        break;
      }
    }
  }
  for (const cell of document.querySelectorAll<HTMLElement>('#analyzer-result .conventions-table :is(tbody, tfoot) :is(th, td)')) {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const blank = cell.getBoundingClientRect().height - range.getBoundingClientRect().height;
    const line = parseFloat(getComputedStyle(cell).lineHeight) || 20;
    if (blank > 3 * line) {
      problems.push(`conventions-table: a blank stretch of ${blank.toFixed(0)} px in ${name(cell)}`);
      break;
    }
  }
  return problems;
}

function editionSuite(edition: 'solutions' | 'student'): void {
  describe(`${edition} edition`, () => {
    let site: BuiltSite;
    let server: { url: string; stop: () => Promise<unknown> };
    let pages: string[];
    let sample: Set<string>;

    beforeAll(async () => {
      site = await buildSite({ edition, variants: 1 });
      server = await startPreview({ outDir: site.dir });
      pages = pagesOf(site);
      sample = process.env.WORKBOOK_AXE_ALL ? new Set(pages) : onePerKind(pages);
    });

    afterAll(async () => {
      await server?.stop();
    });

    it('has pages to read (the loops below are not vacuous)', () => {
      expect(pages).toEqual(expect.arrayContaining(['/', '/search/', '/models/', '/404.html', '/problems/hw1/q1/', '/problems/lab1/bert/']));
      expect(pages.length).toBeGreaterThan(50);
    });

    it('every page, at 390 and 1280 px, light and dark: no sideways scroll, nothing wider than its column, derivations whole, axe-core clean', async () => {
      const failures: string[] = [];
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
          const page = await context.newPage();
          // Structure rules (labels, landmarks, headings) depend on neither width nor scheme; contrast
          // depends on the scheme, and is checked on one page of each kind.
          const started = Date.now();
          for (const path of pages) {
            const structure = width === 1280 && scheme === 'light' && (sample.has(path) || AUTHORED.test(path));
            const rules = [...(structure ? STRUCTURE_RULES : []), ...(width === 1280 && sample.has(path) ? ['color-contrast'] : [])];
            await page.goto(server.url + path, { waitUntil: 'load' });
            await page.evaluate(() => document.fonts.ready);
            // Two frames: scroll-state container queries (the scroll cue) settle after the first layout.
            await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))));
            const where = `${path} at ${width} px, ${scheme}`;
            for (const p of await page.evaluate(layoutProblems)) failures.push(`${where}: ${p}`);
            if (rules.length) for (const v of await axeViolations(page, rules)) failures.push(`${where}: ${v}`);
          }
          console.log(`${edition}: ${pages.length} pages at ${width} px, ${scheme}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
          await context.close();
        }
      }
      expect(failures).toEqual([]);
    }, 1_800_000);

    it('search: results and excerpts read in both schemes (contrast), show text rather than TeX, and the input has a label', async () => {
      const failures: string[] = [];
      for (const scheme of SCHEMES) {
        const context = await browser.newContext({ viewport: { width: 390, height: 900 }, colorScheme: scheme });
        const page = await context.newPage();
        await page.goto(`${server.url}/search/?q=energy`, { waitUntil: 'load' });
        await page.locator('.pagefind-ui__result-excerpt').first().waitFor({ timeout: 20_000 });
        await page.waitForTimeout(500); // the rest of the first results
        const excerpts = await page.locator('.pagefind-ui__result-excerpt').allTextContents();
        expect(excerpts.length).toBeGreaterThan(0);
        for (const e of excerpts) if (/\\[a-zA-Z]+|\{,\}/.test(e)) failures.push(`${scheme}: an excerpt shows TeX: ${e.slice(0, 120)}`);
        const label = await page.evaluate(() => {
          const input = document.querySelector<HTMLInputElement>('.pagefind-ui__search-input');
          return input?.labels?.[0]?.textContent ?? null;
        });
        expect(label).toMatch(/Search/);
        for (const v of await axeViolations(page, ['color-contrast', 'label', 'aria-input-field-name'])) failures.push(`search, ${scheme}: ${v}`);
        if (scheme === 'dark') await page.screenshot({ path: join(SHOTS, `surfaces-search-${edition}-dark.png`), fullPage: true });
        await context.close();
      }
      expect(failures).toEqual([]);
    }, 120_000);

    it('the states a student reaches, at 390 and 1280 px, light and dark: search results, the analyzer with a model loaded, a practice page after a wrong and after a right answer; none scrolls sideways, every axe-core rule passes', async () => {
      const failures: string[] = [];
      // Topic tags side by side on a page: an excerpt must never join two of them into one word.
      const tags = new Set(pages.filter((p) => /^\/problems\//.test(p)).flatMap((p) => [...site.page(p).matchAll(/<a class="tag"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!)));
      expect(tags.size).toBeGreaterThan(3);
      const practice = pages.find((p) => /^\/practice\/[^/]+\/[^/]+\/$/.test(p));
      expect(practice, 'a practice page').toBeDefined();
      const problem = findProblem(practice!.replace(/^\/practice\/|\/$/g, ''));
      const seed = 7;
      // The analyzer gets a model as a student brings one (the student edition offers no built-in model).
      const model = JSON.stringify(zooModel('resnet18'));
      for (const width of WIDTHS) {
        for (const scheme of SCHEMES) {
          const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
          const page = await context.newPage();
          const at = `at ${width} px, ${scheme}`;
          const shot = (state: string, part?: Locator) => (part ?? page).screenshot({ path: join(SHOTS, `states-${edition}-${state}-${width}-${scheme}.png`) });
          const check = async (state: string, extra: string[] = []) => {
            for (const p of [await page.evaluate(sidewaysScroll), ...extra]) if (p) failures.push(`${state} ${at}: ${p}`);
            for (const v of await axeViolations(page, 'all')) failures.push(`${state} ${at}: ${v}`);
          };

          await page.goto(`${server.url}/search/?q=MACs`, { waitUntil: 'load' });
          await page.locator('.pagefind-ui__result-excerpt').first().waitFor({ timeout: 20_000 });
          await page.waitForTimeout(500);
          const excerpts = await page.locator('.pagefind-ui__result-excerpt').allTextContents();
          expect(excerpts.length).toBeGreaterThan(2);
          const glued = excerpts.flatMap((e) => [...tags].flatMap((a) => [...tags].filter((b) => b !== a && e.includes(a + b)).map((b) => `"${a}${b}" in "${e.slice(0, 80)}"`)));
          await check('search results for MACs', glued.map((g) => `an excerpt joins two topics: ${g}`));
          await shot('search');

          await page.goto(`${server.url}/analyze/`, { waitUntil: 'load' });
          await page.waitForSelector('[data-analyzer][data-ready="true"]');
          await page.locator('#model-json').fill(model);
          await page.locator('#analyzer-form button[type="submit"]').click();
          await page.waitForSelector('#analyzer-result:not([hidden])');
          for (const p of await page.evaluate(analyzerReveal)) failures.push(`the analyzer, a model just loaded, ${at}: ${p}`);
          await shot('analyzer-loaded');
          // A hardware profile adds the cost figures and the roofline chart.
          await page.locator('#opt-hardware').selectOption('ryzen-9-5950x');
          await page.locator('section[aria-labelledby="result-cost"] .roofline-chart').waitFor();
          await check('the analyzer with resnet18 on a Ryzen 9 5950X', await page.evaluate(analyzerTableProblems));
          await page.locator('#analyzer-result .layer-table').scrollIntoViewIfNeeded();
          await shot('analyzer-layers');

          await page.goto(`${server.url}${practice}?seed=${seed}`, { waitUntil: 'load' });
          await page.waitForFunction(() => document.querySelector('.practice-body')?.getAttribute('data-seed') !== null);
          // The first number to type, in its own unit (an answer asked `in` another unit reads its figure converted).
          const boxes = page.locator('.answer--practice:not([data-kind])');
          const asked = await boxes.evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-answer')!, select: JSON.parse(e.getAttribute('data-select') ?? '{}') as Record<string, unknown> })));
          const index = asked.findIndex((a) => !('in' in a.select));
          expect(index, `a number to type on ${practice}`).toBeGreaterThanOrEqual(0);
          const box = boxes.nth(index);
          const { name, select } = asked[index]!;
          const right = answerFigure(variantOf(problem, seed).ctx, name, problem.file, select as AnswerProps).value;
          const submit = async (text: string, verdict: string) => {
            await box.locator('input').fill(text);
            await box.locator('input').press('Enter');
            await expect.poll(() => box.locator('.feedback').getAttribute('data-verdict')).toBe(verdict);
          };
          await submit(String(2 * right + 1), 'incorrect');
          await check(`${practice} after a wrong answer`, await page.evaluate(layoutProblems));
          await shot('practice-wrong', box);
          await submit(String(right), 'correct');
          await box.locator('.practice-derivation .katex').first().waitFor();
          await check(`${practice} after a right answer`, await page.evaluate(layoutProblems));
          await shot('practice-right', box);
          await context.close();
        }
      }
      expect(failures).toEqual([]);
    }, 600_000);

    if (edition === 'solutions') {
      it('printed to PDF (A4 and Letter), problem pages keep the final figure of every derivation line', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'workbook-print-'));
        const page = await browser.newPage();
        const failures: string[] = [];
        let checked = 0;
        try {
          await page.emulateMedia({ media: 'print' });
          for (const path of pages.filter((p) => PRINTED.test(p))) {
            await page.goto(server.url + path, { waitUntil: 'load' });
            await page.evaluate(() => document.fonts.ready);
            const figures = await derivationFinalFigures(page);
            for (const format of ['A4', 'Letter'] as const) {
              const file = join(dir, `${path.replace(/\W+/g, '_')}-${format}.pdf`);
              writeFileSync(file, await page.pdf({ format }));
              const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
              for (const f of figures) {
                checked++;
                if (!text.includes(f)) failures.push(`${path} (${format}): ${f} is not in the PDF`);
              }
            }
          }
        } finally {
          await page.close();
        }
        expect(checked).toBeGreaterThan(200);
        expect(failures).toEqual([]);
      }, 900_000);
    }
  });
}

editionSuite('solutions');
editionSuite('student');
