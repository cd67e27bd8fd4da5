/**
 * Elementwise arithmetic with a constant, as a `forward` writes it outside any module:
 * attention's `scores / √d`, `x * 0.5`, `x + 1`, `x ** 2`, `torch.sqrt(x)`, `torch.erf(x)`.
 * Graph importers (ONNX) make these from Div, Mul, Add, Sub, Pow, Sqrt, Erf, Exp, Neg, Abs,
 * Reciprocal nodes whose other operand is a constant. No parameters, no MACs; in place.
 */
import { z } from '../schema.ts';
import { ZERO } from '../math/expr.ts';
import type { LayerKind } from './kind.ts';

export const ELEMENTWISE_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'sqrt', 'erf', 'exp', 'neg', 'abs', 'reciprocal', 'log', 'cos', 'sin'] as const;

const schema = z.strictObject({
  op: z.enum(ELEMENTWISE_OPS),
  /** The constant operand of add, sub, mul, div and pow. */
  value: z.optional(z.number()),
});
export type ElementwiseArgs = z.output<typeof schema>;

export const elementwise: LayerKind<ElementwiseArgs> = {
  type: 'Elementwise',
  summary: 'Elementwise arithmetic with a constant (x / √d, x + 1, √x, erf x): no parameters, no MACs.',
  schema,
  inPlace: true,
  positionwise: true,
  label: (args) => (args.value === undefined ? `${args.op}(x)` : `${args.op}(x, ${args.value})`),
  // (*) -> (*)
  outputShape: (_args, input) => input,
  counts: () => ({ weights: ZERO, biases: ZERO, macs: ZERO }),
};
