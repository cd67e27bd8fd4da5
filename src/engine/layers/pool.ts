/**
 * Pooling, 1-d and 2-d: max and average over sliding windows (kernel, stride, padding, ceil mode),
 * and adaptive average pooling to a fixed output size (global pooling: output size 1).
 * PyTorch: nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
 * ceil_mode=False); nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
 * count_include_pad=True, divisor_override=None); nn.AdaptiveAvgPool2d(output_size).
 *
 * No parameters and no MACs. The work is recorded (window sizes) for the conventions that count
 * pooling: seed 001's h w − 1 comparisons per max-pool output, thop's ops per average.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { div, mul, variable, ZERO, type Expr } from '../math/expr.ts';
import { expand, intOrTuple, nonNegative, outputSizeVariables, perDim, requireSpatial, size, spatialNames, windowOutputSizes, type WindowGeometry } from './common.ts';
import type { LayerKind } from './kind.ts';

const maxSchemaFor = (dims: number) =>
  z.strictObject({
    kernel_size: intOrTuple(dims, size()),
    stride: z.optional(z.nullable(intOrTuple(dims, size()))),
    padding: z._default(intOrTuple(dims, nonNegative()), 0),
    dilation: z._default(intOrTuple(dims, size()), 1),
    return_indices: z._default(z.boolean(), false),
    ceil_mode: z._default(z.boolean(), false),
  });
const avgSchemaFor = (dims: number) =>
  z.strictObject({
    kernel_size: intOrTuple(dims, size()),
    stride: z.optional(z.nullable(intOrTuple(dims, size()))),
    padding: z._default(intOrTuple(dims, nonNegative()), 0),
    ceil_mode: z._default(z.boolean(), false),
    count_include_pad: z._default(z.boolean(), true),
    divisor_override: z.optional(z.nullable(size())),
  });
const adaptiveSchemaFor = (dims: number) =>
  z.strictObject({ output_size: z.union([size(), z.array(z.nullable(size())).check(z.length(dims))]) });

const maxPool1dSchema = maxSchemaFor(1);
const maxPool2dSchema = maxSchemaFor(2);
const avgPool1dSchema = avgSchemaFor(1);
const avgPool2dSchema = avgSchemaFor(2);
const adaptive1dSchema = adaptiveSchemaFor(1);
const adaptive2dSchema = adaptiveSchemaFor(2);
export type MaxPool1dArgs = z.output<typeof maxPool1dSchema>;
export type MaxPool2dArgs = z.output<typeof maxPool2dSchema>;
export type AvgPool1dArgs = z.output<typeof avgPool1dSchema>;
export type AvgPool2dArgs = z.output<typeof avgPool2dSchema>;
export type AdaptiveAvgPool1dArgs = z.output<typeof adaptive1dSchema>;
export type AdaptiveAvgPool2dArgs = z.output<typeof adaptive2dSchema>;

type PoolArgs = MaxPool1dArgs | MaxPool2dArgs | AvgPool1dArgs | AvgPool2dArgs;

function geometry(args: PoolArgs, dims: number): WindowGeometry {
  const kernel = expand(args.kernel_size, dims);
  return {
    kernel,
    // PyTorch: stride defaults to the kernel size.
    stride: args.stride == null ? kernel : expand(args.stride, dims),
    padding: expand(args.padding, dims),
    dilation: 'dilation' in args ? expand(args.dilation, dims) : Array<number>(dims).fill(1),
    same: false,
    ceilMode: args.ceil_mode,
  };
}

function poolKind<Args extends PoolArgs>(op: 'max' | 'avg', dims: 1 | 2, schema: z.ZodMiniType<Args>): LayerKind<Args> {
  const type = `${op === 'max' ? 'Max' : 'Avg'}Pool${dims}d`;
  return {
    type,
    summary: `${op === 'max' ? 'Maximum' : 'Mean'} of each window, channel by channel.`,
    schema,
    inPlace: false,
    positionwise: false,

    label(args) {
      const g = geometry(args, dims);
      const parts = [`kernel_size=${g.kernel.join('×')}`, `stride=${g.stride.join('×')}`];
      if (g.padding.some((p) => p !== 0)) parts.push(`padding=${g.padding.join('×')}`);
      if (args.ceil_mode) parts.push('ceil_mode=True');
      return `${type}(${parts.join(', ')})`;
    },

    // (C, H, W) -> (C, H_out, W_out)   [1-d: (C, L) -> (C, L_out)]
    outputShape(args, input) {
      requireSpatial(type, input, dims);
      const g = geometry(args, dims);
      g.padding.forEach((p, d) => {
        // PyTorch: "pad should be at most half of effective kernel size".
        if (2 * p > g.kernel[d]!) {
          throw new LayerError(`padding ${p} is more than half the kernel size ${g.kernel[d]}; allowed: 0 to ${Math.floor(g.kernel[d]! / 2)}`);
        }
      });
      return [input[0]!, ...windowOutputSizes(input, dims, g).map((s) => s.expr.value)];
    },

    outputSizes: (args, input) => windowOutputSizes(input, dims, geometry(args, dims)),

    window(args) {
      const g = geometry(args, dims);
      return { kernel: g.kernel, stride: g.stride, dilation: g.dilation };
    },

    counts(args, input, output) {
      const g = geometry(args, dims);
      const channels = variable('c', input[0]!, 'channels');
      const outSizes = outputSizeVariables(output, dims);
      const window = mul(...g.kernel.map((_, d) => perDim('k', g.kernel, d, dims, 'kernel size')));
      return {
        weights: ZERO,
        biases: ZERO,
        macs: ZERO,
        work: [{ op: `${op}pool`, what: `${op} pooling`, outputs: mul(channels, ...outSizes), window, adaptive: false }],
      };
    },
  };
}

export const maxPool1d = poolKind('max', 1, maxPool1dSchema);
export const maxPool2d = poolKind('max', 2, maxPool2dSchema);
export const avgPool1d = poolKind('avg', 1, avgPool1dSchema);
export const avgPool2d = poolKind('avg', 2, avgPool2dSchema);

function adaptiveKind<Args extends AdaptiveAvgPool1dArgs | AdaptiveAvgPool2dArgs>(dims: 1 | 2, schema: z.ZodMiniType<Args>): LayerKind<Args> {
  const type = `AdaptiveAvgPool${dims}d`;
  // `null` in output_size keeps that input size, as in PyTorch.
  const outputSize = (args: Args, input: readonly number[]) =>
    (typeof args.output_size === 'number' ? Array<number>(dims).fill(args.output_size) : args.output_size).map((o, d) => o ?? input[1 + d]!);
  return {
    type,
    summary: 'Averages windows sized to give a fixed output size (output size 1: global average pooling).',
    schema,
    inPlace: false,
    label: (args, input) => `${type}(${outputSize(args, input).join('×')})`,

    // (C, H, W) -> (C, H_out, W_out) with the requested output size
    outputShape(args, input) {
      requireSpatial(type, input, dims);
      return [input[0]!, ...outputSize(args, input)];
    },

    counts(_args, input, output) {
      const names = spatialNames(dims);
      const channels = variable('c', input[0]!, 'channels');
      const outSizes = names.map((n, d) => variable(`${n}_o`, output[1 + d]!, `output ${n}`));
      // The mean window, (h_i w_i) / (h_o w_o), as thop counts it: one quotient, so that outputs ×
      // window is counted as (outputs × h_i w_i) / (h_o w_o), exact (7 → 3 gave 49.00000000000001).
      const window: Expr = div(mul(...names.map((n, d) => variable(`${n}_i`, input[1 + d]!, `input ${n}`))), mul(...outSizes));
      return {
        weights: ZERO,
        biases: ZERO,
        macs: ZERO,
        work: [{ op: 'avgpool', what: 'adaptive average pooling', outputs: mul(channels, ...outSizes), window, adaptive: true }],
      };
    },
  };
}

export const adaptiveAvgPool1d = adaptiveKind(1, adaptive1dSchema);
export const adaptiveAvgPool2d = adaptiveKind(2, adaptive2dSchema);
