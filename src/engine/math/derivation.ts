/**
 * A figure is a value with its unit and the expression that computed it. Its derivation, the
 * lines a worked solution shows, is read off that expression: symbolic, substituted, partially
 * evaluated, result. Nothing here computes a number that the expression did not.
 */
import { InexactIntegerError, largestGivens, type Expr } from './expr.ts';
import { formatNumber, formatNumberTex, partiallyEvaluatedTex, toTex } from './latex.ts';

/** Units a figure can carry; `count` is a plain number of things (parameters, elements). */
export const UNITS = {
  count: { tex: '', text: '' },
  elements: { tex: '\\text{elements}', text: 'elements' },
  params: { tex: '\\text{params}', text: 'params' },
  B: { tex: '\\text{B}', text: 'B' },
  kB: { tex: '\\text{kB}', text: 'kB' },
  MB: { tex: '\\text{MB}', text: 'MB' },
  GB: { tex: '\\text{GB}', text: 'GB' },
  KiB: { tex: '\\text{KiB}', text: 'KiB' },
  MiB: { tex: '\\text{MiB}', text: 'MiB' },
  GiB: { tex: '\\text{GiB}', text: 'GiB' },
  bits: { tex: '\\text{bits}', text: 'bits' },
  MACs: { tex: '\\text{MACs}', text: 'MACs' },
  FLOPs: { tex: '\\text{FLOPs}', text: 'FLOPs' },
  ops: { tex: '\\text{ops}', text: 'ops' },
  cycles: { tex: '\\text{cycles}', text: 'cycles' },
  s: { tex: '\\text{s}', text: 's' },
  ms: { tex: '\\text{ms}', text: 'ms' },
  us: { tex: '\\mu\\text{s}', text: 'µs' },
  // Hardware cost models (cost/): rates, intensities, energies, fractions.
  'FLOP/s': { tex: '\\text{FLOP/s}', text: 'FLOP/s' },
  'B/s': { tex: '\\text{B/s}', text: 'B/s' },
  'FLOP/B': { tex: '\\text{FLOP/B}', text: 'FLOP/B' },
  'ops/s': { tex: '\\text{ops/s}', text: 'ops/s' },
  'samples/s': { tex: '\\text{samples/s}', text: 'samples/s' },
  'tokens/s': { tex: '\\text{tokens/s}', text: 'tokens/s' },
  accesses: { tex: '\\text{accesses}', text: 'accesses' },
  pJ: { tex: '\\text{pJ}', text: 'pJ' },
  uJ: { tex: '\\mu\\text{J}', text: 'µJ' },
  percent: { tex: '\\%', text: '%' },
} as const;
export type Unit = keyof typeof UNITS;

export interface Figure {
  /** LaTeX symbol of the quantity, e.g. `|W|` or `\text{SRAM}`. */
  readonly symbol: string;
  /** Plain-language name, e.g. "weights". */
  readonly label: string;
  readonly unit: Unit;
  /** The computation; `value` is `expr.value`. */
  readonly expr: Expr;
  readonly value: number;
}

export function figure(symbol: string, label: string, unit: Unit, expr: Expr): Figure {
  const value = expr.value;
  // One comparison on the common path; NaN fails it too.
  if (!(Math.abs(value) <= Number.MAX_SAFE_INTEGER)) checkFigure(symbol, label, unit, expr);
  return { symbol, label, unit, expr, value };
}

/**
 * Units of things counted one by one: a figure in one of them is exact or an error. A product with
 * a fraction among its operands (elements × b / 8) is not checked by `mul`, so the figure is.
 */
const COUNTED_UNITS: ReadonlySet<Unit> = new Set(['count', 'elements', 'params', 'B', 'bits', 'MACs', 'FLOPs', 'ops', 'cycles', 'accesses']);

function checkFigure(symbol: string, label: string, unit: Unit, expr: Expr): void {
  const plain = symbol.replace(/\\text\{([^}]*)\}/g, '$1');
  const what = label.includes(plain) ? label : `${label} (${plain})`;
  if (!Number.isFinite(expr.value)) {
    const givens = largestGivens([expr]);
    throw new RangeError(`${what} gives ${expr.value}${givens ? `; from ${givens}` : ''}`);
  }
  if (COUNTED_UNITS.has(unit)) throw new InexactIntegerError(what, expr.value, [expr]);
}

/** `99{,}338\ \text{B}` */
export function valueTex(value: number, unit: Unit): string {
  const u = UNITS[unit].tex;
  return u ? `${formatNumberTex(value)}\\ ${u}` : formatNumberTex(value);
}

