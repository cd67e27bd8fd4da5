/**
 * Counting a layer's work (`Work`, recorded by each layer kind) under the conventions that count
 * more, or other, things than MACs. Each returns an expression per sample, so each count has
 * its derivation like every other figure.
 *
 * - Seed 001's operations: a dot product of n terms with a bias costs 2n (non-pipelined) or n + 1
 *   (fused multiply-add); a max-pool output h w − 1 comparisons.
 * - thop's module hooks (thop 0.1.x, `profile`): Conv and Linear count their MACs without bias;
 *   norms 2 per element, 4 with a scale and shift; average pooling 1 per output; adaptive average
 *   pooling window + 1 per output; Softmax 3n − 1 per row of n; max pooling, activations,
 *   dropout, embeddings: 0. Matmuls outside modules (attention's scores and values, `x + y`) are
 *   never seen.
 */
import type { Work } from '../layers/kind.ts';
import { add, addAll, div, mul, num, sub, ZERO, type Expr } from '../math/expr.ts';
import type { Conventions } from './conventions.ts';

/** Sums the non-zero terms; 0 when there are none. */
function total(terms: Expr[]): Expr {
  let nonZero = terms;
  for (let i = 0; i < terms.length; i++) {
    if (terms[i]!.value === 0) {
      nonZero = terms.filter((t) => t.value !== 0);
      break;
    }
  }
  return nonZero.length === 0 ? ZERO : addAll(nonZero);
}

/**
 * outputs × window; a fractional window (adaptive pooling's h_i w_i / (h_o w_o)) multiplies
 * before it divides, so a count that is a whole number is computed as one, exactly.
 */
function timesWindow(outputs: Expr, window: Expr): Expr {
  return window.kind === 'div' ? div(mul(outputs, window.numerator), window.denominator) : mul(outputs, window);
}

/** MACs of the dot products: outputs × length. The layer's own `macs` says the same, grouped its way. */
export function dotMacs(work: readonly Work[], which: 'all' | 'modules' = 'all'): Expr {
  return total(work.flatMap((w) => (w.op === 'dot' && (which === 'all' || w.module) ? [mul(w.outputs, w.length)] : [])));
}

/** Seed 001's operation count under `conventions.operations` and `conventions.poolingOps`. */
export function seedOps(work: readonly Work[], conventions: Pick<Conventions, 'operations' | 'poolingOps'>): Expr {
  const terms: Expr[] = [];
  for (const w of work) {
    if (w.op === 'dot') {
      if (conventions.operations === 'non-pipelined') {
        // n multiplies, n − 1 adds, and one more add for the bias: 2n with a bias, 2n − 1 without.
        const perOutput = w.bias ? mul(num(2), w.length) : sub(mul(num(2), w.length), num(1));
        terms.push(mul(w.outputs, perOutput));
      } else {
        // n fused multiply-adds, plus the bias add.
        terms.push(mul(w.outputs, w.bias ? add(w.length, num(1)) : w.length));
      }
    } else if ((w.op === 'maxpool' || w.op === 'avgpool') && conventions.poolingOps) {
      // Max: h w − 1 comparisons. Mean: h w − 1 adds and one divide.
      terms.push(w.op === 'maxpool' ? mul(w.outputs, sub(w.window, num(1))) : timesWindow(w.outputs, w.window));
    }
  }
  return total(terms);
}

/** What thop's module hooks count for this work. */
export function thopOps(work: readonly Work[]): Expr {
  const terms: Expr[] = [];
  for (const w of work) {
    switch (w.op) {
      case 'dot':
        if (w.module) terms.push(mul(w.outputs, w.length));
        break;
      case 'norm':
        // calculate_norm: 2 per element; doubled with an affine scale and shift.
        terms.push(mul(num(w.affine ? 4 : 2), w.outputs));
        break;
      case 'avgpool':
        terms.push(w.adaptive ? add(timesWindow(w.outputs, w.window), w.outputs) : w.outputs);
        break;
      case 'softmax':
        if (!w.module) break;
        // Per row of n: n exps, n − 1 adds, n divides.
        terms.push(mul(div(w.outputs, w.length), sub(mul(num(3), w.length), num(1))));
        break;
      case 'maxpool':
      case 'add':
        break;
    }
  }
  return total(terms);
}
