/**
 * A remark plugin for the site's MDX (chapters, problems, guides): the code an author wrote in a
 * file is marked with its place, so an error it throws while a page renders is reported at the
 * author's line and column (site/page-error.ts), not as a stack trace through compiled chunks.
 *
 * - Every `{expression}` (text, flow, prop value, spread prop) and every value a `const` or
 *   `export const` declares is wrapped so what it throws carries `workbookAt` = { file, line,
 *   column, code }: the expression's place in the file.
 * - Every element of a component the page is given (`<Example ...>`) gets a `workbookAt` prop
 *   ("file:line:column"); the chapter components name it when they throw (site/component-at.ts).
 *
 * Expressions with `await` or `yield` inside are left as they are (a wrapper function would change
 * what they mean); what they throw is still named by its page's file.
 */
import type { Root } from 'mdast';
import type { Expression, Program, Statement } from 'estree';
import { CHAPTER_COMPONENTS } from '../workbook/check/course-file.ts';
import { displayPath } from '../workbook/course.ts';

/** The components whose elements are told their place: a chapter's (they name it when they throw). */
const LOCATED_COMPONENTS = new Set(CHAPTER_COMPONENTS);

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

/**
 * `(() => { try { return (E); } catch (error) { throw mark(error) } })()`, where mark sets
 * `workbookAt` on the error (an Error made of anything else thrown) unless an inner one did.
 */
function wrap(expression: Expression, at: WorkbookAt): Expression {
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
  return {
    type: 'CallExpression',
    optional: false,
    arguments: [],
    callee: {
      type: 'ArrowFunctionExpression',
      expression: false,
      async: false,
      generator: false,
      params: [],
      body: {
        type: 'BlockStatement',
        body: [
          {
            type: 'TryStatement',
            block: { type: 'BlockStatement', body: [{ type: 'ReturnStatement', argument: expression }] },
            handler: { type: 'CatchClause', param: id('__workbookThrown'), body: { type: 'BlockStatement', body: [asError, mark, { type: 'ThrowStatement', argument: e }] } },
            finalizer: null,
          },
        ],
      },
    },
  };
}

/** Whether a tree holds `await` or `yield` outside a function of its own. */
function suspends(node: unknown): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { type?: string };
  if (n.type === 'AwaitExpression' || n.type === 'YieldExpression') return true;
  if (n.type === 'FunctionExpression' || n.type === 'ArrowFunctionExpression' || n.type === 'FunctionDeclaration') return false;
  return Object.entries(node).some(([key, value]) => key !== 'loc' && key !== 'range' && (Array.isArray(value) ? value.some(suspends) : typeof value === 'object' && suspends(value)));
}

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
    for (const p of object.properties) if (p.type === 'SpreadElement' && !suspends(p.argument)) p.argument = wrap(p.argument, at);
    return;
  }
  if (suspends(statement.expression)) return;
  statement.expression = wrap(statement.expression, at);
}

/** `export const net = f()`, `const x = ...`: each declared value marked with its place (estree columns are 0-based). */
function wrapDeclarations(program: Program | undefined, file: string): void {
  for (const statement of program?.body ?? []) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (!declaration || declaration.type !== 'VariableDeclaration') continue;
    for (const d of declaration.declarations) {
      const start = d.init?.loc?.start;
      if (!d.init || !start || suspends(d.init)) continue;
      const name = d.id.type === 'Identifier' ? d.id.name : 'the value';
      d.init = wrap(d.init, { file, line: start.line, column: start.column + 1, code: `const ${name}` });
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
