/**
 * `workbook answers (<problem>... | --all) (--seeds 1-100 | --roster file.csv | --student ID) [--json | --csv]`
 *
 * Answer keys for graders: each variant's seed, parameter values and answers, computed by the
 * same engine and sampling as the pages. `--seeds` gives practice variants, the site's. A roster
 * or `--student` gives each student's graded variant, the one their handout poses: seed
 * gradedSeed(secret, set, id, problem), keyed by the course secret (src/publish/secret.ts) and
 * drawn in the graded space, which no page reaches. Several problems (or `--all`, every randomized one) in one run: one
 * process loads the engine once (a roster of 500 across every problem: about a second of CPU).
 */
import { csvCell } from '../publish/csv.ts';
import { oneLine } from '../engine/index.ts';
import { keyAnswerOf, keyEntries, type KeyAnswer } from '../publish/sets.ts';
import { SIGNIFICANT_DIGITS } from '../workbook/grading/precision.ts';
import { isRandomized, variantOf, type Variant } from '../workbook/variants/variant.ts';
import { MAX_SEED } from '../workbook/variants/hash.ts';
import { courseSecret, gradedSeed } from '../publish/secret.ts';
import { readRosterFile } from './roster.ts';
import { findProblem, loadProblems, PROJECT_ROOT, type LoadedProblem } from './problems.ts';

export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export const ANSWERS_USAGE = `usage: workbook answers (<problem>... | --all) (--seeds 1-100 | --roster file.csv | --student ID) [--json | --csv]

  <problem>         a problem id (hw1/q1) or its file (problems/hw1/q1.mdx); several may follow
  --all             every randomized problem
  --seeds LIST      practice seeds, e.g. 1-100 or 0,3,7-9 (0 is the homework as written)
  --roster FILE     a CSV with one student per row; the id is the column named id, student,
                    student_id or email, else the first column: each student's graded variant
                    (as their handout), keyed by the course secret (WORKBOOK_SECRET or
                    .workbook-secret: workbook secret init)
  --student ID      one student's graded variant
  --json | --csv    machine-readable output (default: a table); several problems: one JSON
                    object with a \`problems\` list, or one CSV block per problem after a blank line
`;

/** At most this many variants per run. */
const MAX_VARIANTS = 100_000;

/** One variant's key: solved, then only its answers kept (a ResNet-50 report per student is not). */
interface Row {
  readonly student?: string;
  readonly seed: number;
  readonly values: Readonly<Record<string, number>>;
  readonly answers: readonly KeyAnswer[];
}

class UsageError extends Error {}

/** `--help`: the usage on stdout, exit 0. */
class HelpRequest extends Error {}

export async function runAnswers(argv: string[], io: Io, root = PROJECT_ROOT): Promise<number> {
  try {
    const args = parseArgs(argv);
    const secret = args.students ? courseSecret(root) : undefined;
    const problems = args.all ? loadProblems(root).filter((p) => isRandomized(p.data)) : args.problems.map((id) => findProblem(id, root));
    for (const problem of problems) {
      if (!isRandomized(problem.data)) throw new Error(`${problem.file} has no params: it has one variant, its page`);
    }
    const keys = problems.map((problem) => ({
      problem,
      rows: args.students
        ? args.students.map((student) => keyRow(problem, variantOf(problem, gradedSeed(secret!, problem.data.set, student, problem.id), { domain: 'graded' }), student))
        : args.seeds!.map((seed) => keyRow(problem, variantOf(problem, seed))),
    }));
    const one = keys.length === 1 && !args.all;
    let text: string;
    if (args.format === 'json') {
      text = one ? toJson(keys[0]!.problem, keys[0]!.rows) : JSON.stringify({ problems: keys.map((k) => keyJson(k.problem, k.rows)) }, null, 2) + '\n';
    } else {
      const format = args.format === 'csv' ? toCsv : toTable;
      text = keys.map((k) => format(k.problem, k.rows)).join('\n');
    }
    io.stdout.write(text);
    return 0;
  } catch (error) {
    if (error instanceof HelpRequest) {
      io.stdout.write(ANSWERS_USAGE);
      return 0;
    }
    io.stderr.write(`workbook answers: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
    if (error instanceof UsageError) io.stderr.write(`\n${ANSWERS_USAGE}`);
    return error instanceof UsageError ? 2 : 1;
  }
}

interface Args {
  problems: string[];
  all: boolean;
  seeds?: number[];
  students?: string[];
  format: 'table' | 'json' | 'csv';
}

function parseArgs(argv: string[]): Args {
  const problems: string[] = [];
  let all = false;
  let seeds: number[] | undefined;
  let students: string[] | undefined;
  let format: Args['format'] = 'table';
  const sources: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--seeds') {
      seeds = parseSeeds(value());
      sources.push(a);
    } else if (a === '--roster') {
      students = readRoster(value());
      sources.push(a);
    } else if (a === '--student') {
      students = [value()];
      sources.push(a);
    } else if (a === '--json' || a === '--csv') {
      if (format !== 'table') throw new UsageError('give one of --json and --csv');
      format = a === '--json' ? 'json' : 'csv';
    } else if (a === '--all') all = true;
    else if (a === '--help' || a === '-h') throw new HelpRequest();
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${oneLine(a, 60)}`);
    else problems.push(a);
  }
  if (all && problems.length > 0) throw new UsageError(`--all or problems, not both (got --all and ${problems.join(', ')})`);
  if (!all && problems.length === 0) throw new UsageError('which problem? (a problem id, several, or --all)');
  if (sources.length !== 1) throw new UsageError('give exactly one of --seeds, --roster and --student');
  return { problems, all, format, ...(seeds ? { seeds } : {}), ...(students ? { students } : {}) };
}

