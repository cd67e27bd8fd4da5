/**
 * What a problem page hands the authoring components through `Astro.locals`: the solved problem,
 * its file (for error messages) and the edition being built. One MDX compilation serves every
 * rendering of the problem; only this context changes.
 */
import type { ProblemContext } from '../workbook/answers.ts';
import { currentEdition, type Edition } from './edition.ts';

export interface PageProblem {
  readonly ctx: ProblemContext;
  /** The MDX file, relative to the project, e.g. `problems/hw1/q1.mdx`. */
  readonly file: string;
  readonly edition: Edition;
}

/** The problem context, or an error saying the component was used outside a problem page. */
export function pageProblem(locals: App.Locals, component: string): PageProblem {
  const problem = locals.problem;
  if (!problem) throw new Error(`<${component}> is only available inside a problem's MDX`);
  return problem;
}

export { currentEdition };
