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
