/**
 * Templates of KaTeX renderings: one rendering serves every formula of the same shape, the TeX
 * with each run of digits blanked (`= 64 \times 128` and `= 3 \times 7` are one shape).
 *
 * KaTeX sets a digit as a character of the text (`<span class="mord">128</span>`, `<mn>128</mn>`,
 * the TeX annotation): in the fonts numbers are set in, every digit has the same height, depth
 * and width, and the HTML carries no widths. So the rendering of a shape is the same text
 * whatever its digits, except for the digits themselves. That holds for ordinary numbers, not
 * for every TeX with digits: `\kern3pt` turns its digits into a margin, `\frac12` reads two
 * arguments from one run, old-style digits differ in height. Each shape is therefore tested:
 * rendered twice, with two sets of placeholder digits that differ in every way that could
 * matter (all digits different, lengths different, the shortest and the tallest and deepest
 * digits), it is templated only if, outside tags, each run of digits of both renderings is
 * exactly one placeholder, and the two renderings are the same text around them. tex.ts also
 * checks a template's first uses against KaTeX's own rendering.
 */

/** A shape's rendering: text around slots; slot i takes the TeX's run of digits `runs[slots[i]]`. */
export interface Template {
  /** `parts.length === slots.length + 1`. */
  readonly parts: readonly string[];
  readonly slots: readonly number[];
  /** Characters held, for the memo's bound. */
  readonly chars: number;
  fill(runs: readonly string[]): string;
}

const DIGITS = /\d+/g;

/** The runs of digits of a TeX string, in order. */
export function digitRuns(tex: string): string[] {
  return tex.match(DIGITS) ?? [];
}

/** The TeX with each run of digits blanked; undefined for TeX that holds the blank itself. */
export function shapeOf(tex: string): string | undefined {
  return tex.includes('\u0000') ? undefined : tex.replace(DIGITS, '\u0000');
}

/** Both at once, in one pass over the TeX (the build calls this for every formula of every page). */
export function shapeAndRuns(tex: string): { shape: string | undefined; runs: string[] } {
  const runs: string[] = [];
  let shape = '';
  let from = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex.charCodeAt(i);
    if (c === 0) return { shape: undefined, runs };
    if (c < 48 || c > 57) continue;
    let end = i + 1;
    while (end < tex.length && tex.charCodeAt(end) >= 48 && tex.charCodeAt(end) <= 57) end++;
    shape += tex.slice(from, i) + '\u0000';
    runs.push(tex.slice(i, end));
    from = end;
    i = end - 1;
  }
  return { shape: from === 0 ? tex : shape + tex.slice(from), runs };
}

/**
 * Placeholders: run i is `a(i)` in the first rendering and `b(i)` in the second. `a` uses the
 * digits 0–2 only (old-style: x-height, no depth), `b` the digits 3–9 and always 8 and 9 (the
 * tallest and the deepest), one digit longer; within a set all are distinct and of one length,
 * so two runs that KaTeX merges, or one it splits, are no placeholder.
 */
function placeholders(count: number): { a: string[]; b: string[] } {
  let width = 1;
  while (3 ** width < count) width += 1;
  const a: string[] = [];
  const b: string[] = [];
  for (let i = 0; i < count; i++) {
    a.push(i.toString(3).padStart(width, '0'));
    // base 7 written with the digits 3..9
    b.push('89' + [...i.toString(7).padStart(width, '0')].map((d) => String(Number(d) + 3)).join(''));
  }
  return { a, b };
}

/** Tags, character references, runs of digits: digits in text are found, digits in tags are not. */
const TOKENS = /<[^>]*>|&#?\w+;|\d+/g;

/**
 * A rendering cut at its runs of digits outside tags; undefined when one is not exactly one of
 * the placeholders.
 */
function cut(html: string, placeholders: readonly string[]): { parts: string[]; slots: number[] } | undefined {
  const index = new Map(placeholders.map((p, i) => [p, i]));
  const parts: string[] = [];
  const slots: number[] = [];
  let last = 0;
  for (const m of html.matchAll(TOKENS)) {
    const token = m[0];
    const c = token.charCodeAt(0);
    if (c === 60 /* < */ || c === 38 /* & */) continue;
    const slot = index.get(token);
    if (slot === undefined) return undefined;
    parts.push(html.slice(last, m.index));
    slots.push(slot);
    last = m.index + token.length;
  }
  parts.push(html.slice(last));
  return { parts, slots };
}

const sameArrays = <T>(x: readonly T[], y: readonly T[]) => x.length === y.length && x.every((v, i) => v === y[i]);

/**
 * The template of `tex`'s shape, or undefined when its rendering depends on its digits otherwise
 * than by showing them. `render` is KaTeX with the options in force; its errors propagate.
 */
export function templateOf(tex: string, render: (tex: string) => string): Template | undefined {
  const runs = digitRuns(tex);
  if (runs.length === 0) return undefined;
  const { a, b } = placeholders(runs.length);
  const withRuns = (values: readonly string[]) => {
    let i = 0;
    return tex.replace(DIGITS, () => values[i++]!);
  };
  const first = cut(render(withRuns(a)), a);
  if (!first) return undefined;
  const second = cut(render(withRuns(b)), b);
  if (!second || !sameArrays(first.parts, second.parts) || !sameArrays(first.slots, second.slots)) return undefined;
  // Flat copies: slices of KaTeX's output would keep the whole of it.
  const parts = first.parts.map((p) => Buffer.from(p, 'utf8').toString('utf8'));
  const slots = first.slots;
  return {
    parts,
    slots,
    chars: parts.reduce((n, p) => n + p.length, 0),
    fill(values) {
      // Joined, not concatenated: a join is one flat string.
      const pieces: string[] = [parts[0]!];
      for (let i = 0; i < slots.length; i++) pieces.push(values[slots[i]!]!, parts[i + 1]!);
      return pieces.join('');
    },
  };
}
