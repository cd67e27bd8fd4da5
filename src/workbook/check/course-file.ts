/**
 * The checks across files: the course file against the problems and chapters (sets no problem
 * has, units naming no set or chapter, topics), the chapters' own frontmatter and MDX, and two
 * problems of a set with the same `order`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chapterSchema, contentDir, displayPath, locateInCourse, problemsDir, type Course } from '../course.ts';
import type { Root } from 'mdast';
import { checkChapterFigures, checkComponents, literalElements, parseBody } from './body.ts';
import { didYouMean, type Diagnostic } from './diagnostics.ts';
import { frontmatterOf, sourceOf } from './source.ts';
import { LLM_CHART_SCHEMAS, llmChartData, llmChartIssues, type LlmChartName } from '../llm-charts.ts';
import type { LocatedYaml } from './yaml.ts';
import { fieldIssues } from './zod.ts';

// The names of chapterComponents (src/components/authoring/index.ts; a test keeps the two lists equal).
export const CHAPTER_COMPONENTS = ['ContextMemoryChart', 'DecodeBatchChart', 'Example', 'LayerFormulas', 'LlmCalculators'];

/** What a problem's frontmatter says of its place in the course, as far as it could be read. */
export interface WrittenProblem {
  readonly file: string;
  readonly yaml?: LocatedYaml;
  readonly set?: string;
  readonly order?: number;
  readonly topics?: readonly string[];
}

interface WrittenChapter {
  readonly id: string;
  readonly file: string;
  readonly yaml?: LocatedYaml;
  readonly topics?: readonly string[];
}

