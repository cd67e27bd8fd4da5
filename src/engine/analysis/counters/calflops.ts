import type { ActivationFn } from '../../layers/kind.ts';
import { num, sub } from '../../math/expr.ts';
import { RNN_FLOPS_EXTRA, convTranspose, recurrent } from '../tool-quantities.ts';
import { type Term, term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { inputElements, isConv, normName, patched, torchMha } from './shared.ts';
import { isRmsNorm } from './llm.ts';

/** The functionals calflops and DeepSpeed patch (pytorch_ops.py / profiler.py, _patch_functionals). */
const CALFLOPS_PATCHED: ReadonlySet<ActivationFn> = new Set(['relu', 'relu6', 'gelu', 'silu', 'elu', 'leaky_relu', 'prelu']);

/**
 * calflops and DeepSpeed's flops profiler (the first is a copy of the second): patched
 * torch.nn.functional and torch.matmul, FLOPs = 2 × MACs plus elementwise work.
 */
function calflopsRules(bmmPatched: boolean): CounterRules {
  return {
    scale: 2,
    terms(r) {
      const layer = r.layer;
      const out: Term[] = [];
      const mha = torchMha(r);
      // F.multi_head_attention_forward's score and value products are torch.bmm calls; with
      // need_weights=False they, and the softmax, are inside F.scaled_dot_product_attention, not patched.
      const sdpa = mha !== undefined && !mha.needWeights;
      if (sdpa && !bmmPatched) out.push(term('F.scaled_dot_product_attention (not patched): its score and value matmuls not seen', -2, mha.matmulMacs, 'MACs'));
      else if (mha && !sdpa && !bmmPatched) out.push(term('torch.bmm (not patched): the score and value matmuls not seen', -2, mha.matmulMacs, 'MACs'));
      // _rnn_forward_hook: per cell, 2n − 1 per gate dot product (ih and hh: 2 fewer per gate output
      // than 2 per MAC), the gates' sums and products (LSTM 10 h, GRU 7 h) and b_ih and b_hh.
      const rnn = recurrent(r);
      if (rnn) {
        const hook = `${rnn.type} (_rnn_forward_hook)`;
        return [
          term(`${hook}: 2n − 1 per dot product of n, for weight_ih and weight_hh`, -2, rnn.gateOutputs, 'gate outputs'),
          term(`${hook}: ${RNN_FLOPS_EXTRA[rnn.type]} per hidden unit (the gates' sums and products)`, RNN_FLOPS_EXTRA[rnn.type], rnn.hiddenUnits, 'hidden units'),
          ...(rnn.bias ? [term(`${hook}: its biases b_ih and b_hh, 1 each per gate output`, 2, rnn.gateOutputs, 'gate outputs')] : []),
        ];
      }
      const ct = convTranspose(r);
      for (const w of r.work) {
        switch (w.op) {
          case 'dot':
            if (ct) {
              // _conv_trans_flops_compute takes out_channels from weight.shape[1], c_out/g already, and
              // divides it by g again; its bias, c_out/g per position of a conv's output size formula.
              if (ct.groups > 1) out.push(term('F.conv_transpose (_conv_trans_flops_compute): c_out/g divided by g once more', -2, sub(r.counts.macs, num(r.counts.macs.value / ct.groups)), 'MACs'));
              if (ct.bias) out.push(term("F.conv_transpose bias: c_out/g per position of a conv's output, (h + 2p − d(k − 1) − 1)/s + 1", 1, num((ct.cOut / ct.groups) * ct.convFormulaPositions), 'outputs'));
            }
            // _conv_flops_compute adds the bias; _linear_flops_compute leaves it out.
            else if (w.bias && isConv(layer)) out.push(term('Conv bias: 1 per output', 1, w.outputs, 'outputs'));
            break;
          case 'resize': {
            // _upsample_flops_compute: with a size, ∏ size; with a scale_factor, input.numel(), which
            // DeepSpeed multiplies by scale_factor^len(input) (len: the batch, 1 here) and calflops
            // does not (`flops * ...`, not `*=`).
            const spatial = layer.outputShape.slice(1).reduce((a, b) => a * b, 1);
            if (!w.scale) out.push(term('F.interpolate with a size: ∏ size', 1, num(spatial), 'output positions'));
            else if (bmmPatched) out.push(term('F.interpolate: input elements × scale_factor^len(input), len(input) the batch (1)', w.scale[0]!, w.inputs, 'input elements'));
            else out.push(term('F.interpolate: input elements (its × scale_factor is never assigned)', 1, w.inputs, 'input elements'));
            break;
          }
          case 'norm': {
            if (isRmsNorm(r)) break;
            // _batch_norm_flops_compute in eval: 1 per element, 2 when affine; layer and group norm: 4, 5 when affine.
            const perElement = layer.type.startsWith('BatchNorm') ? (w.affine ? 2 : 1) : w.affine ? 5 : 4;
            out.push(term(`${normName(layer)}: ${perElement} per element`, perElement, w.outputs, 'elements'));
            break;
          }
          case 'activation':
            // nn.ReLU6 runs F.hardtanh, which is not patched.
            if (patched(CALFLOPS_PATCHED, layer, w.fn)) out.push(term(`F.${patched(CALFLOPS_PATCHED, layer, w.fn)}: 1 per element`, 1, w.outputs, 'elements'));
            break;
          case 'maxpool':
          case 'avgpool':
            out.push(term('pooling: 1 per input element', 1, inputElements(layer), 'input elements'));
            break;
          case 'softmax':
            // A decoder's attention softmax, by its implementation: llm.ts.
            if (!sdpa && layer.type !== 'CausalSelfAttention') out.push(term('softmax: 1 per element', 1, w.outputs, 'elements'));
            break;
          case 'add':
            break;
        }
      }
      return out;
    },
  };
}

/** calflops: its patch of torch.bmm is commented out. */
export const calflops = calflopsRules(false);
/** DeepSpeed's profiler patches torch.bmm. */
export const deepspeed = calflopsRules(true);
