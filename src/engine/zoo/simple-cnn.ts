/**
 * Lab 1's SimpleCNN (seed 002, part 2) on MNIST (1×28×28), layer for layer:
 *
 *   self.conv1 = nn.Conv2d(1, 1, 5); self.pool1 = nn.MaxPool2d(2, 2)
 *   self.conv2 = nn.Conv2d(1, 1, 5); self.pool2 = nn.MaxPool2d(2, 2)   # 2 and 3 convs
 *   self.conv3 = nn.Conv2d(1, 1, 2); self.pool3 = nn.MaxPool2d(2, 1)   # 3 convs
 *   self.fc1 = nn.Linear(1 * 4 * 4, 100); self.fc2 = nn.Linear(100, 10)
 *   forward: pool(conv(x)) per stage, torch.flatten(x, 1), F.relu(fc1), F.softmax(fc2, dim=-1)
 *
 * fc1's input follows the last stage: 144 with one conv, 16 with two, 4 with three.
 */
import { conv2d, flatten, linear, maxPool2d, model, named, relu, softmax } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

export function simpleCnn(convs: 1 | 2 | 3): ModelDef {
  const layers: LayerDef[] = [named('conv1', conv2d(1, 5)), named('pool1', maxPool2d(2, 2))];
  if (convs >= 2) layers.push(named('conv2', conv2d(1, 5)), named('pool2', maxPool2d(2, 2)));
  if (convs >= 3) layers.push(named('conv3', conv2d(1, 2)), named('pool3', maxPool2d(2, 1)));
  layers.push(named('flatten', flatten()), named('fc1', linear(100)), named('relu', relu()), named('fc2', linear(10)), named('softmax', softmax(-1)));
  return model(convs === 2 ? 'simple-cnn' : `simple-cnn-${convs}conv`, [1, 28, 28], layers, {
    description: `Lab 1 SimpleCNN with ${convs} convolution${convs > 1 ? 's' : ''} of one channel on MNIST (1×28×28)${convs === 2 ? ', the lab\'s base network' : ''}.`,
    source: 'Seed 002: Lab 1 report, part 2 (SimpleCNN)',
  });
}
