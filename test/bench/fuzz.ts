/**
 * The seeded fuzz suites, run and tabulated: each suite's families with their case counts,
 * refusals (clear errors), acceptances (valid analyses) and time (test/support/fuzz-tally.ts).
 * `npm run fuzz` runs them alone; `npm run bench` includes them (`--only fuzz`).
 *
 *   npm run fuzz                                        seed 16, the suites' own case counts
 *   WORKBOOK_FUZZ_SEED=7 WORKBOOK_FUZZ_RUNS=2000 npm run fuzz   another seed, 2,000 cases a family
 *
 * The suites are the test files named fuzz*.test.ts or *mutants*.test.ts under test/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { FuzzRow } from '../support/fuzz-tally.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** The fuzz suites' test files, relative to the repository. */
export function fuzzSuites(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/^fuzz.*\.test\.ts$|mutants.*\.test\.ts$/.test(entry.name)) found.push(relative(ROOT, path));
    }
  };
  walk(join(ROOT, 'test'));
  return found.sort();
}

export interface FuzzRun {
  readonly rows: readonly FuzzRow[];
  readonly wallMs: number;
  readonly passed: boolean;
  readonly output: string;
}

/** Runs every fuzz suite (or those given) once (vitest), with the environment's seed and case counts. */
export function runFuzz(suites: readonly string[] = fuzzSuites()): FuzzRun {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-fuzz-'));
  const report = join(dir, 'rows.jsonl');
  const started = performance.now();
  const r = spawnSync(join(ROOT, 'node_modules/.bin/vitest'), ['run', ...suites], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WORKBOOK_FUZZ_REPORT: report },
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  const rows = existsSync(report) ? readFileSync(report, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as FuzzRow) : [];
  rmSync(dir, { recursive: true, force: true });
  return { rows, wallMs, passed: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** The rows as a grid: suite, family, seed, cases, refused, accepted, ms; a total per suite. */
export function fuzzGrid(rows: readonly FuzzRow[]): string[][] {
  const n = (x: number) => x.toLocaleString('en-US');
  const grid = [['suite', 'family', 'seed', 'cases', 'refused', 'accepted', 'ms']];
  for (const suite of [...new Set(rows.map((r) => r.suite))]) {
    const of = rows.filter((r) => r.suite === suite);
    for (const r of of) grid.push([r.suite, r.family, String(r.seed), n(r.cases), n(r.refused), n(r.accepted), n(r.ms)]);
    const sum = (k: 'cases' | 'refused' | 'accepted' | 'ms') => n(of.reduce((t, r) => t + r[k], 0));
    grid.push([suite, '(all)', String(of[0]!.seed), sum('cases'), sum('refused'), sum('accepted'), sum('ms')]);
  }
  return grid;
}

export function columns(grid: readonly (readonly string[])[]): string {
  const widths = grid[0]!.map((_, i) => grid.reduce((w, row) => Math.max(w, row[i]!.length), 0));
  return grid.map((row) => row.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

if (import.meta.main) {
  process.stderr.write(`[fuzz] ${fuzzSuites().join(', ')}\n`);
  const run = runFuzz();
  console.log(columns(fuzzGrid(run.rows)));
  console.log(`\n${run.rows.reduce((t, r) => t + r.cases, 0).toLocaleString('en-US')} cases in ${(run.wallMs / 1000).toFixed(1)} s (wall, vitest included); ${run.passed ? 'every suite passed' : 'a suite FAILED:'}`);
  if (!run.passed) {
    console.log(run.output.split('\n').filter((l) => /FAIL|Counterexample|Caused by|Error/.test(l)).slice(0, 40).join('\n'));
    process.exitCode = 1;
  }
}
