/**
 * Elementwise activation functions: ReLU, ReLU6, Sigmoid, Tanh, GELU, SiLU, Hardswish,
 * Hardsigmoid, LeakyReLU, Softmax.
 * Shape-preserving, parameter-free, no MACs; they run in place and add no activation memory.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { variable, ZERO } from '../math/expr.ts';
import { elementsExpr } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const inplaceSchema = z.strictObject({ inplace: z._default(z.boolean(), false) });
const geluSchema = z.strictObject({ approximate: z._default(z.enum(['none', 'tanh']), 'none') });
const softmaxSchema = z.strictObject({ dim: z._default(z.int(), -1) });

const leakySchema = z.strictObject({ negative_slope: z._default(z.number(), 0.01), inplace: z._default(z.boolean(), false) });

export type InplaceArgs = z.output<typeof inplaceSchema>;
export type LeakyReLUArgs = z.output<typeof leakySchema>;
export type GeluArgs = z.output<typeof geluSchema>;
export type SoftmaxArgs = z.output<typeof softmaxSchema>;

function activation<Args>(type: string, summary: string, schema: z.ZodMiniType<Args>): LayerKind<Args> {
  return {
    type,
    summary,
    schema,
    inPlace: true,
    positionwise: true,
    label: () => `${type}()`,
    // (*) -> (*)
    outputShape: (_args, input) => input,
    counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
  };
}

export const relu = activation('ReLU', 'max(0, x), elementwise.', inplaceSchema);
export const relu6 = activation('ReLU6', 'min(max(0, x), 6), elementwise.', inplaceSchema);
export const sigmoid = activation('Sigmoid', '1 / (1 + e^(-x)), elementwise.', z.strictObject({}));
export const tanh = activation('Tanh', 'tanh(x), elementwise.', z.strictObject({}));
export const gelu = activation('GELU', 'x Φ(x), elementwise.', geluSchema);
export const silu = activation('SiLU', 'x σ(x), elementwise.', inplaceSchema);
export const hardswish = activation('Hardswish', 'x ReLU6(x + 3) / 6, elementwise.', inplaceSchema);
/** MobileNetV3's gate in squeeze-and-excitation: ONNX HardSigmoid with alpha 1/6, beta 0.5. */
export const hardsigmoid = activation('Hardsigmoid', 'ReLU6(x + 3) / 6, elementwise: a piecewise-linear sigmoid.', inplaceSchema);
export const leakyReLU: LayerKind<LeakyReLUArgs> = {
  ...activation('LeakyReLU', 'x for x ≥ 0, negative_slope · x below, elementwise.', leakySchema),
  label: (args) => `LeakyReLU(${args.negative_slope})`,
};

export const softmax: LayerKind<SoftmaxArgs> = {
  ...activation('Softmax', 'e^(x_i) / Σ e^(x_j) along one dimension.', softmaxSchema),
  label: (args) => `Softmax(dim=${args.dim})`,
  outputShape(args, input) {
    // dim counts the batch dimension, as in PyTorch: dim 0 is the batch, -1 the last.
    const rank = input.length + 1;
    if (args.dim < -rank || args.dim >= rank || args.dim === 0 || args.dim === -rank) {
      throw new LayerError(`dim ${args.dim} is out of range for the input with batch (rank ${rank}); allowed: 1 to ${rank - 1} or -1 to -${rank - 1}`);
    }
    return input;
  },
  positionwise: false,
  // Rows of the softmax dimension's length; thop counts its exps, adds and divides.
  counts(args, input) {
    const rank = input.length + 1;
    const axis = (args.dim < 0 ? args.dim + rank : args.dim) - 1;
    return {
      weights: ZERO,
      biases: ZERO,
      macs: ZERO,
      work: [{ op: 'softmax', what: 'softmax', outputs: elementsExpr(input, []), length: variable('n', input[axis]!, 'row length'), module: true }],
    };
  },
};
