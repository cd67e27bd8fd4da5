/**
 * The counting rules of the tools students run (thop, ptflops, torchprofile, fvcore, torchinfo,
 * calflops, DeepSpeed's profiler, torchvision's weight metadata), read from each tool's source.
 * A tool's count of a layer is `scale` × the layer's standard MACs (its conv, linear and matmul
 * multiply-accumulates, without bias) plus terms, each a coefficient times a quantity of the layer
 * (its outputs, its input elements, ...) under a named rule. Summed over the model by rule, the
 * terms are the difference from the standard count, each with its derivation.
 *
 * Where a rule depends on how the reference implementation calls a layer, the layer says so:
 * `layer.functional` (thop's and torchinfo's module hooks never see a functional call), a `dot`
 * work's `module` (attention's torch.matmul), an activation work's `fn` (the torch.nn.functional
 * that ptflops and calflops patch). A new layer kind is counted by every tool through its `work`.
 *
 * Recurrent layers, transposed convs, Upsample/F.interpolate, PReLU and LeakyReLU follow each tool's
 * hook, patch or handler for them (`recurrent`, `convTranspose`, the `resize` work); ptflops'
 * `batchCounter` is the first dimension of the model's input. Every rule is checked against the
 * tools themselves, run from their sources: test/fixtures/peers (tools/peers/run.py).
 *
 * MultiheadAttention is counted by its `implementation` (layers/attention.ts). `BertSelfAttention`
 * (the zoo's BERT, Hugging Face's eager attention) is four nn.Linear modules, torch.matmul for the
 * scores and values and nn.functional.softmax: the generic rules below count it through its work.
 * `nn.MultiheadAttention` (PyTorch's class, the default) is one module whose forward runs
 * F.multi_head_attention_forward; each tool sees it its own way, and `torchMha` gives each tool's
 * rule for it (the `mha` terms), called as attn(x, x, x) on PyTorch ≥ 2.1. With need_weights=True
 * (PyTorch's default) the functional runs torch.bmm, F.softmax, torch.bmm:
 * - thop 2.1 hooks the module (count_multihead_attention, registered on PyTorch ≥ 2.0, whose
 *   forward hooks take keyword arguments): 4 L E² + 2 L² E + softmax h L (3L − 1);
 *   thop 0.0.31 hooks leaves only, and its child out_proj never runs: nothing;
 * - ptflops' module hook (multihead_attention_counter_hook) adds the q scaling, the in_proj bias,
 *   an out_proj bias whatever `bias` says and the softmax, and its patched torch.bmm and F.softmax
 *   fire again inside the functional: the matmuls and the softmax count twice;
 * - ptflops-aten: aten.addmm (bias included) and aten.bmm; torchprofile: aten::linear, aten::bmm,
 *   plus aten::mul (q scaled) and aten::mean (the weights averaged over the heads); fvcore: linear
 *   and bmm, and aten::mul, softmax and mean have no handle (warned and skipped);
 * - torchinfo: the module is not a leaf (out_proj is its child) and out_proj never runs: nothing;
 * - calflops patches F.linear and F.softmax but not torch.bmm (commented out): no score or value
 *   matmuls; DeepSpeed patches torch.bmm: all of it, plus the softmax.
 * With need_weights=False (torchvision's ViT) it scales nothing itself and calls
 * F.scaled_dot_product_attention(q, k, v) for the scores, softmax and values (no torch.bmm, no
 * F.softmax, no mean), then the output F.linear; each tool's `sdpa` rule:
 * - thop 2.1 and ptflops' hooks count from the shapes, as before (thop reads the key length when no
 *   weights come back); ptflops patches neither F.scaled_dot_product_attention nor anything it
 *   calls, so the bmm and softmax counted again are gone;
 * - ptflops-aten: on CPU (PyTorch ≥ 2.2) SDPA dispatches aten._scaled_dot_product_flash_attention_for_cpu,
 *   which it has no handle for: the score and value matmuls are not counted;
 * - torchprofile (since February 2024) has a handler for aten::scaled_dot_product_attention: the
 *   two matmuls' MACs, and no aten::mul or aten::mean any more; fvcore has none (warned, skipped);
 * - calflops patches neither SDPA nor anything inside it: its matmuls and softmax unseen; DeepSpeed
 *   patches F.scaled_dot_product_attention itself on PyTorch ≥ 2.0: its two matmuls, no softmax;
 * - torchinfo and thop 0.0.31 count nothing of the module either way.
 */
