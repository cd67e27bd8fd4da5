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
    const fields = new ReceptiveFields(model);
    // Arrays here are made at their size: a pushed-to array starts with room for 16.
    const layers = new Array<LayerAnalysis>(model.layers.length);
    for (let i = 0; i < layers.length; i++) {
      const layer = model.layers[i]!;
      current = layer;
      const kind = LAYER_KINDS[layer.type] as LayerKind<unknown>;
      const r = new LayerAnalysis(layer, kind, batch, precisionOf(layer), conventions);
      if (everyFigure) r.buildBeforeFields();
      r.fields = fields.visit(layer, kind);
      if (everyFigure) r.buildAfterFields();
      layers[i] = r;
    }
    current = undefined;
    const totals = totalsOf(model, layers, batch, paramBits, activationBits, conventions, options);
    const live = liveSteps(model, batch);
    const peakLive = live.length > 0
      ? maxOver(`\\max_t \\sum_{x \\in \\text{live}(t)} |x|${batch === 1 ? '' : ' \\cdot n'}`, live)
      : totals.inputActivations.expr;
    const withLive: ModelTotals = {
      ...totals,
      peakLiveActivations: figure('A_{\\text{live}}', 'peak live activations', 'count', peakLive),
      peakLiveBytes: figure('M_{\\text{live}}', 'peak live activation memory', 'B', bytesExpr(ref('A_{\\text{live}}', peakLive), activationBits, 'b_a', 'bits per activation')),
    };
    let receptiveField: Expr | undefined;
    for (let i = layers.length - 1; i >= 0 && receptiveField === undefined; i--) receptiveField = layers[i]!.fields?.[0];
    return {
      model,
      batch,
      paramBits,
      activationBits,
      conventions,
      layers,
      totals: withLive,
      ...(receptiveField ? { receptiveField: figure('r', 'receptive field', 'count', receptiveField) } : {}),
      training: trainingMemory(layers, withLive, batch, paramBits, activationBits, optimizer),
      liveActivations: live.map((e) => e.value),
    };
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
 * One layer's report. Its figures are built on first read, each by the same code and into the same
 * expression as when all were built at once, and kept: `value` is always `expr.value`. The totals
 * read the expressions they sum (weights, biases, norm parameters, buffers, parameters, MACs,
 * operations, activations; parameter bytes when precision varies by layer), so `analyze` builds
 * those; the rest (FLOPs, input activations, output sizes, parameter bytes at uniform precision)
 * wait for a reader, as do the figures around the expressions. None of these can fail where the
 * totals did not (see `analyze`), so reading one never throws.
 */
class LayerAnalysis implements LayerReport {
  readonly layer: Layer;
  readonly summary: string;
  readonly inPlace: boolean;
  readonly weightBits: number;
  readonly biasBits: number;
  readonly work: readonly Work[];
  readonly counts: LayerCounts;
  readonly #kind: LayerKind<unknown>;
  readonly #batch: number;
  readonly #conventions: Conventions;
  /** Receptive field (height, and width) of the output, while convolutional; set by `analyze`. */
  fields: readonly Expr[] | undefined = undefined;
  #subscript: string | undefined = undefined;
  // Expressions, built once each.
  #paramsExpr: Expr | undefined = undefined;
  #paramBytesExpr: Expr | undefined = undefined;
  #macsExpr: Expr | undefined = undefined;
  #flopsExpr: Expr | undefined = undefined;
  #opsExpr: Expr | undefined = undefined;
  #activationsExpr: Expr | undefined = undefined;
  #inputs: Expr[] | undefined = undefined;
  #inputActivationsExpr: Expr | undefined = undefined;
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
  #outputSizes: readonly Figure[] | undefined = undefined;
  #receptiveField: Figure | undefined = undefined;
  #receptiveFieldWidth: Figure | undefined = undefined;

  constructor(layer: Layer, kind: LayerKind<unknown>, batch: number, precision: { weightBits: number; biasBits: number }, conventions: Conventions) {
    this.layer = layer;
    this.summary = kind.summary;
    this.inPlace = kind.inPlace;
    this.weightBits = precision.weightBits;
    this.biasBits = precision.biasBits;
    this.counts = kind.counts(layer.args, layer.inputShape, layer.outputShape, layer.inputShapes);
    this.work = this.counts.work ?? [];
    this.#kind = kind;
    this.#batch = batch;
    this.#conventions = conventions;
  }

