/**
 * YAML with positions: the line and column of any field, for diagnostics. The `yaml` package keeps
 * each node's source range; `locate` walks a path (as zod reports it) as far as it exists.
 *
 * Bounded: a text past MAX_YAML_BYTES, nesting past MAX_YAML_DEPTH, or aliases that would expand
 * the document past MAX_YAML_NODES values (an alias bomb) are errors at their place, found
 * before the document is turned into data. A duplicate key and an unknown tag (`!foo`) are
 * errors too, at the key or the tag, as the site's own frontmatter parser would refuse them.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** A course file or a frontmatter is a page of settings, never megabytes. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** Nesting of maps and lists (a model's layers sit at depth 4). */
export const MAX_YAML_DEPTH = 64;
/** Values after expanding aliases: more means an alias bomb, not a course. */
export const MAX_YAML_NODES = 200_000;

export interface YamlError {
  readonly message: string;
  readonly position: Position;
}

export interface LocatedYaml {
  readonly data: unknown;
  /** Syntax errors and broken bounds, with their positions. */
  readonly errors: readonly YamlError[];
  /** Where the field at `path` is written (its key), or the deepest part of the path that exists. */
  locate(path: readonly PropertyKey[]): Position;
  /** Where the value at `path` starts (for `"$name"` inside a value, the string's own place). */
  valueAt(path: readonly PropertyKey[]): Position;
  /** Every string scalar with its path, for finding `"$name"` references. */
  strings(): { readonly value: string; readonly position: Position }[];
}

/**
 * Parses `text`, which starts at line `firstLine` of its file (a frontmatter's YAML starts on
 * line 2, after its `---`).
 */
export function parseYaml(text: string, firstLine = 1): LocatedYaml {
  const start: Position = { line: firstLine, column: 1 };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_YAML_BYTES) {
    return { data: undefined, errors: [{ message: `${bytes} bytes of YAML; the limit is ${MAX_YAML_BYTES}`, position: start }], locate: () => start, valueAt: () => start, strings: () => [] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line + firstLine - 1, column: p.col };
  };
  const errors: YamlError[] = [
    ...doc.errors.map((e) => ({
      message: e.code === 'DUPLICATE_KEY' ? `duplicate key '${keyAt(text, e.pos[0])}': a key may appear once in a map` : e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
      position: at(e.pos[0]),
    })),
    // An unknown tag is a warning to `yaml`, an error to the site's parser (js-yaml).
    ...doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED').map((w) => ({ message: w.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), position: at(w.pos[0]) })),
    ...bounds(doc, at),
  ];

  /** The key node and value node of each step of `path`, as far as the path exists. */
  function walk(path: readonly PropertyKey[]): { key?: Node; value?: Node } {
    let node: unknown = doc.contents;
    let last: { key?: Node; value?: Node } = {};
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) break;
        last = { key: pair.key as Node, ...(pair.value ? { value: pair.value as Node } : {}) };
        node = pair.value;
      } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
        last = { value: node.items[step] as Node };
        node = node.items[step];
      } else break;
    }
    return last;
  }

  const rangeStart = (n: Node | undefined) => (n?.range ? at(n.range[0]) : start);
  const strings: { value: string; position: Position }[] = [];
  if (errors.length === 0) {
    const visit = (node: unknown) => {
      if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item);
      else if (isPair(node)) visit(node.value);
      else if (isScalar(node) && typeof node.value === 'string' && node.range) strings.push({ value: node.value, position: at(node.range[0]) });
    };
    visit(doc.contents);
  }

  let data: unknown;
  try {
    data = errors.length === 0 ? doc.toJS({ maxAliasCount: -1 }) : undefined;
  } catch (error) {
    errors.push({ message: (error as Error).message, position: start });
  }
  return {
    data,
    errors,
    locate: (path) => {
      const { key, value } = walk(path);
      return rangeStart(key ?? value);
    },
    valueAt: (path) => {
      const { key, value } = walk(path);
      return rangeStart(value ?? key);
    },
    strings: () => strings,
  };
}

/**
 * Depth and expanded size, each at the first place it is broken. Sizes of anchored nodes are
 * memoized, so a bomb is measured in the time of its source, not of its expansion; the walk
 * keeps its own stack (no recursion on the document's depth).
 */
function bounds(doc: Document, at: (offset: number) => Position): YamlError[] {
  const size = new Map<Node, number>();
  let tooDeep: YamlError | undefined;
  const measure = (root: Node): number => {
    // Post-order over an explicit stack: [node, depth, children pushed?]
    const stack: [Node, number, boolean][] = [[root, 1, false]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [node, depth, expanded] = top;
      if (size.has(node)) {
        stack.pop();
        continue;
      }
      if (isAlias(node)) {
        const target = node.resolve(doc) as Node | undefined;
        if (!target || size.has(target) || expanded) {
          size.set(node, target ? (size.get(target) ?? 1) : 1);
          stack.pop();
        } else {
          top[2] = true;
          stack.push([target, depth, false]);
        }
        continue;
      }
      const children = isMap(node) ? node.items.flatMap((p) => [p.key, p.value]) : isSeq(node) ? node.items : [];
      if (!expanded) {
        if (depth > MAX_YAML_DEPTH && (isMap(node) || isSeq(node))) {
          tooDeep ??= { message: `nested more than ${MAX_YAML_DEPTH} levels deep`, position: at(node.range?.[0] ?? 0) };
          size.set(node, 1);
          stack.pop();
          continue;
        }
        top[2] = true;
        for (const child of children) if (child && typeof child === 'object' && !size.has(child as Node)) stack.push([child as Node, depth + 1, false]);
        continue;
      }
      let total = 1;
      for (const child of children) if (child && typeof child === 'object') total += size.get(child as Node) ?? 1;
      size.set(node, Math.min(total, Number.MAX_SAFE_INTEGER));
      stack.pop();
    }
    return size.get(root) ?? 1;
  };
  if (!doc.contents) return [];
  const total = measure(doc.contents as Node);
  const errors: YamlError[] = tooDeep ? [tooDeep] : [];
  if (total > MAX_YAML_NODES) {
    // The first alias whose expansion alone breaks the bound, else the document.
    let first: Node | undefined;
    const stack: unknown[] = [doc.contents];
    while (stack.length > 0 && !first) {
      const node = stack.pop();
      if (isAlias(node) && (size.get(node) ?? 0) * 2 > MAX_YAML_NODES / 100) first = node;
      else if (isMap(node)) for (const p of [...node.items].reverse()) stack.push(p.value, p.key);
      else if (isSeq(node)) for (const item of [...node.items].reverse()) stack.push(item);
    }
    const where = first?.range ? at(first.range[0]) : at((doc.contents as Node).range?.[0] ?? 0);
    errors.push({ message: `aliases expand to more than ${MAX_YAML_NODES} values (${total > 1e15 ? 'about 1e15 or more' : total}); write the values out, or use fewer aliases`, position: where });
  }
  return errors;
}

/** The key written at `offset`: a plain, single- or double-quoted scalar. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 200);
  const m = /^"((?:[^"\\\n]|\\.)*)"|^'((?:[^'\n]|'')*)'|^([^:#\n]*?)\s*:(?:\s|$)/.exec(rest);
  return (m?.[1] ?? m?.[2] ?? m?.[3] ?? rest.split(/[\s:]/)[0] ?? '').trim();
}
