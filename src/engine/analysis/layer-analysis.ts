/**
 * One layer's figures in one report (LayerAnalysis), and what the layers of a report share
 * (ReportShared): its batch, conventions, and the bytes per value their figures write alike.
 */
import type { LayerCounts, Work } from '../layers/kind.ts';
import { add, div, mul2, num, variable, ZERO, type Expr } from '../math/expr.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Layer } from '../model/define.ts';
import { type Conventions } from './conventions.ts';
import type { LayerReport } from './analyze.ts';
import { activationsFigure, CompiledLayer, inputActivationsFigure, macsFigure, opsFigure } from './compiled.ts';

const batchVar = (batch: number) => variable('n', batch, 'batch size');

/** Multiplies by the batch size, written only when it is not 1. */
export function perBatch(batch: number, perSample: Expr): Expr {
  return batch === 1 ? perSample : mul2(batchVar(batch), perSample);
}

/** What the layers of one report share: its options, and the givens their figures write alike. */
export class ReportShared {
  readonly batch: number;
  readonly conventions: Conventions;
  /** `\text{FLOPs} / \text{MAC}`, as a number. */
  readonly flopsPerMac: Expr;
  /** b_a / 8, bytes per activation. */
  readonly activationBitsPerByte: Expr;
  /** b / 8 at each bit width, by what the bits are of (parameters, weights, biases), made once per report. */
  readonly #bytesPer: Map<number, Expr>[] = [];

  constructor(batch: number, activationBits: number, conventions: Conventions) {
    this.batch = batch;
    this.conventions = conventions;
    this.flopsPerMac = num(conventions.flopsPerMac);
    this.activationBitsPerByte = div(variable('b_a', activationBits, 'bits per activation'), num(8));
  }

  /** b / 8 for `bits` per parameter (b_w), per weight (b_w) or per bias (b_b): one expression for every layer. */
  bytesPer(bits: number, of: BitsOf): Expr {
    const byBits = (this.#bytesPer[of] ??= new Map());
    let e = byBits.get(bits);
    if (!e) byBits.set(bits, (e = div(variable(BITS_OF[of].symbol, bits, BITS_OF[of].meaning), num(8))));
    return e;
  }
}

/** What bits are of: parameters (uniform precision), weights or biases (priced apart). */
export const BitsOf = { Parameter: 0, Weight: 1, Bias: 2 } as const;
export type BitsOf = (typeof BitsOf)[keyof typeof BitsOf];

const BITS_OF = [
  { symbol: 'b_w', meaning: 'bits per parameter' },
  { symbol: 'b_w', meaning: 'bits per weight' },
  { symbol: 'b_b', meaning: 'bits per bias' },
] as const;

/**
 * One layer's report. Its figures are built on first read, each by the same code and into the same
 * expression as when all were built at once, and kept: `value` is always `expr.value`. The figures
 * no option changes are the compiled layer's, shared by every report of the model. The totals read
 * the expressions they sum (parameters, MACs, operations, activations; parameter bytes when
 * precision varies by layer), so `analyze` builds those; the rest wait for a reader. None of these
 * can fail where the totals did not (see `analyze`), so reading one never throws.
 */
export class LayerAnalysis implements LayerReport {
  readonly layer: Layer;
  readonly summary: string;
  readonly inPlace: boolean;
  readonly weightBits: number;
  readonly biasBits: number;
  readonly work: readonly Work[];
  readonly counts: LayerCounts;
  readonly compiled: CompiledLayer;
  readonly #shared: ReportShared;
  // Expressions, built once each.
  #paramBytesExpr: Expr | undefined = undefined;
  #macsExpr: Expr | undefined = undefined;
  #flopsExpr: Expr | undefined = undefined;
  #opsExpr: Expr | undefined = undefined;
  #activationsExpr: Expr | undefined = undefined;
  #inputActivationsExpr: Expr | undefined = undefined;
  // Figures, made once each around the expressions.
  #paramBytes: Figure | undefined = undefined;
  #macs: Figure | undefined = undefined;
  #flops: Figure | undefined = undefined;
  #ops: Figure | undefined = undefined;
  #activations: Figure | undefined = undefined;
  #inputActivations: Figure | undefined = undefined;

  constructor(compiled: CompiledLayer, shared: ReportShared, precision: { weightBits: number; biasBits: number }) {
    this.layer = compiled.layer;
    this.summary = compiled.kind.summary;
    this.inPlace = compiled.kind.inPlace;
    this.weightBits = precision.weightBits;
    this.biasBits = precision.biasBits;
    this.work = compiled.work;
    this.counts = compiled.counts;
    this.compiled = compiled;
    this.#shared = shared;
  }

  /**
   * Builds, in the order they were always built, the expressions built before the receptive field...
   * (only when a report failed: each is named, so the error says which figure of the layer fails).
   */
  buildBeforeFields(): void {
    named('parameters', () => this.paramsExpr());
    named('MACs', () => this.macsExpr());
    named('output activations', () => this.activationsExpr());
    named('input activations', () => this.compiled.inputs());
    named('output sizes', () => this.outputSizes);
  }

