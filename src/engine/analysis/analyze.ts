/**
 * Per-layer and whole-model figures: parameters, bytes, MACs, FLOPs, activations, peak, SRAM.
 * Each figure is an expression over the layer's sizes (see `layers/`), so every number comes
 * with its derivation.
 */
import { ModelError } from '../errors.ts';
import { LAYER_KINDS } from '../layers/registry.ts';
import type { LayerCounts, LayerKind } from '../layers/kind.ts';
import { InexactIntegerError, add, div, maxOver, mul, num, ref, sum, variable, ZERO, type Expr } from '../math/expr.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Layer, Model } from '../model/define.ts';
import { elementCount, elementsExpr, type Shape } from '../shape.ts';
import { DEFAULT_CONVENTIONS, type Conventions } from './conventions.ts';

export interface AnalyzeOptions {
  /** Samples per inference; MACs and activations scale with it, parameters do not. Default 1. */
  readonly batch?: number;
  /** Bits per stored parameter. Default 32 (fp32). */
  readonly paramBits?: number;
  /** Bits per stored activation. Default: the same as `paramBits`. */
  readonly activationBits?: number;
  readonly conventions?: Partial<Conventions>;
}

export interface LayerReport {
  readonly layer: Layer;
  readonly inPlace: boolean;
  readonly weights: Figure;
  readonly biases: Figure;
  readonly params: Figure;
  readonly paramBytes: Figure;
  readonly macs: Figure;
  readonly flops: Figure;
  /** Output elements for the whole batch; 0 for layers that run in place or are views. */
  readonly activations: Figure;
}

export interface ModelTotals {
  readonly weights: Figure;
  readonly biases: Figure;
  readonly params: Figure;
  readonly paramBytes: Figure;
  readonly macs: Figure;
  readonly flops: Figure;
  /** Sum of the layers' output activations (plus the input, if the convention says so). */
  readonly activations: Figure;
  readonly inputActivations: Figure;
  /** Largest input + output of one layer (the lectures' convention). */
  readonly peakActivations: Figure;
  /** Peak activations times bytes per activation (HW1's "temporary storage"). */
  readonly sramBytes: Figure;
}

export interface ModelReport {
  readonly model: Model;
  readonly batch: number;
  readonly paramBits: number;
  readonly activationBits: number;
  readonly conventions: Conventions;
  readonly layers: readonly LayerReport[];
  readonly totals: ModelTotals;
}

/** `|W_{\text{fc1}}|` */
function layerSymbol(base: string, layer: Layer): string {
  return `${base}_{\\text{${layer.path.join('.').replace(/_/g, '\\_')}}}`;
}

export function analyze(model: Model, options: AnalyzeOptions = {}): ModelReport {
  const batch = options.batch ?? 1;
  const paramBits = options.paramBits ?? 32;
  const activationBits = options.activationBits ?? paramBits;
  const conventions: Conventions = { ...DEFAULT_CONVENTIONS, ...options.conventions };
  for (const [what, value] of [['batch', batch], ['paramBits', paramBits], ['activationBits', activationBits]] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new ModelError(model.name, [], `${what} must be a positive integer, got ${value}`);
    }
  }

  let current: Layer | undefined;
  try {
    const layers = model.layers.map((layer) => {
      current = layer;
      return analyzeLayer(layer, batch, paramBits, conventions);
    });
    current = undefined;
    return {
      model,
      batch,
      paramBits,
      activationBits,
      conventions,
      layers,
      totals: totalsOf(model, layers, batch, paramBits, activationBits, conventions),
    };
  } catch (error) {
    if (error instanceof InexactIntegerError || error instanceof RangeError) {
      throw new ModelError(model.name, current?.path ?? [], error.message);
    }
    throw error;
  }
}

const batchVar = (batch: number) => variable('n', batch, 'batch size');

/** Multiplies by the batch size, written only when it is not 1. */
function perBatch(batch: number, perSample: Expr): Expr {
  return batch === 1 ? perSample : mul(batchVar(batch), perSample);
}

