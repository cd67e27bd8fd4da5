/**
 * A course file's text and its frontmatter, found as the site's parsers find them, for the
 * checks of problems and chapters.
 */
import { type Diagnostic } from './diagnostics.ts';
import { readSourceText } from './text.ts';
import { parseYaml, type LocatedYaml, type Position } from './yaml.ts';

/**
 * The frontmatter where the site's parser finds it: after an optional BOM or blank lines, between
 * `---` lines. `error` when the fences are there but not as the parser needs them.
 */
export function frontmatterOf(text: string): { yaml?: LocatedYaml; bodyLine: number; body: string; error?: { position: Position; message: string } } {
  const m = /^(\s*\n)?---[ \t]*\r?\n([\s\S]*?\r?\n)?---[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) {
    const fence = /^(\s*\n)?---/.exec(text);
    if (fence) {
      const line = (fence[1] ?? '').split('\n').length;
      const open = text.slice(fence[0].length).split('\n')[0]!;
      const message = /\S/.test(open) ? `frontmatter: '---' stands alone on its line (found '---${open.trim()}')` : 'frontmatter: no closing --- line';
      // Where the body starts is unknown: it is not checked (the YAML would read as MDX).
      return { bodyLine: 1, body: '', error: { position: { line, column: 1 }, message } };
    }
    return { bodyLine: 1, body: text };
  }
  const firstLine = (m[1] ?? '').split('\n').length + 1;
  const yaml = parseYaml(m[2] ?? '', firstLine);
  const bodyLine = m[0].split('\n').length;
  return { yaml, bodyLine, body: text.slice(m[0].length) };
}

/** The text of a course file, or its one located error. */
export function sourceOf(path: string, file: string): { text: string } | { diagnostic: Diagnostic } {
  const read = readSourceText(path);
  return 'text' in read ? read : { diagnostic: { file, ...(read.error.position ?? {}), message: read.error.message } };
}

