/**
 * Joins of branches: elementwise Add (a residual connection), elementwise Mul (squeeze-and-
 * excitation's channel scale `s * x`) and Concat along a dimension. They are made by Residual and
 * Parallel blocks (PyTorch writes them as `x + y`, `s * x` and `torch.cat` in `forward`, not as
 * modules), and appear as layers in the flat list so their work is visible.
 *
 * Add and Mul broadcast as PyTorch does (per sample, aligned from the last dimension, a size 1
 * stretches): SE's scale of C×1×1 times the features C×H×W gives C×H×W.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { variable, ZERO } from '../math/expr.ts';
import { elementsExpr, formatShape, type Shape } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const addSchema = z.strictObject({});
export type AddArgs = z.output<typeof addSchema>;

const shapesText = (inputs: readonly (readonly number[])[]) => inputs.map(formatShape).join(', ');

/** PyTorch's broadcast of the inputs' shapes, or undefined when two sizes differ and neither is 1. */
export function broadcastShapes(inputs: readonly Shape[]): Shape | undefined {
  // A loop, not Math.max(...): a join of 200,000 inputs (a hostile Concat) overflows a spread.
  const rank = inputs.reduce((r, s) => Math.max(r, s.length), 0);
  const out = new Array<number>(rank).fill(1);
  for (const shape of inputs) {
    for (let i = 0; i < shape.length; i++) {
      const at = rank - shape.length + i;
      const d = shape[i]!;
      if (d === out[at] || d === 1) continue;
      if (out[at] !== 1) return undefined;
      out[at] = d;
    }
  }
  return out;
}

/** A broadcasting elementwise join (Add, Mul): (k − 1) operations per output element, no MACs. */
function elementwiseJoin(type: 'Add' | 'Mul', summary: string, what: string, hint: string): LayerKind<AddArgs> {
  return {
    type,
    summary,
    schema: addSchema,
    inPlace: false,
    join: true,
    positionwise: true,
    label: (_args, input) => `${type}(${formatShape(input)})`,

    // (*), (*), ... -> (*) broadcast, e.g. (C, H, W) ⊙ (C, 1, 1) -> (C, H, W)
    outputShape(_args, _input, inputs) {
      const out = broadcastShapes(inputs);
      if (!out) throw new LayerError(`${type} needs inputs of one shape, got ${shapesText(inputs)} (shapes that broadcast also do: a size 1 stretches)${hint}`);
      return out;
    },

    // (k − 1) operations per output element; no MACs
    counts(_args, _input, output, inputs) {
      return {
        weights: ZERO,
        biases: ZERO,
        macs: ZERO,
        // Recorded as an elementwise combine of k inputs (op 'add' in Work), which no convention counts as MACs.
        work: [{ op: 'add', what, outputs: elementsExpr(output, []), inputs: variable('k', inputs.length, 'inputs') }],
      };
    },
  };
}

export const addJoin = elementwiseJoin(
  'Add',
  'Elementwise sum of branches (the + of a residual connection); shapes broadcast.',
  'elementwise add',
  '; a projection shortcut (e.g. a 1×1 Conv2d with stride) can match a residual\'s channels and size',
);

export const mulJoin = elementwiseJoin(
  'Mul',
  'Elementwise product of branches, broadcasting: squeeze-and-excitation\'s channel scale s ⊙ x.',
  'elementwise multiply',
  '',
);

const concatSchema = z.strictObject({ dim: z._default(z.int(), 1) });
export type ConcatArgs = z.output<typeof concatSchema>;

export const concat: LayerKind<ConcatArgs> = {
  type: 'Concat',
  summary: 'Joins branches along one dimension (torch.cat), channels by default.',
  schema: concatSchema,
  inPlace: false,
  join: true,
  positionwise: true,
  label: (args) => `Concat(dim=${args.dim})`,

  // (C_1, H, W), (C_2, H, W), ... -> (C_1 + C_2 + ..., H, W)   [dim counts the batch: 1 = channels]
  outputShape(args, input, inputs) {
    const rank = input.length + 1;
    const dim = args.dim < 0 ? args.dim + rank : args.dim;
    if (dim < 1 || dim >= rank) {
      throw new LayerError(`dim ${args.dim} is out of range for inputs of rank ${rank} with batch; allowed: 1 to ${rank - 1} or -1 to -${rank - 1} (dim 0 is the batch)`);
    }
    const axis = dim - 1;
    const matches = inputs.every((s) => s.length === input.length && s.every((d, i) => i === axis || d === input[i]));
    if (!matches) throw new LayerError(`Concat along dim ${args.dim} needs inputs that agree in every other dimension, got ${shapesText(inputs)}`);
    const out = [...input];
    out[axis] = inputs.reduce((acc, s) => acc + s[axis]!, 0);
    return out;
  },

  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};

