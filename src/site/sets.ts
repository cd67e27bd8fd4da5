/**
 * The site's view of problem sets (src/publish/sets.ts): each set's problems as collection
 * entries with their specs, for the `/sets/<set>/` pages. Sets with no problem get no page.
 */
import { courseSets, problemSet, type ProblemSetDoc, type SetProblem } from '../publish/sets.ts';
import { sortedProblems, type Problem } from './collections.ts';
import { problemSpecOf } from './variants.ts';

export interface SiteSetProblem extends SetProblem {
  readonly entry: Problem;
}

/** The forms of a set document; the student edition has no answer key. */
export const SET_FORMS = {
  handout: 'Handout',
  solutions: 'Solutions',
  key: 'Answer key',
} as const;
export type SetForm = keyof typeof SET_FORMS;

const cache = new WeakMap<object, SiteSetProblem>();

function setProblemOf(entry: Problem): SiteSetProblem {
  let p = cache.get(entry.data);
  if (!p) {
    p = { ...problemSpecOf(entry), body: entry.body ?? '', entry };
    cache.set(entry.data, p);
  }
  return p;
}

/** Every set that has problems, in course order. */
export async function siteSets(): Promise<ProblemSetDoc<SiteSetProblem>[]> {
  const all = (await sortedProblems()).map(setProblemOf);
  const used = new Set(all.map((p) => p.data.set as string));
  return courseSets()
    .filter((s) => used.has(s.id))
    .map((s) => problemSet(s.id, all));
}

/** Whether PDFs of the set documents are made with this build (WORKBOOK_PDF=1, `npm run pdf`). */
export function pdfsBuilt(): boolean {
  return process.env.WORKBOOK_PDF === '1';
}

/** `hw1-handout-a4.pdf` */
export function pdfName(set: string, form: SetForm, paper: 'a4' | 'letter'): string {
  return `${set}-${form}-${paper}.pdf`;
}