import type { LayerReport, ModelReport } from './analyze.ts';
import type { ActivationFn, Work } from '../layers/kind.ts';
import type { Layer } from '../model/define.ts';
import { add, div, floor, mul, num, sub, variable, type Expr } from '../math/expr.ts';
import { elementsExpr } from '../shape.ts';
import { convTranspose, recurrent, RNN_FLOPS_EXTRA } from './tool-quantities.ts';
import { dotMacs, onceTerm, term, type Term } from './terms.ts';
import { decoderTerms, isCustomNorm } from './counters-llm.ts';

export type { Term } from './terms.ts';

export const COUNTER_IDS = ['thop', 'thop-0.0.31', 'ptflops', 'ptflops-aten', 'torchprofile', 'fvcore', 'torchinfo', 'torchinfo-1.8.0', 'calflops', 'deepspeed', 'torchvision'] as const;
export type CounterId = (typeof COUNTER_IDS)[number];

export interface CounterRules {
  /** Units of the tool's count per standard MAC: 2 for tools that count FLOPs. */
  readonly scale: 1 | 2;
  terms(r: LayerReport): Term[];
  /**
   * The part of a layer's standard MACs the tool counts once whatever the batch (ptflops' module
   * hooks, averaged over the batch); the rest of the MACs it counts for every sample.
   */
  onceMacs?(r: LayerReport): Expr;
  /**
   * What the tool divides its once-per-batch count by, when that is not the batch: ptflops' batch
   * counter reads the first dimension of the model's input, the time steps of a sequence-first one.
   */
  batchCounter?(report: ModelReport): BatchCounter | undefined;
}

/** A divisor a tool takes for the batch: its value, and the rule that says why. */
export interface BatchCounter {
  readonly value: number;
  readonly rule: string;
}


