/**
 * Convolution, 1-d and 2-d, with stride, padding (numbers, `same` or `valid`), dilation and groups,
 * so also grouped and depthwise convolution.
 * PyTorch: nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
 * groups=1, bias=True, padding_mode='zeros').
 *
 * weights c_o (c_i / g) k_h k_w; biases c_o; MACs c_o h_o w_o (c_i / g) k_h k_w
 * (the lectures' grouped form c_o c_i k_h k_w / g; depthwise, g = c_i: c_o k_h k_w).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { div, mul, variable, ZERO, type Expr } from '../math/expr.ts';
import { expand, intOrTuple, nonNegative, outputSizeVariables, perDim, requireGroupedChannels, requireSpatial, size, windowOutputSizes, type WindowGeometry } from './common.ts';
import type { LayerKind } from './kind.ts';

const schemaFor = (dims: number) =>
  z.strictObject({
    in_channels: z.optional(size()),
    out_channels: size(),
    kernel_size: intOrTuple(dims, size()),
    stride: z._default(intOrTuple(dims, size()), 1),
    padding: z._default(z.union([nonNegative(), z.array(nonNegative()).check(z.length(dims)), z.enum(['same', 'valid'])]), 0),
    dilation: z._default(intOrTuple(dims, size()), 1),
    groups: z._default(size(), 1),
    bias: z._default(z.boolean(), true),
    padding_mode: z._default(z.enum(['zeros', 'reflect', 'replicate', 'circular']), 'zeros'),
  });

const conv1dSchema = schemaFor(1);
const conv2dSchema = schemaFor(2);
export type Conv1dArgs = z.output<typeof conv1dSchema>;
export type Conv2dArgs = z.output<typeof conv2dSchema>;
type ConvArgs = Conv1dArgs | Conv2dArgs;

function geometry(args: ConvArgs, dims: number): WindowGeometry {
  const kernel = expand(args.kernel_size, dims);
  const dilation = expand(args.dilation, dims);
  const same = args.padding === 'same';
  const padding = args.padding === 'same' || args.padding === 'valid' ? Array<number>(dims).fill(0) : expand(args.padding, dims);
  return { kernel, stride: expand(args.stride, dims), padding, dilation, same, ceilMode: false };
}

function convKind<Args extends ConvArgs>(dims: 1 | 2, schema: z.ZodMiniType<Args>): LayerKind<Args> {
  const type = `Conv${dims}d`;
  return {
    type,
    summary:
      dims === 2
        ? 'Slides c_o kernels of c_i/g × k_h × k_w over the image; groups split the channels (g = c_i: depthwise).'
        : 'Slides c_o kernels of c_i/g × k over a sequence; groups split the channels.',
    schema,
    inPlace: false,

    label(args, input) {
      const g = geometry(args, dims);
      const parts = [`${input[0]}`, `${args.out_channels}`, `kernel_size=${g.kernel.join('×')}`];
      if (g.stride.some((s) => s !== 1)) parts.push(`stride=${g.stride.join('×')}`);
      if (typeof args.padding === 'string') parts.push(`padding=${args.padding}`);
      else if (g.padding.some((p) => p !== 0)) parts.push(`padding=${g.padding.join('×')}`);
      if (g.dilation.some((d) => d !== 1)) parts.push(`dilation=${g.dilation.join('×')}`);
      if (args.groups !== 1) parts.push(`groups=${args.groups}`);
      if (!args.bias) parts.push('bias=False');
      return `${type}(${parts.join(', ')})`;
    },

    // (C_in, H, W) -> (C_out, H_out, W_out)   [1-d: (C_in, L) -> (C_out, L_out)]
    outputShape(args, input) {
      requireSpatial(type, input, dims);
      const cIn = input[0]!;
      requireGroupedChannels(args, cIn);
      const g = geometry(args, dims);
      if (g.same && g.stride.some((s) => s !== 1)) {
        throw new LayerError(`padding='same' needs stride 1 (as in PyTorch), got stride ${g.stride.join('×')}`);
      }
      return [args.out_channels, ...windowOutputSizes(input, dims, g).map((s) => s.expr.value)];
    },

    outputSizes: (args, input) => windowOutputSizes(input, dims, geometry(args, dims)),

    window(args) {
      return { kernel: expand(args.kernel_size, dims), stride: expand(args.stride, dims), dilation: expand(args.dilation, dims) };
    },

    counts(args, input, output) {
      const kernelSize = expand(args.kernel_size, dims);
      const cIn = variable('c_i', input[0]!, 'input channels');
      const cOut = variable('c_o', args.out_channels, 'output channels');
      const groups = variable('g', args.groups, 'groups');
      const kernel = kernelSize.map((_, d) => perDim('k', kernelSize, d, dims, 'kernel size'));
      const outSizes = outputSizeVariables(output, dims);
      const depthwise = args.groups > 1 && args.groups === input[0];

      // Per output element: a dot product over (c_i / g) k_h k_w inputs.
      const weights: Expr = depthwise
        ? mul(cOut, ...kernel)
        : args.groups === 1
          ? mul(cOut, cIn, ...kernel)
          : div(mul(cOut, cIn, ...kernel), groups);
      const macs: Expr = depthwise
        ? mul(cOut, ...outSizes, ...kernel)
        : args.groups === 1
          ? mul(cOut, ...outSizes, cIn, ...kernel)
          : div(mul(cOut, ...outSizes, cIn, ...kernel), groups);
      const dotLength: Expr = depthwise ? mul(...kernel) : args.groups === 1 ? mul(cIn, ...kernel) : mul(div(cIn, groups), ...kernel);
      return {
        weights,
        biases: args.bias ? cOut : ZERO,
        macs,
        work: [{ op: 'dot', what: 'convolution', outputs: mul(cOut, ...outSizes), length: dotLength, bias: args.bias, module: true }],
      };
    },
  };
}

export const conv1d = convKind(1, conv1dSchema);
export const conv2d = convKind(2, conv2dSchema);

