/**
 * Formulas of a parameter space: derived values (`h1 + h2`) and constraints (`k <= h + 2 * p`).
 *
 * A tiny parser and evaluator, never `eval` or `Function`: an author's string can only combine
 * numbers and the problem's own parameters with the operators and functions listed below.
 *
 *   numbers      12, 0.5, 1e3
 *   names        any parameter of the problem (`n0`, `h1`, `bits`)
 *   arithmetic   + - * /   (`/` is exact division; `floor(a / b)` for integer division)
 *   comparison   < <= > >= == !=
 *   logic        and, or, not   (also && || !)
 *   conditional  if(cond, a, b)
 *   functions    min(a, b, ...), max(a, b, ...), floor(x), ceil(x), abs(x)
 *
 * Comparisons and logic give booleans; arithmetic needs numbers; mixing them is an error that
 * says where.
 */

export type Formula =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: '-' | 'not'; readonly arg: Formula }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Formula; readonly right: Formula }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Formula[] };

type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';

const FUNCTIONS = {
  min: { arity: [1, Infinity] },
  max: { arity: [1, Infinity] },
  floor: { arity: [1, 1] },
  ceil: { arity: [1, 1] },
  abs: { arity: [1, 1] },
  if: { arity: [3, 3] },
} as const;
type FunctionName = keyof typeof FUNCTIONS;
export const FORMULA_FUNCTIONS = Object.keys(FUNCTIONS) as FunctionName[];

export class FormulaError extends Error {
  constructor(source: string, detail: string) {
    super(`formula '${source}': ${detail}`);
    this.name = 'FormulaError';
  }
}

// ---- tokens ---------------------------------------------------------------------------------

type Token =
  | { kind: 'num'; value: number; at: number }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'op'; op: string; at: number };

const MAX_FORMULA_LENGTH = 500;

function tokenize(source: string): Token[] {
  if (source.length > MAX_FORMULA_LENGTH) throw new FormulaError(source.slice(0, 40) + '...', `longer than ${MAX_FORMULA_LENGTH} characters`);
  const tokens: Token[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(<=|>=|==|!=|&&|\|\||[-+*/(),<>!]))/y;
  let at = 0;
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(source);
    if (!m) throw new FormulaError(source, `unexpected '${source.slice(at).trim()[0]}' at position ${at + 1}`);
    const start = m.index + m[0].length - (m[1] ?? m[2] ?? m[3])!.length;
    if (m[1] !== undefined) tokens.push({ kind: 'num', value: Number(m[1]), at: start });
    else if (m[2] !== undefined) {
      const word = m[2];
      if (word === 'and' || word === 'or' || word === 'not') tokens.push({ kind: 'op', op: word, at: start });
      else tokens.push({ kind: 'name', name: word, at: start });
    } else {
      const op = m[3]!;
      tokens.push({ kind: 'op', op: op === '&&' ? 'and' : op === '||' ? 'or' : op === '!' ? 'not' : op, at: start });
    }
    at = re.lastIndex;
  }
  return tokens;
}

// ---- parser (precedence climbing) -------------------------------------------------------------

const BINARY_PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
};

/** Parses a formula; throws `FormulaError` saying what is wrong and where. */
export function parseFormula(source: string): Formula {
  const tokens = tokenize(source);
  let i = 0;
  const peek = () => tokens[i];
  const fail = (detail: string): never => {
    throw new FormulaError(source, detail);
  };
  const expectOp = (op: string) => {
    const t = tokens[i];
    if (t?.kind !== 'op' || t.op !== op) fail(t ? `expected '${op}' at position ${t.at + 1}` : `expected '${op}' at the end`);
    i++;
  };

  const primary = (): Formula => {
    const t = tokens[i++];
    if (!t) return fail('ends too early');
    if (t.kind === 'num') return { kind: 'num', value: t.value };
    if (t.kind === 'name') {
      if (peek()?.kind === 'op' && (peek() as { op: string }).op === '(') {
        if (!Object.hasOwn(FUNCTIONS, t.name)) fail(`unknown function '${t.name}'; allowed: ${FORMULA_FUNCTIONS.join(', ')}`);
        const fn = t.name as FunctionName;
        i++;
        const args: Formula[] = [];
        if (!(peek()?.kind === 'op' && (peek() as { op: string }).op === ')')) {
          for (;;) {
            args.push(binary(0));
            const n = peek();
            if (n?.kind === 'op' && n.op === ',') i++;
            else break;
          }
        }
        expectOp(')');
        const [lo, hi] = FUNCTIONS[fn].arity;
        if (args.length < lo || args.length > hi) fail(`${fn}() takes ${lo === hi ? lo : `at least ${lo}`} argument${lo === 1 && hi === 1 ? '' : 's'}, got ${args.length}`);
        return { kind: 'call', fn, args };
      }
      return { kind: 'name', name: t.name };
    }
    if (t.op === '(') {
      const inner = binary(0);
      expectOp(')');
      return inner;
    }
    if (t.op === '-') return { kind: 'unary', op: '-', arg: unaryOperand() };
    if (t.op === '+') return unaryOperand();
    // `not` applies to a whole comparison: not a < b is not (a < b).
    if (t.op === 'not') return { kind: 'unary', op: 'not', arg: binary(BINARY_PRECEDENCE.and!) };
    return fail(`unexpected '${t.op}' at position ${t.at + 1}`);
  };
  // A unary operator binds tighter than any binary one: -a * b is (-a) * b.
  const unaryOperand = (): Formula => primary();

  const binary = (minPrecedence: number): Formula => {
    let left = primary();
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op') break;
      const p = BINARY_PRECEDENCE[t.op];
      if (p === undefined || p <= minPrecedence) break;
      i++;
      const right = binary(p);
      left = { kind: 'binary', op: t.op as BinaryOp, left, right };
    }
    return left;
  };

  if (tokens.length === 0) fail('is empty');
  const result = binary(0);
  if (i < tokens.length) fail(`unexpected '${tokenText(tokens[i]!)}' at position ${tokens[i]!.at + 1}`);
  return result;
}

