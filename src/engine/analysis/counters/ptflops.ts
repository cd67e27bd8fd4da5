import type { ActivationFn } from '../../layers/kind.ts';
import { type Expr, add, num } from '../../math/expr.ts';
import { RNN_FLOPS_EXTRA, convTranspose, recurrent } from '../tool-quantities.ts';
import { type Term, dotMacs, onceTerm, term } from './terms.ts';
import type { CounterRules } from './types.ts';
import { type TorchMha, inputElements, normName, patched, torchMha } from './shared.ts';
import { isRmsNorm } from './llm.ts';

/** The functionals ptflops patches (pytorch_ops.py, FUNCTIONAL_MAPPING as patch_functional installs it). */
const PTFLOPS_PATCHED: ReadonlySet<ActivationFn> = new Set(['relu', 'relu6', 'gelu', 'silu', 'elu', 'prelu']);
/** The activation modules with a ptflops hook (MODULES_MAPPING). */
const PTFLOPS_MODULES: ReadonlySet<string> = new Set(['ReLU', 'ReLU6', 'GELU', 'ELU', 'LeakyReLU', 'PReLU']);

/**
 * ptflops, pytorch backend (pytorch_ops.py): module hooks, plus patched functionals and
 * torch.matmul. A module whose forward calls a patched functional (nn.ReLU, the pooling modules)
 * is counted by both. get_flops_pytorch divides the hooks' sum by the batch
 * (compute_average_flops_cost) and then adds the patched calls' whole-batch sum: at batch n the
 * modules count once and the functionals n times (`once` terms and `onceMacs`).
 */
