/**
 * Budgets: a limit on one figure, evaluated into pass / fail / not measured, and the text the
 * bench prints. Pure functions, tested in bench.test.ts.
 */

export type Unit = 'ms' | 's' | 'bytes' | 'ratio' | 'per-second' | 'count';
export type Op = '<' | '<=' | '>=';

export interface Budget {
  readonly id: string;
  /** What is limited, for the reader: "Analyze ResNet-50 (warm)". */
  readonly label: string;
  readonly op: Op;
  readonly limit: number;
  readonly unit: Unit;
}

export type Status = 'pass' | 'fail' | 'n/a';

export interface Check {
  readonly budget: Budget;
  /** The measured figure; undefined when it could not be measured (the page type is not built yet...). */
  readonly value: number | undefined;
  readonly status: Status;
  /** Why a figure is missing, or what it was measured on. */
  readonly note?: string;
}

export function evaluate(budget: Budget, value: number | undefined, note?: string): Check {
  const base = note === undefined ? {} : { note };
  if (value === undefined || Number.isNaN(value)) return { budget, value: undefined, status: 'n/a', ...base };
  const ok = budget.op === '<' ? value < budget.limit : budget.op === '<=' ? value <= budget.limit : value >= budget.limit;
  return { budget, value, status: ok ? 'pass' : 'fail', ...base };
}

/** The bench's last line: `N passed, M failed` (budgets not measured are counted in neither). */
export function summaryLine(checks: readonly Check[]): string {
  const passed = checks.filter((c) => c.status === 'pass').length;
  const failed = checks.filter((c) => c.status === 'fail').length;
  return `${passed} passed, ${failed} failed`;
}

const group = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A figure with its unit, for the table: 0.412 ms, 3.2 s, 9.8 KB, 1.21x, 24,310/s. */
export function formatValue(value: number | undefined, unit: Unit): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'ms':
      return value < 1 ? `${value.toFixed(3)} ms` : value < 100 ? `${value.toFixed(1)} ms` : `${group(value)} ms`;
    case 's':
      return `${value.toFixed(2)} s`;
    case 'bytes':
      return formatBytes(value);
    case 'ratio':
      return `${value.toFixed(2)}x`;
    case 'per-second':
      return `${group(value)}/s`;
    case 'count':
      return group(value);
  }
}

/** Decimal units, as the budgets are stated: 10 KB = 10,000 bytes, 1.5 GB = 1.5e9 bytes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${group(bytes)} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

export function formatBudget(budget: Budget): string {
  const op = budget.op === '<' ? '<' : budget.op === '<=' ? '≤' : '≥';
  // A limit as stated: 1 ms, 2x, 60 KB, 1.5 GB (no trailing zeros).
  const limit = formatValue(budget.limit, budget.unit).replace(/(\.\d*?)0+(?!\d)/, '$1').replace(/\.(?!\d)/, '');
  return `${op} ${limit}`;
}

export interface Row {
  readonly label: string;
  readonly figure: string;
  /** The budget and its verdict, when the figure has one. */
  readonly check?: Check;
}

export interface Section {
  readonly title: string;
  readonly rows: readonly Row[];
  /** A grid printed before the rows, columns aligned (first row: headings). */
  readonly grid?: readonly (readonly string[])[];
  /** Lines printed after the grid, as they are. */
  readonly notes?: readonly string[];
}

/** Columns aligned: the first left, the others right. */
export function formatColumns(grid: readonly (readonly string[])[], indent = '  '): string[] {
  const widths = grid[0]?.map((_, i) => Math.max(...grid.map((r) => (r[i] ?? '').length))) ?? [];
  return grid.map((r) => (indent + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).trimEnd());
}

const MARK: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', 'n/a': 'n/a ' };

/** The printed table: one block per section, figures aligned, each budget beside its figure. */
export function formatTable(sections: readonly Section[]): string {
  const all = sections.flatMap((s) => s.rows);
  const w1 = Math.max(0, ...all.map((r) => r.label.length));
  const w2 = Math.max(0, ...all.map((r) => r.figure.length));
  const lines: string[] = [];
  for (const section of sections) {
    lines.push('', section.title);
    if (section.grid) lines.push(...formatColumns(section.grid));
    if (section.notes) lines.push(...section.notes.map((n) => `  ${n}`));
    for (const row of section.rows) {
      let line = `  ${row.label.padEnd(w1)}  ${row.figure.padStart(w2)}`;
      if (row.check) {
        line += `   ${MARK[row.check.status]}  budget ${formatBudget(row.check.budget)}`;
        if (row.check.note) line += ` (${row.check.note})`;
      }
      lines.push(line.trimEnd());
    }
  }
  return lines.join('\n');
}

