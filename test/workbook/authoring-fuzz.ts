/**
 * The check half of the authoring mutation suite: the mutants checked, problem mutants all in
 * one course (one check), course-file and chapter mutants each in a light course (the example's
 * course file and chapters, one small problem per set). As a script (`npm run fuzz:authoring`),
 * it prints the counts by family and operator, and the time; with `-- --build` it runs the whole
 * suite (test/workbook/authoring-fuzz.test.ts: check, then the builds) and prints its table.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { checkCourse, type Diagnostic } from '../../src/workbook/check/index.ts';
import { writeCourse } from '../helpers/course.ts';
import { EXAMPLE_CHAPTERS, EXAMPLE_COURSE, ROOT, mutants, type Mutant } from './authoring-mutants.ts';

export interface Checked {
  readonly mutant: Mutant;
  readonly root: string;
  readonly diagnostics: readonly Diagnostic[];
  /** The error check threw, if it did (it never should). */
  readonly threw?: string;
}

/** The example's course file and chapters, and one small problem in each of its sets. */
export function lightCourse(): Record<string, string> {
  const sets = [...EXAMPLE_COURSE.matchAll(/^ {2}([a-z0-9-]+):$/gm)].map((m) => m[1]!);
  const files: Record<string, string> = { 'content/course.yaml': EXAMPLE_COURSE };
  for (const c of EXAMPLE_CHAPTERS) files[c.path] = c.text;
  sets.forEach((set, i) => {
    files[`problems/${set}/stub.mdx`] = `---\ntitle: "Stub ${i}"\nsource: "a stub"\nset: ${set}\norder: 1\ntopics: [parameters]\ndifficulty: core\nmodel: { mlp: [4, 3, 2] }\n---\n\n<Answer of="params" expect={${4 * 3 + 3 + 3 * 2 + 2}} />\n`;
  });
  return files;
}

function put(root: string, path: string, bytes: Uint8Array): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), bytes);
}

/** A problem mutant, with its own model files (./models/*.json, .onnx): paths are relative to the problem. */
export function putProblem(root: string, m: Mutant): void {
  put(root, m.path, m.bytes);
  const models = join(ROOT, m.from, '..', 'models');
  if (existsSync(models)) cpSync(models, join(root, m.path, '..', 'models'), { recursive: true });
}

/** `k` of `items` (all when k >= their count), picked with `seed`, in their order. */
export function sample<T>(items: readonly T[], k: number, seed: number): T[] {
  if (k >= items.length) return [...items];
  const g = xoroshiro128plus(seed);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(uniformInt(g, 0, items.length - 1));
  return items.filter((_, i) => picked.has(i));
}

function check(root: string): { diagnostics: readonly Diagnostic[]; threw?: string } {
  try {
    return { diagnostics: checkCourse({ root, seeds: 2 }).diagnostics };
  } catch (error) {
    return { diagnostics: [], threw: (error as Error).stack ?? String(error) };
  }
}

export function checkMutants(seed: number, count: number, courseCount: number): { problems: Checked[]; courses: Checked[]; ms: number } {
  const started = performance.now();
  const made = mutants(seed, count, courseCount);
  const root = writeCourse({}, 'workbook-mutants-');
  for (const m of made.problems) putProblem(root, m);
  const all = check(root);
  const problems = made.problems.map((mutant): Checked => ({ mutant, root, diagnostics: all.diagnostics.filter((d) => d.file === mutant.path), ...(all.threw ? { threw: all.threw } : {}) }));
  // Diagnostics of no mutant's file would be noise of the course itself: kept on a pseudo-entry's side.
  const stray = all.diagnostics.filter((d) => !made.problems.some((m) => m.path === d.file));
  if (stray.length > 0) throw new Error(`diagnostics outside the mutants: ${JSON.stringify(stray)}`);
  const light = lightCourse();
  const courses = made.courses.map((mutant): Checked => {
    const dir = writeCourse(light, 'workbook-mutant-course-');
    put(dir, mutant.path, mutant.bytes);
    return { mutant, root: dir, ...check(dir) };
  });
  return { problems, courses, ms: performance.now() - started };
}

// `npm run fuzz:authoring -- --build`: the whole suite (check, then the builds), its table.
if (import.meta.url === `file://${process.argv[1]}` && process.argv.includes('--build')) {
  const { columns, fuzzGrid, runFuzz } = await import('../bench/fuzz.ts');
  const run = runFuzz(['test/workbook/authoring-fuzz.test.ts']);
  console.log(columns(fuzzGrid(run.rows)));
  console.log(`\n${run.rows.reduce((t, r) => t + r.cases, 0)} cases (check and build rows) in ${(run.wallMs / 1000).toFixed(1)} s (wall, vitest included); ${run.passed ? 'passed' : 'FAILED:'}`);
  if (!run.passed) console.log(run.output.split('\n').filter((l) => /FAIL|AssertionError|Error/.test(l)).slice(0, 40).join('\n'));
  process.exitCode = run.passed ? 0 : 1;
} else if (import.meta.url === `file://${process.argv[1]}`) {
  // `npm run fuzz:authoring`: the check half, its counts and the time.
  const seed = Number(process.env.WORKBOOK_FUZZ_SEED ?? 26);
  const count = Number(process.env.WORKBOOK_AUTHORING_MUTANTS ?? 48);
  const courseCount = Number(process.env.WORKBOOK_AUTHORING_COURSE_MUTANTS ?? 16);
  const { problems, courses, ms } = checkMutants(seed, count, courseCount);
  const all = [...problems, ...courses];
  const byOperator = new Map<string, { n: number; rejected: number }>();
  for (const c of all) {
    const key = `${c.mutant.family} / ${c.mutant.operator}`;
    const e = byOperator.get(key) ?? { n: 0, rejected: 0 };
    e.n += 1;
    if (c.diagnostics.length > 0) e.rejected += 1;
    byOperator.set(key, e);
  }
  for (const [key, e] of [...byOperator].sort()) console.log(`${key.padEnd(36)} ${String(e.n).padStart(4)} cases, ${String(e.rejected).padStart(4)} rejected`);
  const threw = all.filter((c) => c.threw);
  console.log(`authoring mutants, seed ${seed}: ${all.length} cases (${problems.length} problems, ${courses.length} course files and chapters), ${all.filter((c) => c.diagnostics.length > 0).length} rejected, ${threw.length} threw; checked in ${(ms / 1000).toFixed(1)} s`);
  for (const c of threw) console.log(`THREW ${c.mutant.path} ${c.mutant.operator}: ${c.threw}`);
  process.exitCode = threw.length > 0 ? 1 : 0;
}
