/**
 * EfficientNet-B0 (Tan & Le 2019), layer for layer as torchvision/models/efficientnet.py
 * (torchvision 0.16) writes it (width and depth multipliers 1.0):
 *
 * - features.0: Conv2dNormActivation(3, 32, 3×3, stride 2, SiLU);
 * - features.1–7: one nn.Sequential per stage of MBConv blocks (features.2.0, features.2.1, …);
 *   each MBConv is `block`: [1×1 expansion when the ratio is not 1], k×k depthwise,
 *   squeeze-and-excitation (squeeze to max(1, input channels / 4), SiLU, Sigmoid gate), 1×1
 *   projection (no activation); with stride 1 and equal channels, `stochastic_depth`
 *   (StochasticDepth(p, 'row'), p = 0.2 × block index / 16: the identity at inference) and the
 *   input added back;
 * - features.8: Conv2dNormActivation(320, 1280, 1×1, SiLU);
 * - avgpool, flatten, classifier: Dropout(0.2), Linear(1280, 1000).
 *
 * torchvision publishes 5,288,548 parameters (EfficientNet_B0_Weights.IMAGENET1K_V1).
 */
import { adaptiveAvgPool2d, batchNorm2d, conv2d, dropout, flatten, functional, linear, model, named, residual, sequential, sigmoid, silu, stochasticDepth } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';
import { makeDivisible, squeezeExcitation } from './mobilenet-v3.ts';

/** Conv2dNormActivation: conv (padding (k − 1) / 2, no bias), BatchNorm2d, SiLU unless `act` is false. */
const convBnSiLU = (out: number, kernel: number, stride = 1, groups = 1, act = true): LayerDef =>
  sequential(undefined, [conv2d(out, kernel, { stride, padding: (kernel - 1) / 2, groups, bias: false }), batchNorm2d(), ...(act ? [silu({ inplace: true })] : [])]);

/** MBConvConfig rows of efficientnet_b*: expand ratio, kernel, stride, input, output, layers. */
const B0 = [
  [1, 3, 1, 32, 16, 1],
  [6, 3, 2, 16, 24, 2],
  [6, 5, 2, 24, 40, 2],
  [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3],
  [6, 5, 2, 112, 192, 4],
  [6, 3, 1, 192, 320, 1],
] as const;

const STOCHASTIC_DEPTH_PROB = 0.2;

function mbConv(inp: number, out: number, expand: number, kernel: number, stride: number, sdProb: number): LayerDef {
  const expanded = makeDivisible(inp * expand);
  const block = sequential('block', [
    ...(expanded !== inp ? [convBnSiLU(expanded, 1)] : []),
    convBnSiLU(expanded, kernel, stride, expanded),
    squeezeExcitation(expanded, Math.max(1, Math.floor(inp / 4)), silu({ inplace: true }), sigmoid()),
    convBnSiLU(out, 1, 1, 1, false),
  ]);
  return stride === 1 && inp === out
    ? residual([block, named('stochastic_depth', stochasticDepth(sdProb, 'row'))])
    : sequential(undefined, [block]);
}

function stages(): LayerDef[] {
  const total = B0.reduce((acc, row) => acc + row[5], 0);
  const out: LayerDef[] = [];
  let blockId = 0;
  for (const [expand, kernel, stride, inp, outC, layers] of B0) {
    const stage: LayerDef[] = [];
    for (let i = 0; i < layers; i++) {
      stage.push(mbConv(i === 0 ? inp : outC, outC, expand, kernel, i === 0 ? stride : 1, (STOCHASTIC_DEPTH_PROB * blockId) / total));
      blockId += 1;
    }
    out.push(sequential(undefined, stage));
  }
  return out;
}

export const efficientnetB0: ModelDef = model(
  'efficientnet-b0',
  [3, 224, 224],
  [
    sequential('features', [convBnSiLU(32, 3, 2), ...stages(), convBnSiLU(4 * 320, 1)]),
    named('avgpool', adaptiveAvgPool2d(1)),
    named('flatten', functional(flatten())), // torch.flatten(x, 1) in forward; avgpool is an nn.AdaptiveAvgPool2d module
    sequential('classifier', [dropout(0.2, { inplace: true }), linear(1000)]),
  ],
  {
    description: 'EfficientNet-B0: MBConv blocks with squeeze-and-excitation, SiLU and stochastic depth, 3×224×224.',
    source: 'torchvision 0.16, torchvision/models/efficientnet.py (efficientnet_b0, MBConv) and torchvision/ops/misc.py (SqueezeExcitation)',
  },
);
