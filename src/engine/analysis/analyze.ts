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
    // The live tensors wait for a reader: their peak is at most the activations with the input
    // (a step's live tensors are some of them), which the totals build, so it cannot fail where
    // they did not; and they are the costliest structure of a small model (a variant's MLP).
    const live = new BatchLive(structure.live, batch);
    const totals = new Totals(totalsOf(model, structure, layers, shared, paramBits, options), live, shared);
    return new Report({
      model,
      batch,
      paramBits,
      activationBits,
      conventions,
      layers,
      totals,
      receptiveField: structure.receptiveField ? figure('r', 'receptive field', 'count', structure.receptiveField) : undefined,
      training: trainingMemory(structure, totals, shared, paramBits, optimizer),
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
 * each step, the receptive field, attention's internal activations).
 */
interface Structure {
  readonly layers: readonly CompiledLayer[];
  readonly weights: Expr[];
  readonly biases: Expr[];
  readonly normParams: Expr[];
  readonly buffers: Expr[];
  /** Per sample: each (not in-place) layer's inputs + output. */
  readonly pairs: Expr[];
  /** Per sample: the live activations at each step, made when first read. */
  readonly live: LiveSteps;
  readonly internal: Expr[];
  readonly receptiveField: Expr | undefined;
  readonly inputElements: Expr;
  readonly terms: SampleTerms;
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
  // Peak: the largest input + output of one layer; in-place layers allocate nothing new.
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
  const internal: Expr[] = [];
  for (const c of layers) {
    const e = c.counts.internalActivations;
    if (e !== undefined && e.value !== 0) internal.push(e);
  }
  let receptiveField: Expr | undefined;
  for (let i = layers.length - 1; i >= 0 && receptiveField === undefined; i--) receptiveField = layers[i]!.fields?.[0];
  return {
    layers,
    weights: nonZero(layers, (c) => c.counts.weights),
    biases: nonZero(layers, (c) => c.counts.biases),
    normParams: nonZero(layers, (c) => c.counts.normParams ?? ZERO),
    buffers: nonZero(layers, (c) => c.counts.buffers ?? ZERO),
    pairs,
    live: new LiveSteps(model),
    internal,
    receptiveField,
    inputElements: elementsExpr(model.input, inputSymbols(model.input)),
    terms: new SampleTerms(layers),
  };
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

type EagerTotals = Omit<ModelTotals, 'peakLiveActivations' | 'peakLiveBytes'>;

/** The totals: those built with the report, and the peak of the live tensors, built when first read. */
class Totals implements ModelTotals {
  readonly weights: Figure;
  readonly biases: Figure;
  readonly normParams: Figure;
  readonly buffers: Figure;
  readonly params: Figure;
  readonly paramBytes: Figure;
  readonly macs: Figure;
  readonly flops: Figure;
  readonly ops: Figure;
  readonly activations: Figure;
  readonly inputActivations: Figure;
  readonly activationsWithoutInput: Figure;
  readonly activationsWithInput: Figure;
  readonly peakActivations: Figure;
  readonly sramBytes: Figure;
  readonly #live: BatchLive;
  readonly #shared: ReportShared;
  #peakLiveActivations: Figure | undefined = undefined;
  #peakLiveBytes: Figure | undefined = undefined;

  constructor(t: EagerTotals, live: BatchLive, shared: ReportShared) {
    this.weights = t.weights;
    this.biases = t.biases;
    this.normParams = t.normParams;
    this.buffers = t.buffers;
    this.params = t.params;
    this.paramBytes = t.paramBytes;
    this.macs = t.macs;
    this.flops = t.flops;
    this.ops = t.ops;
    this.activations = t.activations;
    this.inputActivations = t.inputActivations;
    this.activationsWithoutInput = t.activationsWithoutInput;
    this.activationsWithInput = t.activationsWithInput;
    this.peakActivations = t.peakActivations;
    this.sramBytes = t.sramBytes;
    this.#live = live;
    this.#shared = shared;
  }

  get peakLiveActivations(): Figure {
    if (this.#peakLiveActivations) return this.#peakLiveActivations;
    const live = this.#live.exprs;
    const n = this.#live.batch;
    const peak = live.length > 0 ? maxOver(`\\max_t \\sum_{x \\in \\text{live}(t)} |x|${n === 1 ? '' : ' \\cdot n'}`, live) : this.inputActivations.expr;
    return (this.#peakLiveActivations = figure('A_{\\text{live}}', 'peak live activations', 'count', peak));
  }

  get peakLiveBytes(): Figure {
    const a = this.peakLiveActivations.expr;
    return (this.#peakLiveBytes ??= figure('M_{\\text{live}}', 'peak live activation memory', 'B', mul2(ref('A_{\\text{live}}', a), this.#shared.activationBitsPerByte)));
  }
}

function totalsOf(
  model: Model,
  structure: Structure,
  layers: readonly LayerAnalysis[],
  shared: ReportShared,
  paramBits: number,
  options: AnalyzeOptions,
): EagerTotals {
  const { batch, conventions } = shared;
  const total = (symbol: string, pick: (r: LayerAnalysis) => Expr) => sum(symbol, nonZero(layers, pick));

  const weights = sum('\\sum_{\\ell} |W_\\ell|', structure.weights);
  const biases = sum('\\sum_{\\ell} |B_\\ell|', structure.biases);
  const normParams = sum('\\sum_{\\ell} |\\gamma\\beta_\\ell|', structure.normParams);
  const buffers = sum('\\sum_{\\ell} |R_\\ell|', structure.buffers);
  // At batch 1 a layer's figures are its per-sample counts: the terms are the model's, made once.
  const terms = batch === 1 ? structure.terms : undefined;
  const params = terms ? sum(PARAMS_SUM, terms.params(conventions)) : total(PARAMS_SUM, (r) => r.paramsExpr());
  const macs = terms ? sum(MACS_SUM, terms.macs()) : total(MACS_SUM, (r) => r.macsExpr());
  const ops = terms ? sum(OPS_SUM, terms.ops(conventions)) : total(OPS_SUM, (r) => r.opsExpr());
  const inputActivations = perBatch(batch, structure.inputElements);
  const layerActivations = terms ? sum(ACTIVATIONS_SUM, terms.activations()) : total(ACTIVATIONS_SUM, (r) => r.activationsExpr());
  const withInput = add(ref('a_0', inputActivations), ref('\\sum_\\ell a_\\ell', layerActivations));
  const activations = conventions.inputInActivations ? withInput : layerActivations;
  const uniformPrecision = options.layerPrecision === undefined && (options.biasBits ?? paramBits) === paramBits;
  const paramBytes = uniformPrecision
    ? mul2(ref('|P|', params), shared.bytesPer(paramBits, BitsOf.Parameter))
    : total('\\sum_{\\ell} M_\\ell', (r) => r.paramBytesExpr());

  const pairs = batched(batch, structure.pairs);
  const peak = pairs.length > 0
    ? maxOver(`\\max_\\ell \\left(a_{\\ell-1} + a_\\ell\\right)${batch === 1 ? '' : ' \\cdot n'}`, pairs)
    : inputActivations;

  return {
    weights: figure('|W|', 'weights', 'count', weights),
    biases: figure('|B|', 'biases', 'count', biases),
    normParams: figure('|\\gamma\\beta|', 'norm scales and shifts', 'count', normParams),
    buffers: figure('|R|', 'buffers (running statistics)', 'count', buffers),
    params: figure('|P|', 'parameters', 'count', params),
    paramBytes: figure('M', 'parameter storage', 'B', paramBytes),
    macs: figure('\\text{MACs}', 'multiply-accumulates', 'MACs', macs),
    flops: figure('\\text{FLOPs}', 'floating-point operations', 'FLOPs', mul(shared.flopsPerMac, macs)),
    ops: figure('\\text{ops}', 'operations', 'ops', ops),
    activations: figure('A', 'activations', 'count', activations),
    inputActivations: figure('a_0', 'input activations', 'count', inputActivations),
    activationsWithoutInput: figure('A', 'activations without the input', 'count', layerActivations),
    activationsWithInput: figure('A', 'activations with the input', 'count', withInput),
    peakActivations: figure('A_{\\text{peak}}', 'peak activations', 'count', peak),
    sramBytes: figure('\\text{SRAM}', 'activation memory (SRAM)', 'B', mul2(peak, shared.activationBitsPerByte)),
  };
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

function trainingMemory(structure: Structure, totals: ModelTotals, shared: ReportShared, paramBits: number, optimizer: Optimizer): TrainingMemory {
  const batch = shared.batch;
  const P = ref('|P|', totals.params.expr);
  const bw = variable('b_w', paramBits, 'bits per parameter');
  const states = variable('k_{\\text{opt}}', OPTIMIZER_STATES[optimizer], `optimizer states per parameter (${optimizer})`);
  const internal = batched(batch, structure.internal);
  const saved = internal.length > 0
    ? add(ref('A_{\\text{in+out}}', totals.activationsWithInput.expr), sum('\\sum_\\ell a^{\\text{int}}_\\ell', internal))
    : ref('A_{\\text{in+out}}', totals.activationsWithInput.expr);
  const weightBytes = mul(P, div(bw, num(8)));
  const gradientBytes = mul(P, div(bw, num(8)));
  const optimizerBytes = mul(states, P, div(bw, num(8)));
  const activationBytes = mul(saved, shared.activationBitsPerByte);
  const total = add(ref('M_W', weightBytes), ref('M_{\\nabla}', gradientBytes), ref('M_{\\text{opt}}', optimizerBytes), ref('M_A', activationBytes));
  return {
    optimizer,
    weightBytes: figure('M_W', 'weights', 'B', weightBytes),
    gradientBytes: figure('M_{\\nabla}', 'gradients', 'B', gradientBytes),
    optimizerBytes: figure('M_{\\text{opt}}', `optimizer state (${optimizer})`, 'B', optimizerBytes),
    activationBytes: figure('M_A', 'saved activations', 'B', activationBytes),
    totalBytes: figure('M_{\\text{train}}', 'training memory', 'B', total),
  };
}
