import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { problemSchema } from './workbook/problem.ts';

/** Problems are MDX files in the top-level `problems/` folder; the id is the path, e.g. `hw1/q1`. */
const problems = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './problems' }),
  schema: problemSchema,
});

export const collections = { problems };
