/**
 * What a problem can ask for. Each answer kind names one figure of the engine; an `<Answer of="...">`
 * with a name not listed here is an error that lists the allowed names.
 */
import { analyze, mcuLatency, type Conventions, type Figure, type Model, type ModelReport } from '../engine/index.ts';
import type { Given } from './problem.ts';

export interface ProblemContext {
  readonly model: Model;
  readonly given: Given;
  readonly report: ModelReport;
}

interface AnswerKind {
  /** What the answer is, for the reader: "Parameter storage". */
  readonly title: string;
  readonly figure: (ctx: ProblemContext) => Figure;
}

function mcu(ctx: ProblemContext) {
  const { clockMHz, cyclesPerMac } = ctx.given;
  if (clockMHz === undefined || cyclesPerMac === undefined) {
    throw new Error('a latency answer needs `given.clockMHz` and `given.cyclesPerMac` in the frontmatter');
  }
  return mcuLatency(ctx.report.totals.macs, { clockMHz, cyclesPerMac });
}

/** Output height (0) or width (1) of the first layer that slides a window (convolution, pooling). */
function windowOutputSize(ctx: ProblemContext, dim: 0 | 1) {
  const layer = ctx.report.layers.find((r) => r.outputSizes.length > dim);
  if (!layer) throw new Error('an output-size answer needs a convolution or pooling layer in the model');
  return layer.outputSizes[dim]!;
}

export const ANSWER_KINDS = {
  weights: { title: 'Weights', figure: (c) => c.report.totals.weights },
  biases: { title: 'Biases', figure: (c) => c.report.totals.biases },
  params: { title: 'Parameters', figure: (c) => c.report.totals.params },
  paramBytes: { title: 'Parameter storage', figure: (c) => c.report.totals.paramBytes },
  macs: { title: 'Multiply-accumulates per inference', figure: (c) => c.report.totals.macs },
  flops: { title: 'Floating-point operations', figure: (c) => c.report.totals.flops },
  activations: { title: 'Total activations', figure: (c) => c.report.totals.activations },
  peakActivations: { title: 'Peak activations', figure: (c) => c.report.totals.peakActivations },
  sramBytes: { title: 'Temporary storage (SRAM)', figure: (c) => c.report.totals.sramBytes },
  cycles: { title: 'Cycles per inference', figure: (c) => mcu(c).cycles },
  latencyMs: { title: 'Latency per inference', figure: (c) => mcu(c).latencyMs },
  outputHeight: { title: 'Output height', figure: (c) => windowOutputSize(c, 0) },
  outputWidth: { title: 'Output width', figure: (c) => windowOutputSize(c, 1) },
} as const satisfies Record<string, AnswerKind>;

export type AnswerName = keyof typeof ANSWER_KINDS;
export const ANSWER_NAMES = Object.keys(ANSWER_KINDS) as AnswerName[];

export function isAnswerName(name: string): name is AnswerName {
  return Object.hasOwn(ANSWER_KINDS, name);
}

/** Solves a problem; `conventions` overrides the course's counting choices (mistake hints use it). */
export function solve(model: Model, given: Given, conventions?: Partial<Conventions>): ProblemContext {
  const report = analyze(model, {
    ...(conventions ? { conventions } : {}),
    ...(given.batch !== undefined ? { batch: given.batch } : {}),
    ...(given.paramBits !== undefined ? { paramBits: given.paramBits } : {}),
    ...(given.activationBits !== undefined ? { activationBits: given.activationBits } : {}),
  });
  return { model, given, report };
}

/** The figure for an answer name, or an error naming the file and listing the allowed names. */
export function answerFigure(ctx: ProblemContext, name: string, file: string): Figure {
  if (!isAnswerName(name)) {
    throw new Error(`${file}: <Answer of="${name}">: unknown answer; allowed: ${ANSWER_NAMES.join(', ')}`);
  }
  try {
    return ANSWER_KINDS[name].figure(ctx);
  } catch (error) {
    throw new Error(`${file}: <Answer of="${name}">: ${(error as Error).message}`);
  }
}

/** An author's stated value must equal the engine's; the build stops otherwise. */
export function checkExpected(figure: Figure, expected: number, name: string, file: string): void {
  const tolerance = Number.isInteger(figure.value) ? 0 : Math.abs(figure.value) * 1e-9;
  if (Math.abs(figure.value - expected) > tolerance) {
    throw new Error(
      `${file}: <Answer of="${name}" expect={${expected}}>: the author expects ${expected} but the engine computes ${figure.value}`,
    );
  }
}
