/**
 * The pages' MDX content: `getCollection` and `render`, in place of Astro's content collections.
 *
 * The frontmatter is read with the parser and schemas `workbook check` uses (the build's first
 * step has already checked every file, so a schema error here is a bug, said with its file); the
 * body is the MDX module @astrojs/mdx compiles, imported through `virtual:workbook/content`
 * (src/site/content-modules.ts). Content collections did the same with a fixed cost in every build:
 * a throw-away Vite server to load the content config, Astro's data store, its runtime.
 */
import { readFileSync } from 'node:fs';
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { z } from 'zod';
import { load } from 'virtual:workbook/content';
import { chapterSchema, mdxId } from '../workbook/course.ts';
import { courseCache } from '../workbook/course-generation.ts';
import { problemSchema } from '../workbook/problem.ts';
import { collectionFiles, type CollectionName } from './content-files.ts';

/** A guide's frontmatter (the generator's content/guides/*.mdx). */
export const guideSchema = z.strictObject({ title: z.string().min(1), summary: z.string().min(1) });

const SCHEMAS = { problems: problemSchema, chapters: chapterSchema, guides: guideSchema } as const;

type DataOf = { [C in CollectionName]: z.output<(typeof SCHEMAS)[C]> };

export interface CollectionEntry<C extends CollectionName> {
  /** The file's path in its collection's folder, without `.mdx`: `hw1/q1`. */
  readonly id: string;
  readonly collection: C;
  /** The file, absolute. */
  readonly filePath: string;
  /** The MDX below the frontmatter. */
  readonly body: string;
  readonly data: DataOf[C];
}

function readEntry<C extends CollectionName>(collection: C, dir: string, filePath: string): CollectionEntry<C> {
  const { frontmatter, content } = parseFrontmatter(readFileSync(filePath, 'utf8'));
  const parsed = SCHEMAS[collection].safeParse(frontmatter);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
    throw new Error(`${filePath}: ${issues} (run \`workbook check\`)`);
  }
  return { id: mdxId(filePath, dir), collection, filePath, body: content, data: parsed.data as DataOf[C] };
}

/**
 * Read once per build; in the dev server once per save of a course file (course-generation.ts), so
 * an edited frontmatter shows at the page's reload.
 */
const cache = courseCache<CollectionName, readonly CollectionEntry<CollectionName>[]>();

/** A collection's entries in path order: a new array each call (callers sort it), the same entries. */
export async function getCollection<C extends CollectionName>(collection: C): Promise<CollectionEntry<C>[]> {
  const read = cache.current();
  let entries = read.get(collection);
  if (!entries) {
    const { dir, files } = collectionFiles(collection);
    entries = files.map((file) => readEntry(collection, dir, file));
    read.set(collection, entries);
  }
  return [...(entries as readonly CollectionEntry<C>[])];
}

/** The entry's compiled MDX, as a component: `<Content components={...} />`. */
export async function render(entry: CollectionEntry<CollectionName>): Promise<{ Content: (props: Record<string, unknown>) => unknown }> {
  const module = await load(entry.filePath);
  if (!module) throw new Error(`${entry.filePath}: not among the MDX files this build renders`);
  return { Content: module.default };
}
