/**
 * A problem's MDX body as the build reads it (remark-mdx, the parser of the site's MDX): a parse
 * error at its own line and column, and the rule that a problem's text runs no code. Its
 * components take literal props only (numbers, strings, true/false, lists and objects of them),
 * and it has no `{expression}`, `import` or `export`: the same text is read as data by the
 * exports and handouts, and a page's code could stop or hang the build.
 */
import remarkMath from 'remark-math';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Root, RootContent } from 'mdast';
import { CHAPTER_FIGURES } from '../chapter-figures.ts';
import { didYouMean } from './diagnostics.ts';
import { parseLiteral } from './tags.ts';
import type { Position } from './yaml.ts';

type Report = (where: Position | undefined, message: string) => void;

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkMath);

interface MdxError {
  readonly reason?: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly cause?: { message?: string };
}

/**
 * Parses `body`, whose first line is line `firstLine` of its file; on a syntax error reports it
 * where it is (an unclosed tag: at the tag) and returns where it is.
 */
export function parseBody(body: string, firstLine: number, report: Report): { root: Root } | { error: Position } {
  try {
    return { root: parser.parse(body) };
  } catch (error) {
    const e = error as MdxError;
    const reason = e.reason ?? e.message;
    // "Expected a closing tag for `<Question>` (33:1-33:21)": the tag's place is what to fix.
    const range = /\s*\((\d+):(\d+)-\d+:\d+\)/.exec(reason);
    const line = range ? Number(range[1]) : e.line;
    const column = range ? Number(range[2]) : e.column;
    const where = line === undefined ? { line: firstLine, column: 1 } : { line: line + firstLine - 1, column: column ?? 1 };
    const cause = e.cause?.message ? `: ${e.cause.message.replace(/\s*\(\d+:\d+\)$/, '')}` : '';
    report(where, `the MDX does not parse: ${reason.replace(range?.[0] ?? '\u0000', '')}${cause}`);
    return { error: where };
  }
}

type Node = RootContent | Root;

/** Code in a problem's text, and props that are not literals, each at its place. */
export function checkNoCode(root: Root, firstLine: number, report: Report): void {
  const at = (node: { position?: { start: { line: number; column: number } } }): Position | undefined =>
    node.position ? { line: node.position.start.line + firstLine - 1, column: node.position.start.column } : undefined;
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    switch (node.type) {
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        // {/* a comment */} runs nothing.
        if (/^\s*(\/\*[\s\S]*?\*\/\s*)+$/.test(node.value)) break;
        report(at(node), `{${short(node.value)}}: a problem's text runs no code; write \\{ for a brace, or $...$ for math`);
        break;
      case 'mdxjsEsm':
        report(at(node), `${short(node.value)}: a problem imports and exports nothing; its components need no import`);
        break;
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement':
        for (const attr of node.attributes) {
          const of = node.attributes.find((a) => a.type === 'mdxJsxAttribute' && a.name === 'of' && typeof a.value === 'string');
          const tag = `<${node.name ?? ''}${of ? ` of="${String(of.value)}"` : ''}>`;
          if (attr.type === 'mdxJsxExpressionAttribute') {
            report(at(attr) ?? at(node), `${tag}: {${short(attr.value)}}: write each prop as name="..." or name={literal}`);
          } else if (attr.value && typeof attr.value === 'object') {
            const value = parseLiteral(attr.value.value.trim());
            if ('expression' in value) report(at(attr) ?? at(node), `${tag} ${attr.name}={${short(attr.value.value)}}: a prop is a literal (a number, a string, true or false, or lists and objects of these); expressions are not read`);
            else if (attr.name === 'expect' && typeof value.literal === 'number' && !Number.isFinite(value.literal)) report(at(attr) ?? at(node), `${tag} expect={${short(attr.value.value)}}: not a finite number`);
          }
        }
        break;
      default:
        break;
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Node);
  }
}

const short = (text: string) => {
  const one = text.trim().replace(/\s+/g, ' ');
  return one.length > 40 ? `${one.slice(0, 37)}...` : one;
};

/**
 * Components a text uses that it is not given (a chapter: `Example`, `LayerFormulas`, or what it
 * imports): MDX would stop the page's render with "Expected component ... to be defined".
 */
export function checkComponents(root: Root, firstLine: number, given: readonly string[], report: Report): void {
  const imported = new Set<string>();
  const stack: Node[] = [root];
  const used: { name: string; node: Node }[] = [];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'mdxjsEsm') for (const m of node.value.matchAll(/\b([A-Z]\w*)\b/g)) imported.add(m[1]!);
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name && /^[A-Z]\w*$/.test(node.name)) used.push({ name: node.name, node });
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Node);
  }
  for (const { name, node } of used) {
    if (given.includes(name) || imported.has(name)) continue;
    const start = node.position?.start;
    report(start ? { line: start.line + firstLine - 1, column: start.column } : undefined, `<${name}>: unknown component${didYouMean(name, given)}; components: ${given.join(', ')}`);
  }
}

/**
 * A chapter component whose props are all literals, computed as the page computes it
 * (workbook/chapter-figures.ts): what it would throw in the build is an error at the element, with
 * the build's message. Props that are code (`model={net}`) are the build's to evaluate; it names
 * the same element's line (site/mdx-locate.ts).
 */
export function checkChapterFigures(root: Root, firstLine: number, report: Report): void {
  for (const element of literalElements(root, firstLine, (name) => Object.hasOwn(CHAPTER_FIGURES, name))) {
    try {
      CHAPTER_FIGURES[element.name]!(element.props);
    } catch (error) {
      report(element.position, (error as Error).message);
    }
  }
}

/** An element whose props are all literals: its props as values, and where it and each prop are. */
export interface LiteralElement {
  readonly name: string;
  readonly position: Position | undefined;
  readonly props: Record<string, unknown>;
  readonly propPositions: Readonly<Record<string, Position | undefined>>;
}

/**
 * The elements of the components `wanted` names whose props are all literals (`<Example of="params" />`
 * is; `model={net}` is code, the build's to evaluate), in document order.
 */
export function literalElements(root: Root, firstLine: number, wanted: (name: string) => boolean): LiteralElement[] {
  const at = (node: { position?: { start: { line: number; column: number } } }): Position | undefined =>
    node.position ? { line: node.position.start.line + firstLine - 1, column: node.position.start.column } : undefined;
  const out: LiteralElement[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Node);
    if ((node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') || !node.name || !wanted(node.name)) continue;
    const props: Record<string, unknown> = {};
    const propPositions: Record<string, Position | undefined> = {};
    let literal = true;
    for (const attr of node.attributes) {
      if (attr.type === 'mdxJsxExpressionAttribute') {
        literal = false;
        continue;
      }
      propPositions[attr.name] = at(attr);
      if (attr.value === null || attr.value === undefined) props[attr.name] = true;
      else if (typeof attr.value === 'string') props[attr.name] = attr.value;
      else {
        const value = parseLiteral(attr.value.value.trim());
        if ('expression' in value) literal = false;
        else props[attr.name] = value.literal;
      }
    }
    if (literal) out.push({ name: node.name, position: at(node), props, propPositions });
  }
  return out;
}
