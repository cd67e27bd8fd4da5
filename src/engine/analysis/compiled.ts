/**
 * What no option changes about a model, compiled once per model and kept on it (memo.ts): each
 * layer's per-sample counts and the figures made of them alone (CompiledLayer), and the model's
 * structure (Structure): the terms the totals sum, each layer's inputs + output, attention's
 * internal activations, the receptive field, a bound on every count (for `cannotFail`).
 */
import { LAYER_KINDS } from '../layers/registry.ts';
import type { LayerCounts, LayerKind, Work } from '../layers/kind.ts';
import { addAll, num, ZERO, type Expr } from '../math/expr.ts';
import { texText } from '../math/latex.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Layer, Model } from '../model/define.ts';
import { memoOf } from '../model/memo.ts';
import { step, ValueTrie } from '../model/trie.ts';
import { elementCount, elementsExpr, type Shape } from '../shape.ts';
import { type Conventions } from './conventions.ts';
import { seedOps } from './operations.ts';
import { LiveSteps, ReceptiveFields } from './walks.ts';

/** `_{\text{fc1}}`, the subscript of a layer's symbols; the id is the user's text, every TeX special escaped. */
function layerSubscript(layer: Layer): string {
  return '_{\\text{' + texText(layer.id) + '}}';
}

/**
 * What no option changes about one layer, built once per model (`compiledOf`) and shared by every
 * analysis of it: its per-sample counts and the figures made of them alone (weights, biases, norm
 * parameters, buffers, output sizes, receptive fields), its element counts, its subscript.
 */
export class CompiledLayer {
  readonly layer: Layer;
  readonly kind: LayerKind<unknown>;
  readonly counts: LayerCounts;
  /** A bound on what the layer adds to any total, per sample (see `magnitudeOf`). */
  readonly magnitude: number;
  readonly work: readonly Work[];
  /** Receptive field (height, and width) of the output, while convolutional. */
  fields: readonly Expr[] | undefined = undefined;
  /** The figures and expressions made when first read, in an object of their own: a variant's model reads few. */
  #m: LayerMemo | undefined = undefined;

  constructor(layer: Layer, kind: LayerKind<unknown>) {
    this.layer = layer;
    this.kind = kind;
    const { counts, magnitude } = countsOf(kind, layer);
    this.counts = counts;
    this.magnitude = magnitude;
    this.work = counts.work ?? NO_WORK;
  }

