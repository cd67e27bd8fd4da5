/**
 * ZeroPad2d: zeros around the image, a different amount on each side. PyTorch:
 * nn.ZeroPad2d(padding) with padding an int or (left, right, top, bottom). Ports of TensorFlow's
 * `SAME` convolutions use it before a stride-2 conv, which pads one more row and column at the
 * end; ONNX files write that as a Conv's uneven `pads` or a `Pad` node.
 * No parameters, no MACs.
 */
import { z } from '../schema.ts';
import { ZERO } from '../math/expr.ts';
import { nonNegative, requireSpatial } from './common.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({ padding: z.union([nonNegative(), z.array(nonNegative()).check(z.length(4))]) });
export type ZeroPad2dArgs = z.output<typeof schema>;

/** (left, right, top, bottom) */
const sides = (args: ZeroPad2dArgs): readonly [number, number, number, number] =>
  typeof args.padding === 'number' ? [args.padding, args.padding, args.padding, args.padding] : (args.padding as unknown as [number, number, number, number]);

export const zeroPad2d: LayerKind<ZeroPad2dArgs> = {
  type: 'ZeroPad2d',
  summary: 'Pads the image with zeros, a given amount on each side (left, right, top, bottom).',
  schema,
  inPlace: false,
  label: (args) => `ZeroPad2d(${sides(args).join(', ')})`,

  // (C, H, W) -> (C, H + top + bottom, W + left + right)
  outputShape(args, input) {
    requireSpatial('ZeroPad2d', input, 2);
    const [l, r, t, b] = sides(args);
    return [input[0]!, input[1]! + t + b, input[2]! + l + r];
  },

  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};
