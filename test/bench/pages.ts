/**
 * Reading built pages: sizes (raw and gzipped), the page type of a path, the CSS, scripts and
 * modules a page loads, and the formulas it renders. Pure functions on strings and bytes.
 */
import { gzipSync } from 'node:zlib';

export interface Size {
  readonly raw: number;
  readonly gzip: number;
}

export const ZERO: Size = { raw: 0, gzip: 0 };

/** Bytes as sent with gzip at level 9 (what a static host with compression serves). */
export function sizeOf(content: string | Uint8Array): Size {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { raw: bytes.length, gzip: bytes.length === 0 ? 0 : gzipSync(bytes, { level: 9 }).length };
}

export function addSizes(...sizes: readonly Size[]): Size {
  return sizes.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), ZERO);
}

export const PAGE_TYPES = ['problem', 'variant', 'practice', 'chapter', 'model', 'index'] as const;
export type PageType = (typeof PAGE_TYPES)[number];

/**
 * The page type of a built file, by its path relative to the output folder
 * (`problems/hw1/q1/index.html` is a problem page); undefined for other pages and for lists
 * (`chapters/index.html`, `models/index.html`).
 */
export function pageTypeOf(relPath: string): PageType | undefined {
  const p = relPath.replace(/\\/g, '/').replace(/^\/+/, '');
  if (!p.endsWith('index.html')) return undefined;
  if (p === 'index.html') return 'index';
  const [head, ...rest] = p.split('/');
  if (rest.length < 2) return undefined; // a list page: chapters/index.html
  switch (head) {
    case 'problems':
      return 'problem';
    case 'variants':
      return 'variant';
    case 'practice':
      return 'practice';
    case 'chapters':
      return 'chapter';
    case 'models':
      return 'model';
    default:
      return undefined;
  }
}

export interface PageAssets {
  /** `<link rel="stylesheet" href>` targets, in order. */
  readonly stylesheets: string[];
  /** Contents of `<style>` elements. */
  readonly inlineStyles: string[];
  /** `<script src>` targets (classic and module). */
  readonly scripts: string[];
  /** Contents of inline `<script>` elements that run (not JSON data blocks). */
  readonly inlineScripts: string[];
  /** `<link rel="modulepreload" href>` targets: fetched eagerly with the page. */
  readonly modulePreloads: string[];
}

const attr = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag)?.slice(1).find((v) => v !== undefined);

/** Script types that hold data, not code. */
const DATA_SCRIPT = /^(application\/(ld\+)?json|text\/template|text\/x-template|importmap)$/i;

export function assetsOf(html: string): PageAssets {
  const out: PageAssets = { stylesheets: [], inlineStyles: [], scripts: [], inlineScripts: [], modulePreloads: [] };
  // Comments hold nothing that loads.
  const doc = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of doc.matchAll(/<link\b[^>]*>/gi)) {
    const rel = (attr(m[0], 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(m[0], 'href');
    if (!href) continue;
    if (rel.includes('stylesheet')) out.stylesheets.push(href);
    else if (rel.includes('modulepreload')) out.modulePreloads.push(href);
  }
  for (const m of doc.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) out.inlineStyles.push(m[1]!);
  for (const m of doc.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    const tag = `<script ${m[1]}>`;
    const type = attr(tag, 'type');
    if (type && DATA_SCRIPT.test(type)) continue;
    const src = attr(tag, 'src');
    if (src) out.scripts.push(src);
    else if (m[2]!.trim()) out.inlineScripts.push(m[2]!);
  }
  return out;
}

export interface ModuleImports {
  /** Loaded with the module: `import ... from "./x.js"`, `import "./x.js"`, `export ... from`. */
  readonly static: string[];
  /** Loaded on demand: `import("./x.js")`. */
  readonly dynamic: string[];
}

/** The imports of a (minified) ES module, as bundlers write them. */
export function importsOf(js: string): ModuleImports {
  const dynamic = [...js.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]!);
  const stat = [
    ...[...js.matchAll(/(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g)].map((m) => m[1]!),
  ];
  return { static: [...new Set(stat)], dynamic: [...new Set(dynamic)] };
}

/** `url(...)` targets in CSS (fonts, images), unquoted. */
export function cssUrls(css: string): string[] {
  return [...css.matchAll(/url\(\s*(?:"([^"]+)"|'([^']+)'|([^)\s]+))\s*\)/g)].map((m) => (m[1] ?? m[2] ?? m[3])!).filter((u) => !u.startsWith('data:'));
}

export interface Formula {
  readonly tex: string;
  readonly display: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#x27': "'", '#39': "'", nbsp: '\u00a0' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, name: string) => {
    if (name in ENTITIES) return ENTITIES[name]!;
    if (name[0] === '#') return String.fromCodePoint(name[1]!.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return all;
  });
}

/**
 * The formulas a page rendered with KaTeX (output `htmlAndMathml` keeps the TeX source in an
 * annotation), with whether each is display math.
 */
export function formulasOf(html: string): Formula[] {
  const out: Formula[] = [];
  const re = /<math\b([^>]*)>[\s\S]*?<annotation encoding="application\/x-tex">([\s\S]*?)<\/annotation>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    out.push({ tex: decodeEntities(m[2]!), display: /display="block"/.test(m[1]!) });
  }
  return out;
}

/** A KaTeX font file as Vite names it: `KaTeX_Main-Regular.B22Nviop.woff2` → face and format. */
export function fontFileOf(name: string): { face: string; format: string; katex: boolean } | undefined {
  const m = /([^/]+?)(?:\.[\w-]{6,10})?\.(woff2|woff|ttf|otf|eot)$/i.exec(name);
  if (!m) return undefined;
  return { face: m[1]!, format: m[2]!.toLowerCase(), katex: /^KaTeX_/.test(m[1]!) };
}

/** Font files beyond one woff2 per KaTeX face: other formats of a face, and fonts KaTeX does not use. */
export function extraFontFiles(names: readonly string[]): string[] {
  return names.filter((n) => {
    const f = fontFileOf(n);
    return f !== undefined && (!f.katex || f.format !== 'woff2');
  });
}
