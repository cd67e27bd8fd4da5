/**
 * Per-layer and whole-model figures: parameters (weights, biases, norm scales, buffers), bytes,
 * MACs, FLOPs, operations, activations, peak and peak-live memory, SRAM, receptive field and
 * training memory. Each figure is an expression over the layer's sizes (see `layers/`), so every
 * number comes with its derivation.
 */
import { ModelError } from '../errors.ts';
import { LAYER_KINDS } from '../layers/registry.ts';
import type { LayerCounts, LayerKind, Work } from '../layers/kind.ts';
import { add, addAll, div, max, maxOver, mul, mul2, num, ref, sub, sum, variable, ZERO, type Expr } from '../math/expr.ts';
import { texText } from '../math/latex.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Layer, Model } from '../model/define.ts';
import { memoOf } from '../model/memo.ts';
import { step, ValueTrie } from '../model/trie.ts';
import { elementCount, elementsExpr, type Shape } from '../shape.ts';
import { DEFAULT_CONVENTIONS, type Conventions } from './conventions.ts';
import { optionsProblem } from './options.ts';
import { seedOps } from './operations.ts';

/** Bits of a layer's stored weights and biases. */
export interface Precision {
  readonly weightBits?: number;
  readonly biasBits?: number;
}

export type Optimizer = 'sgd' | 'sgd-momentum' | 'adam';

export interface AnalyzeOptions {
  /** Samples per inference; MACs and activations scale with it, parameters do not. Default 1. */
  readonly batch?: number;
  /** Bits per stored parameter. Default 32 (fp32). */
  readonly paramBits?: number;
  /** Bits per stored bias. Default: `paramBits` (int8 weights often keep int32 biases). */
  readonly biasBits?: number;
  /**
   * Precision per layer, keyed by layer id (`layer2.0.conv1`) or by type (`Linear`); an id
   * wins over a type, and both over `paramBits` / `biasBits`.
   */
  readonly layerPrecision?: Readonly<Record<string, Precision>>;
  /** Bits per stored activation. Default: the same as `paramBits`. */
  readonly activationBits?: number;
  /** Optimizer whose state training memory counts. Default `adam`. */
  readonly optimizer?: Optimizer;
  readonly conventions?: Partial<Conventions>;
}

/**
 * One layer's figures. Each is built when first read, then kept (the same object on every read),
 * so a report costs what its readers use; `value` is always the value of `expr`. The figures are
 * getters: spreading a report or listing its keys does not show them.
 */
export interface LayerReport {
  readonly layer: Layer;
  /** The kind's one-line summary. */
  readonly summary: string;
  readonly inPlace: boolean;
  readonly weights: Figure;
  readonly biases: Figure;
  /** Trainable parameters that are neither weights nor biases (norm scales and shifts). */
  readonly normParams: Figure;
  /** Non-trainable buffers (BatchNorm's running mean and variance). */
  readonly buffers: Figure;
  readonly params: Figure;
  readonly paramBytes: Figure;
  /** Bits of this layer's weights and biases. */
  readonly weightBits: number;
  readonly biasBits: number;
  readonly macs: Figure;
  readonly flops: Figure;
  /** Seed 001's operations, under `conventions.operations` and `conventions.poolingOps`. */
  readonly ops: Figure;
  /** Output elements for the whole batch; 0 for layers that run in place or are views. */
  readonly activations: Figure;
  /** Input elements for the whole batch (all inputs of a join). */
  readonly inputActivations: Figure;
  /** Derivations of the computed output sizes (h_o, w_o) of convolution and pooling. */
  readonly outputSizes: readonly Figure[];
  /** Receptive field (height, or length) of one output position, while the layers are convolutional. */
  readonly receptiveField?: Figure;
  /** Receptive field width, when it differs from the height. */
  readonly receptiveFieldWidth?: Figure;
  /** The structure of the layer's work, per sample, for other counting conventions. */
  readonly work: readonly Work[];
  /** The per-sample counts the figures are built from. */
  readonly counts: LayerCounts;
}

