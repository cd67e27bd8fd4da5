/**
 * The course is content: its title, its problem sets (titles, order, descriptions), its units
 * (reading and sets in teaching order) and its topics live in `content/course.yaml` (or
 * `course.json`), validated here; nothing of one course lives in `src/`. A set a problem names
 * that the course file does not list still builds, titled from its name, after the listed ones.
 *
 * Where the course is: `WORKBOOK_COURSE_DIR` (default: the working directory) holds `problems/`
 * and `content/`; `WORKBOOK_PROBLEMS_DIR` points at another problems folder alone.
 *
 * The API other parts of the site use: `courseInfo()`, `courseSets()`, `setInfo(id)`,
 * `courseUnits()`. Node only (it reads files): the practice page's script never imports it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
// The frontmatter parser @astrojs/markdown-remark re-exports, without its Markdown pipeline.
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { z } from '../engine/schema.ts';
import { AuthoringError, type Diagnostic } from './check/diagnostics.ts';
import { readSourceText } from './check/text.ts';
import { parseYaml } from './check/yaml.ts';
import { fieldIssues } from './check/zod.ts';
import { courseCache } from './course-generation.ts';

const text = () => z.string().check(z.minLength(1));
/** A set's id as problems write it in `set:`: lower-case letters, digits and dashes. */
export const SET_ID = /^[a-z0-9][a-z0-9-]*$/;
const setId = () => z.string().check(z.regex(SET_ID, 'a set id is lower-case letters, digits and dashes, e.g. hw2'));

export const setSchema = z.strictObject({
  title: text(),
  /** The handout it comes from. */
  source: z.optional(text()),
  /** A sentence under the set's title on the index. */
  description: z.optional(text()),
  /**
   * Graded work (homework handed out per student, a quiz): the student edition shows its problems'
   * questions with no way to reveal or check an answer (no practice, no variants, no derivation).
   */
  graded: z.optional(z.boolean()),
});

/** What the student edition carries beyond the problems and reading (default: everything). */
export const studentEditionSchema = z.strictObject({
  /** The /analyze/ page, which computes any figure of any network. */
  analyzer: z.optional(z.boolean()),
  /** The authoring guide (content/guides/). */
  guide: z.optional(z.boolean()),
});

export const unitSchema = z.strictObject({
  id: setId(),
  title: text(),
  summary: text(),
  /** Chapter ids (file names in content/chapters without .mdx), in reading order. */
  chapters: z._default(z.array(text()), []),
  /** Set ids, in order. */
  sets: z._default(z.array(setId()), []),
});

export const courseSchema = z.strictObject({
  title: text(),
  /** The short name in every page's header and tab title (default: the title). */
  name: z.optional(text()),
  /** The index page's opening sentence. */
  lede: z.optional(text()),
  /** Problem sets by id, in the order the index lists them. */
  sets: z._default(z.record(setId(), setSchema), {}),
  units: z._default(z.array(unitSchema), []),
  /** The topics problems and chapters may list; absent: any topic. */
  topics: z.optional(z.array(text())),
  studentEdition: z.optional(studentEditionSchema),
  /** An image beside the site's name in the header: a path relative to the course file, or a URL. */
  logo: z.optional(text()),
  /** The accent colour of links and buttons, as CSS writes it: `#0b6e4f`. */
  accent: z.optional(z.string().check(z.regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, 'an accent colour is #rgb or #rrggbb, e.g. #0b6e4f'))),
  /**
   * The published site's URL (`https://me.github.io/course/`): canonical links, the sitemap's host,
   * and LMS exports link a question's model to its page there instead of attaching the file.
   */
  site: z.optional(z.url({ protocol: /^https?$/ })),
  /** Built-in models the models index lists besides those the problems use (ids, `workbook models`). */
  models: z.optional(z.array(text())),
});

/** A chapter's frontmatter (content/chapters/*.mdx): the pages' schema (src/site/content.ts) and `workbook check`'s. */
export const chapterSchema = z.strictObject({
  title: text(),
  summary: text(),
  topics: z.array(text()).check(z.minLength(1)),
});

export type CourseData = z.output<typeof courseSchema>;
export type CourseUnit = z.output<typeof unitSchema>;

export interface SetInfo {
  readonly id: string;
  readonly title: string;
  readonly source?: string;
  readonly description?: string;
  /** True when the course file marks the set `graded: true`. */
  readonly graded?: boolean;
  /** False when the course file does not list the set (its title comes from its id). */
  readonly listed: boolean;
}

