/**
 * What one layer kind defines, in its own file: the arguments it accepts (a zod schema with
 * PyTorch's argument names), its shape rule, and its counting formulas as expressions, so that
 * each count and its derivation are one thing. Kinds are registered in `registry.ts`.
 */
import type { z } from '../schema.ts';
import type { Expr } from '../math/expr.ts';
import type { Shape } from '../shape.ts';

/**
 * One piece of a layer's work, described by its structure rather than by a count, so that each
 * counting convention (standard MACs, thop, the seed-001 operation counts) can count it its own
 * way. All counts are per sample.
 */
export type Work =
  /**
   * `outputs` dot products of `length` terms each (conv, linear, matmul), plus a bias each when
   * `bias`. `module` is false for matmuls that are not a module of their own (attention's
   * scores and weighted values), which module-hook counters such as thop never see.
   */
  | { readonly op: 'dot'; readonly what: string; readonly outputs: Expr; readonly length: Expr; readonly bias: boolean; readonly module: boolean }
  /** Normalizing `outputs` elements (BatchNorm, LayerNorm, GroupNorm), with a scale and shift when `affine`. */
  | { readonly op: 'norm'; readonly what: string; readonly outputs: Expr; readonly affine: boolean }
  /** Pooling: `outputs` elements, each the max or mean of a window of `window` inputs. */
  | { readonly op: 'maxpool' | 'avgpool'; readonly what: string; readonly outputs: Expr; readonly window: Expr; readonly adaptive: boolean }
  /** Softmax over rows of `length`: `outputs` elements in all. `module`: a Softmax layer, not part of another. */
  | { readonly op: 'softmax'; readonly what: string; readonly outputs: Expr; readonly length: Expr; readonly module: boolean }
  /** Elementwise sum of `inputs` tensors of `outputs` elements each. */
  | { readonly op: 'add'; readonly what: string; readonly outputs: Expr; readonly inputs: Expr }
  /**
   * An elementwise activation over `outputs` elements. `fn` names PyTorch's functional it runs
   * (what function-patching counters such as ptflops and calflops see): nn.ReLU6 runs `hardtanh`.
   */
  | { readonly op: 'activation'; readonly what: string; readonly outputs: Expr; readonly fn: ActivationFn }
  /**
   * Resizing by interpolation (nn.Upsample, F.interpolate): `inputs` elements in, `outputs` out,
   * by `mode`; `scale` is the scale_factor per spatial dimension when it was given (not `size`).
   */
  | { readonly op: 'resize'; readonly what: string; readonly outputs: Expr; readonly inputs: Expr; readonly mode: ResizeMode; readonly scale?: readonly number[] };

/** The torch.nn.functional an activation module calls in its forward (nn.PReLU: F.prelu). */
export type ActivationFn = 'relu' | 'hardtanh' | 'relu6' | 'gelu' | 'silu' | 'sigmoid' | 'tanh' | 'hardswish' | 'leaky_relu' | 'elu' | 'hardsigmoid' | 'prelu';
/** nn.Upsample's and F.interpolate's modes the engine knows. */
export type ResizeMode = 'nearest' | 'linear' | 'bilinear';

/** The counts of one layer for one sample. Every field is an expression over the layer's sizes. */
export interface LayerCounts {
  /** Trainable weights (kernels, matrices, embedding tables). */
  readonly weights: Expr;
  /** Trainable biases. */
  readonly biases: Expr;
  /** Other trainable parameters, such as a norm's scale and shift. */
  readonly normParams?: Expr;
  /**
   * Parameters one token uses, when not all of them: a mixture of experts' router and top-k
   * experts. Absent: every parameter is active.
   */
  readonly activeParams?: Expr;
  /** Non-trainable buffers, such as BatchNorm's running mean and variance. */
  readonly buffers?: Expr;
  /** Multiply-accumulates of the layer's linear algebra (conv, linear, matmul), per sample. */
  readonly macs: Expr;
  /**
   * The work behind the counts, for the other counting conventions. The `dot` parts' outputs ×
   * length add up to `macs` (a property test checks it). Absent: no work (views, activations).
   */
  readonly work?: readonly Work[];
  /**
   * Tensors a layer makes inside itself and keeps for the backward pass, beyond its output
   * (attention's Q, K, V, scores and probabilities), per sample; counted in training memory.
   */
  readonly internalActivations?: Expr;
}

/** A derived size of the output (h_o, w_o), with the expression that computes it. */
export interface OutputSize {
  readonly symbol: string;
  readonly label: string;
  readonly expr: Expr;
}

/** How a sliding-window layer maps input positions, per spatial dimension, for receptive fields. */
export interface Window {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
}

export interface LayerKind<Args> {
  /** The PyTorch class name, which is also the `type` in a JSON model definition. */
  readonly type: string;
  /** One line for the reader, e.g. "Fully connected layer". */
  readonly summary: string;
  /** Validates and normalizes the JSON arguments (everything but `type` and `name`). */
  readonly schema: z.ZodMiniType<Args>;
  /**
   * True for layers that run in place or are views (activations, dropout, flatten): they add no
   * activation memory, which is how the lectures count AlexNet's 932,264 activations.
   */
  readonly inPlace: boolean;
  /**
   * True for kinds that join several tensors (Add, Concat). They are made by Residual and
   * Parallel blocks, never written as a step of a sequence.
   */
  readonly join?: boolean;
  /** A short label with the arguments, e.g. `Linear(120, 256)`. */
  label(args: Args, input: Shape): string;
  /**
   * The output shape for one sample; throws `LayerError` with what is wrong and what is allowed.
   * `inputs` holds every input's shape (one, except for joins); `input` is the first.
   */
  outputShape(args: Args, input: Shape, inputs: readonly Shape[]): Shape;
  /** The derivations of computed output sizes (h_o = ⌊(h_i + 2p − k)/s⌋ + 1), when there are any. */
  outputSizes?(args: Args, input: Shape): readonly OutputSize[];
  /** Sliding-window geometry (conv, pooling), for receptive fields. */
  window?(args: Args, input: Shape): Window;
  /**
   * True when each output position depends only on the same input position (activations,
   * BatchNorm, dropout, Add, Concat): the receptive field passes through. Layers with neither
   * `window` nor this flag (Linear, Flatten, attention) end the convolution stack.
   */
  readonly positionwise?: boolean;
  /** The counts for one sample. */
  counts(args: Args, input: Shape, output: Shape, inputs: readonly Shape[]): LayerCounts;
}
