/**
 * LeNet-5 as seed 001 ("notes on space and compute complexity") counts it, on 1×32×32: two 5×5
 * convolutions, 2×2 max pooling, three linear layers, ReLU between (LeCun et al. 1998 used tanh
 * and subsampling; the counts are the same).
 */
import { conv2d, flatten, linear, maxPool2d, model, named, relu } from '../model/builder.ts';
import type { ModelDef } from '../model/define.ts';

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
