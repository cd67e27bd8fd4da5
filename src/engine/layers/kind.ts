/**
 * What one layer kind defines, in its own file: the arguments it accepts (a zod schema with
 * PyTorch's argument names), its shape rule, and its counting formulas as expressions, so that
 * each count and its derivation are one thing. Kinds are registered in `registry.ts`.
 */
import type { z } from 'zod';
import type { Expr } from '../math/expr.ts';
import type { Shape } from '../shape.ts';

/** The counts of one layer for one sample. Every field is an expression over the layer's sizes. */
export interface LayerCounts {
  /** Trainable weights (kernels, matrices, embedding tables). */
  readonly weights: Expr;
  /** Trainable biases. */
  readonly biases: Expr;
  /** Other trainable parameters, such as a norm's scale and shift. */
  readonly normParams?: Expr;
  /** Non-trainable buffers, such as BatchNorm's running mean and variance. */
  readonly buffers?: Expr;
  /** Multiply-accumulates of the layer's linear algebra (conv, linear, matmul), per sample. */
  readonly macs: Expr;
}

export interface LayerKind<Args> {
  /** The PyTorch class name, which is also the `type` in a JSON model definition. */
  readonly type: string;
  /** One line for the reader, e.g. "Fully connected layer". */
  readonly summary: string;
  /** Validates and normalizes the JSON arguments (everything but `type` and `name`). */
  readonly schema: z.ZodType<Args>;
  /**
   * True for layers that run in place or are views (activations, dropout, flatten): they add no
   * activation memory, which is how the lectures count AlexNet's 932,264 activations.
   */
  readonly inPlace: boolean;
  /** A short label with the arguments, e.g. `Linear(120, 256)`. */
  label(args: Args, input: Shape): string;
  /** The output shape for one sample; throws `LayerError` with what is wrong and what is allowed. */
  outputShape(args: Args, input: Shape): Shape;
  /** The counts for one sample. */
  counts(args: Args, input: Shape, output: Shape): LayerCounts;
}