function analyzeLayer(layer: Layer, batch: number, paramBits: number, conventions: Conventions): LayerReport {
  const kind = LAYER_KINDS[layer.type] as LayerKind<unknown>;
  const counts: LayerCounts = kind.counts(layer.args, layer.inputShape, layer.outputShape);
  const params = paramsExpr(counts, conventions);
  const macs = perBatch(batch, counts.macs);
  const activations = kind.inPlace ? ZERO : perBatch(batch, elementsExpr(layer.outputShape, outputSymbols(layer.outputShape)));
  return {
    layer,
    inPlace: kind.inPlace,
    weights: figure(layerSymbol('|W', layer) + '|', 'weights', 'count', counts.weights),
    biases: figure(layerSymbol('|B', layer) + '|', 'biases', 'count', counts.biases),
    params: figure(layerSymbol('|P', layer) + '|', 'parameters', 'count', params),
    paramBytes: figure(layerSymbol('M', layer), 'parameter bytes', 'B', bytesExpr(params, paramBits, 'b_w', 'bits per parameter')),
    macs: figure(layerSymbol('\\text{MACs}', layer), 'multiply-accumulates', 'MACs', macs),
    flops: figure(layerSymbol('\\text{FLOPs}', layer), 'floating-point operations', 'FLOPs', mul(flopsPerMacVar(conventions), macs)),
    activations: figure(layerSymbol('a', layer), 'output activations', 'count', activations),
  };
}

const flopsPerMacVar = (c: Conventions) => num(c.flopsPerMac);

function paramsExpr(counts: LayerCounts, conventions: Conventions): Expr {
  const parts = [counts.weights];
  if (conventions.biasInParams && counts.biases.value !== 0) parts.push(counts.biases);
  if (counts.normParams && counts.normParams.value !== 0) parts.push(counts.normParams);
  return add(...parts);
}

/** elements × b / 8: bytes from an element count at `bits` bits per element. */
function bytesExpr(elements: Expr, bits: number, symbol: string, meaning: string): Expr {
  return mul(elements, div(variable(symbol, bits, meaning), num(8)));
}

function outputSymbols(shape: Shape): string[] {
  if (shape.length === 3) return ['c_o', 'h_o', 'w_o'];
  if (shape.length === 1) return ['c_o'];
  return shape.map((_, i) => `d_{${i}}`);
}

function inputSymbols(shape: Shape): string[] {
  if (shape.length === 3) return ['c_i', 'h_i', 'w_i'];
  if (shape.length === 1) return ['c_i'];
  return shape.map((_, i) => `d_{${i}}`);
}

/** Only the layers that contribute, so a sum over an MLP does not list its ReLUs' zeros. */
const nonZero = (exprs: Expr[]) => exprs.filter((e) => e.value !== 0);

function totalsOf(
  model: Model,
  layers: readonly LayerReport[],
  batch: number,
  paramBits: number,
  activationBits: number,
  conventions: Conventions,
): ModelTotals {
  const total = (perLayer: string, pick: (r: LayerReport) => Figure) =>
    sum(`\\sum_{\\ell} ${perLayer}`, nonZero(layers.map((r) => pick(r).expr)));

  const weights = total('|W_\\ell|', (r) => r.weights);
  const biases = total('|B_\\ell|', (r) => r.biases);
  const params = total('|P_\\ell|', (r) => r.params);
  const macs = total('\\text{MACs}_\\ell', (r) => r.macs);
  const inputActivations = perBatch(batch, elementsExpr(model.input, inputSymbols(model.input)));
  const layerActivations = total('a_\\ell', (r) => r.activations);
  const activations = conventions.inputInActivations ? add(inputActivations, layerActivations) : layerActivations;

  // Peak: the largest input + output of one layer; in-place layers allocate nothing new.
  const pairs = layers
    .filter((r) => !r.inPlace)
    .map((r) => perBatch(batch, add(num(elementCount(r.layer.inputShape)), num(elementCount(r.layer.outputShape)))));
  const peak = pairs.length > 0
    ? maxOver(`\\max_\\ell \\left(a_{\\ell-1} + a_\\ell\\right)${batch === 1 ? '' : ' \\cdot n'}`, pairs)
    : perBatch(batch, num(elementCount(model.input)));

  return {
    weights: figure('|W|', 'weights', 'count', weights),
    biases: figure('|B|', 'biases', 'count', biases),
    params: figure('|P|', 'parameters', 'count', params),
    paramBytes: figure('M', 'parameter storage', 'B', bytesExpr(ref('|P|', params), paramBits, 'b_w', 'bits per parameter')),
    macs: figure('\\text{MACs}', 'multiply-accumulates', 'MACs', macs),
    flops: figure('\\text{FLOPs}', 'floating-point operations', 'FLOPs', mul(flopsPerMacVar(conventions), macs)),
    activations: figure('A', 'activations', 'count', activations),
    inputActivations: figure('a_0', 'input activations', 'count', inputActivations),
    peakActivations: figure('A_{\\text{peak}}', 'peak activations', 'count', peak),
    sramBytes: figure('\\text{SRAM}', 'activation memory (SRAM)', 'B', bytesExpr(peak, activationBits, 'b_a', 'bits per activation')),
  };
}
