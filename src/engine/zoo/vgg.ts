/**
 * VGG-16 (configuration "D", no batch norm; Simonyan and Zisserman 2015), layer for layer as
 * torchvision/models/vgg.py (torchvision 0.16) builds it: `features` from the config list
 * (3×3 convs with padding 1 and ReLU, "M" a 2×2 max pool), numbered 0–30; `avgpool`
 * (AdaptiveAvgPool2d((7, 7))); torch.flatten(x, 1); `classifier` numbered 0–6.
 */
import { adaptiveAvgPool2d, conv2d, dropout, flatten, functional, linear, maxPool2d, model, named, relu, sequential } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

/** torchvision's `cfgs["D"]`. */
const CONFIG_D = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'] as const;

function features(config: readonly (number | 'M')[]): LayerDef[] {
  return config.flatMap((v) => (v === 'M' ? [maxPool2d(2, 2)] : [conv2d(v, 3, { padding: 1 }), relu({ inplace: true })]));
}

export const vgg16: ModelDef = model(
  'vgg16',
  [3, 224, 224],
  [
    sequential('features', features(CONFIG_D)),
    named('avgpool', adaptiveAvgPool2d(7)),
    named('flatten', functional(flatten())), // torch.flatten(x, 1) in forward
    sequential('classifier', [
      linear(4096), relu({ inplace: true }), dropout(0.5),
      linear(4096), relu({ inplace: true }), dropout(0.5),
      linear(1000),
    ]),
  ],
  {
    description: 'VGG-16 (configuration D): thirteen 3×3 convolutions in five stages, then three linear layers, 3×224×224.',
    source: 'torchvision 0.16, torchvision/models/vgg.py (vgg16, cfgs["D"])',
  },
);
