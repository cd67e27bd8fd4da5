/**
 * Writing expressions as LaTeX, in the three forms a worked solution uses:
 * symbolic (c_i · c_o), substituted (120 × 256), and partially evaluated (30,720 + 65,536).
 */
import type { Expr } from './expr.ts';
import { foldRepeats, type Segment } from './repeats.ts';

export type RenderMode =
  /** Givens and sub-results by their symbols. */
  | 'symbolic'
  /** Givens and sub-results by their values; structure kept. */
  | 'substituted';

/** Binding strength, for deciding where parentheses are needed. */
const Prec = { Sum: 1, Product: 2, Atom: 3 } as const;
type Prec = (typeof Prec)[keyof typeof Prec];

const TEXT_SPECIALS = /[\\{}$&#^_~%]/;
const TEXT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', $: '\\$', '&': '\\&', '#': '\\#', '%': '\\%', _: '\\_', '^': '\\textasciicircum{}', '~': '\\textasciitilde{}',
};

/**
 * A name from a user's file (a layer id, a model or device name) for inside `\text{...}`: every
 * TeX special escaped, so it reads literally and can neither break the formula nor run a command.
 * Most names have none: one test, no copy, on the hot path.
 */
export function texText(name: string): string {
  return TEXT_SPECIALS.test(name) ? name.replace(/[\\{}$&#^_~%]/g, (c) => TEXT_ESCAPES[c]!) : name;
}

/** An integer with thousands grouped, `99{,}338`; a real number to at most 8 significant digits. */
export function formatNumberTex(value: number): string {
  return formatNumber(value).replace(/,/g, '{,}').replace(/^-/, '-');
}

/** Significant digits of a non-integer `formatNumber` shows (243.818624 -> 243.81862). */
export const SHOWN_SIGNIFICANT_DIGITS = 8;

/** Plain-text form of `formatNumberTex`: `99,338`, `46.6944`. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return groupThousands(String(Math.abs(value)), value < 0);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e15)) return value.toExponential(6).replace(/\.?0+e/, 'e');
  const fixed = String(Number(value.toPrecision(SHOWN_SIGNIFICANT_DIGITS)));
  const [intPart = '0', frac] = fixed.replace('-', '').split('.');
  return groupThousands(intPart, value < 0) + (frac ? `.${frac}` : '');
}

function groupThousands(digits: string, negative: boolean): string {
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

function precedence(e: Expr, mode: RenderMode): Prec {
  switch (e.kind) {
    case 'add':
    case 'sub':
      return Prec.Sum;
    case 'sum':
      return mode === 'symbolic' ? Prec.Product : e.terms.length > 1 ? Prec.Sum : Prec.Atom;
    case 'mul':
      return Prec.Product;
    case 'num':
      return e.value < 0 ? Prec.Sum : Prec.Atom;
    default:
      return Prec.Atom;
  }
}

function wrap(e: Expr, mode: RenderMode, minPrec: Prec): string {
  const tex = toTex(e, mode);
  return precedence(e, mode) < minPrec ? `\\left(${tex}\\right)` : tex;
}

/** The LaTeX of an expression in the given mode. */
export function toTex(e: Expr, mode: RenderMode): string {
  switch (e.kind) {
    case 'num':
      return e.tex ?? formatNumberTex(e.value);
    case 'var':
    case 'ref':
      return mode === 'symbolic' ? e.tex : formatNumberTex(e.value);
    case 'add': {
      // A sum inside a sum keeps its parentheses, so per-layer groups stay visible. One of more
      // than MAX_ADDED parts (the live tensors of 1,000 parallel branches) is elided like a long sum.
      const parts = termsTex(e.terms, mode);
      return parts.length > MAX_ADDED ? elide(parts, ' + ', e.terms.length) : parts.join(' + ');
    }
    case 'sub':
      return `${wrap(e.left, mode, Prec.Sum)} - ${wrap(e.right, mode, Prec.Product)}`;
    case 'mul': {
      const op = mode === 'symbolic' ? ' \\cdot ' : ' \\times ';
      return e.factors.map((f) => wrap(f, mode, Prec.Product)).join(op);
    }
    case 'div':
      return `\\frac{${toTex(e.numerator, mode)}}{${toTex(e.denominator, mode)}}`;
    case 'floor':
      return `\\left\\lfloor ${toTex(e.arg, mode)} \\right\\rfloor`;
    case 'ceil':
      return `\\left\\lceil ${toTex(e.arg, mode)} \\right\\rceil`;
    case 'max':
    case 'min':
      if (mode === 'symbolic' && e.tex !== undefined) return e.tex;
      return `\\${e.kind}\\left(${elideOf(e.args, (a) => toTex(a, mode), ',\\ ')}\\right)`;
    case 'sum':
      if (mode === 'symbolic') return e.tex;
      if (e.terms.length === 0) return '0';
      return elide(termsTex(e.terms, mode), ' + ', e.terms.length);
  }
}

/** Parts of an `add` written out in full; more are elided (no model of the zoo comes near). */
const MAX_ADDED = 100;

/** Long lists (a sum over ResNet-50's layers) keep their first and last items around a \cdots. */
const MAX_LISTED = 12;
function elide(items: string[], separator: string, count = items.length): string {
  if (items.length <= MAX_LISTED) return items.join(separator);
  const shown = [...items.slice(0, 8), `\\cdots`, ...items.slice(-3)];
  return `\\underbrace{${shown.join(separator)}}_{${count}\\ \\text{terms}}`;
}

/** `elide` of items written by `tex`, writing only the ones shown (a max over 1,000 steps shows 11). */
function elideOf<T>(items: readonly T[], tex: (item: T) => string, separator: string): string {
  if (items.length <= MAX_LISTED) return items.map(tex).join(separator);
  const shown = [...items.slice(0, 8).map(tex), `\\cdots`, ...items.slice(-3).map(tex)];
  return `\\underbrace{${shown.join(separator)}}_{${items.length}\\ \\text{terms}}`;
}

/** A value as a literal, for lines that write a sub-expression by its value. */
const numOf = (value: number): Expr => ({ kind: 'num', value });

/**
 * A sum's terms, substituted, and how they fold (see repeats.ts), made once per sum: the
 * substituted and the partially evaluated lines of a derivation both need them.
 */
const folds = new WeakMap<readonly Expr[], { texts: string[]; segments: Segment[] }>();
function folded(terms: readonly Expr[]): { texts: string[]; segments: Segment[] } {
  let f = folds.get(terms);
  if (!f) {
    const texts = terms.map((t) => wrap(t, 'substituted', Prec.Product));
    folds.set(terms, (f = { texts, segments: foldRepeats(texts) }));
  }
  return f;
}

/**
 * The terms of a sum, with back-to-back repeats folded when substituted: `12 \times \bigl(a + b\bigr)`
 * for a block of terms written twelve times over. Symbolic forms are not folded.
 */
function termsTex(terms: readonly Expr[], mode: RenderMode): string[] {
  if (mode === 'symbolic') return terms.map((t) => wrap(t, mode, Prec.Product));
  const { texts, segments } = folded(terms);
  return segments.map(function tex(s: Segment): string {
    if (s.kind === 'item') return texts[s.index]!;
    const body = s.body.map(tex);
    const bare = s.body.length === 1 && s.body[0]!.kind === 'item' && precedence(terms[s.body[0]!.index]!, mode) === Prec.Atom;
    // \bigl( \bigr) rather than \left( \right): a long block may wrap across lines (derivationLines).
    return `${s.count} \\times ${bare ? body[0] : `\\bigl(${body.join(' + ')}\\bigr)`}`;
  });
}

/**
 * The terms of a sum, each replaced by its value, folded as `termsTex` folds them:
 * `12 \times 7{,}087{,}872` for twelve copies of a block worth 7,087,872.
 */
function termValuesTex(terms: readonly Expr[], elideLong: boolean): string {
  const valueTex = (value: number) => wrap(numOf(value), 'substituted', Prec.Product);
  const blockValue = (body: readonly Segment[]): number =>
    body.reduce((acc, s) => acc + (s.kind === 'item' ? terms[s.index]!.value : s.count * blockValue(s.body)), 0);
  const items = folded(terms).segments.map((s) => (s.kind === 'item' ? valueTex(terms[s.index]!.value) : `${s.count} \\times ${valueTex(blockValue(s.body))}`));
  return elideLong ? elide(items, ' + ', terms.length) : items.join(' + ');
}

/**
 * One step further than `substituted`: each operand of the outermost operation replaced by its
 * value (`30{,}720 + 65{,}536 + 2{,}560`). Returns undefined when that adds nothing.
 */
export function partiallyEvaluatedTex(e: Expr): string | undefined {
  const value = (x: Expr): Expr => numOf(x.value);
  switch (e.kind) {
    case 'add':
      return termValuesTex(e.terms, e.terms.length > MAX_ADDED);
    case 'sum':
      return e.terms.length > 1 ? termValuesTex(e.terms, true) : undefined;
    case 'sub':
      return toTex({ ...e, left: value(e.left), right: value(e.right) }, 'substituted');
    case 'mul':
      return toTex({ ...e, factors: e.factors.map(value) }, 'substituted');
    case 'div':
      return toTex({ ...e, numerator: value(e.numerator), denominator: value(e.denominator) }, 'substituted');
    case 'max':
    case 'min':
      return toTex({ ...e, args: e.args.map(value) }, 'substituted');
    case 'floor':
    case 'ceil':
      return toTex({ ...e, arg: value(e.arg) }, 'substituted');
    default:
      return undefined;
  }
}
