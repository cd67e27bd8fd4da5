/**
 * An error thrown while a page rendered, as one located line: the place the MDX plugin marked
 * on it (site/mdx-locate.ts: an author's `{expression}`, a chapter component's element), else
 * the page's file (the page watch knows it). Never a stack trace through compiled chunks.
 */
import { formatDiagnostic, type Diagnostic } from '../workbook/check/diagnostics.ts';
import type { WorkbookAt } from './mdx-locate.ts';

/** The place an error was marked with, if any. */
export function placeOf(error: unknown): WorkbookAt | undefined {
  const at = error !== null && typeof error === 'object' ? (error as { workbookAt?: unknown }).workbookAt : undefined;
  if (!at || typeof at !== 'object') return undefined;
  const { file, line, column, code } = at as Partial<WorkbookAt>;
  return typeof file === 'string' && typeof line === 'number' && typeof column === 'number' ? { file, line, column, code: typeof code === 'string' ? code : '' } : undefined;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).trim() || (error instanceof Error ? error.name : 'an error');

/**
 * The error as a diagnostic: at its marked place, `{code} threw: message`; else at the page
 * (`page` as the page watch names it: its file and URL). `workbook dev` shows it as check's.
 */
export function pageErrorDiagnostic(error: unknown, page: string | undefined): Diagnostic {
  const at = placeOf(error);
  const message = messageOf(error);
  if (at) {
    // A component's own message names its element already (<Example of="params">: ...): no code,
    // and no file a problem component's message starts with (`problems/q1.mdx: <Given ...>: ...`).
    const said = at.code ? `${at.code} threw: ${message}` : message.startsWith(`${at.file}: `) ? message.slice(at.file.length + 2) : message;
    return { file: at.file, line: at.line, column: at.column, message: said };
  }
  // A message that names the page's file already (`problems/q1.mdx: <GemmTable ...>: ...`) is not prefixed twice.
  const file = page?.replace(/ \(page [^)]*\)$/, '');
  if (file && message.startsWith(`${file}:`)) return { file, message: `${message.slice(file.length + 1).trimStart()} (${page!.slice(file.length + 2, -1)}, while it rendered)` };
  return { file: page ?? 'a page', message: `${message} (while the page rendered)` };
}

/** `file:line:column: {code} threw: message` for a marked error; `page: message` for another. */
export function pageErrorLine(error: unknown, page: string | undefined): string {
  return formatDiagnostic(pageErrorDiagnostic(error, page));
}