/** PyTorch's nn.MultiheadAttention as self-attention on (L, E) with h heads: the quantities the tools count. */
interface TorchMha {
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

const isConv = (layer: Layer) => layer.type.startsWith('Conv');
const normName = (layer: Layer) => (layer.type.startsWith('BatchNorm') ? 'BatchNorm' : layer.type);
/** Elements of the layer's (first) input, as the pooling rules count them. */
const inputElements = (layer: Layer): Expr => elementsExpr(layer.inputShape, []);

/** A functional call's dot products, which module hooks never see. */
function unseenFunctional(r: LayerReport, scale = 1): Term[] {
  return r.work.flatMap((w) => (w.op === 'dot' ? [term(`${r.layer.type} called as a function: not seen`, -scale, dotMacs(w), 'MACs')] : []));
}

const unseenMatmul = (w: Extract<Work, { op: 'dot' }>, scale = 1) => term('matmuls outside modules (torch.matmul in attention): not seen', -scale, dotMacs(w), 'MACs');

/** thop 2.x (ultralytics-thop, thop/vision/basic_hooks.py): forward hooks on leaf modules. */
const thop: CounterRules = {
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
const UPSAMPLE_OPS = { nearest: 0, linear: 5, bilinear: 11 } as const;
const UPSAMPLE_OPS_0031 = { nearest: 0, linear: 5, bilinear: 13 } as const;

/**
 * The inputs an adaptive average pool adds up: output j of a dimension of size I pooled to O
 * spans [⌊j I/O⌋, ⌈(j + 1) I/O⌉), so the windows overlap when O does not divide I; when it does,
 * they are the input elements.
 */
function adaptivePooledInputs(layer: Layer): Expr {
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
const thop0031: CounterRules = {
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

/** The functionals ptflops patches (pytorch_ops.py, FUNCTIONAL_MAPPING as patch_functional installs it). */
const PTFLOPS_PATCHED: ReadonlySet<ActivationFn> = new Set(['relu', 'relu6', 'gelu', 'silu', 'elu', 'prelu']);
/** The activation modules with a ptflops hook (MODULES_MAPPING). */
const PTFLOPS_MODULES: ReadonlySet<string> = new Set(['ReLU', 'ReLU6', 'GELU', 'ELU', 'LeakyReLU', 'PReLU']);
/** A functional call of nn.ReLU6 is F.relu6, not the hardtanh its module runs. */
const calledFn = (layer: Layer, fn: ActivationFn): ActivationFn | undefined =>
  layer.functional === 'bound' ? undefined : layer.functional && fn === 'hardtanh' ? 'relu6' : fn;
const patched = (set: ReadonlySet<ActivationFn>, layer: Layer, fn: ActivationFn): ActivationFn | undefined => {
  const called = calledFn(layer, fn);
  return called !== undefined && set.has(called) ? called : undefined;
};

/**
 * ptflops, pytorch backend (pytorch_ops.py): module hooks, plus patched functionals and
 * torch.matmul. A module whose forward calls a patched functional (nn.ReLU, the pooling modules)
 * is counted by both. get_flops_pytorch divides the hooks' sum by the batch
 * (compute_average_flops_cost) and then adds the patched calls' whole-batch sum: at batch n the
 * modules count once and the functionals n times (`once` terms and `onceMacs`).
 */
const ptflops: CounterRules = {
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
          if (!layer.functional && !isCustomNorm(r)) out.push(onceTerm(`${normName(layer)}: ${perElement} per element${why}`, perElement, w.outputs, 'elements'));
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
          // nn.Softmax has no hook; its F.softmax is patched, as is attention's (a decoder's: counters-llm.ts).
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

/**
 * ptflops, aten backend (aten_ops.py): aten.convolution, mm, matmul, addmm, bmm; bias adds counted.
 * A Linear with a bias on a 2-D or contiguous 3-D input is one aten.addmm, bias included (as
 * nn.MultiheadAttention's in_proj on ptflops' one-sample input and its out_proj); its softmax,
 * scaling and mean are not counted. With need_weights=False, F.scaled_dot_product_attention on
 * CPU (PyTorch ≥ 2.2) is one aten._scaled_dot_product_flash_attention_for_cpu, which has no handle.
 */
const ptflopsAten: CounterRules = {
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

/** torchprofile (handlers.py): traced aten ops; MACs of conv, linear, matmul; norms and average pools. */
const torchprofile: CounterRules = {
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
      if (w.op === 'norm' && w.affine && !isCustomNorm(r)) out.push(term(`${normName(r.layer)} (affine): 1 per element`, 1, w.outputs, 'elements'));
      else if (w.op === 'avgpool') out.push(term('average pooling: 1 per output', 1, w.outputs, 'outputs'));
      // _leaky_relu: 1 per output; _upsample_bilinear2d: 4 per output (nearest and linear: none).
      else if (w.op === 'activation' && w.fn === 'leaky_relu') out.push(term('aten::leaky_relu: 1 per output', 1, w.outputs, 'outputs'));
      else if (w.op === 'resize' && w.mode === 'bilinear') out.push(term('aten::upsample_bilinear2d: 4 per output', 4, w.outputs, 'outputs'));
    }
    return out;
  },
};

/**
 * fvcore (nn/flop_count.py, jit_handles.py): traced aten ops, one flop per multiply-add. In
 * nn.MultiheadAttention it counts aten::linear and aten::bmm (the standard MACs); aten::mul,
 * softmax and mean have no handle: a warning, then skipped.
 */
const fvcore: CounterRules = {
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
      if (w.op === 'norm' && !isCustomNorm(r)) {
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
const torchinfo = torchinfoRules('positions');
/** torchinfo 1.8.0, the release on PyPI (May 2023): a Linear counted batch × parameters. */
const torchinfo180 = torchinfoRules('batch');

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
            if (isCustomNorm(r)) break;
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
            // A decoder's attention softmax, by its implementation: counters-llm.ts.
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
const calflops = calflopsRules(false);
/** DeepSpeed's profiler patches torch.bmm. */
const deepspeed = calflopsRules(true);

/** torchvision's `_ops` ("GFLOPS"): conv and linear MACs, nothing else. */
const torchvision: CounterRules = { scale: 1, terms: () => [] };

/** A tool's rules with its terms for a decoder's layer kinds (counters-llm.ts) added. */
const withDecoder = (id: CounterId, rules: CounterRules): CounterRules => ({ ...rules, terms: (r) => [...rules.terms(r), ...decoderTerms(id, r)] });

export const COUNTER_RULES: { readonly [K in CounterId]: CounterRules } = {
  thop: withDecoder('thop', thop),
  'thop-0.0.31': withDecoder('thop-0.0.31', thop0031),
  ptflops: withDecoder('ptflops', ptflops),
  'ptflops-aten': withDecoder('ptflops-aten', ptflopsAten),
  torchprofile: withDecoder('torchprofile', torchprofile),
  fvcore: withDecoder('fvcore', fvcore),
  torchinfo: withDecoder('torchinfo', torchinfo),
  'torchinfo-1.8.0': withDecoder('torchinfo-1.8.0', torchinfo180),
  calflops: withDecoder('calflops', calflops),
  deepspeed: withDecoder('deepspeed', deepspeed),
  torchvision,
};

/** A layer's count under a tool: scale × MACs + its terms, per sample (terms counted once per batch apart). */
export function counterCompute(rules: CounterRules, r: LayerReport): Expr {
  const once = rules.onceMacs?.(r);
  const macs = once && once.value !== 0 ? (once.value === r.counts.macs.value ? num(0) : sub(r.counts.macs, once)) : r.counts.macs;
  return withTerms(rules.scale === 1 ? macs : mul(num(2), macs), rules.terms(r).filter((t) => !t.once));
}

/**
 * The part of a layer's count under a tool that is not multiplied by the batch, or undefined. Given
 * the model's report, a tool's `batchCounter` applies: n × the part / the tool's divisor.
 */
export function counterOncePerBatch(rules: CounterRules, r: LayerReport, report?: ModelReport): Expr | undefined {
  const macs = rules.onceMacs?.(r);
  const once = rules.terms(r).filter((t) => t.once && t.quantity.value !== 0);
  if (once.length === 0 && !(macs && macs.value !== 0)) return undefined;
  const part = withTerms(macs && macs.value !== 0 ? (rules.scale === 1 ? macs : mul(num(2), macs)) : num(0), once);
  const counter = report && rules.batchCounter?.(report);
  if (!counter || counter.value === report.batch) return part;
  const divided = div(report.batch === 1 ? part : mul(variable('n', report.batch, 'batch size'), part), variable('B', counter.value, "the tool's batch counter"));
  // The tool truncates its total to an integer (int(flops_count)).
  return Number.isInteger(divided.value) ? divided : floor(divided);
}

function withTerms(start: Expr, terms: readonly Term[]): Expr {
  let e = start;
  const nonZero = terms.filter((t) => t.quantity.value !== 0);
  for (const t of nonZero) {
    const part = t.coefficient === 1 || t.coefficient === -1 ? t.quantity : mul(num(Math.abs(t.coefficient)), t.quantity);
    e = e.value === 0 && t.coefficient > 0 ? part : t.coefficient > 0 ? add(e, part) : sub(e, part);
  }
  return e;
}
