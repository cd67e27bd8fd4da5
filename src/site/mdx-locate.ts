/**
 * A remark plugin for the site's MDX (chapters, problems, guides): the code an author wrote in a
 * file is marked with its place, so an error it throws while a page renders is reported at the
 * author's line and column (site/page-error.ts), not as a stack trace through compiled chunks.
 *
 * - Every `{expression}` (text, flow, prop value, spread prop) and every value a `const` or
 *   `export const` declares is wrapped so what it throws carries `workbookAt` = { file, line,
 *   column, code }: the expression's place in the file.
 * - Every element of a component the page is given (`<Example ...>`, `<Answer ...>`) gets a
 *   `workbookAt` prop ("file:line:column"); the components name it when they throw (site/component-at.ts).
 *
 * - While a marked expression runs, the build's page watch knows its place (site/page-watch.ts):
 *   a page that ends the process or runs past the time limit inside it is named there.
 *
 * An expression with `await` is wrapped in an async arrow, awaited. One with `yield` is left as it
 * is (a wrapper function cannot yield); what it throws is still named by its page's file.
 */
import type { Root } from 'mdast';
import type { Expression, Program, Statement } from 'estree';
import { CHAPTER_COMPONENTS } from '../workbook/check/course-file.ts';
import { PROBLEM_COMPONENTS } from '../workbook/check/index.ts';
import { displayPath } from '../workbook/course.ts';

/**
 * The components whose elements are told their place (they name it when they throw): a chapter's
 * (site/component-at.ts atElement) and a problem's (locatedComponents takes it off their props).
 */
const LOCATED_COMPONENTS = new Set([...CHAPTER_COMPONENTS, ...PROBLEM_COMPONENTS]);

export interface WorkbookAt {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The expression as written (short), or the element's tag. */
  readonly code: string;
}

type AnyNode = { type: string; children?: AnyNode[]; position?: { start: { line: number; column: number } }; [key: string]: unknown };

const id = (name: string) => ({ type: 'Identifier', name }) as const;
const literal = (value: string | number) => ({ type: 'Literal', value }) as Expression;
const member = (object: Expression, name: string) => ({ type: 'MemberExpression', object, property: id(name), computed: false, optional: false }) as Expression;

/** `globalThis[Symbol.for("workbook.codeMark")]`: the page watch's marks (site/page-watch.ts), if watching. */
const codeMark = {
  type: 'MemberExpression',
  object: id('globalThis'),
  property: { type: 'CallExpression', callee: member(id('Symbol'), 'for'), arguments: [literal('workbook.codeMark')], optional: false },
  computed: true,
  optional: false,
} as Expression;

/** `mark?.method(argument);` */
const callMark = (method: string, argument: Expression): Expression => ({
  type: 'ChainExpression',
  expression: { type: 'CallExpression', callee: { type: 'MemberExpression', object: id('__workbookMark'), property: id(method), computed: false, optional: true }, arguments: [argument], optional: false },
}) as Expression;

/**
 * `(() => { const mark = ...; const prev = mark?.begin("file:line:column: code");
 *   try { return (E); } catch (error) { throw marked(error) } finally { mark?.end(prev) } })()`:
 * what E throws is marked with `workbookAt` (an Error made of anything else thrown) unless an
 * inner one did; while E runs, the page watch knows its place, so a page that ends the process
 * or never returns inside it is named at it. With `await` in E: an async arrow, awaited (the
 * expression's context is async already).
 */
function wrap(expression: Expression, at: WorkbookAt, suspended = false): Expression {
  const e = id('__workbookError');
  const where = {
    type: 'ObjectExpression',
    properties: Object.entries(at).map(([key, value]) => ({ type: 'Property', key: id(key), value: literal(value), kind: 'init', computed: false, method: false, shorthand: false })),
  } as Expression;
  // const e = error instanceof Error ? error : new Error(String(error));
  const asError: Statement = {
    type: 'VariableDeclaration',
    kind: 'const',
    declarations: [
      {
        type: 'VariableDeclarator',
        id: e,
        init: {
          type: 'ConditionalExpression',
          test: { type: 'BinaryExpression', operator: 'instanceof', left: id('__workbookThrown'), right: id('Error') },
          consequent: id('__workbookThrown'),
          alternate: { type: 'NewExpression', callee: id('Error'), arguments: [{ type: 'CallExpression', callee: id('String'), arguments: [id('__workbookThrown')], optional: false }] },
        },
      },
    ],
  };
  // if (e.workbookAt === undefined) try { e.workbookAt = {...} } catch {}  (a frozen error stays as it is)
  const mark: Statement = {
    type: 'IfStatement',
    test: { type: 'BinaryExpression', operator: '===', left: member(e, 'workbookAt'), right: id('undefined') },
    consequent: {
      type: 'TryStatement',
      block: { type: 'BlockStatement', body: [{ type: 'ExpressionStatement', expression: { type: 'AssignmentExpression', operator: '=', left: member(e, 'workbookAt') as never, right: where } }] },
      handler: { type: 'CatchClause', param: null, body: { type: 'BlockStatement', body: [] } },
      finalizer: null,
    },
    alternate: null,
  };
  const declare = (name: string, init: Expression): Statement => ({ type: 'VariableDeclaration', kind: 'const', declarations: [{ type: 'VariableDeclarator', id: id(name), init }] });
  const call: Expression = {
    type: 'CallExpression',
    optional: false,
    arguments: [],
    callee: {
      type: 'ArrowFunctionExpression',
      expression: false,
      async: suspended,
      generator: false,
      params: [],
      body: {
        type: 'BlockStatement',
        body: [
          declare('__workbookMark', codeMark),
          declare('__workbookPrevious', callMark('begin', literal(`${at.file}:${at.line}:${at.column}: ${at.code}`))),
          {
            type: 'TryStatement',
            block: { type: 'BlockStatement', body: [{ type: 'ReturnStatement', argument: expression }] },
            handler: { type: 'CatchClause', param: id('__workbookThrown'), body: { type: 'BlockStatement', body: [asError, mark, { type: 'ThrowStatement', argument: e }] } },
            finalizer: { type: 'BlockStatement', body: [{ type: 'ExpressionStatement', expression: callMark('end', id('__workbookPrevious')) }] },
          },
        ],
      },
    },
  };
  return suspended ? ({ type: 'AwaitExpression', argument: call } as Expression) : call;
}

