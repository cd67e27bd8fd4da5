/**
 * What each tool prints, in its own units and rounding (thop's clever_format, ptflops' GMac,
 * torchinfo's summary lines, ...), made from the exact counts; and a tool's difference from the
 * standard count, broken into terms by rule, each with its derivation.
 */
import type { ModelReport } from './analyze.ts';
import { COUNTER_RULES, counterOncePerBatch, torchMha, type CounterId, type Term } from './counters.ts';
import { mul, num, sub, sum, type Expr } from '../math/expr.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { formatNumber } from '../math/latex.ts';
import { elementCount } from '../shape.ts';
import { decoderAttention } from './tool-quantities.ts';

/** One term of a tool's difference from the standard count, for the whole batch. */
export interface DifferenceTerm {
  readonly rule: string;
  readonly coefficient: number;
  /** The quantity summed over the layers the rule applies to, whole batch. */
  readonly quantity: Figure;
  /** What the quantity counts: `elements`, `outputs`, `MACs`. */
  readonly of: string;
  /** coefficient × quantity. */
  readonly value: number;
  /** `+ BatchNorm: 4 per element: 4 × 11,113,984 = 44,455,936`. */
  readonly text: string;
}

/**
 * The terms of `counter`'s count beyond the standard MACs, summed over the layers by rule; for a
 * tool that counts FLOPs, the first term is the standard MACs once more (FLOPs = 2 × MACs).
 * The terms add up to the tool's count minus the standard count.
 */
