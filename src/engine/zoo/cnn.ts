/**
 * Convolutional networks from the course: LeNet-5 (seed 001), Lab 1's SimpleCNNs (seed 002) and
 * the lectures' two-group AlexNet (seeds 003, 004).
 */
import {
  conv2d,
  dropout,
  flatten,
  linear,
  maxPool2d,
  model,
  named,
  relu,
  softmax,
} from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

/** LeNet-5 on 1×32×32 as seed 001 counts it: two 5×5 convolutions, 2×2 pooling, three linear layers. */
export const lenet5: ModelDef = model(
  'lenet5',
  [1, 32, 32],
  [
    named('conv1', conv2d(6, 5)),
    named('relu1', relu()),
    named('pool1', maxPool2d(2)),
    named('conv2', conv2d(16, 5)),
    named('relu2', relu()),
    named('pool2', maxPool2d(2)),
    named('flatten', flatten()),
    named('fc1', linear(120)),
    named('relu3', relu()),
    named('fc2', linear(84)),
    named('relu4', relu()),
    named('fc3', linear(10)),
  ],
  { description: 'LeNet-5 on a 1×32×32 image: conv 6@5×5, pool, conv 16@5×5, pool, 120-84-10.', source: 'Seed 001: notes on space and compute complexity' },
);

/**
 * Lab 1's SimpleCNN on 1×28×28 with 1, 2 or 3 convolutions of one channel (Conv(1, 1, 5), MaxPool 2;
 * the third Conv(1, 1, 2), MaxPool(2, stride 1)), then Linear to 100 and 10.
 */
export function labSimpleCnn(convs: 1 | 2 | 3): ModelDef {
  const layers: LayerDef[] = [named('conv1', conv2d(1, 5)), named('pool1', maxPool2d(2, 2))];
  if (convs >= 2) layers.push(named('conv2', conv2d(1, 5)), named('pool2', maxPool2d(2, 2)));
  if (convs >= 3) layers.push(named('conv3', conv2d(1, 2)), named('pool3', maxPool2d(2, 1)));
  layers.push(named('flatten', flatten()), named('fc1', linear(100)), named('relu', relu()), named('fc2', linear(10)), named('softmax', softmax(-1)));
  return model(`lab-cnn-${convs}conv`, [1, 28, 28], layers, {
    description: `Lab 1 SimpleCNN with ${convs} convolution${convs > 1 ? 's' : ''} of one channel on MNIST (1×28×28).`,
    source: 'Seed 002: Lab 1 report, part 2',
  });
}

/**
 * AlexNet in the two-group form of the lectures' table (3×224×224): conv2, conv4 and conv5 are
 * grouped in two, as on the original two GPUs. Biases are present, as in PyTorch; the lectures'
 * table ignores them (the `lectures` profile).
 */
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
  { description: 'AlexNet with two groups in conv2, conv4 and conv5, on 3×224×224 (the lectures\' table).', source: 'Seeds 003, 004: lectures on efficiency metrics' },
);
