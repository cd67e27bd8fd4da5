/**
 * Normalization: BatchNorm (1-d, 2-d), LayerNorm, GroupNorm.
 * PyTorch: nn.BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True,
 * track_running_stats=True); nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True,
 * bias=True); nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True).
 *
 * Their scale γ and shift β are trainable "other parameters", kept apart from weights and biases;
 * BatchNorm's running mean and variance are non-trainable buffers. No MACs: at inference BatchNorm
 * folds into the preceding convolution; thop counts 2 ops per element, 4 with γ and β.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { mul, num, variable, ZERO } from '../math/expr.ts';
import { elementCount, elementsExpr, formatShape, type Shape } from '../shape.ts';
import { divisorsText, size } from './common.ts';
import type { LayerKind } from './kind.ts';

const eps = z._default(z.number().check(z.positive()), 1e-5);

const batchNormSchema = z.strictObject({
  num_features: z.optional(size()),
  eps,
  momentum: z._default(z.nullable(z.number().check(z.gte(0), z.lte(1))), 0.1),
  affine: z._default(z.boolean(), true),
  track_running_stats: z._default(z.boolean(), true),
});
export type BatchNormArgs = z.output<typeof batchNormSchema>;

function batchNormKind(dims: 1 | 2): LayerKind<BatchNormArgs> {
  const type = `BatchNorm${dims}d`;
  const accepted = dims === 2 ? 'C×H×W' : 'C or C×L';
  return {
    type,
    summary: 'Normalizes each channel with batch statistics (running ones at inference), then scales by γ and shifts by β.',
    schema: batchNormSchema,
    inPlace: false,
    positionwise: true,
    label: (args, input) => `${type}(${input[0]}${args.affine ? '' : ', affine=False'})`,

    // (C, H, W) -> (C, H, W)   [1-d: (C) or (C, L) -> the same]
    outputShape(args, input) {
      const ok = dims === 2 ? input.length === 3 : input.length === 1 || input.length === 2;
      if (!ok) throw new LayerError(`${type} needs an input of shape ${accepted} (per sample), got ${formatShape(input)}`);
      if (args.num_features !== undefined && args.num_features !== input[0]) {
        throw new LayerError(`num_features is ${args.num_features} but the incoming shape has ${input[0]} channels`);
      }
      return input;
    },

    // γ and β: 2 c; running mean and variance: 2 c
    counts(args, input) {
      const c = variable('c', input[0]!, 'channels');
      return {
        weights: ZERO,
        biases: ZERO,
        normParams: args.affine ? mul(num(2), c) : ZERO,
        buffers: args.track_running_stats ? mul(num(2), c) : ZERO,
        macs: ZERO,
        work: [{ op: 'norm', what: 'batch normalization', outputs: elementsExpr(input, symbolsOf(input)), affine: args.affine }],
      };
    },
  };
}

const CHANNELS_HEIGHT_WIDTH: readonly string[] = ['c', 'h', 'w'];
const CHANNELS_LENGTH: readonly string[] = ['c', 'l'];
const CHANNELS: readonly string[] = ['c'];

function symbolsOf(shape: Shape): readonly string[] {
  return shape.length === 3 ? CHANNELS_HEIGHT_WIDTH : shape.length === 2 ? CHANNELS_LENGTH : CHANNELS;
}

export const batchNorm1d = batchNormKind(1);
export const batchNorm2d = batchNormKind(2);

const layerNormSchema = z.strictObject({
  normalized_shape: z.optional(z.union([size(), z.array(size()).check(z.minLength(1))])),
  eps,
  elementwise_affine: z._default(z.boolean(), true),
  bias: z._default(z.boolean(), true),
});
export type LayerNormArgs = z.output<typeof layerNormSchema>;

/** normalized_shape, defaulting to the last dimension (PyTorch requires it; here it can be inferred). */
const normalizedShape = (args: LayerNormArgs, input: Shape): number[] =>
  args.normalized_shape === undefined ? [input[input.length - 1]!] : typeof args.normalized_shape === 'number' ? [args.normalized_shape] : args.normalized_shape;

export const layerNorm: LayerKind<LayerNormArgs> = {
  type: 'LayerNorm',
  summary: 'Normalizes each sample (each token) over its last dimensions, then scales by γ and shifts by β.',
  schema: layerNormSchema,
  inPlace: false,
  positionwise: true,
  label: (args, input) => `LayerNorm(${normalizedShape(args, input).join('×')})`,

  // (*, D) -> (*, D)
  outputShape(args, input) {
    const ns = normalizedShape(args, input);
    const trailing = input.slice(input.length - ns.length);
    if (ns.length > input.length || trailing.some((d, i) => d !== ns[i])) {
      throw new LayerError(`normalized_shape ${formatShape(ns)} does not match the last dimensions of the input ${formatShape(input)}; allowed: ${formatShape(input.slice(-1))} or another suffix of the input shape`);
    }
    return input;
  },

  // γ and β: 2 d (d = the normalized elements), γ only without bias
  counts(args, input) {
    const ns = normalizedShape(args, input);
    const d = variable('d', elementCount(ns), 'normalized elements');
    const affine = args.elementwise_affine;
    return {
      weights: ZERO,
      biases: ZERO,
      normParams: !affine ? ZERO : args.bias ? mul(num(2), d) : d,
      macs: ZERO,
      work: [{ op: 'norm', what: 'layer normalization', outputs: elementsExpr(input, input.length === 2 ? ['L', 'd'] : symbolsOf(input)), affine }],
    };
  },
};

const groupNormSchema = z.strictObject({
  num_groups: size(),
  num_channels: z.optional(size()),
  eps,
  affine: z._default(z.boolean(), true),
});
export type GroupNormArgs = z.output<typeof groupNormSchema>;

export const groupNorm: LayerKind<GroupNormArgs> = {
  type: 'GroupNorm',
  summary: 'Normalizes each group of channels of each sample, then scales by γ and shifts by β per channel.',
  schema: groupNormSchema,
  inPlace: false,
  positionwise: true,
  label: (args, input) => `GroupNorm(${args.num_groups}, ${input[0]})`,

  // (C, *) -> (C, *)
  outputShape(args, input) {
    const channels = input[0]!;
    if (input.length < 2) throw new LayerError(`GroupNorm needs an input of shape C×* (per sample), got ${formatShape(input)}`);
    if (args.num_channels !== undefined && args.num_channels !== channels) {
      throw new LayerError(`num_channels is ${args.num_channels} but the incoming shape has ${channels} channels`);
    }
    if (channels % args.num_groups !== 0) {
      throw new LayerError(`${channels} channels are not divisible by num_groups ${args.num_groups}; allowed num_groups: ${divisorsText(channels)}`);
    }
    return input;
  },

  counts(args, input) {
    const c = variable('c', input[0]!, 'channels');
    return {
      weights: ZERO,
      biases: ZERO,
      normParams: args.affine ? mul(num(2), c) : ZERO,
      macs: ZERO,
      work: [{ op: 'norm', what: 'group normalization', outputs: elementsExpr(input, symbolsOf(input)), affine: args.affine }],
    };
  },
};
