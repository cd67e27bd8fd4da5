import { add, mul } from '../../math/expr.ts';
import { recurrent } from '../tool-quantities.ts';
import { type Term, term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { inputElements, normName, torchMha } from './shared.ts';
import { isRmsNorm } from './llm.ts';

/**
 * fvcore (nn/flop_count.py, jit_handles.py): traced aten ops, one flop per multiply-add. In
 * nn.MultiheadAttention it counts aten::linear and aten::bmm (the standard MACs); aten::mul,
 * softmax and mean have no handle: a warning, then skipped.
 */
export const fvcore: CounterRules = {
  scale: 1,
  terms(r) {
    const out: Term[] = [];
    const mha = torchMha(r);
    // need_weights=False: aten::scaled_dot_product_attention is not in _DEFAULT_SUPPORTED_OPS.
    if (mha && !mha.needWeights) out.push(term('aten::scaled_dot_product_attention: no handle (a warning, then skipped): its score and value matmuls not counted', -1, mha.matmulMacs, 'MACs'));
    const rnn = recurrent(r);
    if (rnn) return [term(`aten::${rnn.type.toLowerCase()}: no handle (a warning, then skipped): not counted`, -1, r.counts.macs, 'MACs')];
    for (const w of r.work) {
      // upsample_nearest2d: 1 per output; upsample_bilinear2d: 4 per output; the 1-d ones have no handle.
      if (w.op === 'resize' && r.layer.inputShape.length === 3) {
        const perOutput = w.mode === 'bilinear' ? 4 : 1;
        out.push(term(`aten::upsample_${w.mode}2d: ${perOutput} per output`, perOutput, w.outputs, 'outputs'));
      }
      if (w.op === 'norm' && !isRmsNorm(r)) {
        // batchnorm_flop_jit in eval: 1 per element, 2 when affine; norm_flop_counter: 4, 5 when affine.
        const perElement = r.layer.type.startsWith('BatchNorm') ? (w.affine ? 2 : 1) : w.affine ? 5 : 4;
        out.push(term(`${normName(r.layer)}: ${perElement} per element`, perElement, w.outputs, 'elements'));
      } else if (w.op === 'avgpool' && r.layer.type === 'AdaptiveAvgPool2d') {
        // elementwise_flop_counter(1, 0): one per input element. avg_pool2d and max pooling have no handle.
        out.push(term('adaptive_avg_pool2d: 1 per input element', 1, inputElements(r.layer), 'input elements'));
      }
    }
    return out;
  },
};
