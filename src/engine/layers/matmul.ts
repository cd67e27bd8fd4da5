/**
 * MatMul: the product of two activations (torch.matmul), such as attention's scores Q Kᵀ and
 * its weighted values P V when a model writes them out rather than as a MultiheadAttention.
 * Leading dimensions broadcast (heads). A join of two tensors, made by graph importers.
 *
 * MACs b n m k for (b, n, k) @ (b, k, m): n m dot products of k terms per batch entry b. No
 * parameters. Not a module: module-hook counters (thop) do not see it, as with attention.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { mul, variable, ZERO } from '../math/expr.ts';
import { elementCount, formatShape } from '../shape.ts';
import { broadcastShapes } from './join.ts';
import type { LayerKind } from './kind.ts';

const schema = z.strictObject({});
export type MatMulArgs = z.output<typeof schema>;

export const matMul: LayerKind<MatMulArgs> = {
  type: 'MatMul',
  summary: 'Product of two activations (torch.matmul), e.g. attention scores Q Kᵀ; leading dimensions broadcast.',
  schema,
  inPlace: false,
  join: true,
  label: (_args, input) => `MatMul(${formatShape(input)})`,

  // (*, n, k) @ (*, k, m) -> (*, n, m)
  outputShape(_args, _input, inputs) {
    const [a, b] = inputs;
    if (inputs.length !== 2 || !a || !b) throw new LayerError(`MatMul multiplies two tensors, got ${inputs.length}`);
    if (a.length < 2 || b.length < 2) throw new LayerError(`MatMul needs two inputs of two or more dimensions per sample, got ${formatShape(a)} and ${formatShape(b)}`);
    const k = a[a.length - 1]!;
    if (b[b.length - 2] !== k) throw new LayerError(`MatMul of ${formatShape(a)} and ${formatShape(b)}: the inner sizes ${k} and ${b[b.length - 2]} differ`);
    const lead = broadcastShapes([a.slice(0, -2), b.slice(0, -2)]);
    if (!lead) throw new LayerError(`MatMul of ${formatShape(a)} and ${formatShape(b)}: the leading dimensions do not broadcast`);
    return [...lead, a[a.length - 2]!, b[b.length - 1]!];
  },

  // b n m dot products of k terms
  counts(_args, input, output) {
    const n = variable('n', output[output.length - 2]!, 'rows');
    const m = variable('m', output[output.length - 1]!, 'columns');
    const k = variable('k', input[input.length - 1]!, 'inner size');
    const batch = elementCount(output.slice(0, -2));
    const b = variable('b', batch, 'matrices (heads)');
    const outputs = batch === 1 ? mul(n, m) : mul(b, n, m);
    return {
      weights: ZERO,
      biases: ZERO,
      macs: mul(outputs, k),
      work: [{ op: 'dot', what: 'matrix product', outputs, length: k, bias: false, module: false }],
    };
  },
};
