/**
 * A build that did not write every page it planned exits non-zero and publishes nothing,
 * whatever a page did: ended the process with code 0, left a promise rejected, or never returned
 * (stopped at WORKBOOK_PAGE_TIMEOUT_MS, naming the page and its file). Problems cannot hold code
 * (`workbook check` refuses it, test/workbook/authoring-errors.test.ts); a chapter can, so the
 * chapter is where these pages are. Three builds of a one-problem course, each stopped early.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCourse } from '../../src/workbook/check/index.ts';
import { OWN_COURSE, writeCourse } from '../helpers/course.ts';
import { failedBuild } from '../helpers/site.ts';

/** The course with a chapter whose text is `code`, and a previous build in its dist/. */
function courseWith(code: string): { dir: string; out: string } {
  const dir = writeCourse({
    ...OWN_COURSE,
    'content/course.yaml': `${OWN_COURSE['content/course.yaml']}units:\n  - { id: u1, title: Reading, summary: The reading., chapters: [intro], sets: [hw2] }\n`,
    'content/chapters/intro.mdx': `---\ntitle: Intro\nsummary: The start.\ntopics: [parameters]\n---\n\nText ${code}.\n`,
  });
  // The check cannot see what a chapter's code will do: it passes.
  expect(checkCourse({ root: dir, seeds: 0 }).diagnostics).toEqual([]);
  const out = join(dir, 'dist');
  mkdirSync(out);
  writeFileSync(join(out, 'index.html'), 'previous build');
  return { dir, out };
}

function expectNothingPublished(dir: string, out: string): void {
  expect(readdirSync(out)).toEqual(['index.html']);
  expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('previous build');
  expect(readdirSync(dir).filter((f) => f.startsWith('dist.'))).toEqual([]);
}

describe('the build cannot lie', () => {
  it('a page that ends the process with code 0: exit 1, the page named, nothing published', async () => {
    const { dir, out } = courseWith('{process.exit(0)}');
    const build = await failedBuild({ courseDir: dir, outDir: out });
    expect(build.code).toBe(1);
    // At the expression that ended it: the page watch knows which one was running (site/mdx-locate.ts marks them).
    expect(build.output).toContain('content/chapters/intro.mdx:7:6: {process.exit(0)} (page /chapters/intro/): the build ended before it had written every page (the page ended the process); nothing was published');
    expectNothingPublished(dir, out);
  }, 240_000);

  it('a page that never returns: stopped past WORKBOOK_PAGE_TIMEOUT_MS, the page and its file named', async () => {
    const { dir, out } = courseWith('{(() => { while (true) {} })()}');
    const build = await failedBuild({ courseDir: dir, outDir: out, env: { WORKBOOK_PAGE_TIMEOUT_MS: '2000' } });
    expect(build.code).not.toBe(0);
    expect(build.output).toContain('content/chapters/intro.mdx:7:6: {(() => { while (true) {} })()} (page /chapters/intro/): the page ran past 2000 ms (WORKBOOK_PAGE_TIMEOUT_MS), so the build stopped; nothing was published');
    expectNothingPublished(dir, out);
  }, 240_000);

  it('an expression that awaits a promise that never settles: exit 1, named at the expression', async () => {
    const { dir, out } = courseWith('{await new Promise(() => {})}');
    const build = await failedBuild({ courseDir: dir, outDir: out });
    expect(build.code).toBe(1);
    expect(build.output).toContain('content/chapters/intro.mdx:7:6: {await new Promise(() => {})} (page /chapters/intro/): the build ended before it had written every page (the page ended the process); nothing was published');
    expectNothingPublished(dir, out);
  }, 240_000);

  it('a page that ends the process after its expressions returned: the page and its file, not an expression', async () => {
    const { dir, out } = courseWith("{1 + 1} and {(() => { setTimeout(() => process.exit(0), 0); return '' })()}");
    const build = await failedBuild({ courseDir: dir, outDir: out });
    expect(build.code).toBe(1);
    expect(build.output).toMatch(/\n(content\/chapters\/intro\.mdx \(page \/chapters\/intro\/\): )?the build ended before it had written every page/);
    expect(build.output).not.toContain('intro.mdx:7');
    expectNothingPublished(dir, out);
  }, 240_000);

  it('a promise a page rejects and nobody awaits: exit 1, one line, nothing published', async () => {
    const { dir, out } = courseWith("{(() => { Promise.reject(new Error('lost promise')); return '' })()}");
    const build = await failedBuild({ courseDir: dir, outDir: out });
    expect(build.code).toBe(1);
    expect(build.output).toContain('content/chapters/intro.mdx (page /chapters/intro/): lost promise (a promise rejected and not awaited); nothing was published');
    expect(build.output).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
    expectNothingPublished(dir, out);
  }, 240_000);

  it('an invalid WORKBOOK_PAGE_TIMEOUT_MS is an error saying so', async () => {
    const dir = writeCourse(OWN_COURSE);
    const build = await failedBuild({ courseDir: dir, env: { WORKBOOK_PAGE_TIMEOUT_MS: 'soon' } });
    expect(build.code).toBe(1);
    expect(build.output).toContain('WORKBOOK_PAGE_TIMEOUT_MS=soon: a whole number of milliseconds above 0 (default 120000)');
  }, 240_000);
});
