/**
 * The seeded authoring mutation suite (issue 26): mutants of the example course's problems,
 * chapters and course file (test/workbook/authoring-mutants.ts). For every mutant `workbook
 * check` either accepts it or reports errors that are all located in the file (line and column
 * inside it), in the author's terms (no stack, no "undefined"), without throwing; a BOM or CRLF
 * line ends are accepted. Then check and the build agree: every accepted problem and chapter
 * mutant builds, in one build, and its page is there; the rejected ones, in one course, stop the
 * build with exactly check's lines and nothing published. A course-file mutant is a course of its
 * own (a build each): every accepted one is read by the code the pages read it with
 * (workbook/course.ts: sets, units, look, info), and a seeded sample is really built, with its
 * index, set and chapter pages there; a sample of the rejected ones stops the build with check's
 * lines. (The build's first step is the same check, site/build-guard.ts: a course check rejects
 * never reaches Astro.)
 *
 * WORKBOOK_FUZZ_SEED changes the seed (as for the engine's fuzzers), WORKBOOK_AUTHORING_MUTANTS
 * the number of problem mutants (default 48), WORKBOOK_AUTHORING_COURSE_MUTANTS that of
 * course-file and chapter mutants (default 16), and WORKBOOK_AUTHORING_COURSE_BUILDS how many
 * accepted course-file mutants are built (default 2; `all` for every one) and how many rejected
 * ones (half as many, at least 1). The suite prints its counts and times at the end (and writes
 * them to WORKBOOK_FUZZ_REPORT); `npm run fuzz:authoring` runs the check half alone, and
 * `npm run fuzz:authoring -- --build` this whole file, printing the table.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCourse, formatDiagnostic, type Diagnostic } from '../../src/workbook/check/index.ts';
import { courseInfo, courseListedModels, courseLook, courseSets, courseUnits, forgetCourse, isGradedSet, loadCourse, setInfo, studentEditionParts, topicSlug } from '../../src/workbook/course.ts';
import { courseSets as publishedSets } from '../../src/publish/sets.ts';
import { FuzzTally } from '../support/fuzz-tally.ts';
import { writeCourse } from '../helpers/course.ts';
import { buildSite, failedBuild, type BuiltSite } from '../helpers/site.ts';
import { checkMutants, putProblem, sample, type Checked } from './authoring-fuzz.ts';

const SEED = Number(process.env.WORKBOOK_FUZZ_SEED ?? 26);
const COUNT = Number(process.env.WORKBOOK_AUTHORING_MUTANTS ?? 48);
const COURSE_COUNT = Number(process.env.WORKBOOK_AUTHORING_COURSE_MUTANTS ?? 16);
const COURSE_BUILDS = process.env.WORKBOOK_AUTHORING_COURSE_BUILDS === 'all' ? Infinity : Number(process.env.WORKBOOK_AUTHORING_COURSE_BUILDS ?? 2);

const run = checkMutants(SEED, COUNT, COURSE_COUNT);
const tally = new FuzzTally('authoring mutants', SEED);
for (const c of [...run.problems, ...run.courses]) tally.count(c.diagnostics.length > 0, run.ms / (run.problems.length + run.courses.length), `check: ${c.mutant.family}`);

/** A diagnostic in the author's terms, inside its file. */
function expectLocated(d: Diagnostic, lineCount: number): void {
  expect(d.message.length).toBeGreaterThan(0);
  // What the author wrote is quoted in braces (expect={undefined}); the rest is the checker's words.
  expect(d.message.replace(/\{[^}]*\}/g, '{}')).not.toMatch(/\bundefined\b|\[object Object\]|\n\s+at |Maximum call stack|ReferenceError|TypeError/);
  // A file that cannot be read is one error about the whole file; every other is at its place.
  if (d.line === undefined) {
    expect(d.message).toMatch(/^(cannot be read|not a regular file|\d+ bytes;|not listed in any unit)/);
    return;
  }
  expect(d.column).toBeGreaterThanOrEqual(1);
  expect(d.line).toBeGreaterThanOrEqual(1);
  expect(d.line).toBeLessThanOrEqual(lineCount + 1);
}

