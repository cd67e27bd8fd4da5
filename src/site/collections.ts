/**
 * The site's collections, sorted as the course reads: problems by set then order, chapters by
 * the course structure. Shared by the index, topic and problem pages.
 */
import { getCollection, type CollectionEntry } from './content.ts';
import { courseSets, courseUnits, loadCourse } from '../workbook/course.ts';

export type Problem = CollectionEntry<'problems'>;
export type Chapter = CollectionEntry<'chapters'>;

export async function sortedProblems(): Promise<Problem[]> {
  const problems = await getCollection('problems');
  const sets = courseSets().map((s) => s.id);
  return problems.sort(
    (a, b) => sets.indexOf(a.data.set) - sets.indexOf(b.data.set) || a.data.order - b.data.order || a.id.localeCompare(b.id),
  );
}

/** Chapters in the order the course lists them; a chapter the course does not list fails the build. */
export async function sortedChapters(): Promise<Chapter[]> {
  const chapters = await getCollection('chapters');
  const order = courseUnits().flatMap((u) => u.chapters);
  for (const c of chapters) {
    if (!order.includes(c.id)) throw new Error(`content/chapters/${c.id}.mdx: not listed in any unit of ${loadCourse().file ?? 'content/course.yaml'} (units list: ${order.join(', ') || 'none'})`);
  }
  return chapters.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}
