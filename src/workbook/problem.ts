/**
 * A problem's frontmatter: what the author states about it. Validated with zod by `workbook check`
 * (the build's first step) and as the pages read it (src/site/content.ts), with the file and the field.
 */
import { z } from '../engine/schema.ts';
import { PROFILE_IDS } from '../engine/analysis/profile-ids.ts';
import { constraintsSchema, paramsSchema, SpaceError } from './variants/space.ts';
import { instantiate, variationOf } from './variants/instantiate.ts';

export const DIFFICULTIES = ['warm-up', 'core', 'challenge'] as const;

const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * Where a randomized problem's value goes, write `"$name"` for its parameter `name` (see
 * `params:` and variants/space.ts); every other place takes a plain value.
 */
export const paramRefSchema = z.string().check(z.regex(/^\$[A-Za-z_][A-Za-z0-9_]*$/, 'a parameter reference is "$name"'));
const positiveInt = z.int().check(z.positive());
const positive = () => z.number().check(z.positive());
const positiveIntOrRef = z.union([positiveInt, paramRefSchema]);
const positiveOrRef = z.union([positive(), paramRefSchema]);

/** The network a problem is about: a built-in model id, an MLP by its widths, or a full definition. */
export const problemModelSchema = z.union([
  nonEmpty(),
  z.strictObject({
    mlp: z.array(positiveInt).check(z.minLength(2)),
    activation: z.optional(z.string()),
    name: z.optional(z.string()),
  }),
  z.looseObject({ name: z.string(), input: z.array(positiveInt), layers: z.array(z.looseObject({ type: z.string() })) }),
  // A Hugging Face config.json written inline (read by src/engine/hf/, as a file would be).
  z.looseObject({ model_type: z.string() }),
]);

/** The same, with `"$name"` allowed for widths, input sizes and (in a full definition) any layer argument. */
export const problemModelTemplateSchema = z.union([
  nonEmpty(),
  z.strictObject({
    mlp: z.array(positiveIntOrRef).check(z.minLength(2)),
    activation: z.optional(z.string()),
    name: z.optional(z.string()),
  }),
  z.looseObject({ name: z.string(), input: z.array(positiveIntOrRef), layers: z.array(z.looseObject({ type: z.string() })) }),
  // An inline config.json: `"$name"` may stand for any of its numbers (layers, sizes, heads).
  z.looseObject({ model_type: z.string() }),
]);

/** Givens that are never randomized: the same in a problem's `given` and in its variation template. */
const plainGivens = {
  /** Seed 001's processor speed, in operations per second: latency = ops / speed. */
  speedOpsPerS: z.optional(positive()),
  /** A roof given by its numbers: peak FLOP/s π and memory bandwidth β in B/s. */
  peakFlopsPerS: z.optional(positive()),
  bandwidthBytesPerS: z.optional(positive()),
  /** One operation on the roof: its FLOPs W and the bytes Q it moves. */
  opFlops: z.optional(positive()),
  opBytes: z.optional(positive()),
  /** The counting profile the problem's counts follow (e.g. `lectures`: bias ignored, input in the activations). */
  profile: z.optional(z.enum(PROFILE_IDS)),
  /** A built-in hardware profile id, for roofline, throughput and energy answers (an unknown id fails the build, listing the ids). */
  hardware: z.optional(nonEmpty()),
  /** Where the weights are read from on every pass (energy answers). */
  weightsIn: z.optional(z.enum(['dram', 'sram'])),
  /** A measured decode rate (a benchmark's tokens per second), set against the bound by `achievedFraction`. */
  measuredTokensPerSecond: z.optional(positive()),
  /** A language model's weights in llama.cpp's blocks (instead of `paramBits`, with `groupSize`). */
  weightFormat: z.optional(z.enum(['q4_0', 'q8_0'])),
};

/** Values the problem gives: precisions, batch, and the hardware the question runs on. */
export const givenSchema = z.strictObject({
  batch: z.optional(positiveInt),
  paramBits: z.optional(positiveInt),
  activationBits: z.optional(positiveInt),
  clockMHz: z.optional(positive()),
  cyclesPerMac: z.optional(positive()),
  // Language models (src/engine/llm/): the decode step's context (also the prompt when no
  // `prompt` is given), a prompt of P tokens and G generated ones, bits per cached key or value,
  // and weight-only group quantization (`paramBits` bits per weight in groups of `groupSize`).
  context: z.optional(positiveInt),
  prompt: z.optional(positiveInt),
  generate: z.optional(positiveInt),
  kvBits: z.optional(positiveInt),
  groupSize: z.optional(positiveInt),
  ...plainGivens,
});

export const givenTemplateSchema = z.strictObject({
  batch: z.optional(positiveIntOrRef),
  paramBits: z.optional(positiveIntOrRef),
  activationBits: z.optional(positiveIntOrRef),
  clockMHz: z.optional(positiveOrRef),
  cyclesPerMac: z.optional(positiveOrRef),
  context: z.optional(positiveIntOrRef),
  prompt: z.optional(positiveIntOrRef),
  generate: z.optional(positiveIntOrRef),
  kvBits: z.optional(positiveIntOrRef),
  groupSize: z.optional(positiveIntOrRef),
  // Not randomized: plain values only.
  ...plainGivens,
});