/** A check as a row: the budget's label and the measured figure. */
export function checkRow(check: Check, label = check.budget.label): Row {
  return { label, figure: formatValue(check.value, check.budget.unit), check };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The budgets of issue 8 (2 cores, 24 GiB), with issue 18's for engine speed and class scale: the
 * build's memory flat in the page count (at N = 1000, about 7,000 pages: at most 1 GB, and at most
 * 10% above the build at N0), its time within 1.4x the floor's, one more variant page within 1.25x
 * the floor's; answer keys for a class in seconds.
 */
export const BUDGETS = {
  analyzeResnet50: { id: 'engine.analyze.resnet50', label: 'Analyze ResNet-50 (warm, median, every figure read)', op: '<', limit: 0.1, unit: 'ms' },
  analyzeBert: { id: 'engine.analyze.bert-base', label: 'Analyze BERT-base (warm, median, every figure read)', op: '<', limit: 0.1, unit: 'ms' },
  hw1Rate: { id: 'engine.hw1-rate', label: 'HW1 variants sampled and solved', op: '>=', limit: 100_000, unit: 'per-second' },
  rosterKeys: { id: 'answers.roster', label: 'Answer keys, 500 students × every randomized problem', op: '<', limit: 5, unit: 's' },
  courseBuildRatio: { id: 'course.build-ratio', label: "Build time, an instructor's course (25 problems × 10 variants) / floor", op: '<=', limit: 1.5, unit: 'ratio' },
  devResolveMs: { id: 'course.dev-resolve', label: 'workbook dev: a saved problem served re-solved (median)', op: '<=', limit: 1000, unit: 'ms' },
  buildRatio: { id: 'build.ratio', label: 'Build time, workbook / floor', op: '<=', limit: 1.4, unit: 'ratio' },
  buildMemory: { id: 'build.peak-rss', label: 'Build peak memory (process tree)', op: '<=', limit: 1e9, unit: 'bytes' },
  buildMemoryGrowth: { id: 'build.peak-rss-growth', label: 'Build peak memory, N / N0', op: '<=', limit: 1.1, unit: 'ratio' },
  perPageRatio: { id: 'build.per-page-ratio', label: 'Per-variant-page cost / floor per-page cost', op: '<=', limit: 1.25, unit: 'ratio' },
  noJsProblem: { id: 'weight.js.problem', label: 'JavaScript on problem pages', op: '<=', limit: 0, unit: 'bytes' },
  noJsChapter: { id: 'weight.js.chapter', label: 'JavaScript on chapter pages', op: '<=', limit: 0, unit: 'bytes' },
  noJsModel: { id: 'weight.js.model', label: 'JavaScript on model pages', op: '<=', limit: 0, unit: 'bytes' },
  noJsIndex: { id: 'weight.js.index', label: 'JavaScript on the index page', op: '<=', limit: 0, unit: 'bytes' },
  practiceScript: { id: 'weight.practice-script', label: "Practice page's own script (gzipped)", op: '<', limit: 60_000, unit: 'bytes' },
  practiceKatexEager: { id: 'weight.practice-katex-eager', label: 'KaTeX in the practice page’s eager JS', op: '<=', limit: 0, unit: 'bytes' },
  problemHtml: { id: 'weight.problem-html', label: 'Problem page HTML (gzipped, largest)', op: '<', limit: 10_000, unit: 'bytes' },
  derivationLinear: { id: 'engine.derivation-per-layer-ratio', label: 'Derivation CPU time per layer, 100,000 layers / 1,000 layers', op: '<=', limit: 3, unit: 'ratio' },
  llm70b: { id: 'engine.llm.70b', label: 'A 70B config (Llama-3-70B) analyzed warm: LLM figures, both stages (median)', op: '<', limit: 1, unit: 'ms' },
  llmSweep: { id: 'engine.llm.sweep', label: 'Decode sweep of 10,000 (batch, context) points (median)', op: '<', limit: 50, unit: 'ms' },
  fontFiles: { id: 'weight.fonts', label: 'Font files beyond the KaTeX faces in woff2', op: '<=', limit: 0, unit: 'count' },
} as const satisfies Record<string, Budget>;
