/** What several tools' rules read: PyTorch's nn.MultiheadAttention, a layer's kind and input, the unseen products, the patched functionals. */
import type { LayerReport } from '../analyze.ts';
import type { ActivationFn, Work } from '../../layers/kind.ts';
import type { Layer } from '../../model/define.ts';
import { type Expr, add, mul, num, variable } from '../../math/expr.ts';
import { elementsExpr } from '../../shape.ts';
import { type Term, dotMacs, term } from './terms.ts';

/** PyTorch's nn.MultiheadAttention as self-attention on (L, E) with h heads: the quantities the tools count. */
export interface TorchMha {
  /** L E: the query's elements (q scaling, the out projection's outputs). */
  readonly queryElements: Expr;
  /** 3 L E: the packed in-projection's outputs (Q, K and V). */
  readonly inProjOutputs: Expr;
  /** h L²: the attention scores (softmax's elements). */
  readonly scores: Expr;
  /** h L: the softmax's rows, of L each. */
  readonly rows: Expr;
  readonly L: Expr;
  /** L²: the attention weights averaged over the heads (need_weights). */
  readonly averagedWeights: Expr;
  /** 2 h L² d_k: the score and weighted-value matmuls (torch.bmm, or inside F.scaled_dot_product_attention). */
  readonly matmulMacs: Expr;
  readonly bias: boolean;
  /** need_weights: torch.bmm, F.softmax, torch.bmm and a mean; false: F.scaled_dot_product_attention. */
  readonly needWeights: boolean;
}

/** The layer as PyTorch's nn.MultiheadAttention, or undefined (another kind, or BertSelfAttention). */
export function torchMha(r: LayerReport): TorchMha | undefined {
  if (r.layer.type !== 'MultiheadAttention') return undefined;
  const args = r.layer.args as { num_heads: number; bias: boolean; implementation: string; need_weights: boolean };
  if (args.implementation !== 'nn.MultiheadAttention') return undefined;
  const L = variable('L', r.layer.inputShape[0]!, 'tokens');
  const E = variable('E', r.layer.inputShape[1]!, 'embedding size');
  const h = variable('h', args.num_heads, 'heads');
  const matmulMacs = r.work.reduce<Expr>((acc, w) => (w.op === 'dot' && !w.module ? (acc.value === 0 ? dotMacs(w) : add(acc, dotMacs(w))) : acc), num(0));
  return {
    queryElements: mul(L, E),
    inProjOutputs: mul(num(3), L, E),
    scores: mul(h, L, L),
    rows: mul(h, L),
    L,
    averagedWeights: mul(L, L),
    matmulMacs,
    bias: args.bias,
    needWeights: args.need_weights,
  };
}

export const isConv = (layer: Layer) => layer.type.startsWith('Conv');
export const normName = (layer: Layer) => (layer.type.startsWith('BatchNorm') ? 'BatchNorm' : layer.type);
/** Elements of the layer's (first) input, as the pooling rules count them. */
export const inputElements = (layer: Layer): Expr => elementsExpr(layer.inputShape, []);

/** A functional call's dot products, which module hooks never see. */
export function unseenFunctional(r: LayerReport, scale = 1): Term[] {
  return r.work.flatMap((w) => (w.op === 'dot' ? [term(`${r.layer.type} called as a function: not seen`, -scale, dotMacs(w), 'MACs')] : []));
}

export const unseenMatmul = (w: Extract<Work, { op: 'dot' }>, scale = 1) => term('matmuls outside modules (torch.matmul in attention): not seen', -scale, dotMacs(w), 'MACs');

/** A functional call of nn.ReLU6 is F.relu6, not the hardtanh its module runs. */
export const calledFn = (layer: Layer, fn: ActivationFn): ActivationFn | undefined =>
  layer.functional === 'bound' ? undefined : layer.functional && fn === 'hardtanh' ? 'relu6' : fn;
export const patched = (set: ReadonlySet<ActivationFn>, layer: Layer, fn: ActivationFn): ActivationFn | undefined => {
  const called = calledFn(layer, fn);
  return called !== undefined && set.has(called) ? called : undefined;
};
