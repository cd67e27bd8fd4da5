/**
 * `workbook export moodle|qti --set <set> --variants N --out <file>`: a set as an LMS quiz bank.
 * `workbook handouts --set <set> --roster roster.csv [--out dir] [--dist dir] [--paper a4|letter]`:
 * one PDF per student with their variant of every randomized problem, and the key (CSV, JSON).
 *
 * Both draw graded variants, keyed by the course secret (src/publish/secret.ts): without one they
 * stop at once, saying how to make one. Bad input (unknown or empty set, N out of range, a roster
 * with an empty or repeated id) is a one-line error and a non-zero exit, and no file is left:
 * outputs are written whole, to a temporary name first, then renamed.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { lmsGroups, variantsArg } from '../publish/lms.ts';
import { moodleXml } from '../publish/moodle.ts';
import { qtiPackage } from '../publish/qti.ts';
import { problemSet } from '../publish/sets.ts';
import { keyCsv, keyJson, studentKeys } from '../publish/handouts.ts';
import { fileNameOf } from '../publish/roster.ts';
import { courseSecret } from '../publish/secret.ts';
import { readRosterFile } from './roster.ts';
import { loadProblems } from './problems.ts';
import { courseInfo, courseRoot } from '../workbook/course.ts';
import type { Io } from './main.ts';

export const EXPORT_USAGE = `usage: workbook export (moodle | qti) --set <set> --variants N --out <file>

  moodle    Moodle XML (a category per problem, a sub-category per answer with N numerical variants)
  qti       an IMS QTI 1.2 zip that Canvas imports (a question group per answer, pick 1 of N)
  --set     a problem set id, e.g. hw1
  --variants N   graded variants of each randomized problem, 1 to 1000 (keyed by the course
                 secret: WORKBOOK_SECRET or .workbook-secret, see workbook secret init)
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

export function runExport(argv: readonly string[], io: Io, root = courseRoot()): number {
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
    const secret = courseSecret(root);
    const set = problemSet(values.set, loadProblems(root), root);
    // An author's model travels with its questions: attached, or linked when the course sets its site's URL.
    const { siteUrl } = courseInfo(root);
    const groups = lmsGroups(set, variants, secret, { root, ...(siteUrl ? { siteUrl } : {}) });
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

export const HANDOUTS_USAGE = `usage: workbook handouts --set <set> --roster roster.csv [--out dir] [--dist dir] [--paper a4|letter]

  One PDF per student (<out>/<id>.pdf) with their graded variant of every randomized problem of
  the set, questions only, and the instructor's key: <out>/key.csv and <out>/key.json. A student's
  seed is keyed by the course secret (WORKBOOK_SECRET or .workbook-secret: workbook secret init),
  so no page of the site, practice or ?student=, reaches it.
  --roster  a CSV with a header; the id is the column named id, student, student_id or email, else the first;
            a column named name (or full name, student name) is printed beside the id
  --out     the folder to write (default handouts-<set>)
  --dist    the built site to print from (default dist; build it first with npm run build)
  --paper   a4 (default) or letter`;

/** `workbook handouts`: see HANDOUTS_USAGE. PDFs are printed into a temporary folder, moved into --out at the end. */
export async function runHandouts(argv: readonly string[], io: Io, root = courseRoot()): Promise<number> {
  let temp: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        set: { type: 'string' },
        roster: { type: 'string' },
        out: { type: 'string' },
        dist: { type: 'string' },
        paper: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(HANDOUTS_USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    if (!values.set) throw new UsageError('--set <set> is required');
    if (!values.roster) throw new UsageError('--roster <file.csv> is required');
    const paper = (values.paper ?? 'a4').toLowerCase();
    if (paper !== 'a4' && paper !== 'letter') throw new UsageError(`--paper must be a4 or letter, got '${values.paper}'`);
    const secret = courseSecret(root);
    const set = problemSet(values.set, loadProblems(root), root);
    const students = readRosterFile(values.roster);
    const dist = resolve(values.dist ?? join(root, 'dist'));
    const sheet = join(dist, 'sets', set.id, 'student', 'index.html');
    if (!existsSync(sheet)) throw new Error(`no student sheet for set '${set.id}' in ${dist} (sets/${set.id}/student/): build the site first (npm run build)`);
    const out = resolve(values.out ?? `handouts-${set.id}`);

    const started = performance.now();
    const keys = studentKeys(set, students, secret);
    const keyMs = performance.now() - started;
    temp = `${out}.partial-${process.pid}`;
    mkdirSync(temp, { recursive: true });
    writeFileSync(join(temp, 'key.csv'), keyCsv(set, keys));
    writeFileSync(join(temp, 'key.json'), keyJson(set, keys));

    const { launchBrowser, printPage, SITE_ORIGIN, siteContext } = await import('../publish/pdf.ts');
    const browser = await launchBrowser();
    let fillMs = 0;
    let pdfMs = 0;
    try {
      const page = await (await siteContext(browser, dist)).newPage();
      await page.goto(`${SITE_ORIGIN}/sets/${set.id}/student/`, { waitUntil: 'load' });
      await page.waitForFunction(() => typeof window.workbookShowStudent === 'function');
      for (const key of keys) {
        let t = performance.now();
        const variants = Object.fromEntries(key.problems.filter((p) => p.seed !== 0).map((p) => [p.problem, { seed: p.seed, values: p.values }]));
        const posed = await page.evaluate(([id, name, v]) => window.workbookShowStudent!(id, name, v), [key.student, key.name, variants] as const);
        fillMs += performance.now() - t;
        // The page and this process must pose the same problems: a stale build would not.
        for (const p of key.problems) {
          if (p.seed !== 0 && !sameValues(posed[p.problem], p.values)) {
            throw new Error(`the built sheet poses ${p.problem} for ${key.student} with ${JSON.stringify(posed[p.problem])}, the key with ${JSON.stringify(p.values)}: rebuild the site (npm run build)`);
          }
        }
        t = performance.now();
        const who = key.name ? `${key.student} · ${key.name}` : key.student;
        await printPage(page, { title: `${set.title} · ${who}`, paper, path: join(temp, `${fileNameOf(key.student)}.pdf`) });
        pdfMs += performance.now() - t;
      }
    } finally {
      await browser.close();
    }
    mkdirSync(out, { recursive: true });
    for (const name of readdirSync(temp)) renameSync(join(temp, name), join(out, name));
    rmSync(temp, { recursive: true, force: true });
    temp = undefined;
    const seconds = (ms: number) => (ms / 1000).toFixed(1);
    io.out(
      `${out}: ${keys.length} PDFs and key.csv, key.json (${set.title}); ` +
        `variants solved in ${seconds(keyMs)} s, filled in the page in ${seconds(fillMs)} s, PDFs printed in ${seconds(pdfMs)} s, ${seconds(performance.now() - started)} s in all`,
    );
    return 0;
  } catch (error) {
    if (temp) rmSync(temp, { recursive: true, force: true });
    return fail('handouts', error, io);
  }
}

function sameValues(a: Readonly<Record<string, number>> | undefined, b: Readonly<Record<string, number>>): boolean {
  return a !== undefined && Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
}
