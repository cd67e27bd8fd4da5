/**
 * A class roster: a CSV with a header row and a student per row. The id is the column named id,
 * student, student_id, student id or email (else the first column); the name, when there is one,
 * the column named name, full name, full_name or student name. Every mistake is located at its
 * line, `roster.csv:14: ...`: bytes that are not UTF-8, an empty id, an id given twice (ids
 * compare trimmed, NFC-normalized and lower-cased, as seeds do), two ids that would make the same
 * PDF file name.
 */
import { normalizeStudentId } from '../workbook/variants/hash.ts';

export interface Student {
  /** As the roster writes it, trimmed. */
  readonly id: string;
  readonly name?: string;
  /** The line of the roster it is on (1 is the header). */
  readonly line: number;
}

const ID_COLUMNS = ['id', 'student', 'student_id', 'student id', 'email'];
const NAME_COLUMNS = ['name', 'full name', 'full_name', 'student name'];

/** The students of a roster file's bytes (or text); `file` names it in errors. */
export function parseRoster(input: Uint8Array | string, file = 'roster'): Student[] {
  const lines = typeof input === 'string' ? input.split(/\r?\n/) : decodeLines(input, file);
  if (lines.length > 0) lines[0] = lines[0]!.replace(/^\uFEFF/, '');
  const rows = lines.map((text, i) => ({ line: i + 1, text })).filter((r) => r.text.trim() !== '');
  const [header, ...body] = rows;
  if (!header || body.length === 0) throw new Error(`${file}: needs a header row and at least one student`);
  const heads = csvFields(header.text).map((h) => h.trim().toLowerCase());
  const named = heads.findIndex((h) => ID_COLUMNS.includes(h));
  const idColumn = named >= 0 ? named : 0;
  const nameColumn = heads.findIndex((h, i) => i !== idColumn && NAME_COLUMNS.includes(h));
  const students = body.map(({ line, text }): Student => {
    const fields = csvFields(text);
    const id = fields[idColumn]?.trim() ?? '';
    if (normalizeStudentId(id) === '') throw new Error(`${file}:${line}: no ${heads[idColumn] || 'id'} on this row`);
    const name = nameColumn >= 0 ? fields[nameColumn]?.trim() : undefined;
    return { id, line, ...(name ? { name } : {}) };
  });
  checkRoster(students, file);
  return students;
}

/** The lines of UTF-8 bytes; a line that is not UTF-8 is an error at that line. */
function decodeLines(bytes: Uint8Array, file: string): string[] {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    const line = bytes.subarray(start, i);
    try {
      lines.push(decoder.decode(line).replace(/\r$/, ''));
    } catch {
      throw new Error(`${file}:${lines.length + 1}: not UTF-8 (save the roster as UTF-8 text)`);
    }
    if (lines[lines.length - 1]!.includes('\u0000')) throw new Error(`${file}:${lines.length}: not a text file (a NUL byte)`);
    start = i + 1;
  }
  return lines;
}

/** No id twice, no two ids with one PDF file name. */
function checkRoster(students: readonly Student[], file: string): void {
  const seen = new Map<string, Student>();
  const names = new Map<string, Student>();
  for (const s of students) {
    const first = seen.get(normalizeStudentId(s.id));
    if (first) throw new Error(`${file}:${s.line}: student id '${s.id}' repeats '${first.id}' of line ${first.line}; each student once`);
    seen.set(normalizeStudentId(s.id), s);
    // Compared without case: macOS and Windows file systems do.
    const name = fileNameOf(s.id);
    const clash = names.get(name.toLowerCase());
    if (clash) throw new Error(`${file}:${s.line}: student ids '${clash.id}' (line ${clash.line}) and '${s.id}' give the same file name ${name}.pdf; make the ids differ in a letter or digit`);
    names.set(name.toLowerCase(), s);
  }
}

/**
 * A student's PDF name: the id as written (its case kept, NFC), with any run of characters but
 * letters, digits, `.`, `_`, `-`, `@` as `_`, and no leading dot.
 */
export function fileNameOf(id: string): string {
  return id.normalize('NFC').trim().replace(/[^\p{L}\p{N}._@-]+/gu, '_').replace(/^\.+/, '_');
}

function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(field), (field = '');
    else field += c;
  }
  out.push(field);
  return out;
}