const lineCount = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1').split('\n').length;

describe(`authoring mutants (seed ${SEED}): check`, () => {
  it('made the mutants asked for, of every family', () => {
    expect(run.problems).toHaveLength(COUNT);
    expect(run.courses).toHaveLength(COURSE_COUNT);
    const families = new Set([...run.problems, ...run.courses].map((c) => c.mutant.family));
    if (COUNT >= 40 && COURSE_COUNT >= 12) expect([...families].sort()).toEqual(['body', 'chapter', 'course file', 'encoding', 'frontmatter', 'props']);
    console.log(summary(run.problems, run.courses));
  });

  it.each(run.problems.map((c) => [`${c.mutant.path} ${c.mutant.operator}: ${c.mutant.detail}`, c] as const))('%s', (_name, c) => {
    expect(c.threw).toBeUndefined();
    for (const d of c.diagnostics) {
      expect(d.file).toBe(c.mutant.path);
      expectLocated(d, lineCount(c.mutant.bytes));
    }
    // Allowed encodings of a course that checks: accepted.
    if (c.mutant.operator === 'enc-bom' || c.mutant.operator === 'enc-crlf') expect(c.diagnostics).toEqual([]);
    // What the build cannot read or must not run: refused.
    if (/^(fm-alias-bomb|enc-invalid-byte|enc-control)$/.test(c.mutant.operator)) expect(c.diagnostics.length).toBeGreaterThan(0);
  });

  it.each(run.courses.map((c) => [`${c.mutant.path} ${c.mutant.operator}: ${c.mutant.detail}`, c] as const))('%s', (_name, c) => {
    expect(c.threw).toBeUndefined();
    for (const d of c.diagnostics) expectLocated(d, d.file === c.mutant.path ? lineCount(c.mutant.bytes) : 10_000);
    if (c.mutant.operator === 'enc-bom' || c.mutant.operator === 'enc-crlf') expect(c.diagnostics).toEqual([]);
    if (/^(course-alias-bomb|course-dup-set|course-dup-unit|enc-invalid-byte|enc-control)$/.test(c.mutant.operator)) expect(c.diagnostics.length).toBeGreaterThan(0);
  });

  it('a course file check accepts is one the pages read: info, look, sets, units, topics', () => {
    for (const c of run.courses.filter((x) => x.diagnostics.length === 0 && x.mutant.path === 'content/course.yaml')) {
      forgetCourse();
      const root = c.root;
      // What the layout, the index, the set, topic and problem pages and the PDFs call (workbook/course.ts, publish/sets.ts).
      const course = loadCourse(root);
      const info = courseInfo(root);
      expect(info.title.length, c.mutant.detail).toBeGreaterThan(0);
      expect(() => [courseLook(root), studentEditionParts(root), courseListedModels(root), publishedSets(root)]).not.toThrow();
      const sets = courseSets(root);
      for (const s of sets) {
        expect(setInfo(s.id, root)).toEqual(s);
        expect(typeof isGradedSet(s.id, root)).toBe('boolean');
      }
      // Every unit names sets and chapters that are there: no page links to nothing.
      const chapters = readdirSync(join(root, 'content/chapters')).map((f) => f.replace(/\.mdx$/, ''));
      for (const u of courseUnits(root)) {
        for (const s of u.sets) expect(sets.map((x) => x.id), `${c.mutant.detail}: unit ${u.id}`).toContain(s);
        for (const ch of u.chapters) expect(chapters, `${c.mutant.detail}: unit ${u.id}`).toContain(ch);
      }
      for (const t of info.topics ?? []) expect(topicSlug(t)).toMatch(/^[a-z0-9-]*$/);
      expect(course.data.title).toBe(info.title);
    }
    forgetCourse();
  });
});

