/**
 * A fully connected network by its widths, as a `ModelDef`. Apart from the zoo (which defines
 * HW1's and the lab's MLPs with it) so that the practice page's script can build a problem's
 * `{ mlp: [...] }` without carrying the zoo.
 */
import type { LayerDef, ModelDef } from './define.ts';

/**
 * A fully connected network of the given widths: `widths[0]` inputs, then one Linear per later
 * width, named fc1, fc2, ...; with `activation`, that activation after every hidden layer.
 */
export function mlpDef(name: string, widths: readonly number[], options: { activation?: string; description?: string; source?: string } = {}): ModelDef {
  const layers: LayerDef[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    layers.push({ type: 'Linear', name: nameOf(FC, 'fc', i), out_features: widths[i + 1]! });
    const hidden = i < widths.length - 2;
    if (hidden && options.activation) layers.push({ type: options.activation, name: nameOf(ACT, 'act', i) });
  }
  return {
    name,
    input: [widths[0]!],
    layers,
    ...(options.description ? { description: options.description } : {}),
    ...(options.source ? { source: options.source } : {}),
  };
}

// fc1, fc2, ...: made once (a variant defines an MLP per draw).
const FC: string[] = [];
const ACT: string[] = [];
const nameOf = (names: string[], prefix: string, i: number): string => (names[i] ??= `${prefix}${i + 1}`);
