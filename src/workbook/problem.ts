/**
 * A problem's frontmatter: what the author states about it. Validated with zod when the content
 * collection loads, so a malformed problem stops the build with the file and the field.
 */
import { z } from 'zod';
import { HARDWARE_PROFILE_IDS, PROFILE_IDS } from '../engine/index.ts';
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
  /** Seed 001's processor speed, in operations per second: latency = ops / speed. */
  speedOpsPerS: z.number().positive().optional(),
  /** A roof given by its numbers: peak FLOP/s π and memory bandwidth β in B/s. */
  peakFlopsPerS: z.number().positive().optional(),
  bandwidthBytesPerS: z.number().positive().optional(),
  /** One operation on the roof: its FLOPs W and the bytes Q it moves. */
  opFlops: z.number().positive().optional(),
  opBytes: z.number().positive().optional(),
  /** The counting profile the problem's counts follow (e.g. `lectures`: bias ignored, input in the activations). */
  profile: z.enum(PROFILE_IDS).optional(),
  /** A built-in hardware profile id, for roofline, throughput and energy answers. */
  hardware: z.enum(HARDWARE_PROFILE_IDS as [string, ...string[]]).optional(),
  /** Where the weights are read from on every pass (energy answers). */
  weightsIn: z.enum(['dram', 'sram']).optional(),
});

/**
 * Numbers measured in the lab (times, accuracies), which no model computes: shown as data, with
 * their source, beside what the cost models predict. Values by the key of a table's row.
 */
export const measurementSchema = z.strictObject({
  title: z.string().min(1),
  /** The unit the values are in, as printed: `ms`, `s`, `%`, `images/s`. */
  unit: z.string().min(1),
  /** Where the numbers come from: "Lab 1 report, Figures 1-3 (console output)". */
  source: z.string().min(1),
  values: z.record(z.string(), z.number()),
});

/**
 * A table of engine figures: one row per variant (batch size, width, layer), one column per
 * figure. A cell is the column's answer under the row's props (and the column's own); a row may
 * also name another `model`. Measured columns print a measurement's values, labelled as such.
 */
export const figureTableSchema = z.strictObject({
  caption: z.string().min(1),
  /** The header of the rows' label column. */
  rowHeader: z.string().min(1).default('Case'),
  columns: z
    .array(
      z.union([
        z.looseObject({ of: z.string().min(1), title: z.string().optional(), key: z.string().optional() }),
        z.strictObject({ measured: z.string().min(1) }),
      ]),
    )
    .min(1),
  rows: z
    .array(
      z.looseObject({
        key: z.string().min(1),
        label: z.string().min(1),
        /** Expected values by column key (the column's `key`, else its `of`). */
        expect: z.record(z.string(), z.number()).optional(),
      }),
    )
    .min(1),
});

/** The network a problem is about, or a table row's (same forms). */
export type ProblemModelInput = z.input<typeof problemModelSchema>;

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
  /** Tables of engine figures, by id: `<FigureTable id="batch" />`. */
  tables: z.record(z.string(), figureTableSchema).optional(),
  /** Lab measurements, by id, that tables show beside the predictions. */
  measurements: z.record(z.string(), measurementSchema).optional(),
});

export type ProblemData = z.output<typeof problemSchema>;
export type ProblemModel = z.output<typeof problemModelSchema>;
export type Given = z.output<typeof givenSchema>;
export type FigureTableData = z.output<typeof figureTableSchema>;
export type Measurement = z.output<typeof measurementSchema>;
