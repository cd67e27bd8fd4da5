/**
 * Reading problems from `problems/**\/*.mdx` outside Astro (CLI, tests), with the same frontmatter
 * parser and schema the site uses, so the CLI's answers are the site's answers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
// The frontmatter parser @astrojs/markdown-remark re-exports, without the Markdown pipeline it also
// loads (remark, rehype, shiki: a third of a second of the CLI's start).
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { oneLine } from '../engine/errors.ts';
import { builtInsFor } from '../workbook/builtins.ts';
import { mdxId } from '../workbook/course.ts';
import { problemSchema } from '../workbook/problem.ts';
import type { ProblemSpec } from '../workbook/variants/variant.ts';
import { figuresAsked } from '../publish/document.ts';

export const PROJECT_ROOT = new URL('../../', import.meta.url).pathname;

export interface LoadedProblem extends ProblemSpec {
  /** The MDX below the frontmatter. */
  readonly body: string;
}

function mdxFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? mdxFiles(path) : name.endsWith('.mdx') ? [path] : [];
    });
}

/** One problem file; errors name the file and the field. */
export function loadProblemFile(path: string, root = PROJECT_ROOT): LoadedProblem {
  const file = relative(root, path).split(sep).join('/');
  const id = mdxId(path, join(root, 'problems'));
  const { frontmatter, content } = parseFrontmatter(readFileSync(path, 'utf8'));
  const parsed = problemSchema.safeParse(frontmatter);
  if (!parsed.success) {
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') + ': ' : ''}${i.message}`).join('; ')}`);
  }
  // An ONNX path is relative to the problem file wherever the course is, not to the working directory.
  return { id, file, data: parsed.data, answers: figuresAsked(content, file), ...builtInsFor(parsed.data, content, file, dirname(path)), body: content };
}

/** Every problem, in path order. */
export function loadProblems(root = PROJECT_ROOT): LoadedProblem[] {
  return mdxFiles(join(root, 'problems')).map((p) => loadProblemFile(p, root));
}

/** A problem by id (`hw1/q1`) or path (`problems/hw1/q1.mdx`); the error lists the ids. */
export function findProblem(idOrPath: string, root = PROJECT_ROOT): LoadedProblem {
  // An absolute path (or one from another directory) is taken relative to the problems folder.
  const given = isAbsolute(idOrPath) ? relative(join(root, 'problems'), idOrPath) : idOrPath;
  const id = given.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^problems\//, '').replace(/\.mdx$/, '');
  const files = mdxFiles(join(root, 'problems'));
  const ids = files.map((f) => mdxId(f, join(root, 'problems')));
  const index = ids.indexOf(id);
  if (index < 0) throw new Error(`no problem '${oneLine(idOrPath, 100)}'; problems: ${ids.join(', ')}`);
  return loadProblemFile(files[index]!, root);
}
