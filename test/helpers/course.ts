/**
 * A course of one's own, written to a temporary folder for a test: `problems/`, `content/` and
 * any other file, by path. Nothing under src/ is touched.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function writeCourse(files: Readonly<Record<string, string>>, prefix = 'workbook-course-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The line (1-based) of the first line of `text` that contains `needle`, and its column. */
export function lineOf(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`'${needle}' is not in the text`);
  return { line: i + 1, column: lines[i]!.indexOf(needle) + 1 };
}
