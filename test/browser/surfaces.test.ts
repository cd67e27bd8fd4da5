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
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser.mjs';
import { ROOT, buildSite, type BuiltSite } from '../helpers/site.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SHOTS = join(ROOT, 'test-results/screenshots');
const WIDTHS = [390, 1280] as const;
const SCHEMES = ['light', 'dark'] as const;
/** axe-core rules on labels and accessible names, landmarks and headings. */
const STRUCTURE_RULES = [
  'label',
  'label-title-only',
  'aria-input-field-name',
  'button-name',
  'link-name',
  'select-name',
  'svg-img-alt',
  'role-img-alt',
  'image-alt',
  'scrollable-region-focusable',
  'aria-allowed-role',
  'region',
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'landmark-unique',
  'landmark-main-is-top-level',
  'landmark-banner-is-top-level',
  'landmark-contentinfo-is-top-level',
  'landmark-complementary-is-top-level',
  'page-has-heading-one',
  'heading-order',
  'empty-heading',
  'document-title',
  'html-has-lang',
];
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

/** What is wrong with the page in view, in words; [] when nothing is. Runs in the page. */
function layoutProblems(): string[] {
  const problems: string[] = [];
  const name = (el: Element) => `${el.tagName.toLowerCase()}${el.classList.length ? `.${[...el.classList].join('.')}` : ''} "${(el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50)}"`;
  const shown = (el: Element) => el.getClientRects().length > 0;
  // Collapsed derivations are measured open, as a reader who opens them sees them.
  for (const d of document.querySelectorAll('details')) d.open = true;
  const root = document.documentElement;
  for (const e of document.querySelectorAll('.katex-error')) problems.push(`a formula failed to render: ${(e.getAttribute('title') ?? '').slice(0, 120)}`);
  if (root.scrollWidth > root.clientWidth) problems.push(`the page scrolls sideways: ${root.scrollWidth} px in ${root.clientWidth} px`);
  const region = (el: Element): HTMLElement | null => {
    const r = el.closest<HTMLElement>('[role="region"]');
    return r && r.getAttribute('tabindex') === '0' && (r.hasAttribute('aria-label') || r.hasAttribute('aria-labelledby')) ? r : null;
  };
  for (const el of document.querySelectorAll<HTMLElement>('.katex-display, table')) {
    if (!shown(el)) continue;
    const scroller = el.tagName === 'TABLE' ? region(el) : null;
    if (scroller) {
      if (scroller.scrollWidth > scroller.clientWidth) {
        const cue = scroller.querySelector('.scroll-cue');
        if (!cue || !shown(cue) || getComputedStyle(cue).visibility === 'hidden') problems.push(`a scroll region scrolls without a visible cue: ${name(el)}`);
      }
      continue;
    }
    const parent = el.parentElement!;
    const style = getComputedStyle(parent);
    const room = parent.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const width = Math.max(el.getBoundingClientRect().width, el.scrollWidth);
    if (width > room + 1) problems.push(`${width.toFixed(0)} px wide in ${room.toFixed(0)} px: ${name(el)}`);
  }
  for (const d of document.querySelectorAll<HTMLElement>('.derivation-lines, .derivation .math-display')) {
    if (!shown(d)) continue;
    if (d.scrollWidth > d.clientWidth) problems.push(`a derivation scrolls (${d.scrollWidth} px in ${d.clientWidth} px): ${name(d)}`);
  }
  // Every piece of math is inside the viewport and inside every box that clips it.
  for (const base of document.querySelectorAll<HTMLElement>('main .katex-base')) {
    if (!shown(base) || region(base)) continue;
    const r = base.getBoundingClientRect();
    let clip: HTMLElement | null = base.parentElement;
    let box = { left: 0, right: root.clientWidth };
    for (; clip && clip !== root; clip = clip.parentElement) {
      if (getComputedStyle(clip).overflowX !== 'visible') {
        const c = clip.getBoundingClientRect();
        box = { left: Math.max(box.left, c.left), right: Math.min(box.right, c.right) };
      }
    }
    if (r.left < box.left - 1 || r.right > box.right + 1) {
      problems.push(`math cut off (${r.left.toFixed(0)}..${r.right.toFixed(0)} px, shown ${box.left.toFixed(0)}..${box.right.toFixed(0)}): ${name(base.closest('.katex')!)}`);
      break;
    }
  }
  return problems;
}

async function axeViolations(page: Page, rules: readonly string[]): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (ruleIds) => {
    const w = window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } };
    const result = await w.axe.run(document, { runOnly: { type: 'rule', values: ruleIds }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.id}: ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ').slice(0, 160)}`));
  }, rules);
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
