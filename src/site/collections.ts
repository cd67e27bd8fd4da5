/**
 * The site's collections, sorted as the course reads: problems by set then order, chapters by
 * the course structure. Shared by the index, topic and problem pages.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { COURSE, PROBLEM_SET_IDS } from '../workbook/course.ts';

export type Problem = CollectionEntry<'problems'>;
export type Chapter = CollectionEntry<'chapters'>;

export async function sortedProblems(): Promise<Problem[]> {
  const problems = await getCollection('problems');
  return problems.sort(
    (a, b) => PROBLEM_SET_IDS.indexOf(a.data.set) - PROBLEM_SET_IDS.indexOf(b.data.set) || a.data.order - b.data.order || a.id.localeCompare(b.id),
  );
}

/** Chapters in the order the course lists them; a chapter the course does not list fails the build. */
export async function sortedChapters(): Promise<Chapter[]> {
  const chapters = await getCollection('chapters');
  const order = COURSE.flatMap((u) => u.chapters);
  for (const c of chapters) {
    if (!order.includes(c.id)) throw new Error(`content/chapters/${c.id}.mdx: not listed in any unit of src/workbook/course.ts (units list: ${order.join(', ')})`);
  }
  return chapters.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}
