/**
 * A problem's frontmatter: what the author states about it. Validated with zod when the content
 * collection loads, so a malformed problem stops the build with the file and the field.
 */
import { z } from 'zod';
import { PROBLEM_SET_IDS } from './course.ts';
import { constraintsSchema, paramsSchema, SpaceError } from './variants/space.ts';
import { instantiate, variationOf } from './variants/instantiate.ts';

export const DIFFICULTIES = ['warm-up', 'core', 'challenge'] as const;

/**
 * Where a randomized problem's value goes, write `"$name"` for its parameter `name` (see
 * `params:` and variants/space.ts); every other place takes a plain value.
 */
export const paramRefSchema = z.string().regex(/^\$[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter reference is "$name"');
const positiveInt = z.number().int().positive();
const positiveIntOrRef = z.union([positiveInt, paramRefSchema]);
const positiveOrRef = z.union([z.number().positive(), paramRefSchema]);

/** The network a problem is about: a built-in model id, an MLP by its widths, or a full definition. */
export const problemModelSchema = z.union([
  z.string().min(1),
  z.strictObject({
    mlp: z.array(positiveInt).min(2),
    activation: z.string().optional(),
    name: z.string().optional(),
  }),
  z.looseObject({ name: z.string(), input: z.array(positiveInt), layers: z.array(z.looseObject({ type: z.string() })) }),
]);

/** The same, with `"$name"` allowed for widths, input sizes and (in a full definition) any layer argument. */
export const problemModelTemplateSchema = z.union([
  z.string().min(1),
  z.strictObject({
    mlp: z.array(positiveIntOrRef).min(2),
    activation: z.string().optional(),
    name: z.string().optional(),
  }),
  z.looseObject({ name: z.string(), input: z.array(positiveIntOrRef), layers: z.array(z.looseObject({ type: z.string() })) }),
]);

/** Values the problem gives: precisions, batch, and the hardware the question runs on. */
export const givenSchema = z.strictObject({
  batch: positiveInt.optional(),
  paramBits: positiveInt.optional(),
  activationBits: positiveInt.optional(),
  clockMHz: z.number().positive().optional(),
  cyclesPerMac: z.number().positive().optional(),
});

export const givenTemplateSchema = z.strictObject({
  batch: positiveIntOrRef.optional(),
  paramBits: positiveIntOrRef.optional(),
  activationBits: positiveIntOrRef.optional(),
  clockMHz: positiveOrRef.optional(),
  cyclesPerMac: positiveOrRef.optional(),
});

/** The frontmatter as written, before the canonical values are put in place of `"$name"`. */
export const problemSourceSchema = z.strictObject({
  title: z.string().min(1),
  /** Where the problem comes from, e.g. "HW1, question 1". */
  source: z.string().min(1),
  /** The problem set it belongs to (see course.ts), e.g. "hw1"; groups problems on the index. */
  set: z.enum(PROBLEM_SET_IDS),
  /** Order within its set. */
  order: z.number().int().nonnegative(),
  topics: z.array(z.string().min(1)).min(1),
  difficulty: z.enum(DIFFICULTIES),
  model: problemModelTemplateSchema,
  given: givenTemplateSchema.default({}),
  summary: z.string().optional(),
  /** What varies between practice variants; see variants/space.ts. */
  params: paramsSchema.optional(),
  /** Rules every variant obeys, as formulas over the parameters, e.g. "h2 <= h1". */
  constraints: constraintsSchema.optional(),
});
export type ProblemSource = z.output<typeof problemSourceSchema>;

/**
 * A problem's frontmatter, validated. `model` and `given` hold the canonical values (the default
 * variant), so a page that knows nothing of variants renders the homework as written;
 * `variation` keeps the templates and the space for the variant pages, practice and the CLI.
 */
export const problemSchema = problemSourceSchema.transform((source, ctx) => {
  try {
    const { params, constraints, ...rest } = source;
    const variation = variationOf(source);
    const canonical = instantiate(variation ?? { params: {}, constraints: [], model: source.model, given: source.given }, undefined);
    return { ...rest, model: canonical.model, given: canonical.given, variation };
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message, path: error instanceof SpaceError ? ['params'] : [] });
    return z.NEVER;
  }
});

export type ProblemData = z.output<typeof problemSchema>;
export type ProblemModel = z.output<typeof problemModelSchema>;
export type Given = z.output<typeof givenSchema>;