/**
 * Numbers measured in the lab (times, accuracies), which no model computes: shown as data, with
 * their source, beside what the cost models predict. Values by the key of a table's row.
 */
export const measurementSchema = z.strictObject({
  title: nonEmpty(),
  /** The unit the values are in, as printed: `ms`, `s`, `%`, `images/s`. */
  unit: nonEmpty(),
  /** Where the numbers come from: "Lab 1 report, Figures 1-3 (console output)". */
  source: nonEmpty(),
  values: z.record(z.string(), z.number()),
});

/**
 * A table of engine figures: one row per variant (batch size, width, layer), one column per
 * figure. A cell is the column's answer under the row's props (and the column's own); a row may
 * also name another `model`. Measured columns print a measurement's values, labelled as such.
 */
export const figureTableSchema = z.strictObject({
  caption: nonEmpty(),
  /** The header of the rows' label column. */
  rowHeader: z._default(nonEmpty(), 'Case'),
  columns: z
    .array(
      z.union([
        z.looseObject({ of: nonEmpty(), title: z.optional(z.string()), key: z.optional(z.string()) }),
        z.strictObject({ measured: nonEmpty() }),
      ]),
    )
    .check(z.minLength(1)),
  rows: z
    .array(
      z.looseObject({
        key: nonEmpty(),
        label: nonEmpty(),
        /** Expected values by column key (the column's `key`, else its `of`). */
        expect: z.optional(z.record(z.string(), z.number())),
      }),
    )
    .check(z.minLength(1)),
});

/** The frontmatter as written, before the canonical values are put in place of `"$name"`. */
export const problemSourceSchema = z.strictObject({
  title: nonEmpty(),
  /** Where the problem comes from, e.g. "HW1, question 1". */
  source: nonEmpty(),
  /**
   * The problem set it belongs to, e.g. "hw1": any id (lower-case letters, digits, dashes). The
   * course file (content/course.yaml) gives sets their titles and order; an unlisted set is
   * titled from its id.
   */
  set: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'a set id is lower-case letters, digits and dashes, e.g. hw2')),
  /** Order within its set. */
  order: z.int().check(z.nonnegative()),
  topics: z.array(nonEmpty()).check(z.minLength(1)),
  difficulty: z.enum(DIFFICULTIES),
  model: problemModelTemplateSchema,
  given: z._default(givenTemplateSchema, {}),
  /**
   * The hardware every cost answer runs on: a built-in profile id (`stm32f746ng`). Latency takes
   * its clock and cycles per MAC, fit its flash and SRAM; `given` still overrides a value. The
   * same as `given.hardware`.
   */
  hardware: z.optional(nonEmpty()),
  summary: z.optional(z.string()),
  /** Tables of engine figures, by id: `<FigureTable id="batch" />`. */
  tables: z.optional(z.record(z.string(), figureTableSchema)),
  /** Lab measurements, by id, that tables show beside the predictions. */
  measurements: z.optional(z.record(z.string(), measurementSchema)),
  /** What varies between practice variants; see variants/space.ts. */
  params: z.optional(paramsSchema),
  /** Rules every variant obeys, as formulas over the parameters, e.g. "h2 <= h1". */
  constraints: z.optional(constraintsSchema),
});
export type ProblemSource = z.output<typeof problemSourceSchema>;

/** The top-level `hardware` is the default of `given.hardware`. */
function withHardware(source: ProblemSource): ProblemSource {
  if (source.hardware === undefined || source.given.hardware !== undefined) return source;
  return { ...source, given: { ...source.given, hardware: source.hardware } };
}

/**
 * A problem's frontmatter, validated. `model` and `given` hold the canonical values (the default
 * variant), so a page that knows nothing of variants renders the homework as written;
 * `variation` keeps the templates and the space for the variant pages, practice and the CLI.
 */
export const problemSchema = z.pipe(
  problemSourceSchema,
  z.transform((source: ProblemSource, ctx) => {
    try {
      const { params, constraints, hardware, ...rest } = withHardware(source);
      const variation = variationOf(withHardware(source));
      const canonical = instantiate(variation ?? { params: {}, constraints: [], model: rest.model, given: rest.given }, undefined);
      return { ...rest, model: canonical.model, given: canonical.given, variation };
    } catch (error) {
      // zod/mini's transform context has no addIssue: the issue goes on the payload, as addIssue would put it.
      ctx.issues.push({ code: 'custom', message: (error as Error).message, path: error instanceof SpaceError ? ['params'] : [], input: source });
      return z.NEVER;
    }
  }),
);

export type ProblemData = z.output<typeof problemSchema>;
export type ProblemModel = z.output<typeof problemModelSchema>;
export type Given = z.output<typeof givenSchema>;
export type FigureTableData = z.output<typeof figureTableSchema>;
export type Measurement = z.output<typeof measurementSchema>;
