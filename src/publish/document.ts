/**
 * A problem's MDX read as a document, outside Astro: its intro, its questions (with labels) and
 * the answers each question asks for, with their props. The LMS exports and the answer keys use
 * it to know which question an answer belongs to, and to write a question's text as HTML with its
 * math as TeX (`\( ... \)`, `\[ ... \]`) for Moodle's and Canvas's MathJax.
 *
 * Text from the MDX is data: every piece is HTML-escaped; TeX is passed through as text (escaped
 * too), never rendered here.
 */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkMdx from 'remark-mdx';
import remarkMath from 'remark-math';
import type { Root, RootContent } from 'mdast';
import { formatNumber } from '../engine/math/latex.ts';
import { formatShape } from '../engine/shape.ts';
import { ANSWER_NAMES, isAnswerName, type AnswerName, type ChoiceOption, type ChoicePick, type ProblemContext } from '../workbook/answers.ts';
import { mlpPhrase, mlpWidths } from '../site/describe.ts';
import { askedLabel, type AskedFigure } from '../workbook/variants/variant.ts';

/** One `<Answer>` of the MDX: its name and the props that select its figure (layer, batch, in, ...). */
export interface AskedAnswer {
  readonly of: AnswerName;
  readonly select: Readonly<Record<string, string | number | boolean>>;
  /** The author's title, if any. */
  readonly title?: string;
  /** The label of the `<Question>` it sits in; '' for an answer outside any question. */
  readonly question: string;
}

/** One `<Choice>` of the MDX: its options and how the engine picks the right one. */
export interface AskedChoice {
  readonly of: AnswerName;
  readonly options: readonly ChoiceOption[];
  readonly pick: ChoicePick;
  readonly title?: string;
  readonly question: string;
}

export interface ProblemDocument {
  readonly file: string;
  readonly root: Root;
  /** The `<Answer>`s, in page order. */
  readonly answers: readonly AskedAnswer[];
  /** Everything asked, `<Answer>` and `<Choice>`, in page order (the answer key's rows). */
  readonly asked: readonly Asked[];
  /** Every figure shown as an answer, `<Answer>` and `<Value>`, each once, in page order (see `figuresAsked`). */
  readonly figures: readonly AskedFigure[];
}

export type Asked = { readonly kind: 'answer'; readonly answer: AskedAnswer } | { readonly kind: 'choice'; readonly choice: AskedChoice };

/** Props of an answer that do not select its figure. */
const NOT_SELECTING = new Set(['of', 'expect', 'title']);

type Jsx = Extract<RootContent, { type: 'mdxJsxFlowElement' | 'mdxJsxTextElement' }>;

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkMath);

/** Parses a problem's MDX body (below the frontmatter). Errors name the file. */
export function readDocument(body: string, file: string): ProblemDocument {
  let root: Root;
  try {
    root = parser.parse(body);
  } catch (error) {
    throw new Error(`${file}: the MDX does not parse: ${(error as Error).message}`);
  }
  const asked: Asked[] = [];
  const figures = new Map<string, AskedFigure>();
  const walk = (nodes: readonly RootContent[], question: string) => {
    for (const node of nodes) {
      if (isJsx(node)) {
        const answer = node.name === 'Answer' || node.name === 'Value' ? askedAnswer(node, question, file) : undefined;
        if (answer) {
          const figure: AskedFigure = Object.keys(answer.select).length > 0 ? { of: answer.of, select: answer.select } : { of: answer.of };
          const key = askedLabel(figure);
          if (!figures.has(key)) figures.set(key, figure);
        }
        if (answer && node.name === 'Answer') asked.push({ kind: 'answer', answer });
        if (node.name === 'Choice') asked.push({ kind: 'choice', choice: askedChoice(node, question, file) });
        walk(node.children as RootContent[], node.name === 'Question' ? stringAttr(node, 'label', file) ?? '' : question);
      } else if ('children' in node) walk(node.children as RootContent[], question);
    }
  };
  walk(root.children, '');
  return { file, root, asked, answers: asked.flatMap((a) => (a.kind === 'answer' ? [a.answer] : [])), figures: [...figures.values()] };
}

/**
 * The figures a problem shows as answers, `<Answer>`s and `<Value>`s, each once, in page order,
 * with the props that select each: what a practice variant must not repeat of the homework, and
 * what a space's check proves (variants/).
 */
export function figuresAsked(body: string, file: string): readonly AskedFigure[] {
  return readDocument(body, file).figures;
}

function isJsx(node: RootContent): node is Jsx {
  return node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement';
}

