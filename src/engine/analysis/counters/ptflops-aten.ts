import { convTranspose, recurrent } from '../tool-quantities.ts';
import { term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { torchMha } from './shared.ts';

/**
 * ptflops, aten backend (aten_ops.py): aten.convolution, mm, matmul, addmm, bmm; bias adds counted.
 * A Linear with a bias on a 2-D or contiguous 3-D input is one aten.addmm, bias included (as
 * nn.MultiheadAttention's in_proj on ptflops' one-sample input and its out_proj); its softmax,
 * scaling and mean are not counted. With need_weights=False, F.scaled_dot_product_attention on
 * CPU (PyTorch ≥ 2.2) is one aten._scaled_dot_product_flash_attention_for_cpu, which has no handle.
 */
export const ptflopsAten: CounterRules = {
  scale: 1,
  terms(r) {
    const rnn = recurrent(r);
    // An LSTM's or GRU's cells run aten.addmm twice a step, with b_ih and with b_hh.
    if (rnn) return rnn.bias ? [term(`${rnn.type}: aten.addmm with b_ih and with b_hh, 1 each per gate output`, 2, rnn.gateOutputs, 'gate outputs')] : [];
    const ct = convTranspose(r);
    const out = r.work.flatMap((w) => (w.op === 'dot' && w.bias ? [term('bias: 1 per output (aten.convolution, aten.addmm)', 1, ct ? ct.outputs : w.outputs, 'outputs')] : []));
    const mha = torchMha(r);
    if (mha && !mha.needWeights) out.push(term('aten._scaled_dot_product_flash_attention_for_cpu (F.scaled_dot_product_attention): no handle, its score and value matmuls not counted', -1, mha.matmulMacs, 'MACs'));
    return out;
  },
};
