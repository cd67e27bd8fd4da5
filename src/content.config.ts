import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'zod';
import { problemSchema } from './workbook/problem.ts';
import { chapterSchema, contentDir, problemsDir } from './workbook/course.ts';

/**
 * Problems are MDX files in `problems/` (id = path, e.g. `hw1/q1`); the reading is in `content/`.
 * WORKBOOK_COURSE_DIR points the build at another course's folder (its `problems/` and `content/`),
 * WORKBOOK_PROBLEMS_DIR at another problems folder alone (see workbook/course.ts).
 */
const problems = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: problemsDir() }),
  schema: problemSchema,
});

const chapters = defineCollection({
  loader: glob({ pattern: '*.mdx', base: `${contentDir()}/chapters` }),
  schema: chapterSchema,
});

/** Guides for authors and instructors (the authoring reference): the generator's, in every course. */
const guides = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/guides' }),
  schema: z.strictObject({ title: z.string().min(1), summary: z.string().min(1) }),
});

export const collections = { problems, chapters, guides };