export interface Course {
  /** The course file, relative to the course folder; undefined when there is none. */
  readonly file: string | undefined;
  readonly data: CourseData;
}

// ---- where the course is -------------------------------------------------------------------

/** The course's folder: `WORKBOOK_COURSE_DIR`, else the working directory. */
export function courseRoot(): string {
  return resolve(process.env.WORKBOOK_COURSE_DIR ?? '.');
}

export function problemsDir(root = courseRoot()): string {
  return root === courseRoot() && process.env.WORKBOOK_PROBLEMS_DIR ? resolve(process.env.WORKBOOK_PROBLEMS_DIR) : join(root, 'problems');
}

export function contentDir(root = courseRoot()): string {
  return join(root, 'content');
}

/** A path as diagnostics print it: relative to the course folder, with forward slashes. */
export function displayPath(path: string, root = courseRoot()): string {
  const rel = relative(root, path);
  return (rel.startsWith('..') || isAbsolute(rel) ? path : rel).split(sep).join('/');
}

/** An MDX file's id in its folder: its path there without `.mdx` (`hw1/q1`), as pages, check and the CLI name it. */
export function mdxId(file: string, dir: string): string {
  return displayPath(file, dir).replace(/\.mdx$/, '');
}

// ---- the course file -----------------------------------------------------------------------

const DEFAULT_COURSE: CourseData = { title: 'Workbook', sets: {}, units: [] };

/**
 * Reads and validates `content/course.yaml` (or `.json`); every mistake in it is reported at
 * once, with its line. No course file: a course titled "Workbook" whose sets are its problems'.
 */
export function loadCourse(root = courseRoot()): Course {
  const dir = contentDir(root);
  const path = ['course.yaml', 'course.yml', 'course.json'].map((f) => join(dir, f)).find((p) => existsSync(p));
  if (!path) return { file: undefined, data: DEFAULT_COURSE };
  const file = displayPath(path, root);
  const source = readSourceText(path);
  if ('error' in source) throw new AuthoringError([{ file, ...(source.error.position ?? {}), message: source.error.message }]);
  const yaml = parseYaml(source.text);
  if (yaml.errors.length > 0) throw new AuthoringError(yaml.errors.map((e) => ({ file, ...e.position, message: e.message })));
  const parsed = courseSchema.safeParse(yaml.data ?? {}, { reportInput: true });
  if (!parsed.success) {
    throw new AuthoringError(fieldIssues(courseSchema, parsed.error.issues).map((i) => ({ file, ...yaml.locate(i.path), message: i.message })));
  }
  // A unit id twice: its anchor on the index would be ambiguous (duplicate set keys are YAML errors).
  const seen = new Set<string>();
  const twice = parsed.data.units.flatMap((unit, u) => (seen.has(unit.id) || !seen.add(unit.id) ? [{ file, ...yaml.valueAt(['units', u, 'id']), message: `units[${u}].id: '${unit.id}' is the id of an earlier unit; each unit has its own` }] : []));
  if (twice.length > 0) throw new AuthoringError(twice);
  return { file, data: parsed.data };
}

/** Where a field of the course file is written, for checks that need the problems (check/course.ts). */
export function locateInCourse(course: Course, path: readonly PropertyKey[], message: string, root = courseRoot()): Diagnostic {
  if (!course.file) return { file: 'content/course.yaml', message };
  const source = readSourceText(join(root, course.file));
  const yaml = parseYaml('text' in source ? source.text : '');
  return { file: course.file, ...yaml.locate(path), message };
}

// ---- sets ----------------------------------------------------------------------------------

/** "hw2" -> "Hw2", "lab-2" -> "Lab 2": the title of a set the course file does not name. */
export function titleFromId(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function mdxFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      // A link to nowhere is listed as a file: the check reports it cannot be read.
      let directory = false;
      try {
        directory = statSync(path).isDirectory();
      } catch {
        directory = false;
      }
      return directory ? mdxFiles(path) : name.endsWith('.mdx') ? [path] : [];
    });
}

/** Every problem file of the course, in path order. */
export function problemFiles(root = courseRoot()): string[] {
  return mdxFiles(problemsDir(root));
}

