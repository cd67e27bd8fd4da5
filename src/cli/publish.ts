/**
 * `workbook export moodle|qti --set <set> --variants N --out <file>`: a set as an LMS quiz bank.
 * `workbook handouts --set <set> --roster roster.csv [--out dir] [--dist dir] [--paper a4|letter]`:
 * one PDF per student with their variant of every randomized problem, and the key (CSV, JSON).
 *
 * Bad input (unknown or empty set, N out of range, a roster with an empty or repeated id) is a
 * one-line error and a non-zero exit, and no file is left: outputs are written whole, to a
 * temporary name first, then renamed.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { lmsGroups, variantsArg } from '../publish/lms.ts';
import { moodleXml } from '../publish/moodle.ts';
import { qtiPackage } from '../publish/qti.ts';
import { problemSet } from '../publish/sets.ts';
import { loadProblems, PROJECT_ROOT } from './problems.ts';
import type { Io } from './main.ts';

export const EXPORT_USAGE = `usage: workbook export (moodle | qti) --set <set> --variants N --out <file>

  moodle    Moodle XML (a category per problem, a sub-category per answer with N numerical variants)
  qti       an IMS QTI 1.2 zip that Canvas imports (a question group per answer, pick 1 of N)
  --set     a problem set id, e.g. hw1
  --variants N   variants of each randomized problem, 1 to 1000 (seeds 1..N)
  --out     the file to write (quiz.xml, quiz.zip)`;

export class UsageError extends Error {}

/** Writes `data` to `path` whole: to a temporary file beside it, then renamed. */
export function writeWhole(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const temp = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

export function runExport(argv: readonly string[], io: Io, root = PROJECT_ROOT): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { set: { type: 'string' }, variants: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      io.out(EXPORT_USAGE);
      return 0;
    }
    const [format, ...extra] = positionals;
    if (format !== 'moodle' && format !== 'qti') throw new UsageError(format ? `unknown format '${format}'; allowed: moodle, qti` : 'which format? moodle or qti');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (!values.set) throw new UsageError('--set <set> is required');
    if (!values.out) throw new UsageError('--out <file> is required');
    const variants = variantsArg(values.variants);
    const set = problemSet(values.set, loadProblems(root));
    const groups = lmsGroups(set, variants);
    if (groups.length === 0) throw new Error(`set '${set.id}' asks for no answer: nothing to export`);
    const data = format === 'moodle' ? moodleXml(set, groups) : qtiPackage(set, groups).zip;
    writeWhole(values.out, data);
    const count = groups.reduce((n, g) => n + g.questions.length, 0);
    io.out(`${values.out}: ${count} questions in ${groups.length} groups (${set.title})`);
    return 0;
  } catch (error) {
    return fail('export', error, io);
  }
}

export function fail(command: string, error: unknown, io: Io): number {
  const usage = error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
  io.err(`workbook ${command}: ${(error as Error).message.split('\n')[0]}`);
  return usage ? 2 : 1;
}