function tokenText(t: Token): string {
  return t.kind === 'num' ? String(t.value) : t.kind === 'name' ? t.name : t.op;
}

/** The parameter names a formula reads, once each. */
export function namesIn(f: Formula): string[] {
  const out = new Set<string>();
  const visit = (x: Formula): void => {
    if (x.kind === 'name') out.add(x.name);
    else if (x.kind === 'unary') visit(x.arg);
    else if (x.kind === 'binary') {
      visit(x.left);
      visit(x.right);
    } else if (x.kind === 'call') x.args.forEach(visit);
  };
  visit(f);
  return [...out];
}

// ---- evaluation -----------------------------------------------------------------------------

export type FormulaValue = number | boolean;

/** Evaluates a parsed formula over the parameters' values. */
export function evaluateFormula(f: Formula, values: Readonly<Record<string, number>>, source = ''): FormulaValue {
  return run(f, values, source);
}

// The evaluator is three functions of the module, not closures made per call, and says what an
// operator needed only when it fails: every draw of a variant evaluates its constraints.

function run(x: Formula, values: Readonly<Record<string, number>>, source: string): FormulaValue {
  switch (x.kind) {
    case 'num':
      return x.value;
    case 'name': {
      if (!Object.hasOwn(values, x.name)) throw new FormulaError(source, `unknown name '${x.name}'; known: ${Object.keys(values).join(', ') || 'none'}`);
      return values[x.name]!;
    }
    case 'unary':
      return x.op === '-' ? -number(x.arg, values, source, x.op) : !bool(x.arg, values, source, 'not');
    case 'binary': {
      const { op } = x;
      if (op === 'and') return bool(x.left, values, source, op) && bool(x.right, values, source, op);
      if (op === 'or') return bool(x.left, values, source, op) || bool(x.right, values, source, op);
      const a = number(x.left, values, source, op);
      const b = number(x.right, values, source, op);
      switch (op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          if (b === 0) throw new FormulaError(source, 'division by zero');
          return a / b;
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '==':
          return a === b;
        case '!=':
          return a !== b;
      }
      throw new FormulaError(source, `unknown operator ${op}`);
    }
    case 'call': {
      if (x.fn === 'if') return bool(x.args[0]!, values, source, 'if()') ? run(x.args[1]!, values, source) : run(x.args[2]!, values, source);
      const args = x.args.map((a) => number(a, values, source, `${x.fn}()`));
      switch (x.fn) {
        case 'min':
          return Math.min(...args);
        case 'max':
          return Math.max(...args);
        case 'floor':
          return Math.floor(args[0]!);
        case 'ceil':
          return Math.ceil(args[0]!);
        case 'abs':
          return Math.abs(args[0]!);
      }
    }
  }
}

/** `x`'s value, which operator `op` (`+`, `min()`) needs to be a number. */
function number(x: Formula, values: Readonly<Record<string, number>>, source: string, op: string): number {
  const v = run(x, values, source);
  if (typeof v !== 'number') throw new FormulaError(source, `${quoteOp(op)} needs a number, got a true/false value`);
  return v;
}

/** `x`'s value, which operator `op` (`and`, `if()`) needs to be a comparison. */
function bool(x: Formula, values: Readonly<Record<string, number>>, source: string, op: string): boolean {
  const v = run(x, values, source);
  if (typeof v !== 'boolean') throw new FormulaError(source, `${quoteOp(op)} needs a comparison (true/false), got the number ${v}`);
  return v;
}

/** `'+'`, `'not'`; a function call as written, `min()`. */
const quoteOp = (op: string): string => (op.endsWith('()') ? op : `'${op}'`);
