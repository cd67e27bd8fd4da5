/**
 * A report's totals and training memory, each built when first read (see `cannotFail`), and the
 * live activations at each step for the whole batch.
 */
import { add, div, maxOver, mul, mul2, num, ref, sum, variable, type Expr } from '../math/expr.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Model } from '../model/define.ts';
import { type Conventions } from './conventions.ts';
import type { AnalyzeOptions, ModelTotals, Optimizer, TrainingMemory } from './analyze.ts';
import { nonZero, type SampleTerms, type Structure } from './compiled.ts';
import { batched, BitsOf, perBatch, type LayerAnalysis, type ReportShared } from './layer-analysis.ts';
import type { LiveSteps } from './walks.ts';

/** Every total's name, in the order reports list them. */
export const TOTAL_NAMES = [
  'weights', 'biases', 'normParams', 'buffers', 'params', 'paramBytes', 'macs', 'flops', 'ops', 'activations', 'inputActivations',
  'activationsWithoutInput', 'activationsWithInput', 'peakActivations', 'sramBytes', 'peakLiveActivations', 'peakLiveBytes',
] as const satisfies readonly (keyof ModelTotals)[];

/**
 * Every total of a report, by name. Not `Object.entries`: the totals built when first read
 * (the peak of the live tensors) are getters of the class, not the object's own properties.
 */
export function totalEntries(totals: ModelTotals): [keyof ModelTotals, Figure][] {
  return TOTAL_NAMES.map((name) => [name, totals[name]]);
}

const OPTIMIZER_STATES: Record<Optimizer, number> = { sgd: 0, 'sgd-momentum': 1, adam: 2 };

const PARAMS_SUM = '\\sum_{\\ell} |P_\\ell|';
const MACS_SUM = '\\sum_{\\ell} \\text{MACs}_\\ell';
const OPS_SUM = '\\sum_{\\ell} \\text{ops}_\\ell';
const ACTIVATIONS_SUM = '\\sum_{\\ell} a_\\ell';

/** The live activations at each step for the whole batch (the per-sample ones at batch 1). */
export class BatchLive {
  readonly #steps: LiveSteps;
  readonly batch: number;
  #exprs: Expr[] | undefined = undefined;
  #values: readonly number[] | undefined = undefined;

  constructor(steps: LiveSteps, batch: number) {
    this.#steps = steps;
    this.batch = batch;
  }