/** `99,338 B` */
export function valueText(value: number, unit: Unit): string {
  const u = UNITS[unit].text;
  return u ? `${formatNumber(value)} ${u}` : formatNumber(value);
}

/**
 * The lines of a derivation, each a LaTeX string: the first is `symbol = formula`, each later one
 * starts with `=`. Repeated forms are dropped, so a given that is just a number reads `n = 120`.
 */
export function derivationSteps(f: Figure): string[] {
  return derivationForms(f).map((form, i) => (i === 0 ? `${f.symbol} = ${form}` : `= ${form}`));
}

/** The right-hand sides of the derivation's lines, the last always the value with its unit. */
export function derivationForms(f: Figure): string[] {
  const bare = formatNumberTex(f.value);
  const candidates = [toTex(f.expr, 'symbolic'), toTex(f.expr, 'substituted'), partiallyEvaluatedTex(f.expr)];
  const forms: string[] = [];
  for (const form of candidates) {
    // A given that is its own symbol (`h` for the heads h) would read `h = h = 12`.
    if (form !== undefined && form !== bare && form !== f.symbol && form !== forms[forms.length - 1]) forms.push(form);
  }
  forms.push(valueTex(f.value, f.unit));
  return forms;
}

/**
 * The derivation as the page sets it: the symbol, then each form after its `=`, each in TeX that
 * KaTeX may break. A page renders each line as inline math with `\displaystyle` (display sizes):
 * inline math breaks after its top-level relations and binary operators, so a long line wraps at
 * the width of its column, on a phone as on paper, and never scrolls.
 */
export function derivationLines(f: Figure): { symbol: string; lines: string[] } {
  return { symbol: f.symbol, lines: derivationForms(f).map((form) => `= ${breakableTex(form)}`) };
}

/**
 * The same formula with its long groups opened up for line breaks: KaTeX breaks only at the top
 * level, so `\left( \right)` pairs at the top become `\bigl( \bigr)` (`\biggl` around a fraction)
 * with a break allowed after each argument's comma, a long fraction becomes `(a \times b) / c`, and
 * an elided `\underbrace{...}_{n terms}` becomes the sum followed by its count. Nothing inside
 * braces (a short fraction, a subscript) changes.
 */
export function breakableTex(tex: string, inGroup = false): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < tex.length; ) {
    const c = tex[i]!;
    if (depth === 0 && tex.startsWith('\\left(', i)) {
      const end = matchingRight(tex, i);
      if (end !== undefined) {
        const inner = breakableTex(tex.slice(i + '\\left('.length, end), true);
        const size = inner.includes('\\frac') ? 'bigg' : 'big';
        out += `\\${size}l(${inner}\\${size}r)`;
        i = end + '\\right)'.length;
        continue;
      }
    }
    if (depth === 0 && tex.startsWith('\\underbrace{', i)) {
      const bodyEnd = closingBrace(tex, i + '\\underbrace'.length);
      const noteStart = bodyEnd + 1;
      if (tex.startsWith('_{', noteStart)) {
        const noteEnd = closingBrace(tex, noteStart + 1);
        out += `${breakableTex(tex.slice(i + '\\underbrace{'.length, bodyEnd), inGroup)}\\quad (${tex.slice(noteStart + 2, noteEnd)})`;
        i = noteEnd + 1;
        continue;
      }
    }
    if (depth === 0 && tex.startsWith('\\frac{', i)) {
      // A fraction is one box; a long one (AlexNet's 256 × 27 × 27 × 96 × 5 × 5 over 2, a sum of
      // energies over 10^6) is written (a × b) / c, which breaks after its operators and its /.
      const numEnd = closingBrace(tex, i + '\\frac'.length);
      if (tex[numEnd + 1] === '{') {
        const denEnd = closingBrace(tex, numEnd + 1);
        const num = tex.slice(i + '\\frac{'.length, numEnd);
        const den = tex.slice(numEnd + 2, denEnd);
        if (texWidthEm(num) > LONG_FRACTION_EM || texWidthEm(den) > LONG_FRACTION_EM) {
          // Parentheses only around an operation: `42{,}351{,}816{,}000 / 10^6` needs none.
          const part = (x: string) => (/ (?:[+-]|\\times|\\cdot) /.test(x) ? `\\bigl(${breakableTex(x, true)}\\bigr)` : breakableTex(x, true));
          out += `${part(num)} / \\allowbreak ${part(den)}`;
          i = denEnd + 1;
          continue;
        }
      }
    }
    if (inGroup && depth === 0 && tex.startsWith(',\\ ', i)) {
      out += ',\\ \\allowbreak ';
      i += 3;
      continue;
    }
    if (c === '\\') {
      // A command (or an escaped character) is copied whole: `\{` is no brace.
      const m = /^\\([A-Za-z]+|.)/.exec(tex.slice(i))!;
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    out += c;
    i++;
  }
  return out;
}

