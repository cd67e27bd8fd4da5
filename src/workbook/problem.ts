/**
 * A problem's frontmatter: what the author states about it. Validated with zod when the content
 * collection loads, so a malformed problem stops the build with the file and the field.
 */
import { z } from 'zod';
import { PROBLEM_SET_IDS } from './course.ts';

export const DIFFICULTIES = ['warm-up', 'core', 'challenge'] as const;

/** The network a problem is about: a built-in model id, an MLP by its widths, or a full definition. */
export const problemModelSchema = z.union([
  z.string().min(1),
  z.strictObject({
    mlp: z.array(z.number().int().positive()).min(2),
    activation: z.string().optional(),
    name: z.string().optional(),
  }),
  z.looseObject({ name: z.string(), input: z.array(z.number().int().positive()), layers: z.array(z.looseObject({ type: z.string() })) }),
]);

/** Values the problem gives: precisions, batch, and the hardware the question runs on. */
export const givenSchema = z.strictObject({
  batch: z.number().int().positive().optional(),
  paramBits: z.number().int().positive().optional(),
  activationBits: z.number().int().positive().optional(),
  clockMHz: z.number().positive().optional(),
  cyclesPerMac: z.number().positive().optional(),
});

export const problemSchema = z.strictObject({
  title: z.string().min(1),
  /** Where the problem comes from, e.g. "HW1, question 1". */
  source: z.string().min(1),
  /** The problem set it belongs to (see course.ts), e.g. "hw1"; groups problems on the index. */
  set: z.enum(PROBLEM_SET_IDS),
  /** Order within its set. */
  order: z.number().int().nonnegative(),
  topics: z.array(z.string().min(1)).min(1),
  difficulty: z.enum(DIFFICULTIES),
  model: problemModelSchema,
  given: givenSchema.default({}),
  summary: z.string().optional(),
});

export type ProblemData = z.output<typeof problemSchema>;
export type ProblemModel = z.output<typeof problemModelSchema>;
export type Given = z.output<typeof givenSchema>;
