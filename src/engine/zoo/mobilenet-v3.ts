/**
 * MobileNetV3-Small (Howard et al. 2019), layer for layer as torchvision/models/mobilenetv3.py
 * (torchvision 0.16) writes it, width multiplier 1.0:
 *
 * - features.0: Conv2dNormActivation(3, 16, 3×3, stride 2, Hardswish) = Conv2d, BatchNorm2d
 *   (eps 0.001, momentum 0.01), Hardswish;
 * - features.1–11: InvertedResidual blocks from the bneck table; each is `block`, an nn.Sequential
 *   of [the 1×1 expansion when it widens], the k×k depthwise conv, [squeeze-and-excitation], the
 *   1×1 projection (no activation); with stride 1 and equal channels the input is added back;
 * - squeeze-and-excitation (torchvision.ops.SqueezeExcitation with scale_activation=Hardsigmoid):
 *   avgpool, fc1 (1×1 conv to _make_divisible(C / 4, 8)), activation (ReLU), fc2 (1×1 conv back
 *   to C), scale_activation, and the scale times the block's input (`scale * input`): a Residual
 *   with join 'mul' and an identity shortcut;
 * - features.12: Conv2dNormActivation(96, 576, 1×1, Hardswish);
 * - avgpool, flatten, classifier: Linear(576, 1024), Hardswish, Dropout(0.2), Linear(1024, 1000).
 *
 * torchvision publishes 2,542,856 parameters (MobileNet_V3_Small_Weights.IMAGENET1K_V1).
 *
 * Module or function (what thop and torchinfo see): in 0.16 every pool and activation is a module
 * (SE is torchvision.ops.SqueezeExcitation, `partial(SElayer, scale_activation=nn.Hardsigmoid)`);
 * only `torch.flatten(x, 1)` in forward is a call. torchvision 0.9–0.11 wrote its own SE with
 * `F.adaptive_avg_pool2d` and `F.hardsigmoid`: a definition of that version marks those two
 * `functional: true`.
 */
import {
  adaptiveAvgPool2d,
  batchNorm2d,
  conv2d,
  dropout,
  flatten,
  functional,
  hardsigmoid,
  hardswish,
  linear,
  model,
  named,
  relu,
  residual,
  sequential,
} from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

/** torchvision's _make_divisible(v, 8): the nearest multiple of 8, never 10 % below v. */
export function makeDivisible(v: number, divisor = 8): number {
  let out = Math.max(divisor, Math.floor((v + divisor / 2) / divisor) * divisor);
  if (out < 0.9 * v) out += divisor;
  return out;
}

type Activation = 'RE' | 'HS';
const act = (a: Activation | 'none'): LayerDef[] => (a === 'HS' ? [hardswish({ inplace: true })] : a === 'RE' ? [relu({ inplace: true })] : []);

/** Conv2dNormActivation: conv (padding (k − 1) / 2, no bias), BatchNorm2d (eps 0.001, momentum 0.01), activation. */
const convBnAct = (out: number, kernel: number, a: Activation | 'none', stride = 1, groups = 1): LayerDef =>
  sequential(undefined, [
    conv2d(out, kernel, { stride, padding: (kernel - 1) / 2, groups, bias: false }),
    batchNorm2d({ eps: 0.001, momentum: 0.01 }),
    ...act(a),
  ]);

/** SqueezeExcitation(C, squeeze, scale_activation): scale = σ(fc2(act(fc1(avgpool(x))))); out = scale ⊙ x. */
export const squeezeExcitation = (channels: number, squeeze: number, activation: LayerDef, scaleActivation: LayerDef): LayerDef =>
  residual(
    [
      named('avgpool', adaptiveAvgPool2d(1)),
      named('fc1', conv2d(squeeze, 1)),
      named('activation', activation),
      named('fc2', conv2d(channels, 1)),
      named('scale_activation', scaleActivation),
    ],
    { join: 'mul' },
  );

/** The bneck table of mobilenet_v3_small: input, kernel, expanded, output, SE, activation, stride. */
const SMALL: readonly (readonly [number, number, number, number, boolean, Activation, number])[] = [
  [16, 3, 16, 16, true, 'RE', 2],
  [16, 3, 72, 24, false, 'RE', 2],
  [24, 3, 88, 24, false, 'RE', 1],
  [24, 5, 96, 40, true, 'HS', 2],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 240, 40, true, 'HS', 1],
  [40, 5, 120, 48, true, 'HS', 1],
  [48, 5, 144, 48, true, 'HS', 1],
  [48, 5, 288, 96, true, 'HS', 2],
  [96, 5, 576, 96, true, 'HS', 1],
  [96, 5, 576, 96, true, 'HS', 1],
];

function invertedResidual([inp, kernel, expanded, out, se, a, stride]: (typeof SMALL)[number]): LayerDef {
  const block = sequential('block', [
    ...(expanded !== inp ? [convBnAct(expanded, 1, a)] : []),
    convBnAct(expanded, kernel, a, stride, expanded),
    ...(se ? [squeezeExcitation(expanded, makeDivisible(expanded / 4), relu({ inplace: true }), hardsigmoid())] : []),
    convBnAct(out, 1, 'none'),
  ]);
  return stride === 1 && inp === out ? residual([block]) : sequential(undefined, [block]);
}

const lastConv = 6 * SMALL[SMALL.length - 1]![3];

export const mobilenetV3Small: ModelDef = model(
  'mobilenet-v3-small',
  [3, 224, 224],
  [
    sequential('features', [convBnAct(16, 3, 'HS', 2), ...SMALL.map(invertedResidual), convBnAct(lastConv, 1, 'HS')]),
    named('avgpool', adaptiveAvgPool2d(1)),
    named('flatten', functional(flatten())), // torch.flatten(x, 1) in forward; avgpool is an nn.AdaptiveAvgPool2d module
    sequential('classifier', [linear(1024), hardswish({ inplace: true }), dropout(0.2, { inplace: true }), linear(1000)]),
  ],
  {
    description: 'MobileNetV3-Small: inverted residuals with squeeze-and-excitation (Hardsigmoid gate) and Hardswish, 3×224×224.',
    source: 'torchvision 0.16, torchvision/models/mobilenetv3.py (mobilenet_v3_small) and torchvision/ops/misc.py (SqueezeExcitation)',
  },
);