describe(`authoring mutants (seed ${SEED}): course files, check and the build agree`, () => {
  const courseFiles = run.courses.filter((c) => c.mutant.path === 'content/course.yaml');
  const accepted = sample(courseFiles.filter((c) => c.diagnostics.length === 0), COURSE_BUILDS, SEED);
  const rejected = sample(courseFiles.filter((c) => c.diagnostics.length > 0), Math.max(1, Math.ceil(COURSE_BUILDS / 2)), SEED + 1);

  it('made course-file mutants check accepts and rejects', () => {
    if (COURSE_COUNT >= 12) expect(accepted.length * rejected.length).toBeGreaterThan(0);
    console.log(`course-file mutants, seed ${SEED}: ${courseFiles.length}, ${courseFiles.filter((c) => c.diagnostics.length === 0).length} accepted (${accepted.length} built: ${accepted.map((c) => c.mutant.operator).join(', ')}), ${courseFiles.filter((c) => c.diagnostics.length > 0).length} rejected (${rejected.length} built: ${rejected.map((c) => c.mutant.operator).join(', ')})`);
  });

  it.each(accepted.map((c) => [`builds: ${c.mutant.operator}: ${c.mutant.detail}`, c] as const))('%s', async (_name, c) => {
    const started = performance.now();
    forgetCourse();
    const sets = courseSets(c.root).map((s) => s.id);
    const chapters = courseUnits(c.root).flatMap((u) => u.chapters);
    const title = courseInfo(c.root).title;
    forgetCourse();
    // Its own content cache, as `workbook build --course` gives it.
    const site = await buildSite({ courseDir: c.root, outDir: join(c.root, 'dist'), variants: 1, env: { WORKBOOK_CACHE_DIR: join(c.root, '.astro', 'cache') } });
    expect(site.page('/')).toContain('<h1');
    expect(site.page('/')).toContain(escapeHtml(title));
    for (const s of sets) expect(site.page(`/sets/${s}/`), s).toContain('<h1');
    for (const ch of chapters) expect(site.page(`/chapters/${ch}/`), ch).toContain('<h1>');
    tally.count(false, performance.now() - started, 'build: course file');
  }, 300_000);

  it.each(rejected.map((c) => [`refused: ${c.mutant.operator}: ${c.mutant.detail}`, c] as const))('%s', async (_name, c) => {
    const started = performance.now();
    const out = join(c.root, 'dist');
    const build = await failedBuild({ courseDir: c.root, outDir: out });
    expect(build.code).toBe(1);
    const lines = build.output.split('\n');
    for (const d of c.diagnostics) expect(lines).toContain(formatDiagnostic(d));
    expect(build.output).toContain(`${c.diagnostics.length} error${c.diagnostics.length === 1 ? '' : 's'} in the course`);
    expect(build.output).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
    expect(readdirSync(c.root).filter((f) => f === 'dist' || f.startsWith('dist.'))).toEqual([]);
    tally.count(true, performance.now() - started, 'build: course file');
  }, 300_000);
});

