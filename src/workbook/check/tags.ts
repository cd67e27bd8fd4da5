/**
 * The components of a problem's MDX body with their props and positions, for checking without
 * compiling: `<Answer of="params" layer="conv1" expect={99338} />`. Prop values are read as
 * literals (strings, numbers, booleans, arrays and objects of them); any other expression is
 * kept as `expression` and left to the build. Code (fenced or inline) is skipped.
 */
import type { Position } from './yaml.ts';

export type PropValue = { readonly literal: unknown } | { readonly expression: string };

export interface TagProp {
  readonly name: string;
  readonly value: PropValue | undefined;
  readonly position: Position;
}

export interface Tag {
  readonly name: string;
  readonly position: Position;
  readonly props: readonly TagProp[];
}

/** Tags of `body`, whose first line is line `firstLine` of its file. */
export function scanTags(body: string, firstLine: number): Tag[] {
  const lineStarts = [0];
  for (let i = 0; i < body.length; i++) if (body[i] === '\n') lineStarts.push(i + 1);
  const at = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: firstLine + lo, column: offset - lineStarts[lo]! + 1 };
  };
  const masked = maskCode(body);
  const tags: Tag[] = [];
  const open = /<([A-Z][A-Za-z0-9]*)(?=[\s/>])/g;
  for (let m = open.exec(masked); m; m = open.exec(masked)) {
    const props: TagProp[] = [];
    let i = m.index + m[0].length;
    while (i < body.length) {
      while (/\s/.test(body[i] ?? '')) i++;
      if (body[i] === '>' || body.startsWith('/>', i) || i >= body.length) break;
      const name = /^[A-Za-z_][\w-]*/.exec(body.slice(i))?.[0];
      if (!name) break;
      const start = i;
      i += name.length;
      let value: PropValue | undefined;
      if (body[i] === '=') {
        i++;
        const quote = body[i];
        if (quote === '"' || quote === "'") {
          const end = body.indexOf(quote, i + 1);
          value = { literal: body.slice(i + 1, end) };
          i = end + 1;
        } else if (quote === '{') {
          const end = matchingBrace(body, i);
          const source = body.slice(i + 1, end).trim();
          value = parseLiteral(source);
          i = end + 1;
        }
      }
      props.push({ name, value, position: at(start) });
    }
    tags.push({ name: m[1]!, position: at(m.index), props });
  }
  return tags;
}

/** The body with code (``` fences and `inline`) blanked, offsets kept. */
function maskCode(body: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return body.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank).replace(/`[^`\n]*`/g, blank);
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i = text.indexOf(c, i + 1);
      if (i < 0) return text.length;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return text.length;
}

/** A JavaScript literal (JSON with single quotes, bare keys and trailing commas), or the expression as written. */
export function parseLiteral(source: string): PropValue {
  let i = 0;
  const fail = (): never => {
    throw new SyntaxError();
  };
  const ws = () => {
    while (/\s/.test(source[i] ?? '')) i++;
  };
  const value = (): unknown => {
    ws();
    const c = source[i];
    if (c === '"' || c === "'") {
      const end = source.indexOf(c, i + 1);
      if (end < 0) fail();
      const s = source.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (c === '[') {
      i++;
      const out: unknown[] = [];
      for (ws(); source[i] !== ']'; ws()) {
        out.push(value());
        ws();
        if (source[i] === ',') i++;
        else if (source[i] !== ']') fail();
      }
      i++;
      return out;
    }
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = {};
      for (ws(); source[i] !== '}'; ws()) {
        const key = source[i] === '"' || source[i] === "'" ? (value() as string) : (/^[A-Za-z_$][\w$]*/.exec(source.slice(i))?.[0] ?? fail());
        if (typeof key === 'string' && source[i] !== ':' && !/^\s*:/.test(source.slice(i))) i += key.length;
        ws();
        if (source[i] !== ':') fail();
        i++;
        out[key] = value();
        ws();
        if (source[i] === ',') i++;
        else if (source[i] !== '}') fail();
      }
      i++;
      return out;
    }
    const word = /^(?:-?(?:\d[\d_]*\.?\d*(?:e[+-]?\d+)?|\.\d+)|true|false|null)/i.exec(source.slice(i))?.[0];
    if (!word) fail();
    i += word!.length;
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word!.replace(/_/g, ''));
  };
  try {
    const literal = value();
    ws();
    if (i !== source.length) fail();
    return { literal };
  } catch {
    return { expression: source };
  }
}