  get exprs(): Expr[] {
    return (this.#exprs ??= this.batch === 1 ? this.#steps.exprs : this.#steps.exprs.map((e) => perBatch(this.batch, e)));
  }

  get values(): readonly number[] {
    return (this.#values ??= this.batch === 1 ? this.#steps.values : this.exprs.map((e) => e.value));
  }
}

/**
 * Whether no total or training figure of a report can leave exact integers: every one is at most
 * (batch) × (the model's magnitude) × (the largest bytes per value) × (FLOPs per MAC) × 4 (the
 * training memory: weights, gradients, two optimizer states, activations), and a margin of 2 more.
 */
export function cannotFail(
  structure: Structure,
  batch: number,
  conventions: Conventions,
  paramBits: number,
  biasBits: number,
  activationBits: number,
  layerPrecision: AnalyzeOptions['layerPrecision'],
): boolean {
  let bits = Math.max(8, paramBits, biasBits, activationBits);
  if (layerPrecision) for (const p of Object.values(layerPrecision)) bits = Math.max(bits, p.weightBits ?? 0, p.biasBits ?? 0);
  const bound = batch * structure.magnitude * (bits / 8) * Math.max(1, conventions.flopsPerMac) * 8;
  return bound <= Number.MAX_SAFE_INTEGER;
}

/** What the totals of one report are built from. */
interface TotalsSource {
  readonly model: Model;
  readonly structure: Structure;
  readonly layers: readonly LayerAnalysis[];
  readonly shared: ReportShared;
  readonly paramBits: number;
  readonly options: AnalyzeOptions;
  readonly live: BatchLive;
}

/**
 * The totals of a report. Each is built on first read and kept; `buildAll` builds them all in the
 * order they were always built, which `analyze` does unless no figure can fail (`cannotFail`), so
 * that an error is raised by `analyze` and names the figure that fails first.
 */
export class Totals implements ModelTotals {
  readonly #s: TotalsSource;
  /** At batch 1 a layer's figures are its per-sample counts: the terms are the model's, made once. */
  readonly #terms: SampleTerms | undefined;
  // Expressions, built once each.
  #weightsE: Expr | undefined = undefined;
  #biasesE: Expr | undefined = undefined;
  #normParamsE: Expr | undefined = undefined;
  #buffersE: Expr | undefined = undefined;
  #paramsE: Expr | undefined = undefined;
  #macsE: Expr | undefined = undefined;
  #opsE: Expr | undefined = undefined;
  #inputActivationsE: Expr | undefined = undefined;
  #layerActivationsE: Expr | undefined = undefined;
  #withInputE: Expr | undefined = undefined;
  #paramBytesE: Expr | undefined = undefined;
  #peakE: Expr | undefined = undefined;
  // Figures, made once each around the expressions.
  #weights: Figure | undefined = undefined;
  #biases: Figure | undefined = undefined;
  #normParams: Figure | undefined = undefined;
  #buffers: Figure | undefined = undefined;
  #params: Figure | undefined = undefined;
  #paramBytes: Figure | undefined = undefined;
  #macs: Figure | undefined = undefined;
  #flops: Figure | undefined = undefined;
  #ops: Figure | undefined = undefined;
  #activations: Figure | undefined = undefined;
  #inputActivations: Figure | undefined = undefined;
  #activationsWithoutInput: Figure | undefined = undefined;
  #activationsWithInput: Figure | undefined = undefined;
  #peakActivations: Figure | undefined = undefined;
  #sramBytes: Figure | undefined = undefined;
  #peakLiveActivations: Figure | undefined = undefined;
  #peakLiveBytes: Figure | undefined = undefined;

  constructor(source: TotalsSource) {
    this.#s = source;
    this.#terms = source.shared.batch === 1 ? source.structure.terms : undefined;
  }

  /** Every expression, then every figure, in the order they were always built. */
  buildAll(): void {
    this.#weightsExpr();
    this.#biasesExpr();
    this.#normParamsExpr();
    this.#buffersExpr();
    this.#paramsExpr();
    this.#macsExpr();
    this.#opsExpr();
    this.#inputActivationsExpr();
    this.#layerActivationsExpr();
    this.#withInputExpr();
    this.#paramBytesExpr();
    this.#peakExpr();
    for (const name of TOTAL_NAMES) if (name !== 'peakLiveActivations' && name !== 'peakLiveBytes') void this[name];
  }

  /** A sum over the layers' figures at this batch (at batch 1 the compiled terms say the same). */
  #total(symbol: string, pick: (r: LayerAnalysis) => Expr): Expr {
    return sum(symbol, nonZero(this.#s.layers, pick));
  }

  #weightsExpr(): Expr {
    return (this.#weightsE ??= sum('\\sum_{\\ell} |W_\\ell|', this.#s.structure.weights));
  }

  #biasesExpr(): Expr {
    return (this.#biasesE ??= sum('\\sum_{\\ell} |B_\\ell|', this.#s.structure.biases));
  }

  #normParamsExpr(): Expr {
    return (this.#normParamsE ??= sum('\\sum_{\\ell} |\\gamma\\beta_\\ell|', this.#s.structure.normParams));
  }

  #buffersExpr(): Expr {
    return (this.#buffersE ??= sum('\\sum_{\\ell} |R_\\ell|', this.#s.structure.buffers));
  }

  #paramsExpr(): Expr {
    if (this.#paramsE) return this.#paramsE;
    const terms = this.#terms;
    return (this.#paramsE = terms ? sum(PARAMS_SUM, terms.params(this.#s.shared.conventions)) : this.#total(PARAMS_SUM, (r) => r.paramsExpr()));
  }

  #macsExpr(): Expr {
    if (this.#macsE) return this.#macsE;
    const terms = this.#terms;
    return (this.#macsE = terms ? sum(MACS_SUM, terms.macs()) : this.#total(MACS_SUM, (r) => r.macsExpr()));
  }

  #opsExpr(): Expr {
    if (this.#opsE) return this.#opsE;
    const terms = this.#terms;
    return (this.#opsE = terms ? sum(OPS_SUM, terms.ops(this.#s.shared.conventions)) : this.#total(OPS_SUM, (r) => r.opsExpr()));
  }

  #inputActivationsExpr(): Expr {
    return (this.#inputActivationsE ??= perBatch(this.#s.shared.batch, this.#s.structure.inputElements));
  }

  #layerActivationsExpr(): Expr {
    if (this.#layerActivationsE) return this.#layerActivationsE;
    const terms = this.#terms;
    return (this.#layerActivationsE = terms ? sum(ACTIVATIONS_SUM, terms.activations()) : this.#total(ACTIVATIONS_SUM, (r) => r.activationsExpr()));
  }

  #withInputExpr(): Expr {
    return (this.#withInputE ??= add(ref('a_0', this.#inputActivationsExpr()), ref('\\sum_\\ell a_\\ell', this.#layerActivationsExpr())));
  }

  #paramBytesExpr(): Expr {
    if (this.#paramBytesE) return this.#paramBytesE;
    const { options, paramBits, shared } = this.#s;
    const uniformPrecision = options.layerPrecision === undefined && (options.biasBits ?? paramBits) === paramBits;
    return (this.#paramBytesE = uniformPrecision
      ? mul2(ref('|P|', this.#paramsExpr()), shared.bytesPer(paramBits, BitsOf.Parameter))
      : this.#total('\\sum_{\\ell} M_\\ell', (r) => r.paramBytesExpr()));
  }

  #peakExpr(): Expr {
    if (this.#peakE) return this.#peakE;
    const batch = this.#s.shared.batch;
    const pairs = batched(batch, this.#s.structure.pairs);
    return (this.#peakE = pairs.length > 0
      ? maxOver(`\\max_\\ell \\left(a_{\\ell-1} + a_\\ell\\right)${batch === 1 ? '' : ' \\cdot n'}`, pairs)
      : this.#inputActivationsExpr());
  }

  get weights(): Figure {
    return (this.#weights ??= figure('|W|', 'weights', 'count', this.#weightsExpr()));
  }

  get biases(): Figure {
    return (this.#biases ??= figure('|B|', 'biases', 'count', this.#biasesExpr()));
  }

  get normParams(): Figure {
    return (this.#normParams ??= figure('|\\gamma\\beta|', 'norm scales and shifts', 'count', this.#normParamsExpr()));
  }

  get buffers(): Figure {
    return (this.#buffers ??= figure('|R|', 'buffers (running statistics)', 'count', this.#buffersExpr()));
  }

  get params(): Figure {
    return (this.#params ??= figure('|P|', 'parameters', 'count', this.#paramsExpr()));
  }

  get paramBytes(): Figure {
    return (this.#paramBytes ??= figure('M', 'parameter storage', 'B', this.#paramBytesExpr()));
  }

  get macs(): Figure {
    return (this.#macs ??= figure('\\text{MACs}', 'multiply-accumulates', 'MACs', this.#macsExpr()));
  }

  get flops(): Figure {
    return (this.#flops ??= figure('\\text{FLOPs}', 'floating-point operations', 'FLOPs', mul(this.#s.shared.flopsPerMac, this.#macsExpr())));
  }

  get ops(): Figure {
    return (this.#ops ??= figure('\\text{ops}', 'operations', 'ops', this.#opsExpr()));
  }

  get activations(): Figure {
    const e = this.#s.shared.conventions.inputInActivations ? this.#withInputExpr() : this.#layerActivationsExpr();
    return (this.#activations ??= figure('A', 'activations', 'count', e));
  }

  get inputActivations(): Figure {
    return (this.#inputActivations ??= figure('a_0', 'input activations', 'count', this.#inputActivationsExpr()));
  }

  get activationsWithoutInput(): Figure {
    return (this.#activationsWithoutInput ??= figure('A', 'activations without the input', 'count', this.#layerActivationsExpr()));
  }

  get activationsWithInput(): Figure {
    return (this.#activationsWithInput ??= figure('A', 'activations with the input', 'count', this.#withInputExpr()));
  }

  get peakActivations(): Figure {
    return (this.#peakActivations ??= figure('A_{\\text{peak}}', 'peak activations', 'count', this.#peakExpr()));
  }

  get sramBytes(): Figure {
    return (this.#sramBytes ??= figure('\\text{SRAM}', 'activation memory (SRAM)', 'B', mul2(this.#peakExpr(), this.#s.shared.activationBitsPerByte)));
  }

  // The live tensors wait for a reader even when the rest is built at once: their peak is at most
  // the activations with the input (a step's live tensors are some of them), so it cannot fail
  // where those did not; and they are the costliest structure of a small model (a variant's MLP).

  get peakLiveActivations(): Figure {
    if (this.#peakLiveActivations) return this.#peakLiveActivations;
    const live = this.#s.live.exprs;
    const n = this.#s.live.batch;
    const peak = live.length > 0 ? maxOver(`\\max_t \\sum_{x \\in \\text{live}(t)} |x|${n === 1 ? '' : ' \\cdot n'}`, live) : this.#inputActivationsExpr();
    return (this.#peakLiveActivations = figure('A_{\\text{live}}', 'peak live activations', 'count', peak));
  }

  get peakLiveBytes(): Figure {
    const a = this.peakLiveActivations.expr;
    return (this.#peakLiveBytes ??= figure('M_{\\text{live}}', 'peak live activation memory', 'B', mul2(ref('A_{\\text{live}}', a), this.#s.shared.activationBitsPerByte)));
  }
}

/** Memory for one training step, each figure built on first read (see Totals). */
export class Training implements TrainingMemory {
  readonly optimizer: Optimizer;
  readonly #structure: Structure;
  readonly #totals: ModelTotals;
  readonly #shared: ReportShared;
  readonly #paramBits: number;
  #exprs: { weightBytes: Expr; gradientBytes: Expr; optimizerBytes: Expr; activationBytes: Expr; total: Expr } | undefined = undefined;
  #weightBytes: Figure | undefined = undefined;
  #gradientBytes: Figure | undefined = undefined;
  #optimizerBytes: Figure | undefined = undefined;
  #activationBytes: Figure | undefined = undefined;
  #totalBytes: Figure | undefined = undefined;

  constructor(structure: Structure, totals: ModelTotals, shared: ReportShared, paramBits: number, optimizer: Optimizer) {
    this.optimizer = optimizer;
    this.#structure = structure;
    this.#totals = totals;
    this.#shared = shared;
    this.#paramBits = paramBits;
  }

  /** Every figure, in the order they were always built. */
  buildAll(): void {
    void this.weightBytes;
    void this.gradientBytes;
    void this.optimizerBytes;
    void this.activationBytes;
    void this.totalBytes;
  }

  /** The expressions, built together (they share P and b_w / 8). */
  get #e() {
    if (this.#exprs) return this.#exprs;
    const totals = this.#totals;
    const P = ref('|P|', totals.params.expr);
    const bw = variable('b_w', this.#paramBits, 'bits per parameter');
    const states = variable('k_{\\text{opt}}', OPTIMIZER_STATES[this.optimizer], `optimizer states per parameter (${this.optimizer})`);
    const internal = batched(this.#shared.batch, this.#structure.internal);
    const saved = internal.length > 0
      ? add(ref('A_{\\text{in+out}}', totals.activationsWithInput.expr), sum('\\sum_\\ell a^{\\text{int}}_\\ell', internal))
      : ref('A_{\\text{in+out}}', totals.activationsWithInput.expr);
    const weightBytes = mul(P, div(bw, num(8)));
    const gradientBytes = mul(P, div(bw, num(8)));
    const optimizerBytes = mul(states, P, div(bw, num(8)));
    const activationBytes = mul(saved, this.#shared.activationBitsPerByte);
    const total = add(ref('M_W', weightBytes), ref('M_{\\nabla}', gradientBytes), ref('M_{\\text{opt}}', optimizerBytes), ref('M_A', activationBytes));
    return (this.#exprs = { weightBytes, gradientBytes, optimizerBytes, activationBytes, total });
  }

  get weightBytes(): Figure {
    return (this.#weightBytes ??= figure('M_W', 'weights', 'B', this.#e.weightBytes));
  }

  get gradientBytes(): Figure {
    return (this.#gradientBytes ??= figure('M_{\\nabla}', 'gradients', 'B', this.#e.gradientBytes));
  }

  get optimizerBytes(): Figure {
    return (this.#optimizerBytes ??= figure('M_{\\text{opt}}', `optimizer state (${this.optimizer})`, 'B', this.#e.optimizerBytes));
  }

  get activationBytes(): Figure {
    return (this.#activationBytes ??= figure('M_A', 'saved activations', 'B', this.#e.activationBytes));
  }

  get totalBytes(): Figure {
    return (this.#totalBytes ??= figure('M_{\\text{train}}', 'training memory', 'B', this.#e.total));
  }
}

