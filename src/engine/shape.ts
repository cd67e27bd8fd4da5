/**
 * Shapes are per sample, without the batch dimension, as PyTorch prints them after the batch:
 * [C, H, W] for images, [F] for features, [L, D] for token sequences.
 */
import { mulAll, num, variable, type Expr } from './math/expr.ts';

export type Shape = readonly number[];

export function elementCount(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** `6×28×28` */
export function formatShape(shape: Shape): string {
  return shape.join('×');
}

/** `6 \times 28 \times 28` */
export function shapeTex(shape: Shape): string {
  return shape.join(' \\times ');
}

/**
 * The element count of a shape as an expression whose factors are named by `symbols`
 * (e.g. c_o, h_o, w_o). A shape of one dimension with one symbol reads as that symbol.
 */
export function elementsExpr(shape: Shape, symbols: readonly string[]): Expr {
  if (shape.length === 0) return num(1);
  // An array of the exact size (a pushed-to array starts with room for 16).
  const factors = new Array<Expr>(shape.length);
  for (let i = 0; i < shape.length; i++) factors[i] = variable(symbols[i] ?? `d_{${i}}`, shape[i]!);
  return mulAll(factors);
}
