import type { Layer } from '../../model/define.ts';
import { type Expr, add, div, floor, mul, num, sub } from '../../math/expr.ts';
import { convTranspose, recurrent } from '../tool-quantities.ts';
import { type Term, term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { isConv, torchMha, unseenFunctional, unseenMatmul } from './shared.ts';

const UPSAMPLE_OPS_0031 = { nearest: 0, linear: 5, bilinear: 13 } as const;

/** ∏⌊in/out⌋ of an adaptive pool, as thop 0.0.31's count_adap_avgpool computes its kernel. */
function adaptiveKernel(layer: Layer): Expr {
  const dims = layer.inputShape.length - 1;
  const factors: Expr[] = [];
  for (let d = 1; d <= dims; d++) {
    const inSize = layer.inputShape[d]!;
    const outSize = layer.outputShape[d]!;
    factors.push(inSize % outSize === 0 ? num(inSize / outSize) : floor(div(num(inSize), num(outSize))));
  }
  return factors.length === 1 ? factors[0]! : mul(...factors);
}

/** thop 0.0.31 (2019, thop/count_hooks.py): the version behind the pytorch-OpCounter README table. */
export const thop0031: CounterRules = {
  scale: 1,
  terms(r) {
    if (r.layer.functional) return unseenFunctional(r);
    // add_hooks skips modules with children; out_proj is a leaf but its forward never runs.
    if (torchMha(r)) return [term('nn.MultiheadAttention: not hooked (it has a child, out_proj, whose forward never runs)', -1, r.counts.macs, 'MACs')];
    const rnn = recurrent(r);
    if (rnn) return [term(`${rnn.type}: no hook (thop's RNN hooks came in 2020): not counted`, -1, r.counts.macs, 'MACs')];
    const ct = convTranspose(r);
    if (ct) {
      // count_convNd as for a conv: output elements × (c_in/g · k + 1 with a bias), not input elements × c_out/g · k.
      const asConv = mul(ct.outputs, num((ct.cIn / ct.groups) * ct.kernel));
      const out: Term[] = [];
      if (asConv.value > r.counts.macs.value) out.push(term('ConvTranspose (count_convNd, as a conv): output elements × c_in/g × k, not input elements × c_out/g × k', 1, sub(asConv, r.counts.macs), 'ops'));
      else if (asConv.value < r.counts.macs.value) out.push(term('ConvTranspose (count_convNd, as a conv): output elements × c_in/g × k, not input elements × c_out/g × k', -1, sub(r.counts.macs, asConv), 'MACs'));
      if (ct.bias) out.push(term('Conv bias: 1 per output', 1, ct.outputs, 'outputs'));
      return out;
    }
    const out: Term[] = [];
    for (const w of r.work) {
      if (w.op === 'activation' && r.layer.type === 'LeakyReLU') out.push(term('LeakyReLU (count_relu): 1 per element', 1, w.outputs, 'elements'));
      // count_upsample in 0.0.31: bilinear 13 per output ("6 muls + 7 adds"), linear 5, nearest 0.
      else if (w.op === 'resize' && UPSAMPLE_OPS_0031[w.mode] !== 0) out.push(term(`Upsample ${w.mode} (count_upsample): ${UPSAMPLE_OPS_0031[w.mode]} per output`, UPSAMPLE_OPS_0031[w.mode], w.outputs, 'outputs'));
      if (w.op === 'dot') {
        if (!w.module) out.push(unseenMatmul(w));
        // count_convNd: outputs × (c_i/g · k + 1 with a bias).
        else if (isConv(r.layer)) {
          if (w.bias) out.push(term('Conv bias: 1 per output', 1, w.outputs, 'outputs'));
        }
        // count_linear: outputs × (2n − 1): n multiplies and n − 1 adds, bias or not.
        else out.push(term('Linear: 2n − 1 per output, not n', 1, mul(w.outputs, sub(w.length, num(1))), 'ops'));
      } else if (w.op === 'norm' && r.layer.type.startsWith('BatchNorm')) {
        // count_bn: 4 per input element (subtract, divide, γ, β), affine or not; no rule for LayerNorm.
        out.push(term('BatchNorm: 4 per element', 4, w.outputs, 'elements'));
      } else if (w.op === 'avgpool') {
        const kernel = w.adaptive ? adaptiveKernel(r.layer) : w.window;
        out.push(term('average pooling: ∏k + 1 per output', 1, mul(w.outputs, add(kernel, num(1))), 'ops'));
      }
    }
    return out;
  },
};