/** An attribute's value: a string literal, or an expression that is a number or boolean literal. */
function attrValue(node: Jsx, name: string, file: string): string | number | boolean | undefined {
  const attr = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  if (!attr || attr.type !== 'mdxJsxAttribute') return undefined;
  const v = attr.value;
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v;
  const text = v.value.trim();
  if (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  const quoted = /^(["'])(.*)\1$/.exec(text);
  if (quoted) return quoted[2]!;
  const line = node.position?.start.line;
  throw new Error(`${file}${line ? `:${line}` : ''}: <${node.name} ${name}={${text}}>: only a number, a string or true/false can be read here`);
}

function stringAttr(node: Jsx, name: string, file: string): string | undefined {
  const v = attrValue(node, name, file);
  return v === undefined ? undefined : String(v);
}

function askedAnswer(node: Jsx, question: string, file: string): AskedAnswer {
  const of = stringAttr(node, 'of', file) ?? '';
  const line = node.position?.start.line;
  if (!isAnswerName(of)) throw new Error(`${file}${line ? `:${line}` : ''}: <${node.name} of="${of}">: unknown answer; allowed: ${ANSWER_NAMES.join(', ')}`);
  const select: Record<string, string | number | boolean> = {};
  for (const a of node.attributes) {
    if (a.type !== 'mdxJsxAttribute' || NOT_SELECTING.has(a.name)) continue;
    select[a.name] = attrValue(node, a.name, file)!;
  }
  const title = stringAttr(node, 'title', file);
  return { of, select, question, ...(title !== undefined ? { title } : {}) };
}

function askedChoice(node: Jsx, question: string, file: string): AskedChoice {
  const line = node.position?.start.line;
  const where = `${file}${line ? `:${line}` : ''}`;
  const of = stringAttr(node, 'of', file) ?? '';
  if (!isAnswerName(of)) throw new Error(`${where}: <Choice of="${of}">: unknown answer; allowed: ${ANSWER_NAMES.join(', ')}`);
  const options = literalAttr(node, 'options', where);
  const valid = Array.isArray(options) && options.every((o) => typeof o === 'string' || (typeof o === 'object' && o !== null && !Array.isArray(o) && typeof (o as { label?: unknown }).label === 'string'));
  if (!valid) throw new Error(`${where}: <Choice of="${of}" options>: a list of layer ids or of { label, ...props } objects, written as literals`);
  const pick = attrValue(node, 'pick', file);
  const ratio = attrValue(node, 'ratio', file);
  if ((pick === undefined) === (ratio === undefined) || (pick !== undefined && pick !== 'max' && pick !== 'min') || (ratio !== undefined && typeof ratio !== 'number')) {
    throw new Error(`${where}: <Choice of="${of}">: give either pick="max" / pick="min" or ratio={...}`);
  }
  const title = stringAttr(node, 'title', file);
  return { of, options: options as ChoiceOption[], pick: ratio !== undefined ? { ratio: ratio as number } : (pick as 'max' | 'min'), question, ...(title !== undefined ? { title } : {}) };
}

/** An attribute written as a literal (array, object, string, number, boolean), read from its estree: never evaluated. */
function literalAttr(node: Jsx, name: string, where: string): unknown {
  const attr = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === name);
  if (!attr || attr.type !== 'mdxJsxAttribute') return undefined;
  const v = attr.value;
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v;
  const program = v.data?.estree;
  const statement = program?.body[0];
  if (!statement || statement.type !== 'ExpressionStatement') throw new Error(`${where}: <${node.name} ${name}={${v.value}}>: not a literal`);
  return literal(statement.expression as unknown as EsNode, `${where}: <${node.name} ${name}={${v.value.trim()}}>`);
}

interface EsNode {
  readonly type: string;
  readonly [key: string]: unknown;
}

function literal(n: EsNode, where: string): unknown {
  switch (n.type) {
    case 'Literal':
      return n.value;
    case 'ArrayExpression':
      return (n.elements as (EsNode | null)[]).map((e) => (e ? literal(e, where) : undefined));
    case 'ObjectExpression':
      return Object.fromEntries(
        (n.properties as EsNode[]).map((p) => {
          const key = p.key as EsNode | undefined;
          if (p.type !== 'Property' || p.computed || !key) throw new Error(`${where}: only plain literals can be read here`);
          const name = key.type === 'Identifier' ? (key.name as string) : String(key.value);
          return [name, literal(p.value as EsNode, where)];
        }),
      );
    case 'UnaryExpression':
      if (n.operator === '-') {
        const x = literal(n.argument as EsNode, where);
        if (typeof x === 'number') return -x;
      }
      break;
    case 'TemplateLiteral':
      if ((n.expressions as unknown[]).length === 0) return ((n.quasis as { value: { cooked: string } }[])[0]!).value.cooked;
      break;
  }
  throw new Error(`${where}: only a number, a string, true/false, or lists and objects of these can be read here`);
}

// ---- HTML for an LMS ---------------------------------------------------------------------------

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface StatementValues {
  readonly ctx: ProblemContext;
  /** Parameter values in force (a variant's), for `<Given name="param">`. */
  readonly values: Readonly<Record<string, number>>;
}

/**
 * The statement of one question as HTML: the problem's intro (everything before its first
 * question), then the question's prose. Answers, values, errata and tables are left out: the LMS
 * asks for the answer itself, and those would print figures.
 */
/** Marks a statement image's path relative to the problem file, for an export to point at its own copy. */
export const IMAGE_REF = 'workbook-image:';

export function questionHtml(doc: ProblemDocument, label: string, v: StatementValues): string {
  const intro = doc.root.children.filter((n) => !(isJsx(n) && n.name === 'Question'));
  const question = doc.root.children.find((n): n is Jsx => isJsx(n) && n.name === 'Question' && stringAttr(n, 'label', doc.file) === label);
  const introHtml = blocks(intro, v, doc.file);
  if (!question) return introHtml;
  return `${introHtml}<p><strong>(${escapeHtml(label)})</strong></p>${blocks(question.children as RootContent[], v, doc.file)}`;
}

function blocks(nodes: readonly RootContent[], v: StatementValues, file: string): string {
  return nodes.map((n) => node(n, v, file)).join('');
}

function node(n: RootContent, v: StatementValues, file: string): string {
  switch (n.type) {
    case 'paragraph': {
      const inner = blocks(n.children, v, file).trim();
      return inner ? `<p>${inner}</p>` : '';
    }
    case 'text':
      return escapeHtml(n.value);
    case 'inlineMath':
      return `\\(${escapeHtml(n.value)}\\)`;
    case 'math':
      return `<p>\\[${escapeHtml(n.value)}\\]</p>`;
    case 'emphasis':
      return `<em>${blocks(n.children, v, file)}</em>`;
    case 'strong':
      return `<strong>${blocks(n.children, v, file)}</strong>`;
    case 'inlineCode':
      return `<code>${escapeHtml(n.value)}</code>`;
    case 'code':
      return `<pre><code>${escapeHtml(n.value)}</code></pre>`;
    case 'break':
      return '<br>';
    case 'link':
      return blocks(n.children, v, file);
    case 'image':
      // A picture of the statement (a chart): the LMS exports carry its file (lms.ts, imageRefs).
      return /^[a-z][a-z0-9+.-]*:/i.test(n.url)
        ? `<img src="${escapeHtml(n.url)}" alt="${escapeHtml(n.alt ?? '')}">`
        : `<img src="${IMAGE_REF}${escapeHtml(n.url)}" alt="${escapeHtml(n.alt ?? '')}">`;
    case 'heading':
      return `<p><strong>${blocks(n.children, v, file)}</strong></p>`;
    case 'list': {
      const tag = n.ordered ? 'ol' : 'ul';
      return `<${tag}>${n.children.map((item) => `<li>${blocks(item.children, v, file)}</li>`).join('')}</${tag}>`;
    }
    case 'blockquote':
      return `<blockquote>${blocks(n.children, v, file)}</blockquote>`;
    case 'mdxJsxFlowElement':
    case 'mdxJsxTextElement':
      return component(n, v, file);
    default:
      // ESM, expressions, comments, html: nothing of the statement.
      return '';
  }
}

function component(n: Jsx, v: StatementValues, file: string): string {
  const { ctx } = v;
  switch (n.name) {
    case 'Given': {
      const name = stringAttr(n, 'name', file) ?? '';
      const value = (ctx.given as Record<string, number | undefined>)[name] ?? v.values[name];
      if (value === undefined) throw new Error(`${file}: <Given name="${name}">: not given`);
      return escapeHtml(formatNumber(value));
    }
    case 'Network': {
      const widths = mlpWidths(ctx.model);
      const inline = attrValue(n, 'inline', file) === true;
      if (inline) return escapeHtml(widths ? mlpPhrase(widths) : `${ctx.model.name}, input ${formatShape(ctx.model.input)}`);
      if (widths) return `<p>Layer widths: ${escapeHtml(widths.map(formatNumber).join(' → '))}</p>`;
      const rows = ctx.model.layers
        .map((l) => `<tr><td>${escapeHtml(l.path.join('.'))}</td><td>${escapeHtml(l.label)}</td><td>${escapeHtml(formatShape(l.inputShape))}</td><td>${escapeHtml(formatShape(l.outputShape))}</td></tr>`)
        .join('');
      return `<table><thead><tr><th>Layer</th><th>Kind</th><th>Input</th><th>Output</th></tr></thead><tbody>${rows}</tbody></table>`;
    }
    case 'Question':
      return blocks(n.children as RootContent[], v, file);
    // Figures (answers, values, tables) and errata would give answers away.
    case 'Value':
      return '____';
    case 'Answer':
    case 'Errata':
    case 'FigureTable':
    case 'GemmTable':
      return '';
    default:
      return blocks(n.children as RootContent[], v, file);
  }
}
