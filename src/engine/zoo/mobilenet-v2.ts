/**
 * MobileNetV2 (Sandler et al. 2018), layer for layer as torchvision/models/mobilenetv2.py
 * (torchvision 0.16) writes it, width multiplier 1.0:
 *
 * - features.0: Conv2dNormActivation(3, 32, stride 2) = Conv2d, BatchNorm2d, ReLU6 (0, 1, 2);
 * - features.1–17: InvertedResidual blocks from the (t, c, n, s) table; each is `conv`, an
 *   nn.Sequential of [the 1×1 expansion Conv2dNormActivation when t ≠ 1], the 3×3 depthwise
 *   Conv2dNormActivation (groups = channels), the 1×1 projection Conv2d and its BatchNorm2d;
 *   with stride 1 and equal channels the input is added back (`use_res_connect`);
 * - features.18: Conv2dNormActivation(320, 1280, 1×1);
 * - forward: adaptive_avg_pool2d to 1×1 and torch.flatten (functional), then `classifier`:
 *   Dropout(0.2), Linear(1280, 1000).
 */
import { adaptiveAvgPool2d, batchNorm2d, conv2d, dropout, flatten, functional, linear, model, named, relu6, residual, sequential } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

/** Conv2dNormActivation: conv (padding (k − 1) / 2, no bias), BatchNorm2d, ReLU6. */
const convBnReLU6 = (out: number, kernel: number, stride = 1, groups = 1): LayerDef =>
  sequential(undefined, [conv2d(out, kernel, { stride, padding: (kernel - 1) / 2, groups, bias: false }), batchNorm2d(), relu6({ inplace: true })]);

/** torchvision's `inverted_residual_setting`: expansion t, output channels c, repeats n, first stride s. */
const SETTING = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
] as const;

function invertedResidual(inp: number, oup: number, stride: number, t: number): LayerDef {
  const hidden = inp * t;
  const conv = sequential('conv', [
    ...(t !== 1 ? [convBnReLU6(hidden, 1)] : []),
    convBnReLU6(hidden, 3, stride, hidden),
    conv2d(oup, 1, { bias: false }),
    batchNorm2d(),
  ]);
  return stride === 1 && inp === oup ? residual([conv]) : sequential(undefined, [conv]);
}

function features(): LayerDef[] {
  const out: LayerDef[] = [convBnReLU6(32, 3, 2)];
  let channels = 32;
  for (const [t, c, n, s] of SETTING) {
    for (let i = 0; i < n; i++) {
      out.push(invertedResidual(channels, c, i === 0 ? s : 1, t));
      channels = c;
    }
  }
  out.push(convBnReLU6(1280, 1));
  return out;
}

export const mobilenetV2: ModelDef = model(
  'mobilenet-v2',
  [3, 224, 224],
  [
    sequential('features', features()),
    // nn.functional.adaptive_avg_pool2d(x, (1, 1)) in forward: no module, so thop's hooks miss it
    named('avgpool', functional(adaptiveAvgPool2d(1))),
    named('flatten', functional(flatten())), // torch.flatten(x, 1)
    sequential('classifier', [dropout(0.2), linear(1000)]),
  ],
  {
    description: 'MobileNetV2: inverted residual blocks (1×1 expand, 3×3 depthwise, 1×1 project), 32 to 1280 channels, 3×224×224.',
    source: 'torchvision 0.16, torchvision/models/mobilenetv2.py (mobilenet_v2, InvertedResidual)',
  },
);
