/**
 * Multilayer perceptrons from the course: HW1's two networks (seed 000) and Lab 1's SimpleMLP
 * with its variants (seed 002, part 1).
 */
import { linear, model, named, relu, softmax } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';
import { mlpDef } from '../model/mlp.ts';

/** Any MLP by its widths; defined in model/mlp.ts, so the practice script builds one without the zoo. */
export { mlpDef };

export const mlpHw1Q1 = mlpDef('mlp-hw1-q1', [120, 256, 256, 10], {
  description: 'HW1 Q1: 120 inputs, two hidden layers of 256, 10 classes.',
  source: 'Seed 000: HW1 (course homework), question 1',
});

export const mlpHw1Q2 = mlpDef('mlp-hw1-q2', [1280, 512, 512, 32], {
  description: 'HW1 Q2: 1280 inputs, two hidden layers of 512, 32 classes.',
  source: 'Seed 000: HW1 (course homework), question 2',
});

/**
 * Lab 1's SimpleMLP (seed 002, part 1), layer for layer:
 *
 *   x = x.view(-1, 784)
 *   x = F.relu(self.fc1(x))
 *   x = F.relu(self.fc2(x))        # with 3 or 4 layers
 *   x = F.relu(self.fc_add(x))     # with 4 layers
 *   x = F.relu(self.fc3(x))        # the lab applies ReLU to the logits too
 *   return self.softmax(x)         # nn.Softmax(dim=1)
 *
 * The input is the flattened 28×28 MNIST image, 784 features, as the lab's table gives it
 * ((64, 784) at batch 64), so `x.view` has nothing left to do. The F.relu calls are not modules;
 * they are named relu1, relu2, ... in order. ReLU and softmax add no parameters or MACs.
 */
export function labMlp(id: string, widths: readonly number[], description: string): ModelDef {
  const hidden = widths.slice(1, -1);
  if (widths[0] !== 784 || hidden.length < 1 || hidden.length > 3) throw new RangeError(`${id}: Lab 1's SimpleMLP has 784 inputs and 1 to 3 hidden layers`);
  const names = [['fc1'], ['fc1', 'fc2'], ['fc1', 'fc2', 'fc_add']][hidden.length - 1]!.concat('fc3');
  const layers: LayerDef[] = [];
  widths.slice(1).forEach((width, i) => layers.push(named(names[i]!, linear(width)), named(`relu${i + 1}`, relu())));
  layers.push(named('softmax', softmax(1)));
  return model(id, [784], layers, { description, source: 'Seed 002: Lab 1 report, part 1 (SimpleMLP)' });
}

export const mlpLab = labMlp('mlp-lab', [784, 256, 128, 10], 'Lab 1 MLP on MNIST: 784-256-128-10 with ReLU (the base network of the neuron-count table).');

/** The lab's variants: hidden widths (table 2) and hidden-layer counts (table 3). */
export const MLP_LAB_VARIANTS: readonly ModelDef[] = [
  labMlp('mlp-lab-784-128-128-10', [784, 128, 128, 10], 'Lab 1 MLP, smaller hidden layers: 784-128-128-10 (also the base of the layer-count table).'),
  labMlp('mlp-lab-784-1024-128-10', [784, 1024, 128, 10], 'Lab 1 MLP, larger first hidden layer: 784-1024-128-10.'),
  labMlp('mlp-lab-784-128-10', [784, 128, 10], 'Lab 1 MLP with one hidden layer: 784-128-10.'),
  labMlp('mlp-lab-784-128-128-128-10', [784, 128, 128, 128, 10], 'Lab 1 MLP with three hidden layers: 784-128-128-128-10.'),
];
