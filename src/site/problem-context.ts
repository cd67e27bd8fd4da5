/**
 * What a problem page hands the authoring components through `Astro.locals`: the solved problem,
 * its file (for error messages) and the edition being built. One MDX compilation serves every
 * rendering of the problem; only this context changes:
 *
 *   problem page   mode 'static', no variant: the homework with its answers (or blanks)
 *   variant page   mode 'static', `variant` set: a variant's givens; answers behind "Show answer"
 *   practice page  mode 'practice': placeholders and answer boxes that the page's script fills
 *                  for any seed (the ctx is the canonical one, used only to check names)
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ProblemContext } from '../workbook/answers.ts';
import { currentEdition, type Edition } from './edition.ts';
import { pageFile } from './page-watch.ts';

export type RenderMode = 'static' | 'practice';

export interface PageVariant {
  readonly seed: number;
  readonly values: Readonly<Record<string, number>>;
  readonly canonical: boolean;
}

export interface PageProblem {
  readonly ctx: ProblemContext;
  /** The MDX file, relative to the project, e.g. `problems/hw1/q1.mdx`. */
  readonly file: string;
  readonly edition: Edition;
  /** Default 'static'. */
  readonly mode?: RenderMode;
  /** Set on a variant page. */
  readonly variant?: PageVariant;
  /** The parameters' values in force, for `<Given name="param">` (variant pages; canonical values elsewhere). */
  readonly values?: Readonly<Record<string, number>>;
  /** Practice page: how often each answer has been rendered, for unique element ids. */
  readonly answerIds?: Map<string, number>;
  /** Prefix of the element ids the components make, unique per problem on a page of several. */
  readonly idPrefix?: string;
  /**
   * The student edition's page of a problem without params, in an ungraded set: its answers are
   * boxes that the page's script checks against the homework, with nothing to reveal (`checker`).
   */
  readonly checker?: boolean;
}

/**
 * A page of several problems (a set's handout, solutions, per-student sheet) cannot use the one
 * `Astro.locals.problem` of the page: Astro renders sibling components concurrently, so a value
 * set before one problem's <Content /> could be read by another's components. Each problem is
 * rendered inside `withProblem` instead (components/ProblemScope.astro), and its components see
 * their own problem through this store, which follows the rendering's async calls.
 */
const scoped = new AsyncLocalStorage<PageProblem>();

/** Scopes being rendered; none, the store is disabled. */
let active = 0;

/**
 * Runs `render` (a problem's MDX rendered to HTML) with `problem` as its components' context.
 * Once no scope is being rendered the store is disabled: in Node 22 an enabled store puts a hook
 * on every promise of the process, which cost every later page of the build (the variant pages)
 * about 0.5 ms of CPU.
 */
export async function withProblem<T>(problem: PageProblem, render: () => Promise<T>): Promise<T> {
  active += 1;
  pageFile(problem.file);
  try {
    return await scoped.run(problem, render);
  } finally {
    active -= 1;
    if (active === 0) scoped.disable();
  }
}

/** The problem context, or an error saying the component was used outside a problem page. */
export function pageProblem(locals: App.Locals, component: string): PageProblem {
  const problem = scoped.getStore() ?? locals.problem;
  if (!problem) throw new Error(`<${component}> is only available inside a problem's MDX`);
  return problem;
}

/** The problem being rendered, if any (components that also work outside a problem). */
export function currentProblem(locals: App.Locals): PageProblem | undefined {
  return scoped.getStore() ?? locals.problem;
}

/** Whether answers are boxes a script checks: on a practice page, or a problem page with the checker. */
export function answerBoxes(problem: PageProblem): boolean {
  return problem.mode === 'practice' || problem.checker === true;
}

/** Where the page is: the problem itself, one of its variants, or practice. */
export function renderingOf(problem: PageProblem): 'problem' | 'variant' | 'practice' {
  if (problem.mode === 'practice') return 'practice';
  return problem.variant ? 'variant' : 'problem';
}

export { currentEdition };
