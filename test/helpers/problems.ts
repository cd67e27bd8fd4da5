/**
 * Every answer of every shipped problem, computed by the engine from the problem's own file:
 * its frontmatter (validated with the same schema the site uses) and the answers its MDX asks for.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { answerFigure, solve } from '../../src/workbook/answers.ts';
import { modelDefOf, resolveModel } from '../../src/workbook/models.ts';
import { problemSchema, type ProblemData } from '../../src/workbook/problem.ts';
import { ROOT } from './site.ts';

export interface ProblemAnswers {
  readonly file: string;
  readonly data: ProblemData;
  readonly answers: { name: string; value: number }[];
  /** Numbers the problem states (givens, layer sizes): legitimately on a student's page. */
  readonly givens: number[];
}

function mdxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? mdxFiles(path) : path.endsWith('.mdx') ? [path] : [];
  });
}

export function shippedProblems(): ProblemAnswers[] {
  return mdxFiles(join(ROOT, 'problems')).map((path) => {
    const file = relative(ROOT, path);
    const source = readFileSync(path, 'utf8');
    const data = problemSchema.parse(parseFrontmatter(source).frontmatter);
    const ctx = solve(resolveModel(data.model, file), data.given);
    const names = [...new Set([...source.matchAll(/<(?:Answer|Value)\s+of="([^"]+)"/g)].map((m) => m[1]!))];
    const def = modelDefOf(data.model);
    const givens = [
      ...Object.values(data.given).filter((v): v is number => typeof v === 'number'),
      ...def.input,
      ...ctx.model.layers.flatMap((l) => [...l.inputShape, ...l.outputShape]),
    ];
    return { file, data, answers: names.map((name) => ({ name, value: answerFigure(ctx, name, file).value })), givens };
  });
}
