/**
 * Transposed convolution, 1-d and 2-d ("deconvolution"): each input position scatters a kernel
 * into the output, so the output grows by the stride.
 * PyTorch: nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros'); its weight is
 * c_i × c_o/g × k_h × k_w.
 *
 * weights c_i (c_o / g) k_h k_w; biases c_o; MACs h_i w_i c_i (c_o / g) k_h k_w: every input
 * element meets every weight of its group once, as torch.utils.flop_counter counts a transposed
 * convolution (input positions × the weight's elements).
 * Output size: h_o = (h_i − 1) s − 2p + d(k − 1) + p_out + 1.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { add, div, mul, num, sub, variable, ZERO, type Expr } from '../math/expr.ts';
import { expand, intOrTuple, nonNegative, perDim, requireGroupedChannels, requireSpatial, size, spatialNames } from './common.ts';
import type { LayerKind, OutputSize } from './kind.ts';

const schemaFor = (dims: number) =>
  z.strictObject({
    in_channels: z.optional(size()),
    out_channels: size(),
    kernel_size: intOrTuple(dims, size()),
    stride: z._default(intOrTuple(dims, size()), 1),
    padding: z._default(intOrTuple(dims, nonNegative()), 0),
    output_padding: z._default(intOrTuple(dims, nonNegative()), 0),
    groups: z._default(size(), 1),
    bias: z._default(z.boolean(), true),
    dilation: z._default(intOrTuple(dims, size()), 1),
    padding_mode: z._default(z.enum(['zeros']), 'zeros'),
  });

const convTranspose1dSchema = schemaFor(1);
const convTranspose2dSchema = schemaFor(2);
export type ConvTranspose1dArgs = z.output<typeof convTranspose1dSchema>;
export type ConvTranspose2dArgs = z.output<typeof convTranspose2dSchema>;
type Args = ConvTranspose1dArgs | ConvTranspose2dArgs;

const INPUT_SYMBOL: Readonly<Record<string, string>> = { l: 'l_i', h: 'h_i', w: 'w_i' };
const OUTPUT_SYMBOL: Readonly<Record<string, string>> = { l: 'l_o', h: 'h_o', w: 'w_o' };

/** h_o = (h_i − 1) s − 2p + d(k − 1) + p_out + 1, per spatial dimension. */
function outputSizes(args: Args, input: readonly number[], dims: number): OutputSize[] {
  const kernel = expand(args.kernel_size, dims);
  const stride = expand(args.stride, dims);
  const padding = expand(args.padding, dims);
  const outPad = expand(args.output_padding, dims);
  const dilation = expand(args.dilation, dims);
  return spatialNames(dims).map((name, d) => {
    if (outPad[d]! >= stride[d]! && outPad[d]! >= dilation[d]!) {
      throw new LayerError(`output_padding ${outPad[d]} must be smaller than the stride ${stride[d]} or the dilation ${dilation[d]}`);
    }
    const hIn = variable(INPUT_SYMBOL[name]!, input[1 + d]!, `input ${name === 'l' ? 'length' : name === 'h' ? 'height' : 'width'}`);
    const s = perDim('s', stride, d, dims, 'stride');
    const k = perDim('k', kernel, d, dims, 'kernel size');
    const p = perDim('p', padding, d, dims, 'padding');
    const dil = perDim('d', dilation, d, dims, 'dilation');
    const op = perDim('p_{out}', outPad, d, dims, 'output padding');
    let out: Expr = stride[d] === 1 ? sub(hIn, num(1)) : mul(sub(hIn, num(1)), s);
    if (padding[d] !== 0) out = sub(out, mul(num(2), p));
    out = add(out, dilation[d] === 1 ? sub(k, num(1)) : mul(dil, sub(k, num(1))));
    if (outPad[d] !== 0) out = add(out, op);
    out = add(out, num(1));
    if (out.value < 1) throw new LayerError(`the output ${name === 'l' ? 'length' : name === 'h' ? 'height' : 'width'} would be ${out.value}: the padding ${padding[d]} is too large for the input`);
    return { symbol: OUTPUT_SYMBOL[name]!, label: `output ${name === 'l' ? 'length' : name === 'h' ? 'height' : 'width'}`, expr: out };
  });
}

function convTransposeKind<A extends Args>(dims: 1 | 2, schema: z.ZodMiniType<A>): LayerKind<A> {
  const type = `ConvTranspose${dims}d`;
  return {
    type,
    summary: 'Transposed convolution: each input position scatters a kernel into an output the stride times larger (decoders, upsampling).',
    schema,
    inPlace: false,
    label(args, input) {
      const parts = [`${input[0]}`, `${args.out_channels}`, `kernel_size=${expand(args.kernel_size, dims).join('×')}`];
      const stride = expand(args.stride, dims);
      if (stride.some((s) => s !== 1)) parts.push(`stride=${stride.join('×')}`);
      const padding = expand(args.padding, dims);
      if (padding.some((p) => p !== 0)) parts.push(`padding=${padding.join('×')}`);
      if (args.groups !== 1) parts.push(`groups=${args.groups}`);
      if (!args.bias) parts.push('bias=False');
      return `${type}(${parts.join(', ')})`;
    },

    // (C_in, H, W) -> (C_out, (H − 1)s − 2p + d(k − 1) + p_out + 1, ...)
    outputShape(args, input) {
      requireSpatial(type, input, dims);
      const cIn = input[0]!;
      requireGroupedChannels(args, cIn);
      return [args.out_channels, ...outputSizes(args, input, dims).map((s) => s.expr.value)];
    },

    outputSizes: (args, input) => outputSizes(args, input, dims),

    counts(args, input) {
      const kernelSize = expand(args.kernel_size, dims);
      const cIn = variable('c_i', input[0]!, 'input channels');
      const cOut = variable('c_o', args.out_channels, 'output channels');
      const groups = variable('g', args.groups, 'groups');
      const kernel = kernelSize.map((_, d) => perDim('k', kernelSize, d, dims, 'kernel size'));
      const inSizes = spatialNames(dims).map((name, d) => variable(INPUT_SYMBOL[name]!, input[1 + d]!, `input ${name}`));
      const perGroupOut = args.groups === 1 ? cOut : div(cOut, groups);
      const weights = mul(cIn, perGroupOut, ...kernel);
      return {
        weights,
        biases: args.bias ? cOut : ZERO,
        macs: mul(...inSizes, cIn, perGroupOut, ...kernel),
        // Scatter form: each of the c_i h_i w_i inputs multiplies (c_o / g) k_h k_w weights.
        work: [{ op: 'dot', what: 'transposed convolution (per input element)', outputs: mul(cIn, ...inSizes), length: mul(perGroupOut, ...kernel), bias: args.bias, module: true }],
      };
    },
  };
}

export const convTranspose1d = convTransposeKind(1, convTranspose1dSchema);
export const convTranspose2d = convTransposeKind(2, convTranspose2dSchema);
