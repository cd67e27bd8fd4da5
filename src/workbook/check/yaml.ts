/**
 * YAML with positions: the line and column of any field, for diagnostics. The `yaml` package keeps
 * each node's source range; `locate` walks a path (as zod reports it) as far as it exists.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface LocatedYaml {
  readonly data: unknown;
  /** Syntax errors, with their positions. */
  readonly errors: readonly { readonly message: string; readonly position: Position }[];
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
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line + firstLine - 1, column: p.col };
  };
  const start: Position = { line: firstLine, column: 1 };

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
  const visit = (node: unknown) => {
    if (isMap(node) || isSeq(node)) for (const item of node.items) visit(item);
    else if (isPair(node)) visit(node.value);
    else if (isScalar(node) && typeof node.value === 'string' && node.range) strings.push({ value: node.value, position: at(node.range[0]) });
  };
  visit(doc.contents);

  return {
    data: doc.toJS(),
    errors: doc.errors.map((e) => ({ message: e.message.split('\n')[0]!, position: at(e.pos[0]) })),
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
