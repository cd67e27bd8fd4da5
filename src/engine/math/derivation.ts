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
    if (form !== undefined && form !== bare && form !== forms[forms.length - 1]) forms.push(form);
  }
  forms.push(valueTex(f.value, f.unit));
  return forms;
}

/**
 * The whole derivation as one aligned LaTeX block. A line too long for the page's column is
 * wrapped at its top-level + signs (`&\quad + ...`), so it reads and prints without scrolling.
 */
export function derivationTex(f: Figure): string {
  // Every line starts where the first line's = does, after the symbol.
  const units = LINE_UNITS - texUnits(f.symbol);
  const lines = derivationForms(f).flatMap((form, i) => {
    const [first, ...rest] = wrapSum(form, units);
    return [i === 0 ? `${f.symbol} &= ${first}` : `&= ${first}`, ...rest.map((r) => `&\\quad + ${r}`)];
  });
  return `\\begin{aligned}${lines.join(' \\\\ ')}\\end{aligned}`;
}

/** About what fits on one line of an answer box on a desktop page, in `texUnits`. */
const LINE_UNITS = 52;

/** Splits `a + b + c` into lines of at most `units` (a term longer than that gets a line of its own). */
export function wrapSum(form: string, units: number): string[] {
  const terms = topLevelTerms(form);
  if (terms.length < 2 || texUnits(form) <= units) return [form];
  const lines: string[] = [];
  let line = '';
  for (const term of terms) {
    if (line && texUnits(line) + OP_UNITS + texUnits(term) > units) {
      lines.push(line);
      line = term;
    } else line = line ? `${line} + ${term}` : term;
  }
  lines.push(line);
  return lines;
}

/** The terms of `a + b + c` at the outermost level: not inside braces or \left( \right). */
function topLevelTerms(tex: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === '{' || tex.startsWith('\\left', i)) depth++;
    else if (c === '}' || tex.startsWith('\\right', i)) depth--;
    else if (depth === 0 && tex.startsWith(' + ', i)) {
      terms.push(tex.slice(start, i));
      start = i + 3;
      i += 2;
    }
  }
  terms.push(tex.slice(start));
  return terms;
}

/** A binary operator with its spacing, in `texUnits`. */
const OP_UNITS = 2.2;

/** A rough width of rendered TeX, in digit widths: what line wrapping needs, no more. */
export function texUnits(tex: string): number {
  let units = 0;
  const plain = tex.replace(/\\text\{([^}]*)\}/g, '$1').replace(/\\(?:left|right)/g, '').replace(/\{,\}/g, ',');
  for (let i = 0; i < plain.length; i++) {
    const c = plain[i]!;
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(plain.slice(i))!;
      units += m[1] === 'times' || m[1] === 'cdot' ? OP_UNITS : m[1] === 'cdots' ? 3 : m[1] === 'quad' ? 2 : 1;
      i += m[0].length - 1;
    } else if (c === '+' || c === '=' || c === '-') units += OP_UNITS;
    else if (c === ',' || c === '(' || c === ')' || c === '|') units += 0.6;
    else if (c !== ' ' && c !== '{' && c !== '}' && c !== '_' && c !== '^') units += 1;
  }
  return units;
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