export const ptflops: CounterRules = {
  scale: 1,
  terms(r) {
    const layer = r.layer;
    const mha = !layer.functional && torchMha(r);
    if (mha) return ptflopsMha(mha);
    // rnn_flops_counter_hook: per cell, weight_ih and weight_hh's elements (the MACs), the gates'
    // sums and products (LSTM 10 h, GRU 7 h) and the biases, b_ih and b_hh, 2 per gate output.
    const rnn = !layer.functional && recurrent(r);
    if (rnn) {
      const hook = `${rnn.type} (rnn_flops_counter_hook)`;
      return [
        onceTerm(`${hook}: ${RNN_FLOPS_EXTRA[rnn.type]} per hidden unit (the gates' sums and products)`, RNN_FLOPS_EXTRA[rnn.type], rnn.hiddenUnits, 'hidden units'),
        ...(rnn.bias ? [onceTerm(`${hook}: its biases b_ih and b_hh, 1 each per gate output`, 2, rnn.gateOutputs, 'gate outputs')] : []),
      ];
    }
    // conv_flops_counter_hook(transpose=True): the input positions × c_in × c_out/g × k (the MACs), a bias per output element.
    const ct = convTranspose(r);
    const out: Term[] = [];
    for (const w of r.work) {
      switch (w.op) {
        case 'dot':
          // F.linear and F.conv2d are not patched; torch.matmul is (prod(A) × B's last dim = the MACs).
          if (layer.functional) out.push(term(`${layer.type} called as a function (not patched): not seen`, -1, dotMacs(w), 'MACs'));
          else if (w.module && w.bias) out.push(onceTerm('bias: 1 per output (Conv, Linear)', 1, ct ? ct.outputs : w.outputs, 'outputs'));
          break;
        case 'resize':
          // upsample_flops_counter_hook: the outputs of output[0], the first sample; nn.Upsample's
          // forward calls F.interpolate, which is patched too: input elements × scale^d (the outputs).
          if (!layer.functional) out.push(onceTerm('nn.Upsample module: 1 per output of the first sample', 1, w.outputs, 'outputs'));
          if (layer.functional !== 'bound') out.push(term('F.interpolate (patched): input elements × scale^d, 1 per output', 1, w.outputs, 'outputs'));
          break;
        case 'norm': {
          // bn_flops_counter_hook doubles when `module.affine`: nn.LayerNorm has elementwise_affine instead.
          const perElement = w.affine && layer.type !== 'LayerNorm' ? 2 : 1;
          const why = layer.type === 'LayerNorm' && w.affine ? ' (the hook reads `affine`, which LayerNorm does not have)' : '';
          if (!layer.functional && !isRmsNorm(r)) out.push(onceTerm(`${normName(layer)}: ${perElement} per element${why}`, perElement, w.outputs, 'elements'));
          break;
        }
        case 'activation':
          if (!layer.functional && PTFLOPS_MODULES.has(layer.type)) out.push(onceTerm(`${layer.type} module: 1 per element`, 1, w.outputs, 'elements'));
          if (patched(PTFLOPS_PATCHED, layer, w.fn)) out.push(term(`F.${patched(PTFLOPS_PATCHED, layer, w.fn)} (patched): 1 per element`, 1, w.outputs, 'elements'));
          break;
        case 'maxpool':
        case 'avgpool':
          if (!layer.functional) out.push(onceTerm('pooling module: 1 per input element', 1, inputElements(layer), 'input elements'));
          if (layer.functional !== 'bound') out.push(term('F.*pool* (patched): 1 per input element', 1, inputElements(layer), 'input elements'));
          break;
        case 'softmax':
          // nn.Softmax has no hook; its F.softmax is patched, as is attention's (a decoder's: llm.ts).
          if (layer.type !== 'CausalSelfAttention') out.push(term('F.softmax (patched): 1 per element', 1, w.outputs, 'elements'));
          break;
        case 'add':
          break;
      }
    }
    return out;
  },
  // batch_counter_hook: len(input[0]) of the model's input, its first dimension: the time steps
  // when an nn.LSTM, nn.GRU or nn.MultiheadAttention without batch_first reads it, as (L, n, E).
  batchCounter(report) {
    const first = report.layers[0];
    if (!first || first.layer.functional) return undefined;
    const sequenceFirst = (first.layer.type === 'LSTM' || first.layer.type === 'GRU' || torchMha(first) !== undefined) && !(first.layer.args as { batch_first?: boolean }).batch_first;
    if (!sequenceFirst) return undefined;
    const steps = first.layer.inputShape[0]!;
    return { value: steps, rule: `batch counter: the input's first dimension, L = ${steps} time steps of a sequence-first input, not the batch: the module hooks divided by L` };
  },
  // Module hooks: conv, Linear (BertSelfAttention's four), RNN and nn.MultiheadAttention's own.
  onceMacs(r) {
    if (r.layer.functional) return num(0);
    if (torchMha(r)) return r.counts.macs;
    return r.work.reduce<Expr>((acc, w) => (w.op === 'dot' && w.module ? (acc.value === 0 ? dotMacs(w) : add(acc, dotMacs(w))) : acc), num(0));
  },
};

/**
 * ptflops on nn.MultiheadAttention: multihead_attention_counter_hook counts the projections, the
 * q scaling, the in_proj bias, the out projection "with bias always enabled", both matmuls and a
 * softmax per score; F.multi_head_attention_forward then calls the patched torch.bmm (twice) and
 * F.softmax, which count again (F.linear is not patched). With need_weights=False it calls
 * F.scaled_dot_product_attention instead, which is not patched: the hook's count only.
 */
function ptflopsMha(mha: TorchMha): Term[] {
  const again = mha.needWeights
    ? [
        term('torch.bmm (patched) in F.multi_head_attention_forward: the score and value matmuls again', 1, mha.matmulMacs, 'MACs'),
        term('F.softmax (patched): 1 per element', 1, mha.scores, 'elements'),
      ]
    : [];
  return [
    onceTerm('nn.MultiheadAttention hook: q scaling, 1 per query element', 1, mha.queryElements, 'elements'),
    ...(mha.bias ? [onceTerm('nn.MultiheadAttention hook: in_proj bias, 1 per Q, K, V output', 1, mha.inProjOutputs, 'outputs')] : []),
    onceTerm('nn.MultiheadAttention hook: out projection bias, 1 per output, bias or not', 1, mha.queryElements, 'outputs'),
    onceTerm('nn.MultiheadAttention hook: softmax, 1 per score', 1, mha.scores, 'scores'),
    ...again,
  ];
}
