/**
 * AlexNet in its two forms:
 *
 * - `alexnet`: torchvision's single-group form, layer for layer as torchvision/models/alexnet.py
 *   (torchvision 0.16) writes it: `features` (nn.Sequential, numbered 0–12), `avgpool`
 *   (AdaptiveAvgPool2d((6, 6))), torch.flatten(x, 1), `classifier` (numbered 0–6). Its channels
 *   (64, 192, 384, 256, 256) are those of "One weird trick" (Krizhevsky 2014), not the 2012 paper.
 * - `alexnet-grouped`: the original two-GPU form (Krizhevsky, Sutskever, Hinton 2012) as the
 *   lectures' table (seeds 003, 004) counts it: 96, 256, 384, 384, 256 channels, conv2, conv4 and
 *   conv5 in two groups. Biases are present, as in PyTorch; the lectures' table ignores them
 *   (the `lectures` counting profile).
 */
import { adaptiveAvgPool2d, conv2d, dropout, flatten, functional, linear, maxPool2d, model, named, relu, sequential } from '../model/builder.ts';
import type { ModelDef } from '../model/define.ts';

export const alexnet: ModelDef = model(
  'alexnet',
  [3, 224, 224],
  [
    sequential('features', [
      conv2d(64, 11, { stride: 4, padding: 2 }), relu({ inplace: true }), maxPool2d(3, 2),
      conv2d(192, 5, { padding: 2 }), relu({ inplace: true }), maxPool2d(3, 2),
      conv2d(384, 3, { padding: 1 }), relu({ inplace: true }),
      conv2d(256, 3, { padding: 1 }), relu({ inplace: true }),
      conv2d(256, 3, { padding: 1 }), relu({ inplace: true }), maxPool2d(3, 2),
    ]),
    named('avgpool', adaptiveAvgPool2d(6)),
    named('flatten', functional(flatten())), // torch.flatten(x, 1) in forward
    sequential('classifier', [
      dropout(0.5), linear(4096), relu({ inplace: true }),
      dropout(0.5), linear(4096), relu({ inplace: true }),
      linear(1000),
    ]),
  ],
  {
    description: "AlexNet as torchvision defines it: one group, 64-192-384-256-256 channels, 3×224×224.",
    source: 'torchvision 0.16, torchvision/models/alexnet.py (AlexNet)',
  },
);

export const alexnetGrouped: ModelDef = model(
  'alexnet-grouped',
  [3, 224, 224],
  [
    named('conv1', conv2d(96, 11, { stride: 4, padding: 2 })),
    named('relu1', relu()),
    named('pool1', maxPool2d(3, 2)),
    named('conv2', conv2d(256, 5, { padding: 2, groups: 2 })),
    named('relu2', relu()),
    named('pool2', maxPool2d(3, 2)),
    named('conv3', conv2d(384, 3, { padding: 1 })),
    named('relu3', relu()),
    named('conv4', conv2d(384, 3, { padding: 1, groups: 2 })),
    named('relu4', relu()),
    named('conv5', conv2d(256, 3, { padding: 1, groups: 2 })),
    named('relu5', relu()),
    named('pool5', maxPool2d(3, 2)),
    named('flatten', flatten()),
    named('dropout1', dropout(0.5)),
    named('fc1', linear(4096)),
    named('relu6', relu()),
    named('dropout2', dropout(0.5)),
    named('fc2', linear(4096)),
    named('relu7', relu()),
    named('fc3', linear(1000)),
  ],
  {
    description: "AlexNet in the original two-group form (conv2, conv4, conv5 grouped in two) on 3×224×224, as in the lectures' table.",
    source: 'Seeds 003, 004: lectures on efficiency metrics (Krizhevsky, Sutskever, Hinton, NeurIPS 2012)',
  },
);
