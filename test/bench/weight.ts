/**
 * Page weight: for each page type, the bytes (raw and gzipped) of its HTML, the CSS it links,
 * the JavaScript it loads eagerly (scripts, module preloads and their static imports) and on
 * demand (dynamic imports), and the fonts a browser downloads to show it (measured in Chromium,
 * since which KaTeX faces load depends on the math on the page).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, posix } from 'node:path';
import { addSizes, assetsOf, cssUrls, extraFontFiles, fontFileOf, importsOf, pageTypeOf, PAGE_TYPES, sizeOf, ZERO, type PageType, type Size } from './pages.ts';
import { htmlPages, listFiles } from './build.ts';

export interface PageWeight {
  readonly path: string;
  readonly html: Size;
  readonly css: Size;
  /** Loaded with the page. */
  readonly js: Size;
  /** Loaded on demand (dynamic imports). */
  readonly jsLazy: Size;
  /** Files of the eager JS, by URL; `(inline)` for inline scripts. */
  readonly scripts: string[];
  readonly lazyScripts: string[];
  /** Bytes of eager JS that belong to KaTeX. */
  readonly katexEagerBytes: number;
  /** Fonts downloaded by Chromium, when measured. */
  fonts?: Size;
  fontFiles?: string[];
  /** Scripts Chromium fetched while loading the page (no interaction), and whether one was KaTeX. */
  scriptsOnLoad?: string[];
  katexOnLoad?: boolean;
}

export interface TypeWeight {
  readonly type: PageType;
  readonly pages: number;
  /** The heaviest page of the type (by gzipped HTML + CSS + JS + fonts), and the largest figure of each kind over all pages. */
  readonly heaviest?: string;
  /** The page with the largest gzipped HTML. */
  readonly largestHtml?: string;
  readonly max?: { html: Size; css: Size; js: Size; jsLazy: Size; fonts?: Size };
  readonly scripts: string[];
  readonly lazyScripts: string[];
  readonly katexEagerBytes: number;
  /** Chromium fetched KaTeX while loading a sample page of the type (undefined: not measured). */
  readonly katexOnLoad?: boolean;
}

/** A signature of KaTeX's code in a bundle. */
const KATEX_SIGNATURE = /KaTeX parse error/;