  /** `_{\text{fc1}}`, the subscript of the layer's symbols. */
  get sub(): string {
    const m = (this.#m ??= new LayerMemo());
    return (m.subscript ??= layerSubscript(this.layer));
  }

  params(conventions: Conventions): Expr {
    const m = (this.#m ??= new LayerMemo());
    if (conventions.biasInParams) return (m.params ??= sumOfParams(this.counts, conventions));
    return (m.paramsWithoutBiases ??= sumOfParams(this.counts, conventions));
  }

  paramsFigure(conventions: Conventions): Figure {
    const m = (this.#m ??= new LayerMemo());
    const make = () => figure('|P' + this.sub + '|', 'parameters', 'count', this.params(conventions));
    if (conventions.biasInParams) return (m.paramsFigure ??= make());
    return (m.paramsWithoutBiasesFigure ??= make());
  }

  ops(conventions: Conventions): Expr {
    const m = (this.#m ??= new LayerMemo());
    const ops = (m.ops ??= [undefined, undefined, undefined, undefined]);
    return (ops[opsIndex(conventions)] ??= seedOps(this.work, conventions));
  }

  /** Output elements per sample; 0 for layers that run in place or are views. */
  outputElements(): Expr {
    const m = (this.#m ??= new LayerMemo());
    if (m.outputElements) return m.outputElements;
    const shape = this.layer.outputShape;
    return (m.outputElements = this.kind.inPlace ? ZERO : elementsExpr(shape, outputSymbols(shape)));
  }

  /** The element count of each input, per sample. */
  inputs(): Expr[] {
    const m = (this.#m ??= new LayerMemo());
    if (m.inputs) return m.inputs;
    const shapes = this.layer.inputShapes;
    const inputs = new Array<Expr>(shapes.length);
    for (let i = 0; i < shapes.length; i++) inputs[i] = elementsExpr(shapes[i]!, inputSymbols(shapes[i]!));
    return (m.inputs = inputs);
  }

  /** Input elements per sample, all inputs of a join. */
  inputElements(): Expr {
    const m = (this.#m ??= new LayerMemo());
    return (m.inputElements ??= addAll(this.inputs()));
  }

  // Symbols, made once; and the figures of one sample, built from them as a report's are.

  get macsSymbol(): string {
    return '\\text{MACs}' + this.sub;
  }

  get opsSymbol(): string {
    return '\\text{ops}' + this.sub;
  }

  get activationsSymbol(): string {
    return 'a' + this.sub;
  }

  get inputActivationsSymbol(): string {
    return 'a^{\\text{in}}' + this.sub;
  }

  macsFigure(): Figure {
    const m = (this.#m ??= new LayerMemo());
    return (m.macs ??= macsFigure(this.macsSymbol, this.counts.macs));
  }

  opsFigure(conventions: Conventions): Figure {
    const m = (this.#m ??= new LayerMemo());
    const figures = (m.opsFigure ??= [undefined, undefined, undefined, undefined]);
    return (figures[opsIndex(conventions)] ??= opsFigure(this.opsSymbol, this.ops(conventions)));
  }

  activationsFigure(): Figure {
    const m = (this.#m ??= new LayerMemo());
    return (m.activations ??= activationsFigure(this.activationsSymbol, this.outputElements()));
  }

  inputActivationsFigure(): Figure {
    const m = (this.#m ??= new LayerMemo());
    return (m.inputActivations ??= inputActivationsFigure(this.inputActivationsSymbol, this.inputElements()));
  }

  get weights(): Figure {
    const m = (this.#m ??= new LayerMemo());
    return (m.weights ??= figure('|W' + this.sub + '|', 'weights', 'count', this.counts.weights));
  }

  get biases(): Figure {
    const m = (this.#m ??= new LayerMemo());
    return (m.biases ??= figure('|B' + this.sub + '|', 'biases', 'count', this.counts.biases));
  }

  get normParams(): Figure {
    const m = (this.#m ??= new LayerMemo());
    return (m.normParams ??= figure('|\\gamma\\beta' + this.sub + '|', 'norm scales and shifts', 'count', this.counts.normParams ?? ZERO));
  }

  get buffers(): Figure {
    const m = (this.#m ??= new LayerMemo());
    return (m.buffers ??= figure('|R' + this.sub + '|', 'buffers (running statistics)', 'count', this.counts.buffers ?? ZERO));
  }

  get outputSizes(): readonly Figure[] {
    const m = (this.#m ??= new LayerMemo());
    if (m.outputSizes) return m.outputSizes;
    const sizes = this.kind.outputSizes?.(this.layer.args, this.layer.inputShape);
    return (m.outputSizes = sizes === undefined || sizes.length === 0 ? NO_FIGURES : sizes.map((s) => figure(s.symbol, s.label, 'count', s.expr)));
  }

  get receptiveField(): Figure | undefined {
    const m = (this.#m ??= new LayerMemo());
    if (m.receptiveField || !this.fields) return m.receptiveField;
    return (m.receptiveField = figure('r' + this.sub, 'receptive field', 'count', this.fields[0]!));
  }

  get receptiveFieldWidth(): Figure | undefined {
    const m = (this.#m ??= new LayerMemo());
    const rf = this.fields;
    if (m.receptiveFieldWidth || !rf || !rf[1] || rf[1].value === rf[0]!.value) return m.receptiveFieldWidth;
    return (m.receptiveFieldWidth = figure('r^w' + this.sub, 'receptive field width', 'count', rf[1]));
  }
}

/** A compiled layer's figures and expressions, each made when first read (see CompiledLayer). */
class LayerMemo {
  subscript: string | undefined = undefined;
  outputElements: Expr | undefined = undefined;
  inputs: Expr[] | undefined = undefined;
  inputElements: Expr | undefined = undefined;
  /** Parameters with biases counted, and without (the lectures'). */
  params: Expr | undefined = undefined;
  paramsWithoutBiases: Expr | undefined = undefined;
  paramsFigure: Figure | undefined = undefined;
  paramsWithoutBiasesFigure: Figure | undefined = undefined;
  /** Seed 001's operations per sample, and their figures, by `opsIndex` (made when asked for). */
  ops: (Expr | undefined)[] | undefined = undefined;
  opsFigure: (Figure | undefined)[] | undefined = undefined;
  /** Per-sample figures, which are the figures of a report at batch 1. */
  macs: Figure | undefined = undefined;
  activations: Figure | undefined = undefined;
  inputActivations: Figure | undefined = undefined;
  weights: Figure | undefined = undefined;
  biases: Figure | undefined = undefined;
  normParams: Figure | undefined = undefined;
  buffers: Figure | undefined = undefined;
  outputSizes: readonly Figure[] | undefined = undefined;
  receptiveField: Figure | undefined = undefined;
  receptiveFieldWidth: Figure | undefined = undefined;
}

const NO_WORK: readonly Work[] = Object.freeze([]);

/**
 * A layer's per-sample counts, a function of its arguments and shapes alone. Arguments that
 * defineModel validated once and shared (frozen) are the same object in every block and variant
 * that repeats them: their counts at the same shapes are made once (a WeakMap by arguments, a
 * Map by shapes), and shared (never changed).
 */
function countsOf(kind: LayerKind<unknown>, layer: Layer): Counted {
  const args = layer.args as object;
  if (args === null || typeof args !== 'object' || !Object.isFrozen(args)) return counted(kind, layer);
  let byShapes = countsByArgs.get(args);
  if (!byShapes) countsByArgs.set(args, (byShapes = new ValueTrie(1000)));
  // The output shape is the kind's function of the arguments and the input shapes: these are the key.
  const shapes = layer.inputShapes;
  let node = step(byShapes.root, shapes.length);
  for (let i = 0; i < shapes.length; i++) {
    const shape = shapes[i]!;
    node = step(node, shape.length);
    for (let d = 0; d < shape.length; d++) node = step(node, shape[d]);
  }
  let entry = byShapes.get(node);
  if (!entry) byShapes.set(node, (entry = counted(kind, layer)));
  return entry;
}

/** A layer's counts, and the bound on what it adds to any total (`magnitudeOf`): both functions of its arguments and shapes. */
interface Counted {
  readonly counts: LayerCounts;
  readonly magnitude: number;
}

function counted(kind: LayerKind<unknown>, layer: Layer): Counted {
  const counts = kind.counts(layer.args, layer.inputShape, layer.outputShape, layer.inputShapes);
  return { counts, magnitude: magnitudeOf(counts, layer) };
}

const countsByArgs = new WeakMap<object, ValueTrie<Counted>>();

/** The conventions seed 001's operations depend on, as an index: 2 × (fused multiply-add) + (pooling counted). */
const opsIndex = (c: Conventions): number => (c.operations === 'non-pipelined' ? 0 : 2) + (c.poolingOps ? 1 : 0);

/**
 * What no option changes about a model: its compiled layers, and the per-sample expressions the
 * totals are made of (the terms of each sum, the input + output of each layer, the live tensors at
 * each step, the receptive field, attention's internal activations), each made when first read.
 */
export class Structure {
  readonly layers: readonly CompiledLayer[];
  readonly receptiveField: Expr | undefined;
  /** An upper bound on every per-sample count a total is made of, summed (see `cannotFail`). */
  readonly magnitude: number;
  readonly terms: SampleTerms;
  /** Per sample: the live activations at each step. */
  readonly live: LiveSteps;
  readonly #model: Model;
  #weights: Expr[] | undefined = undefined;
  #biases: Expr[] | undefined = undefined;
  #normParams: Expr[] | undefined = undefined;
  #buffers: Expr[] | undefined = undefined;
  #pairs: Expr[] | undefined = undefined;
  #internal: Expr[] | undefined = undefined;
  #inputElements: Expr | undefined = undefined;

  constructor(model: Model, layers: readonly CompiledLayer[]) {
    this.#model = model;
    this.layers = layers;
    let receptiveField: Expr | undefined;
    for (let i = layers.length - 1; i >= 0 && receptiveField === undefined; i--) receptiveField = layers[i]!.fields?.[0];
    this.receptiveField = receptiveField;
    let magnitude = elementCount(model.input);
    for (const c of layers) magnitude += c.magnitude;
    this.magnitude = magnitude;
    this.terms = new SampleTerms(layers);
    this.live = new LiveSteps(model);
  }

  get weights(): Expr[] {
    return (this.#weights ??= nonZero(this.layers, (c) => c.counts.weights));
  }

  get biases(): Expr[] {
    return (this.#biases ??= nonZero(this.layers, (c) => c.counts.biases));
  }

  get normParams(): Expr[] {
    return (this.#normParams ??= nonZero(this.layers, (c) => c.counts.normParams ?? ZERO));
  }

  get buffers(): Expr[] {
    return (this.#buffers ??= nonZero(this.layers, (c) => c.counts.buffers ?? ZERO));
  }

  /** Per sample: each (not in-place) layer's inputs + output; the peak is the largest. */
  get pairs(): Expr[] {
    if (this.#pairs) return this.#pairs;
    const layers = this.layers;
    const pairs = new Array<Expr>(layers.length);
    let n = 0;
    for (const c of layers) {
      if (c.kind.inPlace) continue;
      const inputs = c.layer.inputShapes;
      const terms = new Array<Expr>(inputs.length + 1);
      for (let i = 0; i < inputs.length; i++) terms[i] = num(elementCount(inputs[i]!));
      terms[inputs.length] = num(elementCount(c.layer.outputShape));
      pairs[n++] = addAll(terms);
    }
    pairs.length = n;
    return (this.#pairs = pairs);
  }

  /** Attention's internal activations (scores, probabilities), per sample. */
  get internal(): Expr[] {
    if (this.#internal) return this.#internal;
    const internal: Expr[] = [];
    for (const c of this.layers) {
      const e = c.counts.internalActivations;
      if (e !== undefined && e.value !== 0) internal.push(e);
    }
    return (this.#internal = internal);
  }

  get inputElements(): Expr {
    const input = this.#model.input;
    return (this.#inputElements ??= elementsExpr(input, inputSymbols(input)));
  }
}

/** The model's compiled structure, kept on the model (memo.ts). */
const COMPILED = Symbol('compiled structure');

/**
 * The model's structure, compiled on its first analysis (a model is never changed once defined).
 * `visiting` is told of each layer as it is compiled, so an error names it.
 */
export function compiledOf(model: Model, visiting: (layer: Layer) => void): Structure {
  return memoOf(model, COMPILED, () => compile(model, visiting));
}

function compile(model: Model, visiting: (layer: Layer) => void): Structure {
  const fields = new ReceptiveFields(model);
  const layers = new Array<CompiledLayer>(model.layers.length);
  for (let i = 0; i < layers.length; i++) {
    const layer = model.layers[i]!;
    visiting(layer);
    const c = new CompiledLayer(layer, LAYER_KINDS[layer.type] as LayerKind<unknown>);
    c.fields = fields.visit(layer, c.kind);
    layers[i] = c;
  }
  return structureOf(model, layers);
}

export function structureOf(model: Model, layers: readonly CompiledLayer[]): Structure {
  return new Structure(model, layers);
}

/**
 * A bound on what a layer adds to any total, per sample: its parameters and buffers, MACs,
 * internal activations, input and output elements, and seed 001's operations under either
 * convention (a dot product of length n: at most 2n + 1 per output; a pooling window: at most
 * its size, before any division, per output). Plain numbers: a bound, not a figure.
 */
function magnitudeOf(k: LayerCounts, layer: Layer): number {
  let m = k.weights.value + k.biases.value + (k.normParams?.value ?? 0) + (k.buffers?.value ?? 0) + k.macs.value + (k.internalActivations?.value ?? 0);
  m += elementCount(layer.outputShape);
  const inputs = layer.inputShapes;
  for (let i = 0; i < inputs.length; i++) m += elementCount(inputs[i]!);
  const work = k.work ?? NO_WORK;
  for (let i = 0; i < work.length; i++) {
    const w = work[i]!;
    if (w.op === 'dot') m += w.outputs.value * (2 * w.length.value + 1);
    else if (w.op === 'maxpool' || w.op === 'avgpool') m += w.outputs.value * (w.window.kind === 'div' ? w.window.numerator.value : w.window.value);
  }
  return m;
}

const NO_FIGURES: readonly Figure[] = Object.freeze([]);

// A layer's figures that scale with the batch: one maker each, for one sample (compiled) and for a batch.
export const macsFigure = (symbol: string, e: Expr) => figure(symbol, 'multiply-accumulates', 'MACs', e);
export const opsFigure = (symbol: string, e: Expr) => figure(symbol, 'operations', 'ops', e);
export const activationsFigure = (symbol: string, e: Expr) => figure(symbol, 'output activations', 'count', e);
export const inputActivationsFigure = (symbol: string, e: Expr) => figure(symbol, 'input activations', 'count', e);

/** The parts a layer has: a norm's parameters read 2 × 768, not 0 + 2 × 768. */
function sumOfParams(counts: LayerCounts, conventions: Conventions): Expr {
  const parts: Expr[] = [];
  if (counts.weights.value !== 0) parts.push(counts.weights);
  if (conventions.biasInParams && counts.biases.value !== 0) parts.push(counts.biases);
  if (counts.normParams && counts.normParams.value !== 0) parts.push(counts.normParams);
  return parts.length === 0 ? counts.weights : addAll(parts);
}

const OUTPUT_SYMBOLS: readonly (readonly string[])[] = [[], ['c_o'], ['c_o', 'l_o'], ['c_o', 'h_o', 'w_o']];
const INPUT_SYMBOLS: readonly (readonly string[])[] = [[], ['c_i'], ['c_i', 'l_i'], ['c_i', 'h_i', 'w_i']];

/** c_o h_o w_o, c_o l_o, c_o; beyond three dimensions `elementsExpr` names them d_{i}. */
function outputSymbols(shape: Shape): readonly string[] {
  return OUTPUT_SYMBOLS[shape.length] ?? [];
}

function inputSymbols(shape: Shape): readonly string[] {
  return INPUT_SYMBOLS[shape.length] ?? [];
}

/** Only the items that contribute, so a sum over an MLP does not list its ReLUs' zeros. */
export function nonZero<T>(items: readonly T[], pick: (item: T) => Expr): Expr[] {
  const out = new Array<Expr>(items.length);
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const e = pick(items[i]!);
    if (e.value !== 0) out[n++] = e;
  }
  out.length = n;
  return out;
}

/**
 * The layers' non-zero per-sample terms of the sums that depend on a convention at most, made on
 * first use: at batch 1 they are the terms of the totals.
 */
export class SampleTerms {
  readonly #layers: readonly CompiledLayer[];
  readonly #params: (Expr[] | undefined)[] = [undefined, undefined];
  readonly #ops: (Expr[] | undefined)[] = [undefined, undefined, undefined, undefined];
  #macs: Expr[] | undefined = undefined;
  #activations: Expr[] | undefined = undefined;

  constructor(layers: readonly CompiledLayer[]) {
    this.#layers = layers;
  }

  params(conventions: Conventions): Expr[] {
    return (this.#params[conventions.biasInParams ? 1 : 0] ??= nonZero(this.#layers, (c) => c.params(conventions)));
  }

  ops(conventions: Conventions): Expr[] {
    return (this.#ops[opsIndex(conventions)] ??= nonZero(this.#layers, (c) => c.ops(conventions)));
  }

  macs(): Expr[] {
    return (this.#macs ??= nonZero(this.#layers, (c) => c.counts.macs));
  }

  activations(): Expr[] {
    return (this.#activations ??= nonZero(this.#layers, (c) => c.outputElements()));
  }
}
