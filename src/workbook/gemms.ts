/**
 * The matrix multiplications (GEMMs) of a block of layers, with the shapes an exporter such as
 * ONNX shows for a batch: Lab 1 lists those of BERT's first encoder layer. Each GEMM's MACs are
 * an expression over the same sizes, so the table and its count come with their derivations.
 *
 * Linear(in, out) on [n, ..., in]:      [n, ..., in] × [in, out] → [n, ..., out]
 * MultiheadAttention(E, h), d_k = E/h:  Q, K, V: [n, L, E] × [E, E] → [n, L, E]
 *                                       scores:  [n, h, L, d_k] × [n, h, d_k, L] → [n, h, L, L]
 *                                       values:  [n, h, L, L] × [n, h, L, d_k] → [n, h, L, d_k]
 *                                       output:  [n, L, E] × [E, E] → [n, L, E]
 */
import { didYouMean } from './check/diagnostics.ts';
import { figure, type Figure } from '../engine/math/derivation.ts';
import type { Layer, Model } from '../engine/model/define.ts';
import { add, mul, sum, variable, type Expr } from '../engine/math/expr.ts';
import { texText } from '../engine/math/latex.ts';

export interface Gemm {
  /** The module's dotted id, with the part of it for attention: `encoder.layer.0.attention.self (query)`. */
  readonly name: string;
  /** True when the right operand is a weight matrix; false for a product of two activations. */
  readonly weight: boolean;
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly out: readonly number[];
  readonly macs: Figure;
}

/** The layers of `model` inside `block` (a dotted prefix such as `encoder.layer.0`). */
export function blockLayers(model: Model, block: string): Layer[] {
  const layers = model.layers.filter((l) => l.id === block || l.id.startsWith(`${block}.`));
  if (layers.length === 0) {
    const prefixes = [...new Set(model.layers.flatMap((l) => l.path.slice(0, -1).map((_, i) => l.path.slice(0, i + 1).join('.'))))];
    // A flat model has no blocks: a block is also a layer's own id.
    const names = prefixes.length > 0 ? prefixes : model.layers.map((l) => l.id);
    throw new Error(`block="${block}": no layer of ${model.name} is inside it${didYouMean(block, names)}; ${prefixes.length > 0 ? 'blocks' : 'layers'}: ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', ...' : ''}`);
  }
  return layers;
}

export function gemmsOf(model: Model, block: string, batch: number): Gemm[] {
  const n = variable('n', batch, 'batch size');
  const out: Gemm[] = [];
  for (const layer of blockLayers(model, block)) {
    const name = texText(layer.id);
    if (layer.type === 'Linear') {
      const inShape = layer.inputShape;
      const k = inShape[inShape.length - 1]!;
      const m = layer.outputShape[layer.outputShape.length - 1]!;
      const rows = inShape.slice(0, -1);
      // n · (rows) · in · out
      const macs = mul(n, ...rows.map((r, i) => variable(i === 0 && rows.length === 1 ? 'L' : `r_${i}`, r, 'rows (tokens)')), variable('c_i', k, 'input features'), variable('c_o', m, 'output features'));
      out.push({ name: layer.id, weight: true, a: [batch, ...inShape], b: [k, m], out: [batch, ...layer.outputShape], macs: figure(`\\text{MACs}_{\\text{${name}}}`, 'multiply-accumulates', 'MACs', macs) });
    } else if (layer.type === 'MultiheadAttention') {
      const [Lv, Ev] = layer.inputShape as [number, number];
      const h = (layer.args as { num_heads: number }).num_heads;
      const dk = Ev / h;
      const L = variable('L', Lv, 'tokens');
      const E = variable('E', Ev, 'embedding size');
      const H = variable('h', h, 'heads');
      const Dk = variable('d_k', dk, 'head size');
      const fig = (part: string, e: Expr) => figure(`\\text{MACs}_{\\text{${part}}}`, 'multiply-accumulates', 'MACs', e);
      for (const part of ['query', 'key', 'value']) {
        out.push({ name: `${layer.id} (${part})`, weight: true, a: [batch, Lv, Ev], b: [Ev, Ev], out: [batch, Lv, Ev], macs: fig(part, mul(n, L, E, E)) });
      }
      out.push({ name: `${layer.id} (scores Q Kᵀ)`, weight: false, a: [batch, h, Lv, dk], b: [batch, h, dk, Lv], out: [batch, h, Lv, Lv], macs: fig('QK^\\top', mul(n, H, L, L, Dk)) });
      out.push({ name: `${layer.id} (weighted values A V)`, weight: false, a: [batch, h, Lv, Lv], b: [batch, h, Lv, dk], out: [batch, h, Lv, dk], macs: fig('AV', mul(n, H, L, L, Dk)) });
      out.push({ name: `${layer.id} (output)`, weight: true, a: [batch, Lv, Ev], b: [Ev, Ev], out: [batch, Lv, Ev], macs: fig('out', mul(n, L, E, E)) });
    }
  }
  if (out.length === 0) throw new Error(`block="${block}": no Linear or attention layer, so no GEMM`);
  return out;
}

/** How many GEMMs the block runs: those with a weight matrix plus those of two activations. */
export function gemmCount(gemms: readonly Gemm[]): Figure {
  const withWeight = gemms.filter((g) => g.weight).length;
  const ofActivations = gemms.length - withWeight;
  return figure(
    'N_{\\text{GEMM}}',
    'GEMMs',
    'count',
    add(
      variable('N_w', withWeight, 'GEMMs with a weight matrix (projections, feed-forward)'),
      variable('N_a', ofActivations, 'GEMMs of two activations (attention scores and weighted values)'),
    ),
  );
}

/** The MACs of all the block's GEMMs. */
export function gemmMacs(gemms: readonly Gemm[]): Figure {
  return figure('\\text{MACs}_{\\text{block}}', 'multiply-accumulates of the block', 'MACs', sum('\\sum_g \\text{MACs}_g', gemms.map((g) => g.macs.expr)));
}