function resolveUrl(fromPage: string, url: string): string | undefined {
  if (/^(https?:)?\/\//.test(url) || url.startsWith('data:')) return undefined;
  const clean = url.split(/[?#]/)[0]!;
  return clean.startsWith('/') ? clean.slice(1) : posix.join(posix.dirname(fromPage), clean);
}

export function pageWeight(outDir: string, relPath: string): PageWeight {
  const read = (p: string) => readFileSync(join(outDir, p));
  const html = readFileSync(join(outDir, relPath), 'utf8');
  const assets = assetsOf(html);
  const css = addSizes(
    ...assets.stylesheets.map((u) => resolveUrl(relPath, u)).filter((p): p is string => !!p && existsSync(join(outDir, p))).map((p) => sizeOf(read(p))),
    ...assets.inlineStyles.map((s) => sizeOf(s)),
  );
  // Eager: script tags, module preloads and everything they import statically.
  const eager = new Set<string>();
  const lazy = new Set<string>();
  const visit = (file: string, into: Set<string>, other: Set<string>) => {
    if (into.has(file) || !existsSync(join(outDir, file))) return;
    into.add(file);
    const imports = importsOf(read(file).toString('utf8'));
    for (const i of imports.static) {
      const p = resolveUrl(file, i);
      if (p) visit(p, into, other);
    }
    for (const i of imports.dynamic) {
      const p = resolveUrl(file, i);
      if (p && !eager.has(p)) other.add(p);
    }
  };
  const lazyRoots = new Set<string>();
  for (const u of [...assets.scripts, ...assets.modulePreloads]) {
    const p = resolveUrl(relPath, u);
    if (p) visit(p, eager, lazyRoots);
  }
  for (const s of assets.inlineScripts) {
    for (const i of importsOf(s).static) {
      const p = resolveUrl(relPath, i);
      if (p) visit(p, eager, lazyRoots);
    }
    for (const i of importsOf(s).dynamic) {
      const p = resolveUrl(relPath, i);
      if (p) lazyRoots.add(p);
    }
  }
  const ignore = new Set<string>();
  for (const p of lazyRoots) if (!eager.has(p)) visit(p, lazy, ignore);
  for (const p of eager) lazy.delete(p);
  const eagerFiles = [...eager];
  const katexEagerBytes =
    eagerFiles.filter((p) => KATEX_SIGNATURE.test(read(p).toString('utf8'))).reduce((n, p) => n + read(p).length, 0) +
    assets.inlineScripts.filter((s) => KATEX_SIGNATURE.test(s)).reduce((n, s) => n + Buffer.byteLength(s), 0);
  return {
    path: relPath,
    html: sizeOf(html),
    css,
    js: addSizes(...eagerFiles.map((p) => sizeOf(read(p))), ...assets.inlineScripts.map((s) => sizeOf(s))),
    jsLazy: addSizes(...[...lazy].map((p) => sizeOf(read(p)))),
    scripts: [...eagerFiles.map((p) => `/${p}`), ...assets.inlineScripts.map(() => '(inline)')],
    lazyScripts: [...lazy].map((p) => `/${p}`),
    katexEagerBytes,
  };
}

const maxSize = (sizes: readonly Size[]): Size => sizes.reduce((a, b) => (b.gzip > a.gzip ? b : a), ZERO);
const total = (w: PageWeight) => w.html.gzip + w.css.gzip + w.js.gzip + (w.fonts?.gzip ?? 0);

export function typeWeights(weights: readonly PageWeight[]): TypeWeight[] {
  return PAGE_TYPES.map((type) => {
    const of = weights.filter((w) => pageTypeOf(w.path) === type);
    if (of.length === 0) return { type, pages: 0, scripts: [], lazyScripts: [], katexEagerBytes: 0 };
    const heaviest = of.reduce((a, b) => (total(b) > total(a) ? b : a));
    const largestHtml = of.reduce((a, b) => (b.html.gzip > a.html.gzip ? b : a));
    const measuredFonts = of.filter((w) => w.fonts);
    return {
      type,
      pages: of.length,
      heaviest: heaviest.path,
      largestHtml: largestHtml.path,
      max: {
        html: maxSize(of.map((w) => w.html)),
        css: maxSize(of.map((w) => w.css)),
        js: maxSize(of.map((w) => w.js)),
        jsLazy: maxSize(of.map((w) => w.jsLazy)),
        ...(measuredFonts.length ? { fonts: maxSize(measuredFonts.map((w) => w.fonts!)) } : {}),
      },
      scripts: [...new Set(of.flatMap((w) => w.scripts))],
      lazyScripts: [...new Set(of.flatMap((w) => w.lazyScripts))],
      katexEagerBytes: Math.max(...of.map((w) => w.katexEagerBytes)),
      ...(measuredFonts.length ? { katexOnLoad: measuredFonts.some((w) => w.katexOnLoad) } : {}),
    };
  });
}

export interface FontInventory {
  /** Every font file of the output. */
  readonly files: { path: string; bytes: number; face: string; format: string }[];
  /** Files beyond one woff2 per KaTeX face. */
  readonly extra: string[];
  readonly bytes: number;
}

export function fontInventory(outDir: string): FontInventory {
  const files = listFiles(outDir)
    .map((f) => f.slice(outDir.length + 1))
    .flatMap((p) => {
      const f = fontFileOf(p);
      return f ? [{ path: p, bytes: readFileSync(join(outDir, p)).length, face: f.face, format: f.format }] : [];
    });
  return { files, extra: extraFontFiles(files.map((f) => f.path)), bytes: files.reduce((n, f) => n + f.bytes, 0) };
}

// ---- Chromium: fonts a browser downloads --------------------------------------------------------

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
};

/** A static file server for a built folder, on a free port of 127.0.0.1. */
export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || !/\.\w+$/.test(file)) {
      const dirIndex = join(file, 'index.html');
      if (file.startsWith(dir) && existsSync(dirIndex)) {
        res.writeHead(301, { location: `${path}/` }).end();
        return;
      }
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

export interface Loaded {
  readonly size: Size;
  readonly files: string[];
  readonly scripts: string[];
  readonly katex: boolean;
}

/** Loads each page in headless Chromium and records the fonts and scripts it fetches; undefined without Chromium. */
export async function measureInBrowser(outDir: string, pages: readonly string[]): Promise<Map<string, Loaded> | undefined> {
  const { launchChromium, CHROMIUM_PATH } = (await import('../support/browser.mjs')) as typeof import('../support/browser.mjs');
  if (!existsSync(CHROMIUM_PATH)) return undefined;
  const server = await serve(outDir);
  const browser = await launchChromium();
  const out = new Map<string, Loaded>();
  try {
    for (const path of pages) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const fonts: Promise<{ url: string; size: Size }>[] = [];
      const scripts: Promise<{ url: string; katex: boolean }>[] = [];
      page.on('response', (response) => {
        const type = response.request().resourceType();
        const url = new URL(response.url()).pathname;
        if (type === 'font') fonts.push(response.body().then((b) => ({ url, size: sizeOf(b) })));
        if (type === 'script') scripts.push(response.body().then((b) => ({ url, katex: KATEX_SIGNATURE.test(b.toString('utf8')) })));
      });
      await page.goto(`${server.url}/${path.replace(/index\.html$/, '')}`, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      await page.waitForLoadState('networkidle');
      const got = await Promise.all(fonts);
      const js = await Promise.all(scripts);
      out.set(path, { size: addSizes(...got.map((f) => f.size)), files: got.map((f) => f.url), scripts: js.map((j) => j.url), katex: js.some((j) => j.katex) });
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

/** Up to `k` pages of each type, spread over the type's pages: the ones loaded in Chromium. */
export function samplePages(pages: readonly string[], k = 3): string[] {
  return PAGE_TYPES.flatMap((type) => {
    const of = pages.filter((p) => pageTypeOf(p) === type);
    if (of.length <= k) return of;
    return Array.from({ length: k }, (_, i) => of[Math.round((i * (of.length - 1)) / (k - 1))]!);
  });
}

export interface SiteWeight {
  readonly types: TypeWeight[];
  readonly fonts: FontInventory;
  /** Whether fonts and scripts were measured in Chromium. */
  readonly fontsMeasured: boolean;
}

export async function siteWeight(outDir: string): Promise<SiteWeight> {
  const pages = htmlPages(outDir).filter((p) => pageTypeOf(p) !== undefined);
  const weights = pages.map((p) => pageWeight(outDir, p));
  const loaded = await measureInBrowser(outDir, samplePages(pages));
  if (loaded) {
    for (const w of weights) {
      const f = loaded.get(w.path);
      if (f) {
        w.fonts = f.size;
        w.fontFiles = f.files;
        w.scriptsOnLoad = f.scripts;
        w.katexOnLoad = f.katex;
      }
    }
  }
  return { types: typeWeights(weights), fonts: fontInventory(outDir), fontsMeasured: loaded !== undefined };
}