export interface ModelTotals {
  readonly weights: Figure;
  readonly biases: Figure;
  readonly normParams: Figure;
  readonly buffers: Figure;
  readonly params: Figure;
  readonly paramBytes: Figure;
  readonly macs: Figure;
  readonly flops: Figure;
  readonly ops: Figure;
  /** Sum of the layers' output activations (plus the input, if the convention says so). */
  readonly activations: Figure;
  readonly inputActivations: Figure;
  /** Both forms, whatever the convention: layers' outputs, and outputs plus the input. */
  readonly activationsWithoutInput: Figure;
  readonly activationsWithInput: Figure;
  /** Largest input + output of one layer (the lectures' convention). */
  readonly peakActivations: Figure;
  /** Peak activations times bytes per activation (HW1's "temporary storage"). */
  readonly sramBytes: Figure;
  /**
   * Largest total of the tensors alive together, in execution order: a tensor lives from the
   * layer that makes it to the last layer that reads it (a residual's input stays alive across
   * the block), as MCU runtimes plan memory. In-place layers and views share their input's memory.
   */
  readonly peakLiveActivations: Figure;
  readonly peakLiveBytes: Figure;
}

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

/** Memory for one training step: weights, gradients, optimizer state and saved activations. */
export interface TrainingMemory {
  readonly optimizer: Optimizer;
  readonly weightBytes: Figure;
  readonly gradientBytes: Figure;
  readonly optimizerBytes: Figure;
  /** Every tensor the backward pass needs: the input, the layers' outputs, attention's internals. */
  readonly activationBytes: Figure;
  readonly totalBytes: Figure;
}

export interface ModelReport {
  readonly model: Model;
  readonly batch: number;
  readonly paramBits: number;
  readonly activationBits: number;
  readonly conventions: Conventions;
  readonly layers: readonly LayerReport[];
  readonly totals: ModelTotals;
  /** Receptive field of the last convolutional layer's output; absent without convolutions. */
  readonly receptiveField?: Figure;
  readonly training: TrainingMemory;
  /** The live activation elements (whole batch) at each step of execution, for memory plots. */
  readonly liveActivations: readonly number[];
}

/** `_{\text{fc1}}`, the subscript of a layer's symbols; the id is the user's text, every TeX special escaped. */
function layerSubscript(layer: Layer): string {
  return '_{\\text{' + texText(layer.id) + '}}';
}

const OPTIMIZER_STATES: Record<Optimizer, number> = { sgd: 0, 'sgd-momentum': 1, adam: 2 };

export function analyze(model: Model, options: AnalyzeOptions = {}): ModelReport {
  const batch = options.batch ?? 1;
  const paramBits = options.paramBits ?? 32;
  const biasBits = options.biasBits ?? paramBits;
  const activationBits = options.activationBits ?? paramBits;
  const optimizer = options.optimizer ?? 'adam';
  const conventions: Conventions = { ...DEFAULT_CONVENTIONS, ...options.conventions };
  // Every option checked before any counting (options.ts).
  const badOption = optionsProblem(options);
  if (badOption) throw new ModelError(model.name, [], badOption);

  const uniform = { weightBits: paramBits, biasBits };
  const precisionOf = (layer: Layer): { weightBits: number; biasBits: number } => {
    if (options.layerPrecision === undefined) return uniform;
    const byId = options.layerPrecision?.[layer.id];
    const byType = options.layerPrecision?.[layer.type];
    return {
      weightBits: byId?.weightBits ?? byType?.weightBits ?? paramBits,
      biasBits: byId?.biasBits ?? byType?.biasBits ?? byId?.weightBits ?? byType?.weightBits ?? biasBits,
    };
  };

  // The totals build the layers' figures they sum, as they read them; the other figures of a layer
  // wait for a reader (see LayerAnalysis). When something fails (a count beyond exact integers),
  // the report is made again building every figure as it comes, layer by layer, so the error names
  // the first layer where any figure fails, as if all were always built. A figure left for a
  // reader cannot fail when the totals did not: a layer's FLOPs are at most the total FLOPs; its
  // input activations at most its input + output (peak) or its inputs' producers' activations;
  // its parameter bytes at most |P| · b / 8 (or they are summed in the total); its output sizes
  // were computed by `defineModel` already; receptive fields are built here.
  let current: Layer | undefined;
  const fail = (error: unknown): never => {
    if (error instanceof RangeError) throw new ModelError(model.name, current ? errorPath(current) : [], error.message);
    throw error;
  };
  try {
    return report(false);
  } catch (error) {
    try {
      report(true);
    } catch (first) {
      fail(first);
    }
    return fail(error);
  }

  function report(everyFigure: boolean): ModelReport {
    // The figures every analysis of this model shares (counts, receptive fields, live tensors) are
    // compiled once per model; when a report failed, the layers are built again one by one, uncached.
    const compiled = everyFigure ? undefined : compiledOf(model, (layer) => (current = layer));
    const fields = compiled ? undefined : new ReceptiveFields(model);
    const shared = new ReportShared(batch, activationBits, conventions);
    // Arrays here are made at their size: a pushed-to array starts with room for 16.
    const layers = new Array<LayerAnalysis>(model.layers.length);
    for (let i = 0; i < layers.length; i++) {
      const layer = model.layers[i]!;
      current = layer;
      let c = compiled?.layers[i];
      if (!c) {
        const kind = LAYER_KINDS[layer.type] as LayerKind<unknown>;
        c = new CompiledLayer(layer, kind);
      }
      const r = new LayerAnalysis(c, shared, precisionOf(layer));
      if (fields) {
        r.buildBeforeFields();
        c.fields = fields.visit(layer, c.kind);
        r.buildAfterFields();
      }
      layers[i] = r;
    }
    current = undefined;
    const structure = compiled ?? structureOf(model, layers.map((r) => r.compiled));
    const live = new BatchLive(structure.live, batch);
    const totals = new Totals({ model, structure, layers, shared, paramBits, options, live });
    const training = new Training(structure, totals, shared, paramBits, optimizer);
    // A model whose every count is far inside exact integers leaves each total to its first reader
    // (a variant's MLP is asked for a few); any other builds them all now, so that an error comes
    // from `analyze` and names the first figure that fails, as it always did.
    if (everyFigure || !cannotFail(structure, batch, conventions, paramBits, biasBits, activationBits, options.layerPrecision)) {
      totals.buildAll();
      training.buildAll();
    }
    return new Report({
      model,
      batch,
      paramBits,
      activationBits,
      conventions,
      layers,
      totals,
      receptiveField: structure.receptiveField ? figure('r', 'receptive field', 'count', structure.receptiveField) : undefined,
      training,
    }, live);
  }
}

