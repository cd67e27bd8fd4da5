/**
 * The case counts and times of a seeded fuzz suite: each case counted under its family as refused
 * (a clear error) or accepted (a valid analysis). At the end of the file the suite prints one line,
 * and appends a JSON line per family to WORKBOOK_FUZZ_REPORT when set (`npm run fuzz` prints the
 * table of every suite from it).
 */
import { appendFileSync } from 'node:fs';
import { afterAll } from 'vitest';

export interface FuzzRow {
  readonly suite: string;
  readonly family: string;
  readonly seed: number;
  readonly cases: number;
  readonly refused: number;
  readonly accepted: number;
  readonly ms: number;
}

export class FuzzTally {
  private readonly rows = new Map<string, { cases: number; refused: number; accepted: number; ms: number }>();
  family = '';
  readonly suite: string;
  readonly seed: number;

  constructor(suite: string, seed: number) {
    this.suite = suite;
    this.seed = seed;
    afterAll(() => this.flush());
  }

  count(refused: boolean, ms: number, family = this.family): void {
    const row = this.rows.get(family) ?? { cases: 0, refused: 0, accepted: 0, ms: 0 };
    row.cases++;
    row[refused ? 'refused' : 'accepted']++;
    row.ms += ms;
    this.rows.set(family, row);
  }

  private flush(): void {
    const rows: FuzzRow[] = [...this.rows].map(([family, r]) => ({ suite: this.suite, family, seed: this.seed, ...r, ms: Math.round(r.ms) }));
    if (rows.length === 0) return;
    const cases = rows.reduce((n, r) => n + r.cases, 0);
    const ms = rows.reduce((n, r) => n + r.ms, 0);
    console.log(`${this.suite}, seed ${this.seed}: ${cases} cases in ${ms} ms; ${rows.map((r) => `${r.family} ${r.cases} (${r.refused} refused, ${r.accepted} accepted)`).join('; ')}`);
    const report = process.env.WORKBOOK_FUZZ_REPORT;
    if (report) appendFileSync(report, rows.map((r) => JSON.stringify(r) + '\n').join(''));
  }
}