/** The width, in em, beyond which a fraction's part no longer fits a 320 px phone's column as one box. */
const LONG_FRACTION_EM = 9;

/**
 * A rough width of TeX as KaTeX sets it, in em: digits 0.5, letters 0.55, a subscript's or
 * superscript's characters 0.35, a spaced operator (× + −) 1.22, a `\cdot` 0.72, a grouping
 * comma 0.28. Enough to tell a fraction that fits a phone from one that does not.
 */
export function texWidthEm(tex: string): number {
  let em = 0;
  let script = 0; // depth of braces opened by _ or ^
  const plain = tex.replace(/\\text\{([^}]*)\}/g, (_m, t: string) => t.replace(/ /g, '~'));
  const stack: boolean[] = [];
  for (let i = 0; i < plain.length; i++) {
    const c = plain[i]!;
    const small = script > 0;
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(plain.slice(i))!;
      const cmd = m[1]!;
      em += cmd === 'times' ? 1.22 : cmd === 'cdot' ? 0.72 : cmd === 'left' || cmd === 'right' || cmd === 'bigl' || cmd === 'bigr' ? 0 : small ? 0.35 : 0.55;
      i += m[0].length - 1;
    } else if ((c === '_' || c === '^') && plain[i + 1] === '{') {
      stack.push(true);
      script++;
      i++;
    } else if (c === '_' || c === '^') {
      // One script character, or one command (`_\ell`).
      const m = /^\\[A-Za-z]+/.exec(plain.slice(i + 1));
      em += 0.35;
      i += m ? m[0].length : 1;
    } else if (c === '{') stack.push(false);
    else if (c === '}') {
      if (stack.pop()) script--;
    } else if (c === ',' && plain[i - 1] === '{') em += 0.28;
    else if (c === '+' || c === '-' || c === '=') em += small ? 0.5 : 1.22;
    else if (c !== ' ') em += small ? 0.35 : /\d/.test(c) ? 0.5 : 0.55;
  }
  return em;
}

/** The index of the `\right)` that closes the `\left(` at `start`, if any. */
function matchingRight(tex: string, start: number): number | undefined {
  let level = 0;
  for (let i = start; i < tex.length; i++) {
    // \left and \right, not \leftarrow or \rightarrow.
    if (/^\\left(?![A-Za-z])/.test(tex.slice(i, i + 6))) level++;
    else if (/^\\right(?![A-Za-z])/.test(tex.slice(i, i + 7))) {
      level--;
      if (level === 0) return tex.startsWith('\\right)', i) ? i : undefined;
    }
  }
  return undefined;
}

/** The index of the `}` that closes the `{` at `open`. */
function closingBrace(tex: string, open: number): number {
  let depth = 0;
  for (let i = open; i < tex.length; i++) {
    if (tex[i] === '\\') i++;
    else if (tex[i] === '{') depth++;
    else if (tex[i] === '}' && --depth === 0) return i;
  }
  return tex.length;
}

/** The givens an expression uses (its `var` leaves), once each, in order of appearance. */
export function givensOf(e: Expr): { tex: string; value: number; meaning?: string }[] {
  const seen = new Map<string, { tex: string; value: number; meaning?: string }>();
  const visit = (x: Expr): void => {
    switch (x.kind) {
      case 'var':
        if (!seen.has(x.tex)) seen.set(x.tex, { tex: x.tex, value: x.value, ...(x.meaning ? { meaning: x.meaning } : {}) });
        return;
      case 'num':
        return;
      case 'ref':
        return; // a sub-result is explained by its own derivation
      case 'add':
      case 'sum':
        x.terms.forEach(visit);
        return;
      case 'mul':
        x.factors.forEach(visit);
        return;
      case 'sub':
        visit(x.left);
        visit(x.right);
        return;
      case 'div':
        visit(x.numerator);
        visit(x.denominator);
        return;
      case 'floor':
      case 'ceil':
        visit(x.arg);
        return;
      case 'max':
      case 'min':
        x.args.forEach(visit);
        return;
    }
  };
  visit(e);
  return [...seen.values()];
}
