/**
 * Per-student handouts: for each student of a roster, their variant of every randomized problem
 * of a set (seed studentSeed(id, problem), src/workbook/variants/hash.ts), printed from the built
 * sheet /sets/<set>/student/ with one browser for the whole roster; and the instructor's key, the
 * same variants solved by the engine here, as CSV and JSON.
 */
import { normalizeStudentId, studentSeed } from '../workbook/variants/hash.ts';
import { SIGNIFICANT_DIGITS } from '../workbook/grading/precision.ts';
import { isRandomized } from '../workbook/variants/index.ts';
import { keyAnswerOf, keyEntries, solveProblem, type KeyAnswer, type ProblemSetDoc, type SetProblem } from './sets.ts';

/** Roster ids checked: none empty (parseRoster), none repeated once normalized, file names distinct. */
export function checkRoster(ids: readonly string[], file: string): void {
  const seen = new Map<string, string>();
  const names = new Map<string, string>();
  ids.forEach((id, i) => {
    const key = normalizeStudentId(id);
    const first = seen.get(key);
    if (first !== undefined) throw new Error(`${file}: student id '${id}' (row ${i + 2}) repeats '${first}'; each student once`);
    seen.set(key, id);
    const name = fileNameOf(id);
    const clash = names.get(name);
    if (clash !== undefined) throw new Error(`${file}: student ids '${clash}' and '${id}' give the same file name ${name}.pdf`);
    names.set(name, id);
  });
}

/** A student's PDF name: the id, normalized, with anything but letters, digits, `.`, `_`, `-`, `@` as `_`. */
export function fileNameOf(id: string): string {
  return normalizeStudentId(id).replace(/[^\p{L}\p{N}._@-]+/gu, '_').replace(/^\.+/, '_');
}

export interface StudentKey {
  readonly student: string;
  readonly problems: readonly {
    readonly problem: string;
    /** The student's seed, or 0 for a problem without params (the same for everyone). */
    readonly seed: number;
    readonly values: Readonly<Record<string, number>>;
    readonly answers: readonly KeyAnswer[];
  }[];
}

/** Each student's variants, solved: the key. */
export function studentKeys(set: ProblemSetDoc, ids: readonly string[]): StudentKey[] {
  // A problem without params is the same for every student: solved once.
  const fixed = new Map<SetProblem, ReturnType<typeof solveProblem>>();
  for (const p of set.problems) if (!isRandomized(p.data)) fixed.set(p, solveProblem(p));
  return ids.map((student) => ({
    student,
    problems: set.problems.map((p) => {
      const solved = fixed.get(p) ?? solveProblem(p, studentSeed(student, p.id));
      return {
        problem: p.id,
        seed: solved.seed,
        values: isRandomized(p.data) ? solved.values : {},
        answers: keyEntries(p, solved).map(keyAnswerOf),
      };
    }),
  }));
}

const csvCell = (s: string | number) => (/[",\n]/.test(String(s)) ? `"${String(s).replace(/"/g, '""')}"` : String(s));

/**
 * One row per student: each randomized problem's seed, then for every answer the figure as
 * displayed (the string the pages and the LMS exports show: `46.7 ms`, `yes (3,000 B)`), a
 * yes/no, choice or word answer's pick, and the exact value (unit in the header).
 */
export function keyCsv(set: ProblemSetDoc, keys: readonly StudentKey[]): string {
  const first = keys[0];
  if (!first) return '';
  const head = ['student'];
  first.problems.forEach((p, i) => {
    if (isRandomized(set.problems[i]!.data)) head.push(`${p.problem} seed`);
    for (const a of p.answers) {
      const name = `${p.problem}${a.question ? ` (${a.question})` : ''} ${a.title}`;
      head.push(`${name} shown`);
      if (a.pick !== undefined) head.push(`${name} pick`);
      head.push(`${name} exact${a.unit ? ` [${a.unit}]` : ''}`);
    }
  });
  const rows = keys.map((k) => {
    const cells: (string | number)[] = [k.student];
    k.problems.forEach((p, i) => {
      if (isRandomized(set.problems[i]!.data)) cells.push(p.seed);
      for (const a of p.answers) {
        cells.push(a.display);
        if (a.pick !== undefined) cells.push(a.pick);
        cells.push(a.value);
      }
    });
    return cells;
  });
  return [head, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function keyJson(set: ProblemSetDoc, keys: readonly StudentKey[]): string {
  return JSON.stringify(
    {
      set: set.id,
      title: set.title,
      seed: 'studentSeed(id, problem) = hash32(["student", id trimmed, NFC-normalized and lower-cased, problem]), 0 taken as 1 (src/workbook/variants/hash.ts)',
      precision: `display is the figure as every page and export shows it, value the exact figure; a count shown in full is graded exactly, a figure shown rounded (times and energies to ${SIGNIFICANT_DIGITS} significant digits, a count in MB or GB) within half a unit of its last displayed digit`,
      students: keys,
    },
    null,
    2,
  ) + '\n';
}