/** A report; its live activations are made when first read. */
class Report implements ModelReport {
  readonly model: Model;
  readonly batch: number;
  readonly paramBits: number;
  readonly activationBits: number;
  readonly conventions: Conventions;
  readonly layers: readonly LayerReport[];
  readonly totals: ModelTotals;
  declare readonly receptiveField?: Figure;
  readonly training: TrainingMemory;
  readonly #live: BatchLive;

  constructor(r: Omit<ModelReport, 'liveActivations' | 'receptiveField'> & { receptiveField: Figure | undefined }, live: BatchLive) {
    this.model = r.model;
    this.batch = r.batch;
    this.paramBits = r.paramBits;
    this.activationBits = r.activationBits;
    this.conventions = r.conventions;
    this.layers = r.layers;
    this.totals = r.totals;
    if (r.receptiveField) this.receptiveField = r.receptiveField;
    this.training = r.training;
    this.#live = live;
  }

  get liveActivations(): readonly number[] {
    return this.#live.values;
  }
}

/** The live activations at each step for the whole batch (the per-sample ones at batch 1). */
class BatchLive {
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

/** `layer2.0 > conv1`, as define.ts names layers in errors. */
function errorPath(layer: Layer): string[] {
  return layer.path.length <= 1 ? [...layer.path] : [layer.path.slice(0, -1).join('.'), layer.name];
}

const batchVar = (batch: number) => variable('n', batch, 'batch size');

/** Multiplies by the batch size, written only when it is not 1. */
function perBatch(batch: number, perSample: Expr): Expr {
  return batch === 1 ? perSample : mul2(batchVar(batch), perSample);
}

/**
 * What no option changes about one layer, built once per model (`compiledOf`) and shared by every
 * analysis of it: its per-sample counts and the figures made of them alone (weights, biases, norm
 * parameters, buffers, output sizes, receptive fields), its element counts, its subscript.
 */
class CompiledLayer {
  readonly layer: Layer;
  readonly kind: LayerKind<unknown>;
  readonly counts: LayerCounts;
  readonly work: readonly Work[];
  /** Receptive field (height, and width) of the output, while convolutional. */
  fields: readonly Expr[] | undefined = undefined;
  #subscript: string | undefined = undefined;
  #outputElements: Expr | undefined = undefined;
  #inputs: Expr[] | undefined = undefined;
  #inputElements: Expr | undefined = undefined;
  /** Parameters with biases counted, and without (the lectures'). */
  #params: Expr | undefined = undefined;
  #paramsWithoutBiases: Expr | undefined = undefined;
  #paramsFigure: Figure | undefined = undefined;
  #paramsWithoutBiasesFigure: Figure | undefined = undefined;
  /** Seed 001's operations per sample, and their figures, by `opsIndex` (made when asked for). */
  #ops: (Expr | undefined)[] | undefined = undefined;
  #opsFigure: (Figure | undefined)[] | undefined = undefined;
  /** Per-sample figures, which are the figures of a report at batch 1. */
  #macs: Figure | undefined = undefined;
  #activations: Figure | undefined = undefined;
  #inputActivations: Figure | undefined = undefined;
  #weights: Figure | undefined = undefined;
  #biases: Figure | undefined = undefined;
  #normParams: Figure | undefined = undefined;
  #buffers: Figure | undefined = undefined;
  #outputSizes: readonly Figure[] | undefined = undefined;
  #receptiveField: Figure | undefined = undefined;
  #receptiveFieldWidth: Figure | undefined = undefined;

