/**
 * Answer keys for a class: `workbook answers --all --roster <500 students> --csv`, the command a
 * grader runs, spawned to exit and measured (wall time, and the CPU time of the process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure } from './measure.ts';
import { ROOT } from './engine.ts';

export interface RosterTiming {
  readonly students: number;
  readonly wallMs: number;
  readonly cpuMs?: number;
  /** Lines of CSV printed: a header and a row per student, per problem. */
  readonly lines: number;
}

/** A roster of `students` made-up ids (`student-0001@example.edu`). */
export function rosterCsv(students: number): string {
  const rows = Array.from({ length: students }, (_, i) => `student-${String(i + 1).padStart(4, '0')}@example.edu`);
  return ['email', ...rows].join('\n') + '\n';
}

export async function rosterKeys(students = 500): Promise<RosterTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-roster-'));
  try {
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, rosterCsv(students));
    const m = await measure(process.execPath, [join(ROOT, 'src/cli/workbook.js'), 'answers', '--all', '--roster', roster, '--csv'], {
      cwd: ROOT,
      // A roster's keys are graded variants, keyed by the course secret: a made-up one here.
      env: { ...process.env, WORKBOOK_SECRET: 'bench-roster-secret-0123456789' },
    });
    if (m.code !== 0) throw new Error(`workbook answers --all --roster failed (exit ${m.code}):\n${m.output.slice(-2000)}`);
    return { students, wallMs: m.wallMs, ...(m.cpuMs !== undefined ? { cpuMs: m.cpuMs } : {}), lines: m.output.split('\n').filter((l) => l !== '').length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
