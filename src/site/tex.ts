/**
 * Engine LaTeX to HTML at build time. MathML is emitted beside the HTML so screen readers read
 * the math; `throwOnError` makes a malformed derivation stop the build instead of printing red.
 *
 * KaTeX is a pure function of its input and options, and a build calls it with few shapes of
 * formula: the variants of a problem differ in their numbers only. A build with 300 variants per
 * randomized problem renders 34,721 distinct formulas on its variant pages, of 366 shapes (the
 * TeX with each run of digits blanked). So a formula is rendered once per shape, as a template
 * (tex-template.ts): KaTeX's output with each run of digits of the TeX as a slot, filled in
 * with the formula's own digits. A shape is templated only when KaTeX's output provably depends
 * on its digits by copying them alone, checked per shape (see there); otherwise, and for TeX
 * without digits, the rendering itself is memoized.
 *
 * Both memos are bounded by the characters they hold, least recently used first out, and hold
 * each rendering as flat strings. A rendering as KaTeX returns it is a rope of small strings
 * about 7x the size of its text (an earlier memo of those held some 2 GB at N = 1000).
 */
import katex from 'katex';
import { KATEX_OPTIONS } from './katex-options.ts';
import { shapeAndRuns, templateOf, type Template } from './tex-template.ts';
import { compactBinSpacing } from './katex-spacing.ts';

/** Each memo's size, in characters of rendered HTML. */
const MAX_CACHED_CHARS = 16_000_000;

/** A map whose insertion order is use order, bounded by the characters of its values. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  private chars = 0;
  private readonly max: number;
  private readonly size: (v: V) => number;
  constructor(max: number, size: (v: V) => number) {
    this.max = max;
    this.size = size;
  }
  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }
  set(key: string, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.map.delete(key);
      this.chars -= this.size(old);
    }
    this.map.set(key, value);
    this.chars += this.size(value);
    for (const [oldKey, oldValue] of this.map) {
      if (this.chars <= this.max) break;
      this.map.delete(oldKey);
      this.chars -= this.size(oldValue);
    }
  }
}

/** Renderings of whole formulas: TeX without digits, and shapes that are not templated. */
const rendered = new Lru<string>(MAX_CACHED_CHARS, (html) => html.length);

/**
 * Per shape: its template, with the times it has been used; or 'direct' when KaTeX's output
 * depends on the digits otherwise than by copying them (`\kern3pt`, `\frac12`).
 */
interface Templated {
  readonly template: Template;
  uses: number;
}
const templates = new Lru<Templated | 'direct'>(MAX_CACHED_CHARS, (t) => (t === 'direct' ? 1 : t.template.chars));

/** KaTeX's HTML, its operators' spaces in CSS (katex-spacing.ts). */
const katexRender = (tex: string, displayMode: boolean) => compactBinSpacing(katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode }));
const katexHtml = (tex: string, displayMode: boolean) => flat(katexRender(tex, displayMode));

export function renderTex(tex: string, displayMode: boolean): string {
  const { shape, runs } = shapeAndRuns(tex);
  if (shape === undefined || runs.length === 0) return memoized(tex, displayMode);
  const key = (displayMode ? 'D' : 'I') + shape;
  let entry = templates.get(key);
  if (entry === undefined) {
    entry = tryTemplate(tex, displayMode);
    templates.set(key, entry);
  }
  if (entry === 'direct') return memoized(tex, displayMode);
  const html = entry.template.fill(runs);
  entry.uses += 1;
  // The template's first use, and its uses 2, 4, 8, ..., are checked against KaTeX itself: a
  // few renderings per shape in a whole build.
  if ((entry.uses & (entry.uses - 1)) === 0) {
    const own = katexHtml(tex, displayMode);
    if (own !== html) {
      if (entry.uses === 1) {
        templates.set(key, 'direct');
        return own;
      }
      throw new Error(`KaTeX template: the rendering of '${tex}' differs from its shape's template (an error in src/site/tex-template.ts)`);
    }
  }
  return html;
}

/** The template of `tex`'s shape, or 'direct' when it has none (or the TeX does not render). */
function tryTemplate(tex: string, displayMode: boolean): Templated | 'direct' {
  try {
    const template = templateOf(tex, (placeholderTex) => katexRender(placeholderTex, displayMode));
    return template ? { template, uses: 0 } : 'direct';
  } catch {
    // Malformed TeX: rendered directly, it throws KaTeX's own error (and nothing is cached).
    return 'direct';
  }
}

function memoized(tex: string, displayMode: boolean): string {
  const key = (displayMode ? 'D' : 'I') + tex;
  const hit = rendered.get(key);
  if (hit !== undefined) return hit;
  const html = katexHtml(tex, displayMode);
  rendered.set(key, html);
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
