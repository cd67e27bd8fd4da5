/**
 * The cells of a problem's figure tables (frontmatter `tables:`): each engine cell is the
 * column's answer under the row's props, through `answerFigure` like any <Answer>, so a table
 * cannot disagree with the answers beside it. Measured cells are the frontmatter's data.
 */
import type { Figure } from '../engine/index.ts';
import { ANSWER_KINDS, answerFigure, checkExpected, isAnswerName, solve, type ProblemContext } from './answers.ts';
import { BUILT_IN_MODELS } from './builtins.ts';
import { resolveModel } from './models.ts';
import { fieldIssues } from './check/zod.ts';
import { problemModelSchema, type FigureTableData, type Measurement } from './problem.ts';

export type TableCell =
  | { readonly kind: 'figure'; readonly name: string; readonly figure: Figure }
  | { readonly kind: 'measured'; readonly value: number | undefined };

export type TableColumn =
  | { readonly kind: 'figure'; readonly key: string; readonly title: string; readonly of: string }
  | { readonly kind: 'measured'; readonly key: string; readonly title: string; readonly measurement: Measurement };

export interface SolvedTable {
  readonly caption: string;
  readonly rowHeader: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly { readonly key: string; readonly label: string; readonly cells: readonly TableCell[] }[];
}

/** Keys of a row or column that are not answer props. */
const ROW_KEYS = new Set(['key', 'label', 'expect', 'model']);
const COLUMN_KEYS = new Set(['of', 'title', 'key']);

function propsOf(entry: Record<string, unknown>, skip: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entry).filter(([k]) => !skip.has(k)));
}

/** Solves table `id` of the problem: every engine cell, every measured cell, `expect`s checked. */
export function solveTable(ctx: ProblemContext, id: string, file: string): SolvedTable {
  const tables = ctx.tables ?? {};
  const table: FigureTableData | undefined = tables[id];
  const where = `${file}: <FigureTable id="${id}">`;
  if (!table) throw new Error(`${where}: no table '${id}' in the frontmatter's \`tables\`; tables: ${Object.keys(tables).join(', ') || 'none'}`);

  const columns: TableColumn[] = table.columns.map((c) => {
    if ('measured' in c) {
      const measurement = ctx.measurements?.[c.measured as string];
      if (!measurement) {
        throw new Error(`${where}: column measured "${c.measured}": no such entry in \`measurements\`; measurements: ${Object.keys(ctx.measurements ?? {}).join(', ') || 'none'}`);
      }
      return { kind: 'measured', key: c.measured as string, title: measurement.title, measurement };
    }
    const of = c.of;
    const title = c.title ?? (isAnswerName(of) ? ANSWER_KINDS[of].title : of);
    return { kind: 'figure', key: c.key ?? of, title, of };
  });
  const keys = columns.map((c) => c.key);
  if (new Set(keys).size !== keys.length) throw new Error(`${where}: two columns have the same key; give one a \`key\``);

  const rows = table.rows.map((row) => {
    const rowWhere = `${where} row "${row.key}"`;
    let rowCtx = ctx;
    if (row.model !== undefined) {
      const parsed = problemModelSchema.safeParse(row.model, { reportInput: true });
      if (!parsed.success) {
        const issues = fieldIssues(problemModelSchema, parsed.error.issues, ['model']).map((i) => i.message);
        throw new Error(`${rowWhere}: ${issues.join('; ') || 'model: not a model (a built-in id, a file, widths or a definition)'}`);
      }
      rowCtx = solve(resolveModel(parsed.data, BUILT_IN_MODELS, file), ctx.given, ctx.conventions, { hardwareProfiles: ctx.hardwareProfiles });
    }
    for (const key of Object.keys(row.expect ?? {})) {
      if (!keys.includes(key)) throw new Error(`${rowWhere}: expect names column '${key}'; columns: ${keys.join(', ')}`);
    }
    const cells: TableCell[] = columns.map((column, i) => {
      if (column.kind === 'measured') return { kind: 'measured', value: column.measurement.values[row.key] };
      const props = { ...propsOf(row, ROW_KEYS), ...propsOf(table.columns[i] as Record<string, unknown>, COLUMN_KEYS) };
      const fig = answerFigure(rowCtx, column.of, rowWhere, props);
      const expected = row.expect?.[column.key];
      if (expected !== undefined) checkExpected(fig, expected, column.of, rowWhere);
      return { kind: 'figure', name: column.of, figure: fig };
    });
    return { key: row.key, label: row.label, cells };
  });
  return { caption: table.caption, rowHeader: table.rowHeader, columns, rows };
}
