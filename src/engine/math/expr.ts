/**
 * Expressions: the one place where a number and its derivation are made together.
 *
 * Every figure the engine reports is the `value` of an `Expr` tree. Each node computes its
 * value when it is built, from its children's values, so the tree that is rendered as the
 * derivation is the very computation that produced the figure. Rendering never recomputes.
 */

export type Expr =
  /** A literal constant, e.g. the 8 in bits / 8. `tex` overrides how it is written. */
  | { readonly kind: 'num'; readonly value: number; readonly tex?: string }
  /** A named given bound to a value, e.g. c_i = 120. */
  | { readonly kind: 'var'; readonly tex: string; readonly value: number; readonly meaning?: string }
  /** A named sub-result: written as its symbol, substituted as its value. */
  | { readonly kind: 'ref'; readonly tex: string; readonly value: number; readonly body: Expr }
  | { readonly kind: 'add'; readonly value: number; readonly terms: readonly Expr[] }
  | { readonly kind: 'sub'; readonly value: number; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'mul'; readonly value: number; readonly factors: readonly Expr[] }
  | { readonly kind: 'div'; readonly value: number; readonly numerator: Expr; readonly denominator: Expr }
  | { readonly kind: 'floor' | 'ceil'; readonly value: number; readonly arg: Expr }
  /** `tex`, when given, is the symbolic form, e.g. `\max_\ell (a_{\ell-1} + a_\ell)`. */
  | { readonly kind: 'max' | 'min'; readonly value: number; readonly args: readonly Expr[]; readonly tex?: string }
  /**
   * A sum over indexed items (layers, heads, ...). Written symbolically with its own template
   * (e.g. `\sum_{i=1}^{N} n_{i-1} n_i`), substituted as its terms joined with +.
   */
  | { readonly kind: 'sum'; readonly value: number; readonly tex: string; readonly terms: readonly Expr[] };

/**
 * Raised when exact integer arithmetic would leave the range where doubles are exact. The message
 * names the figure when there is one, and the givens behind it (the batch, a bit width, a size),
 * so it blames what is too large rather than guessing.
 */
export class InexactIntegerError extends RangeError {
  constructor(what: string, result: number, operands: readonly Expr[] = []) {
    const givens = largestGivens(operands);
    super(
      `${what} gives ${bigText(result)}, beyond exact integer range ` +
        `(${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')})` +
        (givens ? `; from ${givens}: reduce one of them` : ''),
    );
    this.name = 'InexactIntegerError';
  }
}

/** 18,014,398,509,481,984; past 10^21, 2e+301. */
const bigText = (x: number): string => (Math.abs(x) < 1e21 ? x.toLocaleString('en-US', { maximumFractionDigits: 0 }) : x.toExponential(3));

/** The largest givens an expression uses (`n (batch size) = 4`), for an error message; a bounded walk. */
export function largestGivens(operands: readonly Expr[], count = 3): string {
  const found = new Map<string, { tex: string; meaning?: string; value: number }>();
  const stack = [...operands];
  for (let visited = 0; stack.length > 0 && visited < 2000; visited++) {
    const e = stack.pop()!;
    switch (e.kind) {
      case 'var':
        if (!found.has(e.tex) || found.get(e.tex)!.value < e.value) found.set(e.tex, e);
        break;
      case 'num':
        break;
      case 'ref':
        stack.push(e.body);
        break;
      case 'add':
      case 'sum':
        stack.push(...e.terms.slice(0, 50));
        break;
      case 'mul':
        stack.push(...e.factors);
        break;
      case 'sub':
        stack.push(e.left, e.right);
        break;
      case 'div':
        stack.push(e.numerator, e.denominator);
        break;
      case 'floor':
      case 'ceil':
        stack.push(e.arg);
        break;
      case 'max':
      case 'min':
        stack.push(...e.args.slice(0, 50));
        break;
    }
  }
  return [...found.values()]
    .sort((a, b) => b.value - a.value)
    .slice(0, count)
    .map((g) => `${g.tex}${g.meaning ? ` (${g.meaning})` : ''} = ${Math.abs(g.value) < 1e21 ? g.value.toLocaleString('en-US', { maximumFractionDigits: 6 }) : g.value.toExponential(3)}`)
    .join(', ');
}

function checked(operation: string, operands: readonly Expr[], result: number): number {
  if (Number.isSafeInteger(result)) return result; // the common case, decided without the operands
  if (!Number.isFinite(result)) throw new RangeError(`${operation} gives ${result}${overflowGivens(operands)}`);
  if (operands.every((e) => Number.isInteger(e.value))) {
    throw new InexactIntegerError(operation, result, operands);
  }
  // A fraction among the operands (bits / 8): the figure that holds the result checks it, by its
  // unit (see `figure` in derivation.ts): a count beyond 2^53 is an error whatever its operands.
  return result;
}

const overflowGivens = (operands: readonly Expr[]): string => {
  const givens = largestGivens(operands);
  return givens ? `; from ${givens}` : '';
};

/** `checked` for two operands, without making an array on the common path. */
function checked2(operation: string, a: Expr, b: Expr, result: number): number {
  return Number.isSafeInteger(result) ? result : checked(operation, [a, b], result);
}

// ---- constructors ---------------------------------------------------------------------------

export const num = (value: number, tex?: string): Expr =>
  tex === undefined ? { kind: 'num', value } : { kind: 'num', value, tex };

export const variable = (tex: string, value: number, meaning?: string): Expr =>
  meaning === undefined ? { kind: 'var', tex, value } : { kind: 'var', tex, value, meaning };

export const ref = (tex: string, body: Expr): Expr => ({ kind: 'ref', tex, value: body.value, body });

