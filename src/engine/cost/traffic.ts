/**
 * What the cost models share: the precision each layer's data is stored at, and the bytes a layer
 * moves to and from memory (its weights once, its input and output activations for the batch).
 */
import { quote } from '../errors.ts';
import type { LayerReport, ModelReport } from '../analysis/analyze.ts';
import { add, div, mul, num, ref, variable, type Expr } from '../math/expr.ts';
import { texText } from '../math/latex.ts';
import { elementCount } from '../shape.ts';

/** Storage precision overrides; by default the report's `paramBits` and `activationBits`. */
export interface BitsOptions {
  readonly paramBits?: number;
  readonly activationBits?: number;
  /** Per-layer precision (mixed-precision models); wins over the two above. */
  readonly layerBits?: (layer: LayerReport) => { paramBits?: number; activationBits?: number } | undefined;
}

/**
 * How layers without parameters or MACs that run in place (ReLU, Sigmoid, ...) are costed.
 * `fused`: folded into the previous layer's output write, moving no bytes of their own (what
 * inference runtimes do). `memory-pass`: they read and write their tensor, the lectures'
 * "memory-intensive operation". Views (Flatten, Dropout, Identity) never move data.
 */
export type InPlaceLayers = 'fused' | 'memory-pass';

export interface TrafficOptions extends BitsOptions {
  readonly inPlaceLayers?: InPlaceLayers;
}

/** Layer types that only relabel or pass their input at inference: no compute, no traffic. */
const VIEW_TYPES: ReadonlySet<string> = new Set(['Flatten', 'Unflatten', 'Dropout', 'Identity', 'Select', 'Narrow']);

export interface LayerBits {
  readonly paramBits: number;
  readonly activationBits: number;
}

export function bitsOf(report: ModelReport, r: LayerReport, options: BitsOptions): LayerBits {
  const override = options.layerBits?.(r);
  const bits = {
    paramBits: override?.paramBits ?? options.paramBits ?? report.paramBits,
    activationBits: override?.activationBits ?? options.activationBits ?? report.activationBits,
  };
  for (const [what, value] of Object.entries(bits)) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`${r.layer.path.join('.')}: ${what} must be a positive integer, got ${quote(value)}`);
    }
  }
  return bits;
}

/** Whether every layer is stored at the report's own precisions (so totals can use its figures). */
export function uniformBits(report: ModelReport, options: BitsOptions): boolean {
  return report.layers.every((r) => {
    const b = bitsOf(report, r, options);
    return b.paramBits === report.paramBits && b.activationBits === report.activationBits;
  });
}

/** `X_{\text{fc1}}`: a per-layer symbol, subscripted with the layer's path. */
export function layerSymbol(base: string, r: LayerReport): string {
  return `${base}_{\\text{${texText(r.layer.path.join('.'))}}}`;
}

/** A figure's expression as a named sub-result, so a derivation cites it by its symbol. */
export const refFigure = (f: { symbol: string; expr: Expr }): Expr => ref(f.symbol, f.expr);

/** Seconds to milliseconds: t_s × 10^3. */
export const toMs = (seconds: Expr): Expr => mul(seconds, num(1000, '10^3'));

export interface LayerTraffic {
  /** |P_ℓ| × b_w / 8, or undefined for a layer without parameters. */
  readonly weightBytes: Expr | undefined;
  /** n × (a_in + a_out) × b_a / 8, or undefined for a layer that moves no activations. */
  readonly activationBytes: Expr | undefined;
  /** Activation elements read and written for the batch, n × (a_in + a_out). */
  readonly activationElements: Expr | undefined;
  readonly bits: LayerBits;
}

/** Bytes moved by one layer: its weights once per batch, its input and output for every sample. */
export function layerTraffic(report: ModelReport, r: LayerReport, options: TrafficOptions): LayerTraffic {
  const bits = bitsOf(report, r, options);
  const weightBytes =
    r.params.value === 0
      ? undefined
      : mul(refFigure(r.params), div(variable('b_w', bits.paramBits, 'bits per parameter'), num(8)));

  const isView = VIEW_TYPES.has(r.layer.type as string);
  const fused = r.inPlace && r.params.value === 0 && r.macs.value === 0 && (options.inPlaceLayers ?? 'fused') === 'fused';
  let activationElements: Expr | undefined;
  if (!isView && !fused) {
    const io = add(
      variable('a_{\\text{in}}', elementCount(r.layer.inputShape), 'input elements per sample'),
      variable('a_{\\text{out}}', elementCount(r.layer.outputShape), 'output elements per sample'),
    );
    activationElements = report.batch === 1 ? io : mul(variable('n', report.batch, 'batch size'), io);
  }
  const activationBytes =
    activationElements && mul(activationElements, div(variable('b_a', bits.activationBits, 'bits per activation'), num(8)));
  return { weightBytes, activationBytes, activationElements, bits };
}
