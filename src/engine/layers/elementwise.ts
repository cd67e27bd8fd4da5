/**
 * Elementwise arithmetic with a constant, as a `forward` writes it outside any module:
 * attention's `scores / √d`, `x * 0.5`, `x + 1`, `x ** 2`, `torch.sqrt(x)`, `torch.erf(x)`.
 * Graph importers (ONNX) make these from Div, Mul, Add, Sub, Pow, Sqrt, Erf, Exp, Neg, Abs,
 * Reciprocal nodes whose other operand is a constant. No parameters, no MACs; in place.
 *
 * With `learned`, the other operand of add or mul is a learned tensor of that shape (an
 * nn.Parameter such as ViT's position embedding `x + pos_embed`, or a bias added after a matmul;
 * a learned scale `x * gamma`): its elements are parameters, as PyTorch's `parameters()` lists
 * them: an added tensor's as biases, a multiplying one's as weights.
 */
import { z } from '../schema.ts';
import { LayerError } from '../errors.ts';
import { ZERO } from '../math/expr.ts';
import { elementsExpr, formatShape } from '../shape.ts';
import { size } from './common.ts';
import { broadcastShapes } from './join.ts';
import type { LayerKind } from './kind.ts';

export const ELEMENTWISE_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'sqrt', 'erf', 'exp', 'neg', 'abs', 'reciprocal', 'log', 'cos', 'sin'] as const;

const schema = z.strictObject({
  op: z.enum(ELEMENTWISE_OPS),
  /** The constant operand of add, sub, mul, div and pow. */
  value: z.optional(z.number()),
  /** The shape of a learned operand of add or mul, per sample (it broadcasts to the input). */
  learned: z.optional(z.array(size()).check(z.minLength(1))),
});
export type ElementwiseArgs = z.output<typeof schema>;

export const elementwise: LayerKind<ElementwiseArgs> = {
  type: 'Elementwise',
  summary: 'Elementwise arithmetic with a constant (x / √d, x + 1, √x, erf x): no parameters, no MACs.',
  schema,
  inPlace: true,
  positionwise: true,
  label: (args) => (args.learned ? `${args.op}(x, learned ${formatShape(args.learned)})` : args.value === undefined ? `${args.op}(x)` : `${args.op}(x, ${args.value})`),
  // (*) -> (*); a learned operand broadcasts to the input, never grows it
  outputShape(args, input) {
    if (!args.learned) return input;
    if (args.op !== 'add' && args.op !== 'mul') throw new LayerError(`a learned operand with op '${args.op}'; allowed: add, mul`);
    const out = broadcastShapes([input, args.learned]);
    if (!out || out.length !== input.length || out.some((d, i) => d !== input[i])) {
      throw new LayerError(`the learned operand ${formatShape(args.learned)} does not broadcast to the input ${formatShape(input)}; allowed: sizes equal to the input's or 1, aligned from the last dimension`);
    }
    return input;
  },
  // learned add: biases |θ|; learned mul: weights |θ|; no MACs
  counts(args) {
    if (!args.learned) return { weights: ZERO, biases: ZERO, macs: ZERO };
    const learned = elementsExpr(args.learned, args.learned.map((_, i) => `\\theta_{${i + 1}}`));
    return args.op === 'add' ? { weights: ZERO, biases: learned, macs: ZERO } : { weights: learned, biases: ZERO, macs: ZERO };
  },
};
