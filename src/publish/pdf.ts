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

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Prints the page as it is now (loaded, fonts ready) to a PDF. */
export async function printPage(page: Page, options: { title: string; paper: Paper; path?: string }): Promise<Buffer> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const small = 'font-family: sans-serif; font-size: 8pt; color: #444; width: 100%; margin: 0 16mm;';
  return page.pdf({
    ...(options.path ? { path: options.path } : {}),
    format: options.paper === 'a4' ? 'A4' : 'Letter',
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: `<div style="${small} text-align: left;">${escapeHtml(options.title)}</div>`,
    footerTemplate: `<div style="${small} text-align: right;">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>`,
    margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
  });
}