export function differenceTerms(counter: CounterId, report: ModelReport): DifferenceTerm[] {
  const rules = COUNTER_RULES[counter];
  const n = report.batch;
  const groups = new Map<string, { rule: string; coefficient: number; of: string; once: boolean; quantities: Expr[] }>();
  const push = (t: Term) => {
    if (t.quantity.value === 0) return;
    const once = t.once === true;
    const key = `${t.rule}\u0000${t.coefficient}\u0000${once}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { rule: t.rule, coefficient: t.coefficient, of: t.of, once, quantities: [] }));
    g.quantities.push(t.quantity);
  };
  if (rules.scale === 2) push({ rule: 'FLOPs = 2 × MACs: the standard MACs once more', coefficient: 1, quantity: sumOf(report.layers.map((r) => r.counts.macs), 'MACs'), of: 'MACs' });
  for (const r of report.layers) for (const t of rules.terms(r)) push(t);
  // MACs the tool counts once whatever the batch (ptflops' hooks, averaged): the standard counts them n times.
  if (rules.onceMacs && n > 1) {
    const once = sumOf(report.layers.map((r) => rules.onceMacs!(r)), 'MACs');
    if (once.value !== 0) push({ rule: 'module hooks averaged over the batch: their MACs once, not n times', coefficient: -rules.scale, quantity: mul(num(n - 1), once), of: 'MACs', once: true });
  }
  // A tool that divides its once-per-batch part by something else than the batch (ptflops' batch counter).
  const batchCounter = rules.batchCounter?.(report);
  if (batchCounter && batchCounter.value !== n) {
    const before: Expr[] = [];
    const after: Expr[] = [];
    for (const r of report.layers) {
      const once = counterOncePerBatch(rules, r);
      if (once) before.push(once);
      const divided = counterOncePerBatch(rules, r, report);
      if (divided) after.push(divided);
    }
    const [hooks, divided] = [sumOf(before, 'ops'), sumOf(after, 'ops')];
    if (divided.value < hooks.value) push({ rule: batchCounter.rule, coefficient: -1, quantity: sub(hooks, divided), of: 'ops', once: true });
    else if (divided.value > hooks.value) push({ rule: batchCounter.rule, coefficient: 1, quantity: sub(divided, hooks), of: 'ops', once: true });
  }
  return [...groups.values()].map((g) => {
    const perSample = sumOf(g.quantities, g.of);
    const whole = n === 1 || g.once ? perSample : mul(num(n), perSample);
    const quantity = figure('\\sum', g.of, 'count', whole);
    const value = g.coefficient * whole.value;
    const sign = g.coefficient < 0 ? '−' : '+';
    const magnitude = Math.abs(g.coefficient);
    const text =
      magnitude === 1
        ? `${sign} ${g.rule}: ${formatNumber(whole.value)} ${g.of}`
        : `${sign} ${g.rule}: ${magnitude} × ${formatNumber(whole.value)} ${g.of} = ${formatNumber(magnitude * whole.value)}`;
    return { rule: g.rule, coefficient: g.coefficient, quantity, of: g.of, value, text };
  });
}

/** Σ over the layers a rule applies to, written `\sum_\ell \text{elements}_\ell`. */
function sumOf(terms: Expr[], of: string): Expr {
  const nonZero = terms.filter((t) => t.value !== 0);
  return nonZero.length === 1 ? nonZero[0]! : sum(`\\sum_\\ell \\text{${of}}_\\ell`, nonZero);
}

// ---- the tools' number formats (Python's, reproduced) ------------------------------------------

/** Python's `'%.{d}f' % x`. */
const fixed = (x: number, digits: number) => x.toFixed(digits);
/** Python's `str(round(x, d))` of a float: the shortest form of the rounded value, `13.0` for a whole one. */
const pyRound = (x: number, digits: number) => {
  const rounded = Number(x.toFixed(digits));
  return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded);
};
/** Python's `f"{round(x, d):g}"`: six significant digits at most, no trailing zeros. */
const pyG = (x: number, digits: number) => String(Number(Number(x.toFixed(digits)).toPrecision(6)));
const withCommas = (x: string) => {
  const [int, frac] = x.split('.');
  return int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac !== undefined ? `.${frac}` : '');
};

/** thop's `clever_format(num, '%.3f')`: T, G, M, K at or above 1000^k, B below. */
export function cleverFormat(x: number, format = 3): string {
  for (const [unit, scale] of [['T', 1e12], ['G', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
    if (Math.abs(x) >= scale) return fixed(x / scale, format) + unit;
  }
  return fixed(x, format) + 'B';
}

/** ptflops' `flops_to_string(x)`: GMac, MMac, KMac at two decimals. */
export function ptflopsMacs(x: number): string {
  if (Math.floor(x / 1e9) > 0) return `${pyRound(x / 1e9, 2)} GMac`;
  if (Math.floor(x / 1e6) > 0) return `${pyRound(x / 1e6, 2)} MMac`;
  if (Math.floor(x / 1e3) > 0) return `${pyRound(x / 1e3, 2)} KMac`;
  return `${x} Mac`;
}

/** ptflops' `params_to_string(x)`: M or k at two decimals. */
export function ptflopsParams(x: number): string {
  if (Math.floor(x / 1e6) > 0) return `${pyRound(x / 1e6, 2)} M`;
  if (Math.floor(x / 1e3) > 0) return `${pyRound(x / 1e3, 2)} k`;
  return String(x);
}

/** calflops' and DeepSpeed's `number_to_string(x)`: T, G, M, K with `round(x, 2):g`. */
export function calflopsNumber(x: number): string {
  for (const [unit, scale] of [['T', 1e12], ['G', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
    if (x >= scale) return `${pyG(x / scale, 2)} ${unit}`;
  }
  return `${pyG(x, 2)} `;
}

/** fvcore's `_format_size(x)`: three decimals without trailing zeros, P, T, G, M, K above 1e14, 1e11, 1e8, 1e5, 1e2. */
export function fvcoreSize(x: number): string {
  const fmt = (v: number) => v.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
  if (Math.abs(x) > 1e14) return fmt(x / 1e15) + 'P';
  if (Math.abs(x) > 1e11) return fmt(x / 1e12) + 'T';
  if (Math.abs(x) > 1e8) return fmt(x / 1e9) + 'G';
  if (Math.abs(x) > 1e5) return fmt(x / 1e6) + 'M';
  if (Math.abs(x) > 1e2) return fmt(x / 1e3) + 'K';
  return fmt(x);
}

/** torchinfo's `format_output_num`: ` (G): 4.09`, ` (MB): 102.23`, with k, M, G, T units (1000s). */
export function torchinfoNumber(x: number, bytes: boolean): string {
  let unit = '';
  let v = x;
  for (const [u, scale] of [['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]] as const) {
    if (x >= scale) {
      unit = u;
      v = x / scale;
      break;
    }
  }
  const text = Number.isInteger(v) ? withCommas(String(v)) : withCommas(v.toFixed(2));
  return `${unit ? ` (${unit}${bytes ? 'B' : ''})` : ''}: ${text}`;
}

/** torchinfo's size lines, in bytes for the whole batch. */
export interface TorchinfoSizes {
  readonly inputBytes: number;
  /** 2 × the output bytes of every module with parameters (the forward pass and its gradients). */
  readonly forwardBackwardBytes: number;
  readonly paramBytes: number;
  readonly totalBytes: number;
}

/**
 * The input torchinfo is given: by default the model's input as one tensor, token ids as int64
 * (`dtypes=[torch.long]`) and anything else float32; a summary given several tensors (BERT's
 * input_ids, attention_mask and token_type_ids) or other dtypes says so here.
 */
export interface TorchinfoInput {
  /** Tensors of the model input's shape passed to summary. */
  readonly tensors: number;
  readonly bytesPerElement: number;
}

/**
 * torchinfo measures an input tensor with sys.getsizeof(tensor.untyped_storage()): its bytes plus
 * the storage object's 56 (tests/test_output/lstm.out: 100 int64 ids are "Input size: 856").
 */
const STORAGE_OBJECT_BYTES = 56;

/** The layer kinds whose leaf modules are nn.Linear ones (BertSelfAttention is a MultiheadAttention). */
const LINEAR_MODULES: ReadonlySet<string> = new Set(['MultiheadAttention', 'CausalSelfAttention', 'GatedMLP', 'MixtureOfExperts']);

/** An lm_head whose weight is the token embedding's (counted once in the model's parameters). */
const tiedHead = (r: ModelReport['layers'][number]) => r.layer.type === 'LMHead' && (r.layer.args as { tied: boolean }).tied;

/**
 * The parameters of tied lm_heads: a tool that adds up each leaf module's parameters (thop 0.0.31,
 * torchinfo 1.8.0) counts the shared matrix twice, at embed_tokens and at lm_head; the main branch
 * of torchinfo takes model.parameters(), which yields a shared tensor once.
 */
export function tiedWeights(report: ModelReport): number {
  return report.layers.reduce((acc, r) => acc + (tiedHead(r) ? r.layer.inputShape[1]! * r.layer.outputShape[1]! : 0), 0);
}

/**
 * The weights of experts no token was sent to: transformers (4.54 on) calls only the experts hit,
 * so a tool that adds up the leaf modules that ran (torchinfo 1.8.0's Params size) leaves them out.
 * L tokens of k experts each hit min(n, L k) of n: exact for one token (top-k picks k distinct
 * experts); for more, which experts are hit depends on the router, and this assumes every one is
 * once L k ≥ n.
 */
export function idleExpertWeights(report: ModelReport): number {
  let idle = 0;
  for (const r of report.layers) {
    if (r.layer.type !== 'MixtureOfExperts') continue;
    const args = r.layer.args as { num_experts: number; top_k: number; intermediate_size: number };
    const hit = Math.min(args.num_experts, r.layer.inputShape[0]! * args.top_k);
    idle += (args.num_experts - hit) * 3 * r.layer.inputShape[1]! * args.intermediate_size;
  }
  return idle;
}

const isPositions = (r: ModelReport['layers'][number]) => r.layer.type === 'Embedding' && (r.layer.args as { indices?: string }).indices === 'positions';

/**
 * torchinfo's sizes: the input's bytes (with each tensor's storage object), twice the output bytes of each leaf module that has
 * parameters and ran (not nn.MultiheadAttention, whose out_proj never runs; a position embedding's
 * 1 × L output once per batch), the parameters' bytes, and their sum. `release`: 1.8.0's sizes, whose
 * parameter bytes are the leaf modules' that ran.
 */
export function torchinfoSizes(report: ModelReport, input?: TorchinfoInput, release = false): TorchinfoSizes {
  const n = report.batch;
  const activationBytes = report.activationBits / 8;
  const ids = report.model.layers[0]?.type === 'Embedding';
  const given = input ?? { tensors: 1, bytesPerElement: ids ? 8 : 4 };
  const inputBytes = given.tensors * (n * elementCount(report.model.input) * given.bytesPerElement + STORAGE_OBJECT_BYTES);
  let perSample = 0;
  let once = 0;
  for (const r of report.layers) {
    // ViT's class_token and pos_embedding are parameters of the model, not of a leaf module; a tied
    // lm_head's weight is its own parameter to torchinfo.
    if (r.layer.functional || (r.params.value === 0 && !tiedHead(r)) || torchMha(r) || r.layer.type === 'ClassToken' || r.layer.type === 'Elementwise') continue;
    if (LINEAR_MODULES.has(r.layer.type)) {
      // BertSelfAttention's query, key, value and dense Linears, a decoder's q, k, v, o, its MLP's
      // or experts' projections and router: each nn.Linear's output.
      perSample += r.work.reduce((acc, w) => acc + (w.op === 'dot' && w.module ? w.outputs.value : 0), 0);
    } else if (isPositions(r)) once += elementCount(r.layer.outputShape);
    else perSample += elementCount(r.layer.outputShape);
  }
  const forwardBackwardBytes = 2 * (n * perSample + once) * activationBytes;
  // The main branch takes the parameters from the root module; 1.8.0 adds up the leaf modules that
  // ran: not nn.MultiheadAttention's (no leaf; out_proj never runs), not ViT's class_token and pos_embedding.
  const paramBytes = release
    ? report.layers.reduce((acc, r) => acc + (r.layer.functional || torchMha(r) || r.layer.type === 'ClassToken' || r.layer.type === 'Elementwise' ? 0 : r.paramBytes.value), 0) +
      ((tiedWeights(report) - idleExpertWeights(report)) * report.paramBits) / 8
    : report.totals.paramBytes.value;
  return { inputBytes, forwardBackwardBytes, paramBytes, totalBytes: inputBytes + forwardBackwardBytes + paramBytes };
}

/** torchinfo 1.8.0's `format_output_num` for mult-adds: T or G at or above 1e12 and 1e9, M below. */
export function torchinfo180Number(x: number): string {
  const [unit, v] = x >= 1e12 ? ['T', x / 1e12] : x >= 1e9 ? ['G', x / 1e9] : ['M', x / 1e6];
  return ` (${unit}): ${Number.isInteger(v) ? withCommas(String(v)) : withCommas(v.toFixed(2))}`;
}

/** thop 0.0.31 sums the parameters of leaf modules only: nn.MultiheadAttention's in_proj is its own. */
function thop0031Params(report: ModelReport): number {
  let params = report.totals.params.value + tiedWeights(report);
  for (const r of report.layers) {
    const mha = torchMha(r);
    if (mha) params -= 3 * r.layer.inputShape[1]! ** 2 + (mha.bias ? 3 * r.layer.inputShape[1]! : 0);
  }
  return params;
}

/**
 * The MACs calflops and DeepSpeed print: only their patched calls report MACs. Not an LSTM's or
 * GRU's (a module hook that reports FLOPs only); a grouped transposed conv's divided by g once more
 * (_conv_trans_flops_compute); for calflops, not nn.MultiheadAttention's torch.bmm (not patched).
 */
export function patchedMacs(report: ModelReport, bmmPatched: boolean): number {
  let macs = report.totals.macs.value;
  for (const r of report.layers) {
    const mha = torchMha(r);
    if (mha && !bmmPatched) macs -= report.batch * mha.matmulMacs.value;
    // A decoder's attention: eager's torch.matmul (patched in both) over the masked pairs too; SDPA
    // patched by DeepSpeed (every pair), not by calflops (no products).
    const attention = decoderAttention(r);
    if (attention) macs += report.batch * (attention.implementation === 'sdpa' && !bmmPatched ? -attention.matmulMacs.value : attention.maskedMacs.value);
    if (r.layer.type === 'LSTM' || r.layer.type === 'GRU') macs -= report.batch * r.counts.macs.value;
    const groups = r.layer.type.startsWith('ConvTranspose') ? (r.layer.args as { groups: number }).groups : 1;
    if (groups > 1) macs -= report.batch * (r.counts.macs.value - r.counts.macs.value / groups);
  }
  return macs;
}

/** What the tool prints for the model, in its own words, units and rounding. */
export function headline(counter: CounterId, compute: number, report: ModelReport, input?: TorchinfoInput): string[] {
  const params = report.totals.params.value;
  const macs = report.totals.macs.value;
  switch (counter) {
    case 'thop':
      return [`clever_format([macs, params], "%.3f"): ${cleverFormat(compute)} MACs, ${cleverFormat(params)} params`];
    case 'thop-0.0.31':
      return [`README table: Params(M) ${fixed(thop0031Params(report) / 1e6, 2)} | MACs(G) ${fixed(compute / 1e9, 2)}`];
    case 'ptflops':
    case 'ptflops-aten':
      return [`Computational complexity: ${ptflopsMacs(compute)}`, `Number of parameters: ${ptflopsParams(params)}`];
    case 'torchprofile':
      return [`profile_macs: ${fixed(compute / 1e9, 4)} GMACs`];
    case 'fvcore':
      return [`FlopCountAnalysis.total(): ${fvcoreSize(compute)}`];
    case 'torchinfo': {
      const s = torchinfoSizes(report, input);
      return [
        `Total params: ${withCommas(String(params))}`,
        `Total mult-adds${torchinfoNumber(compute, false)}`,
        `Input size${torchinfoNumber(s.inputBytes, true)}`,
        `Forward/backward pass size${torchinfoNumber(s.forwardBackwardBytes, true)}`,
        `Params size${torchinfoNumber(s.paramBytes, true)}`,
        `Estimated Total Size${torchinfoNumber(s.totalBytes, true)}`,
      ];
    }
    case 'torchinfo-1.8.0': {
      const s = torchinfoSizes(report, input, true);
      const mb = (bytes: number) => fixed(bytes / 1e6, 2);
      return [
        `Total params: ${withCommas(String(params + tiedWeights(report)))}`,
        `Total mult-adds${torchinfo180Number(compute)}`,
        `Input size (MB): ${mb(s.inputBytes)}`,
        `Forward/backward pass size (MB): ${mb(s.forwardBackwardBytes)}`,
        `Params size (MB): ${mb(s.paramBytes)}`,
        `Estimated Total Size (MB): ${mb(s.totalBytes)}`,
      ];
    }
    case 'calflops':
      return [`FLOPs: ${calflopsNumber(compute)}FLOPS`, `MACs: ${calflopsNumber(patchedMacs(report, false))}MACs`, `Params: ${calflopsNumber(params)}`];
    case 'deepspeed':
      return [`fwd MACs per GPU: ${calflopsNumber(patchedMacs(report, true))}MACs`, `fwd flops per GPU: ${calflopsNumber(compute)}`, `params per GPU: ${calflopsNumber(params)}`];
    case 'torchvision':
      return [`"_ops": ${fixed(compute / 1e9, 3)} (GFLOPS)`, `"num_params": ${params}`];
  }
}
