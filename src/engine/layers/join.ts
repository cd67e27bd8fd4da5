/**
 * Joins of branches: elementwise Add (a residual connection) and Concat along a dimension.
 * They are made by Residual and Parallel blocks (PyTorch writes them as `x + y` and `torch.cat`
 * in `forward`, not as modules), and appear as layers in the flat list so their work is visible.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { variable, ZERO } from '../math/expr.ts';
import { elementsExpr, formatShape } from '../shape.ts';
import type { LayerKind } from './kind.ts';

const addSchema = z.strictObject({});
export type AddArgs = z.output<typeof addSchema>;

const shapesText = (inputs: readonly (readonly number[])[]) => inputs.map(formatShape).join(', ');

export const addJoin: LayerKind<AddArgs> = {
  type: 'Add',
  summary: 'Elementwise sum of branches of one shape (the + of a residual connection).',
  schema: addSchema,
  inPlace: false,
  join: true,
  positionwise: true,
  label: (_args, input) => `Add(${formatShape(input)})`,

  // (*), (*), ... -> (*)
  outputShape(_args, input, inputs) {
    if (inputs.some((s) => s.length !== input.length || s.some((d, i) => d !== input[i]))) {
      throw new LayerError(`Add needs inputs of one shape, got ${shapesText(inputs)}; a projection shortcut (e.g. a 1×1 Conv2d with stride) can match them`);
    }
    return input;
  },

  // (k − 1) additions per output element; no MACs
  counts(_args, _input, output, inputs) {
    return {
      weights: ZERO,
      biases: ZERO,
      macs: ZERO,
      work: [{ op: 'add', what: 'elementwise add', outputs: elementsExpr(output, []), inputs: variable('k', inputs.length, 'inputs') }],
    };
  },
};

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