  constructor(layer: Layer, kind: LayerKind<unknown>) {
    this.layer = layer;
    this.kind = kind;
    this.counts = countsOf(kind, layer);
    this.work = this.counts.work ?? NO_WORK;
  }

  /** `_{\text{fc1}}`, the subscript of the layer's symbols. */
  get sub(): string {
    return (this.#subscript ??= layerSubscript(this.layer));
  }

  params(conventions: Conventions): Expr {
    if (conventions.biasInParams) return (this.#params ??= sumOfParams(this.counts, conventions));
    return (this.#paramsWithoutBiases ??= sumOfParams(this.counts, conventions));
  }

  paramsFigure(conventions: Conventions): Figure {
    const make = () => figure('|P' + this.sub + '|', 'parameters', 'count', this.params(conventions));
    if (conventions.biasInParams) return (this.#paramsFigure ??= make());
    return (this.#paramsWithoutBiasesFigure ??= make());
  }

  ops(conventions: Conventions): Expr {
    const ops = (this.#ops ??= [undefined, undefined, undefined, undefined]);
    return (ops[opsIndex(conventions)] ??= seedOps(this.work, conventions));
  }

  /** Output elements per sample; 0 for layers that run in place or are views. */
  outputElements(): Expr {
    if (this.#outputElements) return this.#outputElements;
    const shape = this.layer.outputShape;
    return (this.#outputElements = this.kind.inPlace ? ZERO : elementsExpr(shape, outputSymbols(shape)));
  }

  /** The element count of each input, per sample. */
  inputs(): Expr[] {
    if (this.#inputs) return this.#inputs;
    const shapes = this.layer.inputShapes;
    const inputs = new Array<Expr>(shapes.length);
    for (let i = 0; i < shapes.length; i++) inputs[i] = elementsExpr(shapes[i]!, inputSymbols(shapes[i]!));
    return (this.#inputs = inputs);
  }

  /** Input elements per sample, all inputs of a join. */
  inputElements(): Expr {
    return (this.#inputElements ??= addAll(this.inputs()));
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
    return (this.#macs ??= macsFigure(this.macsSymbol, this.counts.macs));
  }

  opsFigure(conventions: Conventions): Figure {
    const figures = (this.#opsFigure ??= [undefined, undefined, undefined, undefined]);
    return (figures[opsIndex(conventions)] ??= opsFigure(this.opsSymbol, this.ops(conventions)));
  }

  activationsFigure(): Figure {
    return (this.#activations ??= activationsFigure(this.activationsSymbol, this.outputElements()));
  }

  inputActivationsFigure(): Figure {
    return (this.#inputActivations ??= inputActivationsFigure(this.inputActivationsSymbol, this.inputElements()));
  }

  get weights(): Figure {
    return (this.#weights ??= figure('|W' + this.sub + '|', 'weights', 'count', this.counts.weights));
  }

  get biases(): Figure {
    return (this.#biases ??= figure('|B' + this.sub + '|', 'biases', 'count', this.counts.biases));
  }

  get normParams(): Figure {
    return (this.#normParams ??= figure('|\\gamma\\beta' + this.sub + '|', 'norm scales and shifts', 'count', this.counts.normParams ?? ZERO));
  }

  get buffers(): Figure {
    return (this.#buffers ??= figure('|R' + this.sub + '|', 'buffers (running statistics)', 'count', this.counts.buffers ?? ZERO));
  }

  get outputSizes(): readonly Figure[] {
    if (this.#outputSizes) return this.#outputSizes;
    const sizes = this.kind.outputSizes?.(this.layer.args, this.layer.inputShape);
    return (this.#outputSizes = sizes === undefined || sizes.length === 0 ? NO_FIGURES : sizes.map((s) => figure(s.symbol, s.label, 'count', s.expr)));
  }

  get receptiveField(): Figure | undefined {
    if (this.#receptiveField || !this.fields) return this.#receptiveField;
    return (this.#receptiveField = figure('r' + this.sub, 'receptive field', 'count', this.fields[0]!));
  }

  get receptiveFieldWidth(): Figure | undefined {
    const rf = this.fields;
    if (this.#receptiveFieldWidth || !rf || !rf[1] || rf[1].value === rf[0]!.value) return this.#receptiveFieldWidth;
    return (this.#receptiveFieldWidth = figure('r^w' + this.sub, 'receptive field width', 'count', rf[1]));
  }
}

const NO_WORK: readonly Work[] = Object.freeze([]);

/**
 * A layer's per-sample counts, a function of its arguments and shapes alone. Arguments that
 * defineModel validated once and shared (frozen) are the same object in every block and variant
 * that repeats them: their counts at the same shapes are made once (a WeakMap by arguments, a
 * Map by shapes), and shared (never changed).
 */
function countsOf(kind: LayerKind<unknown>, layer: Layer): LayerCounts {
  const args = layer.args as object;
  if (args === null || typeof args !== 'object' || !Object.isFrozen(args)) return kind.counts(layer.args, layer.inputShape, layer.outputShape, layer.inputShapes);
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
  let counts = byShapes.get(node);
  if (!counts) byShapes.set(node, (counts = kind.counts(layer.args, layer.inputShape, layer.outputShape, layer.inputShapes)));
  return counts;
}

const countsByArgs = new WeakMap<object, ValueTrie<LayerCounts>>();

/** The conventions seed 001's operations depend on, as an index: 2 × (fused multiply-add) + (pooling counted). */
const opsIndex = (c: Conventions): number => (c.operations === 'non-pipelined' ? 0 : 2) + (c.poolingOps ? 1 : 0);

/**
 * What no option changes about a model: its compiled layers, and the per-sample expressions the
 * totals are made of (the terms of each sum, the input + output of each layer, the live tensors at
 * each step, the receptive field, attention's internal activations), each made when first read.
 */
class Structure {
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
    for (const c of layers) magnitude += magnitudeOf(c);
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
function compiledOf(model: Model, visiting: (layer: Layer) => void): Structure {
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

function structureOf(model: Model, layers: readonly CompiledLayer[]): Structure {
  return new Structure(model, layers);
}

/**
 * A bound on what a layer adds to any total, per sample: its parameters and buffers, MACs,
 * internal activations, input and output elements, and seed 001's operations under either
 * convention (a dot product of length n: at most 2n + 1 per output; a pooling window: at most
 * its size, before any division, per output). Plain numbers: a bound, not a figure.
 */
function magnitudeOf(c: CompiledLayer): number {
  const k = c.counts;
  let m = k.weights.value + k.biases.value + (k.normParams?.value ?? 0) + (k.buffers?.value ?? 0) + k.macs.value + (k.internalActivations?.value ?? 0);
  m += elementCount(c.layer.outputShape);
  const inputs = c.layer.inputShapes;
  for (let i = 0; i < inputs.length; i++) m += elementCount(inputs[i]!);
  const work = c.work;
  for (let i = 0; i < work.length; i++) {
    const w = work[i]!;
    if (w.op === 'dot') m += w.outputs.value * (2 * w.length.value + 1);
    else if (w.op === 'maxpool' || w.op === 'avgpool') m += w.outputs.value * (w.window.kind === 'div' ? w.window.numerator.value : w.window.value);
  }
  return m;
}

/**
 * Whether no total or training figure of a report can leave exact integers: every one is at most
 * (batch) × (the model's magnitude) × (the largest bytes per value) × (FLOPs per MAC) × 4 (the
 * training memory: weights, gradients, two optimizer states, activations), and a margin of 2 more.
 */
function cannotFail(
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

/** The live activations at each step, per sample, and their values, made when first read. */
class LiveSteps {
  readonly #model: Model;
  #exprs: Expr[] | undefined = undefined;
  #values: readonly number[] | undefined = undefined;

  constructor(model: Model) {
    this.#model = model;
  }

  get exprs(): Expr[] {
    return (this.#exprs ??= liveSteps(this.#model));
  }

  get values(): readonly number[] {
    return (this.#values ??= this.exprs.map((e) => e.value));
  }
}

/** What the layers of one report share: its options, and the givens their figures write alike. */
class ReportShared {
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
const BitsOf = { Parameter: 0, Weight: 1, Bias: 2 } as const;
type BitsOf = (typeof BitsOf)[keyof typeof BitsOf];

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
class LayerAnalysis implements LayerReport {
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

const NO_FIGURES: readonly Figure[] = Object.freeze([]);

// A layer's figures that scale with the batch: one maker each, for one sample (compiled) and for a batch.
const macsFigure = (symbol: string, e: Expr) => figure(symbol, 'multiply-accumulates', 'MACs', e);
const opsFigure = (symbol: string, e: Expr) => figure(symbol, 'operations', 'ops', e);
const activationsFigure = (symbol: string, e: Expr) => figure(symbol, 'output activations', 'count', e);
const inputActivationsFigure = (symbol: string, e: Expr) => figure(symbol, 'input activations', 'count', e);

/** Runs `build`; a RangeError it raises (a count beyond exact integers) is said of `what`. */
function named(what: string, build: () => unknown): void {
  try {
    build();
  } catch (error) {
    if (error instanceof RangeError && !error.message.startsWith(`${what}:`)) throw new RangeError(`${what}: ${error.message}`);
    throw error;
  }
}

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
function nonZero<T>(items: readonly T[], pick: (item: T) => Expr): Expr[] {
  const out = new Array<Expr>(items.length);
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    const e = pick(items[i]!);
    if (e.value !== 0) out[n++] = e;
  }
  out.length = n;
  return out;
}

/** Each item's expression for the whole batch (the per-sample ones at batch 1). */
function batched(batch: number, perSample: Expr[]): Expr[] {
  return batch === 1 ? perSample : perSample.map((e) => mul2(batchVar(batch), e));
}

const PARAMS_SUM = '\\sum_{\\ell} |P_\\ell|';
const MACS_SUM = '\\sum_{\\ell} \\text{MACs}_\\ell';
const OPS_SUM = '\\sum_{\\ell} \\text{ops}_\\ell';
const ACTIVATIONS_SUM = '\\sum_{\\ell} a_\\ell';

/**
 * The layers' non-zero per-sample terms of the sums that depend on a convention at most, made on
 * first use: at batch 1 they are the terms of the totals.
 */
class SampleTerms {
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
class Totals implements ModelTotals {
  readonly #s: TotalsSource;
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

  /** At batch 1 a layer's figures are its per-sample counts: the terms are the model's, made once. */
  get #terms(): SampleTerms | undefined {
    return this.#s.shared.batch === 1 ? this.#s.structure.terms : undefined;
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

/**
 * The live activation memory at each step, per sample, as expressions: a storage (a tensor and the in-place
 * results and views that share it) lives from the step that makes it to the last step that reads
 * it; the model input from the start; the model output to the end. Linear in the graph's size.
 */
function liveSteps(model: Model): Expr[] {
  const steps = model.layers.length;
  const tensors = model.tensors;
  // Indexed by storage (a tensor id): a storage is born with the first tensor that uses it.
  const birth = new Int32Array(tensors.length).fill(-1);
  const lastUse = new Int32Array(tensors.length);
  // Storages by step of birth, in order of first use (a counting sort): born at `step` are
  // byBirth[first[step]] to byBirth[first[step + 1] - 1].
  const first = new Int32Array(steps + 1);
  let storages = 0;
  for (const t of tensors) {
    const made = Math.max(t.producer, 0);
    if (birth[t.storage] === -1) {
      birth[t.storage] = made;
      first[made + 1]!++;
      storages++;
    }
    lastUse[t.storage] = Math.max(lastUse[t.storage]!, made);
  }
  for (let step = 1; step <= steps; step++) first[step]! += first[step - 1]!;
  const byBirth = new Int32Array(storages);
  const filled = first.slice(0, steps);
  // A storage's first tensor is its own (storage = id; later tensors share earlier storages).
  for (const t of tensors) if (t.id === t.storage) byBirth[filled[birth[t.id]!]!++] = t.id;
  for (const layer of model.layers) {
    for (const input of layer.inputs) {
      const s = tensors[input]!.storage;
      lastUse[s] = Math.max(lastUse[s]!, layer.index);
    }
  }
  lastUse[tensors[model.output]!.storage] = steps - 1;

  // The live storages (live[0] to live[count - 1]) in order of birth; each one's size, written once.
  const live = new Int32Array(storages);
  let count = 0;
  const sizeOf = new Array<Expr>(tensors.length);
  const out = new Array<Expr>(steps);
  for (let step = 0; step < steps; step++) {
    for (let i = first[step]!; i < first[step + 1]!; i++) {
      const s = byBirth[i]!;
      live[count++] = s;
      sizeOf[s] = num(elementCount(tensors[s]!.shape));
    }
    const sizes = new Array<Expr>(count);
    for (let i = 0; i < count; i++) sizes[i] = sizeOf[live[i]!]!;
    out[step] = addAll(sizes);
    let kept = 0;
    for (let i = 0; i < count; i++) if (lastUse[live[i]!]! > step) live[kept++] = live[i]!;
    count = kept;
  }
  return out;
}

/**
 * Receptive fields along each tensor, while the layers are convolutional:
 * r = r_prev + (k − 1) d j_prev and j = j_prev s (j: the jump, input pixels between neighbours).
 * Stacked k × k convolutions of stride 1 give the lectures' L(k − 1) + 1.
 */
class ReceptiveFields {
  /** Per tensor: per spatial dimension, the receptive field and the jump; undefined once mixed. */
  private readonly byTensor: ({ r: Expr[]; j: Expr[] } | undefined)[];

  constructor(model: Model) {
    this.byTensor = new Array(model.tensors.length);
    const dims = model.input.length - 1;
    if (dims === 1 || dims === 2) this.byTensor[0] = { r: Array(dims).fill(num(1)), j: Array(dims).fill(num(1)) };
  }

  visit(layer: Layer, kind: LayerKind<unknown>): Expr[] | undefined {
    const inputs = layer.inputs;
    let out: { r: Expr[]; j: Expr[] } | undefined;
    let all = inputs.length > 0;
    for (let i = 0; i < inputs.length && all; i++) all = this.byTensor[inputs[i]!] !== undefined;
    if (all) {
      const first = this.byTensor[inputs[0]!]!;
      const dims = first.r.length;
      if (kind.window) {
        const w = kind.window(layer.args, layer.inputShape);
        const r = new Array<Expr>(dims);
        const j = new Array<Expr>(dims);
        for (let d = 0; d < dims; d++) {
          const rPrev = first.r[d]!;
          const jPrev = first.j[d]!;
          const k = variable('k', w.kernel[d]!, 'kernel size');
          const grow = w.dilation[d] === 1 ? sub(k, num(1)) : mul(sub(k, num(1)), variable('d', w.dilation[d]!, 'dilation'));
          const prev = rPrev.value === 1 && rPrev.kind === 'num' ? num(1) : ref('r_{\\ell-1}', rPrev);
          const jump = jPrev.value === 1 ? grow : mul(grow, ref('j_{\\ell-1}', jPrev));
          r[d] = add(prev, jump);
          j[d] = w.stride[d] === 1 ? jPrev : mul(jPrev.value === 1 ? num(1) : ref('j_{\\ell-1}', jPrev), variable('s', w.stride[d]!, 'stride'));
        }
        out = { r, j };
      } else if (kind.positionwise) {
        // A join's output sees the union of its inputs' fields: the largest.
        if (inputs.length === 1) out = first;
        else {
          const ins = inputs.map((t) => this.byTensor[t]!);
          out = { r: first.r.map((_, d) => max(...ins.map((x) => x.r[d]!))), j: first.j.map((_, d) => max(...ins.map((x) => x.j[d]!))) };
        }
      }
    }
    this.byTensor[layer.output] = out;
    return kind.window || (kind.positionwise && out && inputs.length > 1) ? out?.r : undefined;
  }
}

/** Memory for one training step, each figure built on first read (see Totals). */
class Training implements TrainingMemory {
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
