/**
 * The built site in Chromium, served on 127.0.0.1 by `astro preview` (started and stopped here):
 * each page type opens, its math is rendered and visible, and a search finds a problem.
 * Screenshots of each page type are kept in test-results/screenshots/ to be looked at.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser.mjs';
import { ROOT, buildSite } from '../helpers/site.ts';

const SHOTS = join(ROOT, 'test-results/screenshots');
let server: { url: string; stop: () => Promise<unknown> };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const site = await buildSite();
  server = await startPreview({ outDir: site.dir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path: string, shot: string): Promise<void> {
  const response = await page.goto(server.url + path, { waitUntil: 'networkidle' });
  expect(response?.status(), path).toBe(200);
  await page.screenshot({ path: join(SHOTS, `browser-${shot}.png`), fullPage: true });
}

/** Rendered KaTeX that a reader can see: laid out with a size, in KaTeX's fonts. */
async function visibleMath(): Promise<{ count: number; visible: number; fontLoaded: boolean }> {
  return page.evaluate(async () => {
    await document.fonts.ready;
    const nodes = [...document.querySelectorAll('.katex-html')];
    const visible = nodes.filter((n) => {
      const r = n.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(n).visibility !== 'hidden';
    });
    return { count: nodes.length, visible: visible.length, fontLoaded: document.fonts.check('16px KaTeX_Main') };
  });
}

describe('page types in Chromium', () => {
  it.each([
    ['/', 'course', 0],
    ['/problems/hw1/q1/', 'problem', 10],
    ['/problems/hw1/q2/', 'problem-latency', 10],
    ['/chapters/metrics/', 'chapter', 5],
    ['/guides/authoring/', 'guide', 3],
    ['/topics/sram/', 'topic', 0],
  ] as const)('%s opens; its math is rendered and visible', async (path, shot, minMath) => {
    await open(path, shot);
    expect(await page.locator('main h1').count()).toBe(1);
    const math = await visibleMath();
    expect(math.count).toBeGreaterThanOrEqual(minMath);
    expect(math.visible).toBe(math.count);
    if (minMath > 0) expect(math.fontLoaded).toBe(true);
  });

  it('the derivation of an answer is shown and can be collapsed with the keyboard', async () => {
    await open('/problems/hw1/q1/', 'problem-collapsed');
    const details = page.locator('[data-answer="params"] details');
    expect(await details.getAttribute('open')).not.toBeNull();
    await page.locator('[data-answer="params"] summary').focus();
    await page.keyboard.press('Enter');
    expect(await details.getAttribute('open')).toBeNull();
  });

  it('a search for "SRAM" finds the HW1 problems', async () => {
    await open('/search/?q=SRAM', 'search');
    const results = page.locator('.pagefind-ui__result-link');
    await results.first().waitFor({ timeout: 15_000 });
    const links = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links).toEqual(expect.arrayContaining(['/problems/hw1/q1/']));
    await page.screenshot({ path: join(SHOTS, 'browser-search-results.png'), fullPage: true });
  });

  it('prints cleanly: no navigation, collapsed derivations still printed, math intact', async () => {
    await open('/problems/hw1/q2/', 'print-source');
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => d.removeAttribute('open')));
    await page.emulateMedia({ media: 'print' });
    try {
      const state = await page.evaluate(() => ({
        header: getComputedStyle(document.querySelector('.site-header')!).display,
        derivations: [...document.querySelectorAll('.derivation .katex-html')].map((n) => n.getBoundingClientRect().height),
      }));
      expect(state.header).toBe('none');
      expect(state.derivations.length).toBeGreaterThanOrEqual(6);
      for (const height of state.derivations) expect(height).toBeGreaterThan(0);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  it('phone width: the problem page does not scroll sideways', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(server.url + '/problems/hw1/q1/', { waitUntil: 'networkidle' });
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(SHOTS, 'browser-problem-phone.png'), fullPage: true });
    await phone.close();
  });
});