/** The sets the problems name, in path order (a problem whose frontmatter does not parse is skipped: check reports it). */
export function problemSetIds(root = courseRoot()): string[] {
  const ids = new Set<string>();
  for (const path of problemFiles(root)) {
    try {
      const set = (parseFrontmatter(readFileSync(path, 'utf8')).frontmatter as { set?: unknown }).set;
      if (typeof set === 'string') ids.add(set);
    } catch {
      // reported by `workbook check` and the build's check, with its line
    }
  }
  return [...ids];
}

const cache = courseCache<string, { course: Course; sets: SetInfo[] }>();

/**
 * The course as read, cached for a build (every page asks) and, in the dev server, until a
 * course file is saved (course-generation.ts); read afresh elsewhere (tests, commands), so an
 * edited course file or a new set shows without a restart.
 */
function loaded(root = courseRoot()) {
  const read = cache.current();
  let entry = read.get(root);
  if (!entry) {
    const course = loadCourse(root);
    const listed = Object.entries(course.data.sets).map(([id, s]): SetInfo => ({ id, ...s, listed: true }));
    const others = problemSetIds(root)
      .filter((id) => !Object.hasOwn(course.data.sets, id))
      .sort()
      .map((id): SetInfo => ({ id, title: titleFromId(id), listed: false }));
    entry = { course, sets: [...listed, ...others] };
    read.set(root, entry);
  }
  return entry;
}

/** The course's title, lede and topics. */
export function courseInfo(root = courseRoot()): { title: string; name: string; lede?: string; topics?: readonly string[]; siteUrl?: string } {
  const { title, name, lede, topics, site: siteUrl } = loaded(root).course.data;
  return { title, name: name ?? title, ...(lede ? { lede } : {}), ...(topics ? { topics } : {}), ...(siteUrl ? { siteUrl } : {}) };
}

/** What the student edition carries: `studentEdition` of the course file, each part true unless it says false. */
export function studentEditionParts(root = courseRoot()): { analyzer: boolean; guide: boolean } {
  const parts = loaded(root).course.data.studentEdition;
  return { analyzer: parts?.analyzer ?? true, guide: parts?.guide ?? true };
}

/** Whether a set is graded (`graded: true` in the course file); a set the file does not list is not. */
export function isGradedSet(id: string, root = courseRoot()): boolean {
  return loaded(root).sets.find((s) => s.id === id)?.graded === true;
}

/** The site's look and address from the course file: logo (absolute path or URL), accent colour, URL. */
export function courseLook(root = courseRoot()): { logo?: string; accent?: string; site?: string } {
  const { course } = loaded(root);
  const { logo, accent, site } = course.data;
  const logoPath = logo === undefined || /^[a-z]+:/i.test(logo) || !course.file ? logo : resolve(root, course.file, '..', logo);
  return { ...(logoPath ? { logo: logoPath } : {}), ...(accent ? { accent } : {}), ...(site ? { site } : {}) };
}

/** The built-in models the course file asks the models index to list besides the problems' own. */
export function courseListedModels(root = courseRoot()): readonly string[] {
  return loaded(root).course.data.models ?? [];
}

/** Every problem set, in the course's order: those the course file lists, then the others by id. */
export function courseSets(root = courseRoot()): readonly SetInfo[] {
  return loaded(root).sets;
}

/** One set's title, source and description; a set no problem names and no course file lists is an error. */
export function setInfo(id: string, root = courseRoot()): SetInfo {
  const info = loaded(root).sets.find((s) => s.id === id);
  if (!info) throw new Error(`no problem set '${id}'; sets: ${loaded(root).sets.map((s) => s.id).join(', ')}`);
  return info;
}

/**
 * The units in teaching order. Sets no unit lists are gathered in a last unit, "Problem sets",
 * so a new set shows on the index with no course file at all.
 */
export function courseUnits(root = courseRoot()): readonly CourseUnit[] {
  const { course, sets } = loaded(root);
  const units = course.data.units;
  const inUnits = new Set(units.flatMap((u) => u.sets));
  const rest = sets.filter((s) => !inUnits.has(s.id)).map((s) => s.id);
  if (rest.length === 0) return units;
  return [...units, { id: 'problem-sets', title: units.length ? 'More problem sets' : 'Problem sets', summary: '', chapters: [], sets: rest }];
}

/** Forgets what was read (tests that write a course, the dev server). */
export function forgetCourse(): void {
  cache.clear();
}

/** A topic's URL segment: "model size" -> "model-size". */
export function topicSlug(topic: string): string {
  return topic.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}
