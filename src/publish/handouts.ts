/**
 * Per-student handouts: for each student of a roster, their graded variant of every randomized
 * problem of a set (seed gradedSeed(secret, set, id, problem), drawn in the graded space:
 * secret.ts), printed from the built sheet /sets/<set>/student/ with one browser for the whole
 * roster; and the instructor's key, the same variants solved by the engine here, as CSV and JSON.
 */
import { csvLines } from './csv.ts';
import { SIGNIFICANT_DIGITS } from '../workbook/grading/precision.ts';
import { isRandomized } from '../workbook/variants/index.ts';
import type { Student } from './roster.ts';
import { gradedSeed } from './secret.ts';
import { keyAnswerOf, keyEntries, solveProblem, type KeyAnswer, type ProblemSetDoc, type SetProblem } from './sets.ts';

export { fileNameOf } from './roster.ts';

export interface StudentKey {
  readonly student: string;
  /** The roster's name column, when it has one. */
  readonly name?: string;
  readonly problems: readonly {
    readonly problem: string;
    /** The student's seed, or 0 for a problem without params (the same for everyone). */
    readonly seed: number;
    readonly values: Readonly<Record<string, number>>;
    readonly answers: readonly KeyAnswer[];
  }[];
}

/** Each student's graded variants, solved: the key. */
export function studentKeys(set: ProblemSetDoc, students: readonly Student[], secret: string): StudentKey[] {
  // A problem without params is the same for every student: solved once.
  const fixed = new Map<SetProblem, ReturnType<typeof solveProblem>>();
  for (const p of set.problems) if (!isRandomized(p.data)) fixed.set(p, solveProblem(p));
  return students.map(({ id: student, name }) => ({
    student,
    ...(name !== undefined ? { name } : {}),
    problems: set.problems.map((p) => {
      const solved = fixed.get(p) ?? solveProblem(p, gradedSeed(secret, set.id, student, p.id), 'graded');
      return {
        problem: p.id,
        seed: solved.seed,
        values: isRandomized(p.data) ? solved.values : {},
        answers: keyEntries(p, solved).map(keyAnswerOf),
      };
    }),
  }));
}

/**
 * One row per student: each randomized problem's seed, then for every answer the figure as
 * displayed (the string the pages and the LMS exports show: `46.7 ms`, `yes (3,000 B)`), a
 * yes/no, choice or word answer's pick, and the exact value (unit in the header).
 */
export function keyCsv(set: ProblemSetDoc, keys: readonly StudentKey[]): string {
  const first = keys[0];
  if (!first) return '';
  const named = keys.some((k) => k.name !== undefined);
  const head = named ? ['student', 'name'] : ['student'];
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
    const cells: (string | number)[] = named ? [k.student, k.name ?? ''] : [k.student];
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
  return csvLines([head, ...rows]);
}

export function keyJson(set: ProblemSetDoc, keys: readonly StudentKey[]): string {
  return JSON.stringify(
    {
      set: set.id,
      title: set.title,
      seed: 'gradedSeed = the first 4 bytes of HMAC-SHA-256(course secret, ["graded", set, id trimmed, NFC-normalized and lower-cased, problem] joined with U+001F), 0 taken as 1, drawn in the graded space (src/publish/secret.ts)',
      precision: `display is the figure as every page and export shows it, value the exact figure; a count shown in full is graded exactly, a figure shown rounded (times and energies to ${SIGNIFICANT_DIGITS} significant digits, a count in MB or GB) within half a unit of its last displayed digit`,
      students: keys,
    },
    null,
    2,
  ) + '\n';
}