describe(`authoring mutants (seed ${SEED}): check and the build agree`, () => {
  const accepted = run.problems.filter((c) => c.diagnostics.length === 0);
  const acceptedChapters = run.courses.filter((c) => c.diagnostics.length === 0 && c.mutant.path.startsWith('content/chapters/'));
  const rejected = run.problems.filter((c) => c.diagnostics.length > 0);
  let site: BuiltSite;
  let good: string;

  beforeAll(async () => {
    // Every accepted problem mutant, and every accepted chapter mutant as a chapter of its own.
    const chapters = acceptedChapters.map((c, i) => ({ id: `${c.mutant.path.split('/').at(-1)!.replace(/\.mdx$/, '')}-c${i}`, bytes: c.mutant.bytes }));
    good = writeCourse({
      'content/course.yaml': `title: Mutants\n${chapters.length ? `units:\n  - id: reading\n    title: Reading\n    summary: The chapters.\n    chapters: [${chapters.map((c) => c.id).join(', ')}]\n` : ''}`,
    });
    for (const c of accepted) putProblem(good, c.mutant);
    for (const c of chapters) put(good, `content/chapters/${c.id}.mdx`, c.bytes);
    expect(checkCourse({ root: good, seeds: 2 }).diagnostics.map(formatDiagnostic)).toEqual([]);
    const started = performance.now();
    site = await buildSite({ courseDir: good, variants: 2 });
    const each = (performance.now() - started) / Math.max(1, accepted.length + chapters.length);
    for (const c of [...accepted, ...acceptedChapters]) tally.count(false, each, `build: ${c.mutant.family}`);
  }, 600_000);

  it('every mutant check accepts builds, and its page is there', () => {
    expect(accepted.length).toBeGreaterThan(0);
    for (const c of accepted) {
      const url = `/${c.mutant.path.replace(/\.mdx$/, '/')}`;
      expect(site.page(url), url).toContain('<h1>');
    }
    for (const [i, c] of acceptedChapters.entries()) {
      expect(site.page(`/chapters/${c.mutant.path.split('/').at(-1)!.replace(/\.mdx$/, '')}-c${i}/`)).toContain('<h1>');
    }
  });

  it('the mutants check rejects (problems and chapters) stop the build with exactly check\'s lines, nothing published', async () => {
    expect(rejected.length).toBeGreaterThan(0);
    // The rejected chapter mutants too, each a chapter of its own (check's diagnostics name them all).
    const chapters = run.courses.filter((c) => c.diagnostics.length > 0 && c.mutant.path.startsWith('content/chapters/')).map((c, i) => ({ id: `${c.mutant.path.split('/').at(-1)!.replace(/\.mdx$/, '')}-r${i}`, c }));
    const bad = writeCourse(chapters.length ? { 'content/course.yaml': `title: Mutants\nunits:\n  - id: reading\n    title: Reading\n    summary: The chapters.\n    chapters: [${chapters.map((x) => x.id).join(', ')}]\n` } : {});
    for (const c of rejected) putProblem(bad, c.mutant);
    for (const { id, c } of chapters) put(bad, `content/chapters/${id}.mdx`, c.mutant.bytes);
    const { diagnostics } = checkCourse({ root: bad, seeds: 2 });
    expect(diagnostics.length).toBeGreaterThanOrEqual(rejected.length);
    const out = join(bad, 'dist');
    const started = performance.now();
    const build = await failedBuild({ courseDir: bad, outDir: out });
    expect(build.code).toBe(1);
    const lines = build.output.split('\n');
    for (const d of diagnostics) expect(lines).toContain(formatDiagnostic(d));
    expect(build.output).toContain(`${diagnostics.length} error${diagnostics.length === 1 ? '' : 's'} in the course`);
    expect(build.output).not.toMatch(/\bat .*\.(ts|js|mjs):\d+/);
    expect(readdirSync(bad).filter((f) => f === 'dist' || f.startsWith('dist.'))).toEqual([]);
    for (const c of [...rejected, ...chapters.map((x) => x.c)]) tally.count(true, (performance.now() - started) / (rejected.length + chapters.length), `build: ${c.mutant.family}`);
    // Each rejected chapter mutant is refused in the build for what check found in it.
    for (const { id, c } of chapters) expect(diagnostics.filter((d) => d.file === `content/chapters/${id}.mdx`).length, c.mutant.detail).toBeGreaterThanOrEqual(c.diagnostics.filter((d) => d.file === c.mutant.path).length);
  }, 300_000);
});

/** As Astro escapes text (html-escaper). */
const escapeHtml = (text: string) => text.replace(/[&<>'"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&#39;', '"': '&quot;' })[c]!);

function put(root: string, path: string, bytes: Uint8Array): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), bytes);
}

function summary(problems: readonly Checked[], courses: readonly Checked[]): string {
  const all = [...problems, ...courses];
  const families = [...new Set(all.map((c) => c.mutant.family))].sort();
  const rows = families.map((f) => {
    const of = all.filter((c) => c.mutant.family === f);
    return `${f}: ${of.length} (${of.filter((c) => c.diagnostics.length > 0).length} rejected)`;
  });
  return `authoring mutants, seed ${SEED}: ${all.length} cases; ${rows.join(', ')}; checked in ${(run.ms / 1000).toFixed(1)} s`;
}

