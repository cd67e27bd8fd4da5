/**
 * Every answer of every shipped problem, computed by the engine from the problem's own file:
 * its frontmatter (validated with the same schema the site uses), the answers its MDX asks for
 * (`<Answer>` and `<Value>` with all their props: layer, profile, batch, in, ...) and every cell
 * of its figure tables.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { answerFigure, solve } from '../../src/workbook/answers.ts';
import { BUILT_IN_HARDWARE, BUILT_IN_MODELS, modelsFor } from '../../src/workbook/builtins.ts';
import { modelDefOf, resolveModel } from '../../src/workbook/models.ts';
import { problemSchema, type ProblemData } from '../../src/workbook/problem.ts';
import { solveTable } from '../../src/workbook/tables.ts';
import { ROOT } from './site.ts';

export interface ProblemAnswers {
  readonly file: string;
  readonly data: ProblemData;
  readonly answers: { name: string; props: Record<string, unknown>; value: number }[];
  /** Numbers the problem states (givens, layer sizes and arguments, measurements): legitimately on a student's page. */
  readonly givens: number[];
}

function mdxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? mdxFiles(path) : path.endsWith('.mdx') ? [path] : [];
  });
}

/**
 * The props of every `<Answer ...>` and `<Value ...>` tag in an MDX source: `name="text"`,
 * `name={number}` and `name={true|false}`. Any other form fails loudly, so the scan never skips
 * an answer it cannot read.
 */
export function answerTags(source: string): { name: string; props: Record<string, unknown> }[] {
  const tags = [...source.matchAll(/<(?:Answer|Value)\s([^>]*?)\/?>/g)];
  return tags.map((tag) => {
    const props: Record<string, unknown> = {};
    const attrs = tag[1]!;
    const re = /([A-Za-z]+)=(?:"([^"]*)"|\{([^}]*)\})/g;
    let consumed = '';
    for (let m = re.exec(attrs); m; m = re.exec(attrs)) {
      consumed += m[0];
      const [, key, text, code] = m;
      if (text !== undefined) props[key!] = text;
      else if (/^-?[\d.e_]+$/.test(code!.trim())) props[key!] = Number(code!.trim().replace(/_/g, ''));
      else if (code === 'true' || code === 'false') props[key!] = code === 'true';
      else throw new Error(`cannot read ${key}={${code}} in <${tag[0]}>`);
    }
    if (attrs.replace(/\s+/g, '').length !== consumed.replace(/\s+/g, '').length) throw new Error(`cannot read every prop of ${tag[0]}`);
    const { of, expect: _expect, title: _title, ...rest } = props;
    if (typeof of !== 'string') throw new Error(`no of="..." in ${tag[0]}`);
    return { name: of, props: rest };
  });
}

/** Numbers a model states: its input, every layer's shapes, and the layer arguments (kernel, stride, ...). */
function statedByModel(model: ReturnType<typeof resolveModel>): number[] {
  return [
    ...model.input,
    ...model.layers.flatMap((l) => [
      ...l.inputShape,
      ...l.outputShape,
      ...Object.values(l.args as Record<string, unknown>).flatMap((v) => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [])),
    ]),
  ];
}

export function shippedProblems(): ProblemAnswers[] {
  return mdxFiles(join(ROOT, 'problems')).map((path) => {
    const file = relative(ROOT, path);
    const source = readFileSync(path, 'utf8');
    const data = problemSchema.parse(parseFrontmatter(source).frontmatter);
    // A problem's model file (./models/*.json, .onnx) resolves beside the problem.
    const models = modelsFor(data.model, file, dirname(path));
    const ctx = solve(resolveModel(data.model, models, file), data.given, undefined, { ...data, hardwareProfiles: BUILT_IN_HARDWARE });
    const tags = answerTags(source);
    const answers = tags.map(({ name, props }) => ({ name, props, value: answerFigure(ctx, name, file, props).value }));
    const tableModels = [];
    for (const id of Object.keys(data.tables ?? {})) {
      const table = solveTable(ctx, id, file);
      for (const row of table.rows) {
        for (const cell of row.cells) if (cell.kind === 'figure') answers.push({ name: cell.name, props: { table: id, row: row.key }, value: cell.figure.value });
      }
      for (const row of data.tables![id]!.rows) if (row.model !== undefined) tableModels.push(resolveModel(row.model as never, BUILT_IN_MODELS, file));
    }
    const def = modelDefOf(data.model, models);
    const givens = [
      ...Object.values(data.given).filter((v): v is number => typeof v === 'number'),
      ...def.input,
      ...statedByModel(ctx.model),
      ...tableModels.flatMap(statedByModel),
      // Values an answer overrides are stated beside it ("at batch 64", "at 8 bits").
      ...tags.flatMap(({ props }) => Object.values(props).filter((v): v is number => typeof v === 'number')),
      ...Object.values(data.tables ?? {}).flatMap((t) => t.rows.flatMap((r) => Object.values(r).filter((v): v is number => typeof v === 'number'))),
      ...Object.values(data.measurements ?? {}).flatMap((m) => Object.values(m.values)),
    ];
    return { file, data, answers, givens };
  });
}