/** A file's diagnostics in reading order. */
export function byPlace(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Every chapter in content/chapters: its text, frontmatter (the pages' schema) and MDX. */
export function checkChapters(root: string): { diagnostics: Diagnostic[]; chapters: WrittenChapter[] } {
  const dir = join(contentDir(root), 'chapters');
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.mdx')).sort() : [];
  const diagnostics: Diagnostic[] = [];
  const chapters = names.map((name): WrittenChapter => {
    const path = join(dir, name);
    const file = displayPath(path, root);
    const id = name.replace(/\.mdx$/, '');
    const found: Diagnostic[] = [];
    const report = (where: { line: number; column: number } | undefined, message: string) => found.push({ file, ...(where ?? {}), message });
    const source = sourceOf(path, file);
    if ('diagnostic' in source) {
      diagnostics.push(source.diagnostic);
      return { id, file };
    }
    const { yaml, error, body, bodyLine } = frontmatterOf(source.text);
    const mdx = parseBody(body, bodyLine, report);
    if ('root' in mdx) {
      checkComponents(mdx.root, bodyLine, CHAPTER_COMPONENTS, report);
      checkChartProps(mdx.root, bodyLine, dir, report);
      checkChapterFigures(mdx.root, bodyLine, report);
    }
    let topics: string[] | undefined;
    if (error || !yaml) report(error?.position ?? { line: 1, column: 1 }, error?.message ?? `no frontmatter: a chapter starts with --- and its fields (title, summary, topics)`);
    else if (yaml.errors.length > 0) for (const e of yaml.errors) report(e.position, `frontmatter: ${e.message}`);
    else {
      const parsed = chapterSchema.safeParse(yaml.data ?? {}, { reportInput: true });
      if (!parsed.success) for (const issue of fieldIssues(chapterSchema, parsed.error.issues)) report(issue.path.length ? yaml.locate(issue.path) : { line: 1, column: 1 }, issue.message);
      const raw = (yaml.data as { topics?: unknown } | null)?.topics;
      if (Array.isArray(raw)) topics = raw.map(String);
    }
    diagnostics.push(...byPlace(found));
    return { id, file, ...(yaml ? { yaml } : {}), ...(topics ? { topics } : {}) };
  });
  return { diagnostics, chapters };
}

/**
 * The language-model charts' props (literals only; an expression is left to the build), each issue
 * at its prop: what the chart's build would stop on, said before it.
 */
function checkChartProps(root: Root, bodyLine: number, baseDir: string, report: (where: { line: number; column: number } | undefined, message: string) => void): void {
  for (const element of literalElements(root, bodyLine, (name) => Object.hasOwn(LLM_CHART_SCHEMAS, name))) {
    const name = element.name as LlmChartName;
    const issues = llmChartIssues(name, element.props, baseDir);
    for (const issue of issues) report(element.propPositions[String(issue.path[0])] ?? element.position, `<${name}> ${issue.message}`);
    if (issues.length > 0) continue;
    // What only the engine finds (a count past 2^53 at a long context or a large batch): the build's own error.
    try {
      llmChartData(name, element.props, baseDir);
    } catch (error) {
      report(element.propPositions.given ?? element.position, (error as Error).message);
    }
  }
}

/** Two problems of a set with the same `order`: the set's order would be a coin toss. */
export function checkOrders(problems: readonly WrittenProblem[]): Diagnostic[] {
  const first = new Map<string, WrittenProblem>();
  const out: Diagnostic[] = [];
  for (const p of problems) {
    if (p.set === undefined || p.order === undefined) continue;
    const key = `${p.set}\u0000${p.order}`;
    const before = first.get(key);
    if (!before) first.set(key, p);
    else out.push({ file: p.file, ...(p.yaml ? p.yaml.valueAt(['order']) : {}), message: `order: ${p.order} is also the order of ${before.file} in set '${p.set}'; each problem of a set has its own` });
  }
  return out;
}

export function checkCourseFile(course: Course, root: string, problems: readonly WrittenProblem[], chapterFiles: readonly WrittenChapter[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: PropertyKey[], message: string) => out.push(locateInCourse(course, path, message, root));
  // Every set a problem names, even a problem with other mistakes: no false "no problem has set".
  const used = [...new Set(problems.flatMap((p) => (p.set !== undefined ? [p.set] : [])))];
  // A problems folder of its own (WORKBOOK_PROBLEMS_DIR: the tests' fixtures) is not the course's.
  const ownProblems = problemsDir(root) === join(root, 'problems');
  // A problem whose set could not be read (a file that is not text, a broken frontmatter) may
  // be the set's: its own error is reported, and no set is called unused.
  const allRead = problems.every((p) => p.set !== undefined);
  for (const id of Object.keys(course.data.sets)) {
    if (ownProblems && allRead && !used.includes(id)) at(['sets', id], `sets.${id}: no problem has set '${id}'${didYouMean(id, used)}`);
  }
  const known = new Set([...Object.keys(course.data.sets), ...used]);
  const chapters = chapterFiles.map((c) => c.id);
  course.data.units.forEach((unit, u) => {
    unit.sets.forEach((set, i) => {
      if (!known.has(set)) at(['units', u, 'sets', i], `units[${u}].sets: no set '${set}'${didYouMean(set, known)}`);
    });
    unit.chapters.forEach((chapter, i) => {
      if (!chapters.includes(chapter)) at(['units', u, 'chapters', i], `units[${u}].chapters: no chapter '${chapter}' in content/chapters${didYouMean(chapter, chapters)}`);
    });
  });
  const listed = course.data.units.flatMap((u) => u.chapters);
  for (const chapter of chapterFiles) {
    if (!listed.includes(chapter.id)) out.push({ file: chapter.file, message: `not listed in any unit's chapters of ${course.file ?? 'content/course.yaml'}` });
  }
  const vocabulary = course.data.topics;
  if (vocabulary) {
    for (const { file, topics, yaml } of [...problems, ...chapterFiles]) {
      if (!topics || !yaml) continue;
      topics.forEach((topic, i) => {
        if (!vocabulary.includes(topic)) out.push({ file, ...yaml.valueAt(['topics', i]), message: `topics: '${topic}' is not a topic of the course${didYouMean(topic, vocabulary)}; topics are listed in ${course.file}` });
      });
    }
  }
  return out;
}
