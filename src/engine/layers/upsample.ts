/**
 * Upsample: nearest-neighbour or (bi)linear resizing of the spatial dimensions.
 * PyTorch: nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None); exactly
 * one of size and scale_factor. h_o = size, or ⌊h_i · scale_factor⌋.
 * No parameters and no MACs (interpolation weights are fixed, not learned).
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { ZERO } from '../math/expr.ts';
import { elementsExpr, formatShape } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const positive = () => z.number().check(z.positive());
const schema = z.strictObject({
  size: z.optional(z.nullable(z.union([z.int().check(z.positive()), z.array(z.int().check(z.positive())).check(z.minLength(1), z.maxLength(2))]))),
  scale_factor: z.optional(z.nullable(z.union([positive(), z.array(positive()).check(z.minLength(1), z.maxLength(2))]))),
  mode: z._default(z.enum(['nearest', 'linear', 'bilinear']), 'nearest'),
  align_corners: z.optional(z.nullable(z.boolean())),
});
export type UpsampleArgs = z.output<typeof schema>;

export const upsample: LayerKind<UpsampleArgs> = {
  type: 'Upsample',
  summary: 'Resizes the spatial dimensions by nearest-neighbour or (bi)linear interpolation: no parameters.',
  schema,
  inPlace: false,
  label: (args) => `Upsample(${args.size != null ? `size=${[args.size].flat().join('×')}` : `scale_factor=${[args.scale_factor].flat().join('×')}`}, mode=${args.mode})`,

  // (C, H, W) -> (C, size or ⌊H · scale⌋, size or ⌊W · scale⌋)   [1-d: (C, L)]
  outputShape(args, input) {
    const dims = input.length - 1;
    if (dims !== 1 && dims !== 2) throw new LayerError(`Upsample needs an input of shape C×L or C×H×W (per sample), got ${formatShape(input)}`);
    if (args.mode === 'bilinear' && dims !== 2) throw new LayerError(`mode 'bilinear' needs a C×H×W input; allowed for C×L: 'nearest', 'linear'`);
    if (args.mode === 'linear' && dims !== 1) throw new LayerError(`mode 'linear' needs a C×L input; allowed for C×H×W: 'nearest', 'bilinear'`);
    if ((args.size == null) === (args.scale_factor == null)) throw new LayerError('give exactly one of size and scale_factor');
    const per = (v: number | readonly number[], d: number): number => {
      if (typeof v === 'number') return v;
      if (v.length !== dims) throw new LayerError(`${formatShape(v)} has ${v.length} sizes for ${dims} spatial dimension${dims > 1 ? 's' : ''}`);
      return v[d]!;
    };
    const spatial = input.slice(1).map((h, d) => (args.size != null ? per(args.size, d) : Math.floor(h * per(args.scale_factor!, d))));
    if (spatial.some((h) => h < 1)) throw new LayerError(`the scale factor gives an empty output ${formatShape(spatial)}`);
    return [input[0]!, ...spatial];
  },

  // no parameters, no MACs; its work, the interpolation, is what the tools count
  counts: (args, input, output) => {
    const dims = input.length - 1;
    const scale = args.size == null && args.scale_factor != null ? Array.from({ length: dims }, (_, d) => [args.scale_factor!].flat()[typeof args.scale_factor === 'number' ? 0 : d]!) : undefined;
    return {
      weights: ZERO,
      biases: ZERO,
      macs: ZERO,
      work: [{ op: 'resize', what: `${args.mode} interpolation`, outputs: elementsExpr(output, []), inputs: elementsExpr(input, []), mode: args.mode, ...(scale ? { scale } : {}) }],
    };
  },
};