export function add(...terms: Expr[]): Expr {
  return addAll(terms);
}

/** `add` of an array the caller gives up (no copy): one term is that term. */
export function addAll(terms: Expr[]): Expr {
  if (terms.length === 1) return terms[0]!;
  let value = 0;
  for (let i = 0; i < terms.length; i++) value += terms[i]!.value;
  return { kind: 'add', value: checked('a sum', terms, value), terms };
}

export function sub(left: Expr, right: Expr): Expr {
  return { kind: 'sub', value: checked2('a difference', left, right, left.value - right.value), left, right };
}

export function mul(...factors: Expr[]): Expr {
  return mulAll(factors);
}

/** `mul` of an array the caller gives up (no copy): one factor is that factor. */
export function mulAll(factors: Expr[]): Expr {
  if (factors.length === 1) return factors[0]!;
  let value = 1;
  for (let i = 0; i < factors.length; i++) value *= factors[i]!.value;
  return { kind: 'mul', value: checked('a product', factors, value), factors };
}

/** `mul(a, b)`. */
export function mul2(a: Expr, b: Expr): Expr {
  return { kind: 'mul', value: checked2('a product', a, b, a.value * b.value), factors: [a, b] };
}

export function div(numerator: Expr, denominator: Expr): Expr {
  if (denominator.value === 0) throw new RangeError('division by zero');
  const value = numerator.value / denominator.value;
  if (!Number.isFinite(value)) throw new RangeError(`a quotient gives ${value}${overflowGivens([numerator, denominator])}`);
  return { kind: 'div', value, numerator, denominator };
}

export const floor = (arg: Expr): Expr => ({ kind: 'floor', value: Math.floor(arg.value), arg });
export const ceil = (arg: Expr): Expr => ({ kind: 'ceil', value: Math.ceil(arg.value), arg });

export function max(...args: Expr[]): Expr {
  return maxAll(args);
}

/** `max` of a list, without spreading it into arguments (a join of 200,000 inputs overflows a spread). */
export function maxAll(args: readonly Expr[]): Expr {
  if (args.length === 0) throw new RangeError('max of nothing');
  if (args.length === 1) return args[0]!;
  return { kind: 'max', value: largest(args), args };
}

function largest(args: readonly Expr[]): number {
  let value = -Infinity;
  for (let i = 0; i < args.length; i++) value = Math.max(value, args[i]!.value);
  return value;
}

/** A maximum over items, written symbolically as `tex`. */
export function maxOver(tex: string, args: Expr[]): Expr {
  if (args.length === 0) throw new RangeError('max of nothing');
  return { kind: 'max', value: largest(args), args, tex };
}

export function min(...args: Expr[]): Expr {
  if (args.length === 0) throw new RangeError('min of nothing');
  if (args.length === 1) return args[0]!;
  let value = Infinity;
  for (let i = 0; i < args.length; i++) value = Math.min(value, args[i]!.value);
  return { kind: 'min', value, args };
}

/** A sum over items, written symbolically as `tex`. An empty sum is 0. */
export function sum(tex: string, terms: Expr[]): Expr {
  let value = 0;
  for (let i = 0; i < terms.length; i++) value += terms[i]!.value;
  return { kind: 'sum', value: checked('a sum', terms, value), tex, terms };
}

/** The value 0 written as 0, for counts a layer does not have (a ReLU's weights). */
export const ZERO: Expr = num(0);

/**
 * Recomputes an expression from its leaves, ignoring the values cached in its nodes. Tests use it
 * to prove that every figure equals what its derivation says. An explicit stack, not recursion:
 * a receptive field over 3,000 chained convolutions nests 3,000 deep.
 */
export function evaluate(root: Expr): number {
  const values: number[] = [];
  const stack: { e: Expr; expanded: boolean }[] = [{ e: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    const e = top.e;
    const kids = childrenOf(e);
    if (kids.length === 0 && (e.kind === 'num' || e.kind === 'var')) {
      values.push(e.value);
    } else if (!top.expanded) {
      stack.push({ e, expanded: true });
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ e: kids[i]!, expanded: false });
    } else {
      const args = values.splice(values.length - kids.length, kids.length);
      values.push(combine(e, args));
    }
  }
  return values[0]!;
}

function childrenOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'num':
    case 'var':
      return [];
    case 'ref':
      return [e.body];
    case 'add':
    case 'sum':
      return e.terms;
    case 'sub':
      return [e.left, e.right];
    case 'mul':
      return e.factors;
    case 'div':
      return [e.numerator, e.denominator];
    case 'floor':
    case 'ceil':
      return [e.arg];
    case 'max':
    case 'min':
      return e.args;
  }
}

/** One node's value from its children's recomputed values (in order, as the node computed them). */
function combine(e: Expr, args: readonly number[]): number {
  switch (e.kind) {
    case 'num':
    case 'var':
      return e.value;
    case 'ref':
      return args[0]!;
    case 'add':
    case 'sum': {
      let acc = 0;
      for (const a of args) acc += a;
      return acc;
    }
    case 'sub':
      return args[0]! - args[1]!;
    case 'mul': {
      let acc = 1;
      for (const a of args) acc *= a;
      return acc;
    }
    case 'div':
      return args[0]! / args[1]!;
    case 'floor':
      return Math.floor(args[0]!);
    case 'ceil':
      return Math.ceil(args[0]!);
    case 'max': {
      let acc = -Infinity;
      for (const a of args) acc = Math.max(acc, a);
      return acc;
    }
    case 'min': {
      let acc = Infinity;
      for (const a of args) acc = Math.min(acc, a);
      return acc;
    }
  }
}