  /** ... and after it. */
  buildAfterFields(): void {
    named('parameter bytes', () => this.paramBytesExpr());
    named('FLOPs', () => this.flopsExpr());
    named('operations', () => this.opsExpr());
    named('input activations', () => this.inputActivationsExpr());
  }

  // ---- expressions

  paramsExpr(): Expr {
    return this.compiled.params(this.#shared.conventions);
  }

  paramBytesExpr(): Expr {
    if (this.#paramBytesExpr) return this.#paramBytesExpr;
    const counts = this.counts;
    const shared = this.#shared;
    const normParams = counts.normParams ?? ZERO;
    // Uniform precision keeps the short form |P| · b / 8; mixed weights and biases are priced apart.
    const uniform = this.biasBits === this.weightBits || !shared.conventions.biasInParams || counts.biases.value === 0;
    return (this.#paramBytesExpr = uniform
      ? mul2(this.paramsExpr(), shared.bytesPer(this.weightBits, BitsOf.Parameter))
      : add(
          mul2(normParams.value !== 0 ? add(counts.weights, normParams) : counts.weights, shared.bytesPer(this.weightBits, BitsOf.Weight)),
          mul2(counts.biases, shared.bytesPer(this.biasBits, BitsOf.Bias)),
        ));
  }

  macsExpr(): Expr {
    return (this.#macsExpr ??= perBatch(this.#shared.batch, this.counts.macs));
  }

  flopsExpr(): Expr {
    return (this.#flopsExpr ??= mul2(this.#shared.flopsPerMac, this.macsExpr()));
  }

  opsExpr(): Expr {
    return (this.#opsExpr ??= perBatch(this.#shared.batch, this.compiled.ops(this.#shared.conventions)));
  }

  activationsExpr(): Expr {
    if (this.#activationsExpr) return this.#activationsExpr;
    return (this.#activationsExpr = this.compiled.kind.inPlace ? ZERO : perBatch(this.#shared.batch, this.compiled.outputElements()));
  }

  inputActivationsExpr(): Expr {
    return (this.#inputActivationsExpr ??= perBatch(this.#shared.batch, this.compiled.inputElements()));
  }

  // ---- figures

  get weights(): Figure {
    return this.compiled.weights;
  }

  get biases(): Figure {
    return this.compiled.biases;
  }

  get normParams(): Figure {
    return this.compiled.normParams;
  }

  get buffers(): Figure {
    return this.compiled.buffers;
  }

  get params(): Figure {
    return this.compiled.paramsFigure(this.#shared.conventions);
  }

  get paramBytes(): Figure {
    return (this.#paramBytes ??= figure('M' + this.compiled.sub, 'parameter bytes', 'B', this.paramBytesExpr()));
  }

  get macs(): Figure {
    if (this.#macs) return this.#macs;
    return (this.#macs = this.#shared.batch === 1 ? this.compiled.macsFigure() : macsFigure(this.compiled.macsSymbol, this.macsExpr()));
  }

  get flops(): Figure {
    return (this.#flops ??= figure('\\text{FLOPs}' + this.compiled.sub, 'floating-point operations', 'FLOPs', this.flopsExpr()));
  }

  get ops(): Figure {
    if (this.#ops) return this.#ops;
    const c = this.compiled;
    return (this.#ops = this.#shared.batch === 1 ? c.opsFigure(this.#shared.conventions) : opsFigure(c.opsSymbol, this.opsExpr()));
  }

  get activations(): Figure {
    if (this.#activations) return this.#activations;
    const c = this.compiled;
    return (this.#activations = this.#shared.batch === 1 ? c.activationsFigure() : activationsFigure(c.activationsSymbol, this.activationsExpr()));
  }

  get inputActivations(): Figure {
    if (this.#inputActivations) return this.#inputActivations;
    const c = this.compiled;
    return (this.#inputActivations = this.#shared.batch === 1 ? c.inputActivationsFigure() : inputActivationsFigure(c.inputActivationsSymbol, this.inputActivationsExpr()));
  }

  get outputSizes(): readonly Figure[] {
    return this.compiled.outputSizes;
  }

  get receptiveField(): Figure | undefined {
    return this.compiled.receptiveField;
  }

  get receptiveFieldWidth(): Figure | undefined {
    return this.compiled.receptiveFieldWidth;
  }
}

/** Runs `build`; a RangeError it raises (a count beyond exact integers) is said of `what`. */
function named(what: string, build: () => unknown): void {
  try {
    build();
  } catch (error) {
    if (error instanceof RangeError && !error.message.startsWith(`${what}:`)) throw new RangeError(`${what}: ${error.message}`);
    throw error;
  }
}

/** Each item's expression for the whole batch (the per-sample ones at batch 1). */
export function batched(batch: number, perSample: Expr[]): Expr[] {
  return batch === 1 ? perSample : perSample.map((e) => mul2(batchVar(batch), e));
}
