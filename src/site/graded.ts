/**
 * What the edition being built shows of graded work and carries beyond the problems (the course
 * file decides: `graded: true` on a set, `studentEdition: { analyzer, guide }`). The solutions
 * edition shows everything. In the student edition a graded set's problems have no practice page,
 * no variant pages and no link to either: their questions only, nothing to reveal or check.
 */
import type { CollectionEntry } from './content.ts';
import { isGradedSet, studentEditionParts } from '../workbook/course.ts';
import { isRandomized } from '../workbook/variants/index.ts';
import { currentEdition } from './edition.ts';

/** True for a problem of a graded set in the student edition. */
export function gradedHere(set: string): boolean {
  return currentEdition() === 'student' && isGradedSet(set);
}

/** Whether a problem gets a practice page and variant pages in this edition. */
export function practiceOffered(entry: CollectionEntry<'problems'>): boolean {
  return isRandomized(entry.data) && !gradedHere(entry.data.set);
}

/** Whether this edition carries the analyzer (/analyze/) or the guides (/guides/). */
export function editionCarries(part: 'analyzer' | 'guide'): boolean {
  return currentEdition() === 'solutions' || studentEditionParts()[part];
}
