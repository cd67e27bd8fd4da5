/**
 * The site's view of problem sets (src/publish/sets.ts): each set's problems as collection
 * entries with their specs, for the `/sets/<set>/` pages. Sets with no problem get no page.
 */
import { courseSets, problemSet, type ProblemSetDoc, type SetProblem } from '../publish/sets.ts';
import { sortedProblems, type Problem } from './collections.ts';
import { builtInsFor } from '../workbook/builtins.ts';
import { fileOf, problemSpecOf } from './variants.ts';

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
    const file = fileOf(entry);
    const body = entry.body ?? '';
    // `answers` is read when it is needed (randomized problems), so that a problem with an unknown
    // answer fails the build where its own page renders it, with that page's message.
    p = { id: entry.id, file, data: entry.data, ...builtInsFor(entry.data, body, file), body, entry, get answers() { return problemSpecOf(entry).answers; } };
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
