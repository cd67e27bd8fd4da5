/**
 * Printing built pages to PDF with Debian's Chromium through playwright-core: one browser for a
 * whole run, the built site served from its folder by request interception (no server, no port),
 * A4 or Letter, the set's title in the header and "page n of m" in the footer.
 *
 * Node only (the CLI and the build's PDF step); never imported by a page.
 */
import { readFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The origin the built site is served under, inside the browser only. */
export const SITE_ORIGIN = 'http://workbook.invalid';
export const PAPERS = ['a4', 'letter'] as const;
export type Paper = (typeof PAPERS)[number];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** A browser context that serves `dist` under SITE_ORIGIN; other requests are refused. */
export async function siteContext(browser: Browser, dist: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const root = normalize(dist).replace(/[\\/]+$/, '');
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== SITE_ORIGIN) return route.abort();
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (path !== root && !path.startsWith(root + sep)) return route.fulfill({ status: 403 });
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!existsSync(path)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, body: await readFile(path), headers: { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' } });
  });
  return context;
}

/** The PDF's margins, and the width left for the page's content on each paper, in CSS pixels (96 per inch). */
const MARGIN_MM = { top: 18, bottom: 18, side: 16 };
const PAPER_WIDTH_MM: Record<Paper, number> = { a4: 210, letter: 215.9 };
export const contentWidthPx = (paper: Paper) => Math.floor(((PAPER_WIDTH_MM[paper] - 2 * MARGIN_MM.side) / 25.4) * 96);

/**
 * Lays the page out at the paper's width in print media, then shrinks (CSS zoom) each block that
 * would still be wider than the paper, a long derivation or a wide table, just enough to fit:
 * on paper nothing can scroll, and nothing may be cut off. Returns how many blocks were shrunk.
 */
export async function fitToPaper(page: Page, paper: Paper): Promise<number> {
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: contentWidthPx(paper), height: 1200 });
  return page.evaluate(() => {
    let shrunk = 0;
    // Outer blocks first (document order): a shrunk derivation's own formula then fits.
    const blocks = '.math-display, .katex-display, .table-scroll, pre, .formulas, table';
    for (const el of document.querySelectorAll<HTMLElement>(blocks.split(', ').map((b) => `.set-document ${b}`).join(', '))) {
      el.style.zoom = '';
      const ratio = el.scrollWidth / el.clientWidth;
      if (el.clientWidth > 0 && ratio > 1.005) {
        el.style.zoom = String(Math.floor((1 / ratio) * 1000) / 1000);
        shrunk++;
      }
    }
    return shrunk;
  });
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Prints the page as it is now (loaded, fonts ready) to a PDF. */
export async function printPage(page: Page, options: { title: string; paper: Paper; path?: string }): Promise<Buffer> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await fitToPaper(page, options.paper);
  const small = `font-family: sans-serif; font-size: 8pt; color: #444; width: 100%; margin: 0 ${MARGIN_MM.side}mm;`;
  return page.pdf({
    ...(options.path ? { path: options.path } : {}),
    format: options.paper === 'a4' ? 'A4' : 'Letter',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: `<div style="${small} text-align: left;">${escapeHtml(options.title)}</div>`,
    footerTemplate: `<div style="${small} text-align: right;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
    margin: { top: `${MARGIN_MM.top}mm`, bottom: `${MARGIN_MM.bottom}mm`, left: `${MARGIN_MM.side}mm`, right: `${MARGIN_MM.side}mm` },
  });
}
