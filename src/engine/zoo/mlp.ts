/**
 * Multilayer perceptrons from the course: HW1's two networks and Lab 1's MLPs.
 */
import type { LayerDef, ModelDef } from '../model/define.ts';

/**
 * A fully connected network of the given widths: `widths[0]` inputs, then one Linear per later
 * width, named fc1, fc2, ...; with `activation`, that activation after every hidden layer.
 */
export function mlpDef(name: string, widths: readonly number[], options: { activation?: string; description?: string; source?: string } = {}): ModelDef {
  const layers: LayerDef[] = [];
  widths.slice(1).forEach((width, i) => {
    layers.push({ type: 'Linear', name: `fc${i + 1}`, out_features: width });
    const hidden = i < widths.length - 2;
    if (hidden && options.activation) layers.push({ type: options.activation, name: `act${i + 1}` });
  });
  return {
    name,
    input: [widths[0]!],
    layers,
    ...(options.description ? { description: options.description } : {}),
    ...(options.source ? { source: options.source } : {}),
  };
}

export const mlpHw1Q1 = mlpDef('mlp-hw1-q1', [120, 256, 256, 10], {
  description: 'HW1 Q1: 120 inputs, two hidden layers of 256, 10 classes.',
  source: 'Seed 000: HW1 (course homework), question 1',
});

export const mlpHw1Q2 = mlpDef('mlp-hw1-q2', [1280, 512, 512, 32], {
  description: 'HW1 Q2: 1280 inputs, two hidden layers of 512, 32 classes.',
  source: 'Seed 000: HW1 (course homework), question 2',
});

export const mlpLab = mlpDef('mlp-lab', [784, 256, 128, 10], {
  activation: 'ReLU',
  description: 'Lab 1 MLP on MNIST: 784-256-128-10 with ReLU.',
  source: 'Seed 002: Lab 1 report, part 1',
});