/** `1-100`, `0,3,7-9` */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new UsageError(`--seeds: cannot read '${part}'; write e.g. 1-100 or 0,3,7-9`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new UsageError(`--seeds: ${from}-${to} runs backwards`);
    if (to > MAX_SEED) throw new UsageError(`--seeds: seeds go up to ${MAX_SEED}`);
    if (seeds.length + (to - from + 1) > MAX_VARIANTS) throw new UsageError(`--seeds: at most ${MAX_VARIANTS} variants at a time`);
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  return seeds;
}

function readRoster(path: string): string[] {
  return readRosterFile(path).map((s) => s.id);
}

// ---- output ---------------------------------------------------------------------------------

/**
 * Every question the problem asks, in page order, as the handouts' keys list them: each <Answer>
 * with the props that select its figure (`macs` of layer conv1 and the model's `macs` are two
 * entries), yes/no answers as their pick, each <Choice> as the engine's pick.
 */
function answersOf(problem: LoadedProblem, v: Variant): KeyAnswer[] {
  return keyEntries(problem, { seed: v.seed, ctx: v.ctx, values: v.values }).map(keyAnswerOf);
}

function keyRow(problem: LoadedProblem, v: Variant, student?: string): Row {
  return { ...(student !== undefined ? { student } : {}), seed: v.seed, values: v.values, answers: answersOf(problem, v) };
}

/**
 * A column's head: the question, the answer's name and the props that select it, and the unit:
 * `b: macs layer=conv1 (MACs)`. A pick (yes/no, choice) has no unit. The JSON has the titles too.
 */
function answerHead(a: KeyAnswer, unit = true): string {
  const select = Object.entries(a.select ?? {}).map(([k, v]) => ` ${k}=${v}`).join('');
  return `${a.question ? `${a.question}: ` : ''}${a.of}${select}${unit && a.unit && a.pick === undefined ? ` (${a.unit})` : ''}`;
}

function keyJson(problem: LoadedProblem, rows: Row[]) {
  return {
    problem: problem.id,
    file: problem.file,
    precision: `counts exact; times and energies to ${SIGNIFICANT_DIGITS} significant digits (within half a unit of the last displayed digit)`,
    variants: rows,
  };
}

function toJson(problem: LoadedProblem, rows: Row[]): string {
  return JSON.stringify(keyJson(problem, rows), null, 2) + '\n';
}

function toCsv(problem: LoadedProblem, rows: Row[]): string {
  const params = Object.keys(rows[0]?.values ?? {});
  const withStudents = rows.some((r) => r.student !== undefined);
  const answerHeads = rows[0]?.answers.map((a) => answerHead(a)) ?? [];
  const lines = [[...(withStudents ? ['student'] : []), 'seed', ...params, ...answerHeads].map(csvCell).join(',')];
  for (const { student, seed, values, answers } of rows) {
    lines.push([...(withStudents ? [student ?? ''] : []), seed, ...params.map((p) => values[p]!), ...answers.map((a) => a.pick ?? a.value)].map(csvCell).join(','));
  }
  return lines.join('\n') + '\n';
}

/**
 * A table for the terminal: a variant per row when the answers fit across, else a block per
 * variant with an answer per line (a problem that asks ten questions would not fit a row).
 */
function toTable(problem: LoadedProblem, rows: Row[]): string {
  const params = Object.keys(rows[0]?.values ?? {});
  const withStudents = rows.some((r) => r.student !== undefined);
  const heads = rows[0]?.answers.map((a) => answerHead(a, false)) ?? [];
  const title = [`${problem.id} (${problem.file}): ${problem.data.title}`, `precision: counts exact; times to ${SIGNIFICANT_DIGITS} significant digits`, ''];
  const lead = (student: string | undefined, seed: number) => [...(withStudents ? [student ?? ''] : []), String(seed)];
  const head = [...(withStudents ? ['student'] : []), 'seed', ...params, ...heads];
  const body = rows.map(({ student, seed, values, answers }) => [...lead(student, seed), ...params.map((p) => String(values[p])), ...answers.map((a) => a.display)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const across = widths.reduce((sum, w) => sum + w + 2, 0) <= 160;
  if (across) {
    const line = (cells: string[]) => cells.map((c, i) => (i < (withStudents ? 1 : 0) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
    return [...title, line(head), ...body.map(line), ''].join('\n');
  }
  const nameWidth = Math.max(...heads.map((h) => h.length));
  const blocks = rows.flatMap(({ student, seed, values, answers }) => [
    `${withStudents ? `student ${student}, ` : ''}seed ${seed}${params.length ? `: ${params.map((p) => `${p} = ${values[p]}`).join(', ')}` : ''}`,
    ...answers.map((a, i) => `  ${heads[i]!.padEnd(nameWidth)}  ${a.display}`),
    '',
  ]);
  return [...title, ...blocks].join('\n');
}
