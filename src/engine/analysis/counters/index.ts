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
 * One file per tool (thop.ts, thop-0.0.31.ts, ptflops.ts, ptflops-aten.ts, torchprofile.ts,
 * fvcore.ts, torchinfo.ts, calflops.ts for calflops and DeepSpeed), what several read (shared.ts),
 * and the decoder-only language models' kinds under every tool (llm.ts).
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
import type { LayerReport, ModelReport } from '../analyze.ts';
import { add, div, floor, mul, num, sub, variable, type Expr } from '../../math/expr.ts';
import type { Term } from './terms.ts';
import type { CounterId, CounterRules } from './types.ts';
import { decoderTerms } from './llm.ts';
import { thop } from './thop.ts';
import { thop0031 } from './thop-0.0.31.ts';
import { ptflops } from './ptflops.ts';
import { ptflopsAten } from './ptflops-aten.ts';
import { torchprofile } from './torchprofile.ts';
import { fvcore } from './fvcore.ts';
import { torchinfo, torchinfo180 } from './torchinfo.ts';
import { calflops, deepspeed } from './calflops.ts';

export { COUNTER_IDS, type BatchCounter, type CounterId, type CounterRules } from './types.ts';
export type { Term } from './terms.ts';
export { torchMha } from './shared.ts';

/** torchvision's `_ops` ("GFLOPS"): conv and linear MACs, nothing else. */
const torchvision: CounterRules = { scale: 1, terms: () => [] };

/** A tool's rules with its terms for a decoder's layer kinds (llm.ts) added. */
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
