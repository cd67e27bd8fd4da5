import type { Layer } from '../../model/define.ts';
import { type Expr, add, div, mul, num, sub } from '../../math/expr.ts';
import { recurrent } from '../tool-quantities.ts';
import { type Term, term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { inputElements, normName, torchMha, unseenFunctional, unseenMatmul } from './shared.ts';
import { isCustomNorm } from './llm.ts';

/** thop 2.x (ultralytics-thop, thop/vision/basic_hooks.py): forward hooks on leaf modules. */
export const thop: CounterRules = {
  scale: 1,
  terms(r) {
    if (r.layer.functional) return unseenFunctional(r);
    const mha = torchMha(r);
    // count_multihead_attention: projections and both matmuls (no bias), then calculate_softmax;
    // from the shapes, so the same with need_weights=False (the key's length stands for the weights').
    if (mha) return [term('nn.MultiheadAttention (count_multihead_attention): softmax 3n − 1 per row of n', 1, mul(mha.rows, sub(mul(num(3), mha.L), num(1))), 'ops')];
    // count_lstm, count_gru (rnn_hooks.py): per cell, each gate's dot products plus 1, plus 2 for
    // the biases b_ih and b_hh; then 4 per hidden unit (LSTM: 3h + h; GRU: h + 3h).
    const rnn = recurrent(r);
    if (rnn) {
      const hook = `${rnn.type} (count_${rnn.type.toLowerCase()}_cell)`;
      return [
        term(`${hook}: 1 per gate output${rnn.bias ? ', and 2 for its biases b_ih and b_hh' : ''}`, rnn.bias ? 3 : 1, rnn.gateOutputs, 'gate outputs'),
        term(`${hook}: 4 per hidden unit (the state updates)`, 4, rnn.hiddenUnits, 'hidden units'),
      ];
    }
    const out: Term[] = [];
    for (const w of r.work) {
      if (w.op === 'dot' && !w.module) out.push(unseenMatmul(w));
      // count_normalization: calculate_norm = 2 per input element, doubled when affine.
      else if (w.op === 'norm' && !isCustomNorm(r)) out.push(term(`${normName(r.layer)}: ${w.affine ? 4 : 2} per element`, w.affine ? 4 : 2, w.outputs, 'elements'));
      // count_avgpool, count_adap_avgpool: one add per pooled input, one divide per output.
      else if (w.op === 'avgpool') out.push(term('average pooling: 1 per pooled input + 1 per output', 1, add(w.adaptive ? adaptivePooledInputs(r.layer) : mul(w.outputs, w.window), w.outputs), 'ops'));
      // count_softmax: n exps, n − 1 adds, n divides per row; F.softmax (attention) is not a module.
      else if (w.op === 'softmax' && w.module) out.push(term('Softmax: 3n − 1 per row of n', 1, mul(div(w.outputs, w.length), sub(mul(num(3), w.length), num(1))), 'ops'));
      // count_prelu: 1 per element (nn.LeakyReLU, nn.Hardswish: zero_ops or no rule).
      else if (w.op === 'activation' && w.fn === 'prelu') out.push(term('PReLU (count_prelu): 1 per element', 1, w.outputs, 'elements'));
      // count_upsample: nearest 0, linear 5, bilinear 11 per output; F.interpolate is not a module.
      else if (w.op === 'resize' && UPSAMPLE_OPS[w.mode] !== 0) out.push(term(`Upsample ${w.mode} (count_upsample): ${UPSAMPLE_OPS[w.mode]} per output`, UPSAMPLE_OPS[w.mode], w.outputs, 'outputs'));
    }
    return out;
  },
};

/** thop's count_upsample, per output element by mode. */
export const UPSAMPLE_OPS = { nearest: 0, linear: 5, bilinear: 11 } as const;

/**
 * The inputs an adaptive average pool adds up: output j of a dimension of size I pooled to O
 * spans [⌊j I/O⌋, ⌈(j + 1) I/O⌉), so the windows overlap when O does not divide I; when it does,
 * they are the input elements.
 */
export function adaptivePooledInputs(layer: Layer): Expr {
  const dims = layer.inputShape.length - 1;
  const sizes: number[] = [];
  let divides = true;
  for (let d = 1; d <= dims; d++) {
    const i = layer.inputShape[d]!;
    const o = layer.outputShape[d]!;
    if (i % o !== 0) divides = false;
    let total = 0;
    for (let j = 0; j < o; j++) total += Math.ceil(((j + 1) * i) / o) - Math.floor((j * i) / o);
    sizes.push(total);
  }
  return divides ? inputElements(layer) : mul(num(layer.inputShape[0]!), ...sizes.map((s) => num(s)));
}
