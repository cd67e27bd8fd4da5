/**
 * Engine LaTeX to HTML at build time. MathML is emitted beside the HTML so screen readers read
 * the math; `throwOnError` makes a malformed derivation stop the build instead of printing red.
 *
 * Renderings are memoized: the same TeX (a legend's `c_i`, a formula's symbolic line) recurs on
 * every variant page of a problem, and KaTeX is a pure function of its input and options.
 *
 * The memo is bounded by the characters it holds, least recently used first out, and holds each
 * rendering as one flat string. A build with 1,000 variants per randomized problem renders 25,130
 * distinct formulas (243 M characters) for 186,088 calls; most variant derivations occur once. The
 * earlier memo (20,000 entries, emptied when full) kept KaTeX's output as it comes, a rope of
 * small strings about 7x the size of its text: some 2 GB at N = 1000, most of the build's memory.
 * 16 M characters (at most 32 MB) saves 60% of KaTeX's work; unbounded, 62%.
 */
import katex from 'katex';
import { KATEX_OPTIONS } from './katex-options.ts';

/** The memo's size, in characters of rendered HTML. */
const MAX_CACHED_CHARS = 16_000_000;
/** Insertion order is use order: a hit moves its entry to the end; the first entry is evicted. */
const rendered = new Map<string, string>();
let cachedChars = 0;

export function renderTex(tex: string, displayMode: boolean): string {
  const key = (displayMode ? 'D' : 'I') + tex;
  const hit = rendered.get(key);
  if (hit !== undefined) {
    rendered.delete(key);
    rendered.set(key, hit);
    return hit;
  }
  const html = flat(katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode }));
  rendered.set(key, html);
  cachedChars += html.length;
  for (const [oldKey, old] of rendered) {
    if (cachedChars <= MAX_CACHED_CHARS) break;
    rendered.delete(oldKey);
    cachedChars -= old.length;
  }
  return html;
}

/**
 * The same text as one flat string. KaTeX builds its output by concatenation, and V8 keeps a
 * concatenation as a tree of its parts (over 3x the memory of the same text flat) until something reads it
 * whole; a string made from bytes is flat.
 */
function flat(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
