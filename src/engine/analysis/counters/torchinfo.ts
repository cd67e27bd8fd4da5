import type { LayerReport } from '../analyze.ts';
import type { Work } from '../../layers/kind.ts';
import type { Layer } from '../../model/define.ts';
import { type Expr, add, mul, num, sub, variable } from '../../math/expr.ts';
import { elementsExpr } from '../../shape.ts';
import { type Term, onceTerm, term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { normName, torchMha, unseenFunctional, unseenMatmul } from './shared.ts';

/** (weights + biases) × positions − MACs, as a term with the sign it has. */
function positionsTerm(rule: string, r: LayerReport, positions: Expr): Term[] {
  const params = add(r.counts.weights, r.counts.biases);
  const count = mul(params, positions);
  const diff = count.value - r.counts.macs.value;
  if (diff === 0) return [];
  return [diff > 0 ? term(rule, 1, sub(count, r.counts.macs), 'ops') : term(rule, -1, sub(r.counts.macs, count), 'ops')];
}

/** Output positions of a conv: the output's elements per channel. */
const convPositions = (layer: Layer): Expr => elementsExpr(layer.outputShape.slice(1), []);

/**
 * torchinfo (layer_info.py, calculate_macs) sums over the leaf modules that ran: for each
 * parameter named weight or bias, Conv: parameters × output positions (MACs plus a bias per
 * output); Linear (`linear`: since #318, November 2024): parameters × the output's positions
 * (prod of all but the last dimension); any other module: the output's first dimension (the
 * batch) × its parameters; parameters with other names (an RNN's weight_ih_l0): the output's
 * first two dimensions (time steps × batch) × parameters. Modules only: no matmuls or functional
 * calls, and nn.MultiheadAttention is no leaf (out_proj, its child, never runs). HF's position
 * embeddings look up a 1 × L buffer: their output's first dimension is 1, once per batch.
 */
function torchinfoRules(linear: 'positions' | 'batch'): CounterRules {
  return {
    scale: 1,
    terms(r) {
      const layer = r.layer;
      if (layer.functional) return unseenFunctional(r);
      if (torchMha(r)) return [term('nn.MultiheadAttention: no leaf (out_proj is its child and never runs): not counted', -1, r.counts.macs, 'MACs')];
      const out: Term[] = [];
      for (const w of r.work) if (w.op === 'dot' && !w.module) out.push(unseenMatmul(w));
      const type = layer.type;
      const params = add(r.counts.weights, r.counts.biases, r.counts.normParams ?? num(0));
      if (type.startsWith('ConvTranspose')) {
        out.push(...positionsTerm('ConvTranspose: parameters × output positions (not MACs, which follow the input positions)', r, convPositions(layer)));
      } else if (type.startsWith('Conv')) {
        if (r.counts.biases.value !== 0) out.push(term('bias: 1 per output (Conv, Linear)', 1, mul(r.counts.biases, convPositions(layer)), 'outputs'));
      } else if (type === 'MixtureOfExperts') {
        // The router on (L, E) and each expert's Linears on the (t_e, E) rows routed to it: 2-d
        // inputs, so even 1.8.0's batch × parameters reads the rows, and Σ t_e = L k: the MACs.
      } else if (LINEAR_MODULES.has(type)) {
        // BertSelfAttention's query, key, value and dense Linears, a decoder's q, k, v, o, its
        // gate, up and down projections, lm_head: nn.Linear modules on L positions each.
        const dots = r.work.filter((w): w is Extract<Work, { op: 'dot' }> => w.op === 'dot' && w.module);
        if (linear === 'positions') {
          for (const w of dots) if (w.bias) out.push(term('bias: 1 per output (Conv, Linear)', 1, w.outputs, 'outputs'));
        } else {
          if (r.counts.biases.value !== 0) out.push(term('Linear (1.8.0): batch × parameters, so the biases once per sample', 1, r.counts.biases, 'parameters'));
          const positions = layer.inputShape.length > 1 ? elementsExpr(layer.inputShape.slice(0, -1), []) : num(1);
          // A tied lm_head's weight is still its own parameter to its Linear rule.
          const weights = type === 'LMHead' ? mul(variable('E', layer.inputShape[1]!, 'hidden size'), variable('V', layer.outputShape[1]!, 'vocabulary')) : r.counts.weights;
          if (positions.value > 1) out.push(term('Linear (1.8.0): batch × parameters, so the weights once per sample, not per position', -1, mul(sub(positions, num(1)), weights), 'MACs'));
        }
      } else if (type === 'LSTM' || type === 'GRU') {
        // weight_ih_l0, bias_hh_l0, ...: time steps × batch × parameters = the MACs plus the biases at every step.
        if (r.counts.biases.value !== 0) out.push(term(`${type}: its biases once per time step`, 1, mul(num(layer.inputShape[0]!), r.counts.biases), 'parameters'));
      } else if (type === 'ClassToken' || type === 'Elementwise') {
        // ViT's class_token and pos_embedding are parameters of the model, not of a leaf module.
      } else if (params.value !== 0) {
        const positions = type === 'Embedding' && (layer.args as { indices?: string }).indices === 'positions';
        if (positions) out.push(onceTerm('Embedding of positions (1 × L ids): its parameters, once per batch', 1, params, 'parameters'));
        else out.push(term(`${normName(layer)}: its parameters, once per sample`, 1, params, 'parameters'));
      }
      return out;
    },
  };
}

/** The layer kinds made of nn.Linear modules (BertSelfAttention is a MultiheadAttention). */
const LINEAR_MODULES: ReadonlySet<string> = new Set(['Linear', 'MultiheadAttention', 'CausalSelfAttention', 'GatedMLP', 'LMHead']);

/** torchinfo as its main branch counts (Linear per position, since November 2024). */
export const torchinfo = torchinfoRules('positions');
/** torchinfo 1.8.0, the release on PyPI (May 2023): a Linear counted batch × parameters. */
export const torchinfo180 = torchinfoRules('batch');
