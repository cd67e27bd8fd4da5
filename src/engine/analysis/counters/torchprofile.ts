import { div, mul, num, sub } from '../../math/expr.ts';
import { convTranspose, recurrent } from '../tool-quantities.ts';
import { type Term, term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { normName, torchMha } from './shared.ts';
import { isRmsNorm } from './llm.ts';

/** torchprofile (handlers.py): traced aten ops; MACs of conv, linear, matmul; norms and average pools. */
export const torchprofile: CounterRules = {
  scale: 1,
  terms(r) {
    const mha = torchMha(r);
    // F.multi_head_attention_forward (PyTorch ≥ 2.1): aten::linear and aten::bmm (MACs),
    // q * math.sqrt(1 / E) (aten::mul; 2.0 divided, aten::div, not counted), softmax (no MACs),
    // attn_output_weights.mean(dim=1) (aten::mean; 1.x summed and divided, not counted).
    // need_weights=False: aten::linear and aten::scaled_dot_product_attention (its handler: the
    // two matmuls, b h L_q L_kv (d + d_v)), and nothing else: no terms.
    if (mha && !mha.needWeights) return [];
    if (mha) {
      return [
        term('aten::mul (q scaled in F.multi_head_attention_forward): 1 per element', 1, mha.queryElements, 'elements'),
        term('aten::mean (attention weights averaged over the heads): 1 per output', 1, mha.averagedWeights, 'outputs'),
      ];
    }
    // aten::lstm has a handler (the standard MACs); aten::gru has none: a warning, then skipped.
    const rnn = recurrent(r);
    if (rnn) return rnn.type === 'GRU' ? [term('aten::gru: no handler (a warning, then skipped): not counted', -1, r.counts.macs, 'MACs')] : [];
    // _convolution reads c_in from the weight (c_in × c_out/g × k) unless c_out = c_in, where it
    // reads c_out/g as for a conv: output elements × that × k, not the input positions' MACs.
    const ct = convTranspose(r);
    if (ct) {
      const asConv = mul(ct.outputs, num((ct.cOut === ct.cIn ? ct.cOut / ct.groups : ct.cIn) * ct.kernel));
      const rule = `aten::_convolution (transposed): output elements × ${ct.cOut === ct.cIn ? 'c_out/g' : 'c_in'} × k, not input positions × c_in × c_out/g × k`;
      if (asConv.value === r.counts.macs.value) return [];
      return asConv.value > r.counts.macs.value ? [term(rule, 1, sub(asConv, r.counts.macs), 'MACs')] : [term(rule, -1, sub(r.counts.macs, asConv), 'MACs')];
    }
    // _mul: output elements of a tensor product (squeeze-and-excitation's s * x).
    if (r.layer.type === 'Mul') return r.work.flatMap((w) => (w.op === 'add' ? [term('aten::mul (s * x): 1 per output', 1, w.outputs, 'outputs')] : []));
    const out: Term[] = [];
    for (const w of r.work) {
      // _norm: output elements when affine; _avg_pool_or_mean: output elements.
      if (w.op === 'norm' && w.affine && !isRmsNorm(r)) out.push(term(`${normName(r.layer)} (affine): 1 per element`, 1, w.outputs, 'elements'));
      else if (w.op === 'avgpool') out.push(term('average pooling: 1 per output', 1, w.outputs, 'outputs'));
      // _leaky_relu: 1 per output; _upsample_bilinear2d: 4 per output (nearest and linear: none).
      else if (w.op === 'activation' && w.fn === 'leaky_relu') out.push(term('aten::leaky_relu: 1 per output', 1, w.outputs, 'outputs'));
      else if (w.op === 'resize' && w.mode === 'bilinear') out.push(term('aten::upsample_bilinear2d: 4 per output', 4, w.outputs, 'outputs'));
    }
    return out;
  },
};