  /**
   * Builds, in the order they were always built, the expressions built before the receptive field...
   * (only when a report failed: each is named, so the error says which figure of the layer fails).
   */
  buildBeforeFields(): void {
    named('parameters', () => this.paramsExpr());
    named('MACs', () => this.macsExpr());
    named('output activations', () => this.activationsExpr());
    named('input activations', () => this.inputElements());
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
    return (this.#paramsExpr ??= sumOfParams(this.counts, this.#conventions));
  }

  paramBytesExpr(): Expr {
    if (this.#paramBytesExpr) return this.#paramBytesExpr;
    const counts = this.counts;
    const normParams = counts.normParams ?? ZERO;
    // Uniform precision keeps the short form |P| · b / 8; mixed weights and biases are priced apart.
    const uniform = this.biasBits === this.weightBits || !this.#conventions.biasInParams || counts.biases.value === 0;
    return (this.#paramBytesExpr = uniform
      ? bytesExpr(this.paramsExpr(), this.weightBits, 'b_w', 'bits per parameter')
      : add(
          bytesExpr(normParams.value !== 0 ? add(counts.weights, normParams) : counts.weights, this.weightBits, 'b_w', 'bits per weight'),
          bytesExpr(counts.biases, this.biasBits, 'b_b', 'bits per bias'),
        ));
  }

  macsExpr(): Expr {
    return (this.#macsExpr ??= perBatch(this.#batch, this.counts.macs));
  }

  flopsExpr(): Expr {
    return (this.#flopsExpr ??= mul2(flopsPerMacNum(this.#conventions), this.macsExpr()));
  }

  opsExpr(): Expr {
    return (this.#opsExpr ??= perBatch(this.#batch, seedOps(this.work, this.#conventions)));
  }

  activationsExpr(): Expr {
    if (this.#activationsExpr) return this.#activationsExpr;
    const shape = this.layer.outputShape;
    return (this.#activationsExpr = this.inPlace ? ZERO : perBatch(this.#batch, elementsExpr(shape, outputSymbols(shape))));
  }

  /** The element count of each input, per sample. */
  inputElements(): Expr[] {
    if (this.#inputs) return this.#inputs;
    const inputs: Expr[] = [];
    for (const s of this.layer.inputShapes) inputs.push(elementsExpr(s, inputSymbols(s)));
    return (this.#inputs = inputs);
  }

  inputActivationsExpr(): Expr {
    return (this.#inputActivationsExpr ??= perBatch(this.#batch, addAll(this.inputElements())));
  }

  // ---- figures

  /** `_{\text{fc1}}`, the subscript of the layer's symbols. */
  #sub(): string {
    return (this.#subscript ??= layerSubscript(this.layer));
  }

  get weights(): Figure {
    return (this.#weights ??= figure('|W' + this.#sub() + '|', 'weights', 'count', this.counts.weights));
  }

  get biases(): Figure {
    return (this.#biases ??= figure('|B' + this.#sub() + '|', 'biases', 'count', this.counts.biases));
  }

  get normParams(): Figure {
    return (this.#normParams ??= figure('|\\gamma\\beta' + this.#sub() + '|', 'norm scales and shifts', 'count', this.counts.normParams ?? ZERO));
  }

  get buffers(): Figure {
    return (this.#buffers ??= figure('|R' + this.#sub() + '|', 'buffers (running statistics)', 'count', this.counts.buffers ?? ZERO));
  }

  get params(): Figure {
    return (this.#params ??= figure('|P' + this.#sub() + '|', 'parameters', 'count', this.paramsExpr()));
  }

  get paramBytes(): Figure {
    return (this.#paramBytes ??= figure('M' + this.#sub(), 'parameter bytes', 'B', this.paramBytesExpr()));
  }

  get macs(): Figure {
    return (this.#macs ??= figure('\\text{MACs}' + this.#sub(), 'multiply-accumulates', 'MACs', this.macsExpr()));
  }

  get flops(): Figure {
    return (this.#flops ??= figure('\\text{FLOPs}' + this.#sub(), 'floating-point operations', 'FLOPs', this.flopsExpr()));
  }

  get ops(): Figure {
    return (this.#ops ??= figure('\\text{ops}' + this.#sub(), 'operations', 'ops', this.opsExpr()));
  }

  get activations(): Figure {
    return (this.#activations ??= figure('a' + this.#sub(), 'output activations', 'count', this.activationsExpr()));
  }

  get inputActivations(): Figure {
    return (this.#inputActivations ??= figure('a^{\\text{in}}' + this.#sub(), 'input activations', 'count', this.inputActivationsExpr()));
  }

  get outputSizes(): readonly Figure[] {
    if (this.#outputSizes) return this.#outputSizes;
    const sizes = this.#kind.outputSizes?.(this.layer.args, this.layer.inputShape);
    return (this.#outputSizes = sizes === undefined || sizes.length === 0 ? NO_FIGURES : sizes.map((s) => figure(s.symbol, s.label, 'count', s.expr)));
  }

  get receptiveField(): Figure | undefined {
    if (this.#receptiveField || !this.fields) return this.#receptiveField;
    return (this.#receptiveField = figure('r' + this.#sub(), 'receptive field', 'count', this.fields[0]!));
  }

  get receptiveFieldWidth(): Figure | undefined {
    const rf = this.fields;
    if (this.#receptiveFieldWidth || !rf || !rf[1] || rf[1].value === rf[0]!.value) return this.#receptiveFieldWidth;
    return (this.#receptiveFieldWidth = figure('r^w' + this.#sub(), 'receptive field width', 'count', rf[1]));
  }
}

const NO_FIGURES: readonly Figure[] = Object.freeze([]);

/** Runs `build`; a RangeError it raises (a count beyond exact integers) is said of `what`. */
function named(what: string, build: () => unknown): void {
  try {
    build();
  } catch (error) {
    if (error instanceof RangeError && !error.message.startsWith(`${what}:`)) throw new RangeError(`${what}: ${error.message}`);
    throw error;
  }
}

const flopsPerMacNum = (c: Conventions) => num(c.flopsPerMac);

/** The parts a layer has: a norm's parameters read 2 × 768, not 0 + 2 × 768. */
function sumOfParams(counts: LayerCounts, conventions: Conventions): Expr {
  const parts: Expr[] = [];
  if (counts.weights.value !== 0) parts.push(counts.weights);
  if (conventions.biasInParams && counts.biases.value !== 0) parts.push(counts.biases);
  if (counts.normParams && counts.normParams.value !== 0) parts.push(counts.normParams);
  return parts.length === 0 ? counts.weights : addAll(parts);
}

/** elements × b / 8: bytes from an element count at `bits` bits per element. */
function bytesExpr(elements: Expr, bits: number, symbol: string, meaning: string): Expr {
  return mul2(elements, div(variable(symbol, bits, meaning), num(8)));
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

/** Only the layers that contribute, so a sum over an MLP does not list its ReLUs' zeros. */
function nonZero(layers: readonly LayerAnalysis[], pick: (r: LayerAnalysis) => Expr): Expr[] {
  const out = new Array<Expr>(layers.length);
  let n = 0;
  for (let i = 0; i < layers.length; i++) {
    const e = pick(layers[i]!);
    if (e.value !== 0) out[n++] = e;
  }
  out.length = n;
  return out;
}

function totalsOf(
  model: Model,
  layers: readonly LayerAnalysis[],
  batch: number,
  paramBits: number,
  activationBits: number,
  conventions: Conventions,
  options: AnalyzeOptions,
): Omit<ModelTotals, 'peakLiveActivations' | 'peakLiveBytes'> {
  const total = (symbol: string, pick: (r: LayerAnalysis) => Expr) => sum(symbol, nonZero(layers, pick));

  const weights = total('\\sum_{\\ell} |W_\\ell|', (r) => r.counts.weights);
  const biases = total('\\sum_{\\ell} |B_\\ell|', (r) => r.counts.biases);
  const normParams = total('\\sum_{\\ell} |\\gamma\\beta_\\ell|', (r) => r.counts.normParams ?? ZERO);
  const buffers = total('\\sum_{\\ell} |R_\\ell|', (r) => r.counts.buffers ?? ZERO);
  const params = total('\\sum_{\\ell} |P_\\ell|', (r) => r.paramsExpr());
  const macs = total('\\sum_{\\ell} \\text{MACs}_\\ell', (r) => r.macsExpr());
  const ops = total('\\sum_{\\ell} \\text{ops}_\\ell', (r) => r.opsExpr());
  const inputActivations = perBatch(batch, elementsExpr(model.input, inputSymbols(model.input)));
  const layerActivations = total('\\sum_{\\ell} a_\\ell', (r) => r.activationsExpr());
  const withInput = add(ref('a_0', inputActivations), ref('\\sum_\\ell a_\\ell', layerActivations));
  const activations = conventions.inputInActivations ? withInput : layerActivations;
  const uniformPrecision = options.layerPrecision === undefined && (options.biasBits ?? paramBits) === paramBits;
  const paramBytes = uniformPrecision
    ? bytesExpr(ref('|P|', params), paramBits, 'b_w', 'bits per parameter')
    : total('\\sum_{\\ell} M_\\ell', (r) => r.paramBytesExpr());

  // Peak: the largest input + output of one layer; in-place layers allocate nothing new.
  const pairs = new Array<Expr>(layers.length);
  let n = 0;
  for (const r of layers) {
    if (r.inPlace) continue;
    const inputs = r.layer.inputShapes;
    const terms = new Array<Expr>(inputs.length + 1);
    for (let i = 0; i < inputs.length; i++) terms[i] = num(elementCount(inputs[i]!));
    terms[inputs.length] = num(elementCount(r.layer.outputShape));
    pairs[n++] = perBatch(batch, addAll(terms));
  }
  pairs.length = n;
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
    flops: figure('\\text{FLOPs}', 'floating-point operations', 'FLOPs', mul(flopsPerMacNum(conventions), macs)),
    ops: figure('\\text{ops}', 'operations', 'ops', ops),
    activations: figure('A', 'activations', 'count', activations),
    inputActivations: figure('a_0', 'input activations', 'count', inputActivations),
    activationsWithoutInput: figure('A', 'activations without the input', 'count', layerActivations),
    activationsWithInput: figure('A', 'activations with the input', 'count', withInput),
    peakActivations: figure('A_{\\text{peak}}', 'peak activations', 'count', peak),
    sramBytes: figure('\\text{SRAM}', 'activation memory (SRAM)', 'B', bytesExpr(peak, activationBits, 'b_a', 'bits per activation')),
  };
}

/**
 * The live activation memory at each step, as expressions: a storage (a tensor and the in-place
 * results and views that share it) lives from the step that makes it to the last step that reads
 * it; the model input from the start; the model output to the end. Linear in the graph's size.
 */
function liveSteps(model: Model, batch: number): Expr[] {
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
    out[step] = perBatch(batch, addAll(sizes));
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

function trainingMemory(
  layers: readonly LayerReport[],
  totals: ModelTotals,
  batch: number,
  paramBits: number,
  activationBits: number,
  optimizer: Optimizer,
): TrainingMemory {
  const P = ref('|P|', totals.params.expr);
  const bw = variable('b_w', paramBits, 'bits per parameter');
  const states = variable('k_{\\text{opt}}', OPTIMIZER_STATES[optimizer], `optimizer states per parameter (${optimizer})`);
  const internal: Expr[] = [];
  for (const r of layers) {
    const e = r.counts.internalActivations;
    if (e !== undefined && e.value !== 0) internal.push(perBatch(batch, e));
  }
  const saved = internal.length > 0
    ? add(ref('A_{\\text{in+out}}', totals.activationsWithInput.expr), sum('\\sum_\\ell a^{\\text{int}}_\\ell', internal))
    : ref('A_{\\text{in+out}}', totals.activationsWithInput.expr);
  const weightBytes = mul(P, div(bw, num(8)));
  const gradientBytes = mul(P, div(bw, num(8)));
  const optimizerBytes = mul(states, P, div(bw, num(8)));
  const activationBytes = mul(saved, div(variable('b_a', activationBits, 'bits per activation'), num(8)));
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
