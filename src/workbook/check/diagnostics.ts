/**
 * An author's mistake, located: the file, the line and column of the frontmatter field or MDX
 * tag, and a message that names the nearest valid name. `workbook check` and the build print the
 * same diagnostics, all of a run, as `file:line:column: message`.
 */

export interface Diagnostic {
  /** Relative to the course's folder, e.g. `problems/hw2/q1.mdx`. */
  readonly file: string;
  /** 1-based; absent when the mistake is about the whole file. */
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line === undefined ? d.file : `${d.file}:${d.line}${d.column === undefined ? '' : `:${d.column}`}`;
  return `${printable(where)}: ${printable(d.message)}`;
}

/**
 * One line, whatever the author's text a message quotes: a newline shows as \n, other control
 * characters (an escape sequence would drive the terminal) as \u{1b}.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000A-\u001F\u007F]/g, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u{${c.charCodeAt(0).toString(16)}}`));
}

/** Every diagnostic of a run, one per line, then a count. */
export function formatReport(diagnostics: readonly Diagnostic[]): string {
  const n = diagnostics.length;
  return `${diagnostics.map(formatDiagnostic).join('\n')}\n${n} error${n === 1 ? '' : 's'} in the course`;
}

/** Thrown with every diagnostic of a step (a course file, a problem), never only the first. */
export class AuthoringError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'AuthoringError';
    this.diagnostics = diagnostics;
  }
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), case-blind. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) => [i, ...Array<number>(t.length).fill(0)]);
  for (let j = 0; j <= t.length; j++) d[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[s.length]![t.length]!;
}

/**
 * The candidate nearest to `name`, when it is near enough to be what was meant: at most a third
 * of the name's length in edits (at least 1, at most 3), or a candidate that starts with it.
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name, c);
    if (dist < bestDistance) [best, bestDistance] = [c, dist];
  }
  if (best === undefined) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  if (bestDistance <= limit) return best;
  const prefix = [...candidates].find((c) => name.length >= 3 && c.toLowerCase().startsWith(name.toLowerCase()));
  return prefix;
}

/** "; did you mean paramBytes?" or "" when nothing is near. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const near = nearestName(name, candidates);
  return near === undefined ? '' : `; did you mean ${near}?`;
}