/** Whether a tree holds `await` (or, with `kind` 'YieldExpression', `yield`) outside a function of its own. */
function suspends(node: unknown, kind = 'AwaitExpression'): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { type?: string };
  if (n.type === kind) return true;
  if (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'FunctionDeclaration') return false;
  return Object.entries(node).some(([key, value]) => key !== 'loc' && key !== 'range' && (Array.isArray(value) ? value.some((v) => suspends(v, kind)) : typeof value === 'object' && suspends(value, kind)));
}

/** `yield` cannot move into a function of its own: such an expression is left as it is. */
const yields = (node: unknown) => suspends(node, 'YieldExpression');

const short = (text: string) => {
  const one = text.trim().replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
};

/** Wraps the expression statement of an estree Program (an MDX expression's). */
function wrapProgram(program: Program | undefined, at: WorkbookAt, spread = false): void {
  const statement = program?.body[0];
  if (!statement || statement.type !== 'ExpressionStatement') return;
  if (spread) {
    // {...props}: the program is `({...props})`, an object with one spread.
    const object = statement.expression;
    if (object.type !== 'ObjectExpression') return;
    for (const p of object.properties) if (p.type === 'SpreadElement' && !yields(p.argument)) p.argument = wrap(p.argument, at, suspends(p.argument));
    return;
  }
  if (yields(statement.expression)) return;
  statement.expression = wrap(statement.expression, at, suspends(statement.expression));
}

/** `export const net = f()`, `const x = ...`: each declared value marked with its place (estree columns are 0-based). */
function wrapDeclarations(program: Program | undefined, file: string): void {
  for (const statement of program?.body ?? []) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (!declaration || declaration.type !== 'VariableDeclaration') continue;
    for (const d of declaration.declarations) {
      const start = d.init?.loc?.start;
      if (!d.init || !start || yields(d.init)) continue;
      const name = d.id.type === 'Identifier' ? d.id.name : 'the value';
      d.init = wrap(d.init, { file, line: start.line, column: start.column + 1, code: `const ${name}` }, suspends(d.init));
    }
  }
}

export function remarkLocateCode() {
  return (tree: Root, vfile: { path?: string }) => {
    const file = vfile.path ? displayPath(vfile.path) : 'the MDX file';
    const place = (node: AnyNode, code: string): WorkbookAt | undefined =>
      node.position ? { file, line: node.position.start.line, column: node.position.start.column, code } : undefined;
    const stack: AnyNode[] = [tree as unknown as AnyNode];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.type === 'mdxFlowExpression' || node.type === 'mdxTextExpression') {
        const at = place(node, `{${short(String(node.value))}}`);
        const estree = (node.data as { estree?: Program } | undefined)?.estree;
        // {/* a comment */}: an empty program, nothing to wrap.
        if (at && estree) wrapProgram(estree, at);
      }
      if (node.type === 'mdxjsEsm') wrapDeclarations((node.data as { estree?: Program } | undefined)?.estree, file);
      if (node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') {
        const name = typeof node.name === 'string' ? node.name : '';
        const attributes = node.attributes as AnyNode[];
        for (const attr of attributes) {
          const value = attr.value as { type?: string; value?: string; data?: { estree?: Program } } | null | undefined;
          const where = attr.position ?? node.position;
          if (attr.type === 'mdxJsxAttribute' && value && typeof value === 'object' && value.data?.estree && where) {
            wrapProgram(value.data.estree, { file, line: where.start.line, column: where.start.column, code: `<${name}> ${String(attr.name)}={${short(value.value ?? '')}}` });
          } else if (attr.type === 'mdxJsxExpressionAttribute' && where) {
            wrapProgram((attr.data as { estree?: Program } | undefined)?.estree, { file, line: where.start.line, column: where.start.column, code: `<${name}> {${short(String(attr.value))}}` }, true);
          }
        }
        if (LOCATED_COMPONENTS.has(name) && node.position && !attributes.some((a) => a.name === 'workbookAt')) {
          attributes.push({ type: 'mdxJsxAttribute', name: 'workbookAt', value: `${file}:${node.position.start.line}:${node.position.start.column}` });
        }
      }
      if (node.children) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  };
}
