/**
 * Per-layer and whole-model figures: parameters (weights, biases, norm scales, buffers), bytes,
 * MACs, FLOPs, operations, activations, peak and peak-live memory, SRAM, receptive field and
 * training memory. Each figure is an expression over the layer's sizes (see `layers/`), so every
 * number comes with its derivation.
 *
 * `analyze` makes a report of a model under options. Its parts:
 *   compiled.ts        what no option changes, compiled once per model (counts, the sums' terms)
 *   walks.ts           the live tensors at each step, and the receptive fields
 *   layer-analysis.ts  one layer's figures in one report
 *   totals.ts          the model's totals and training memory, built when first read
 */
import { ModelError } from '../errors.ts';
import { LAYER_KINDS } from '../layers/registry.ts';
import type { LayerCounts, LayerKind, Work } from '../layers/kind.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Layer, Model } from '../model/define.ts';
import { DEFAULT_CONVENTIONS, type Conventions } from './conventions.ts';
import { optionsProblem } from './options.ts';
import { CompiledLayer, compiledOf, structureOf } from './compiled.ts';
import { LayerAnalysis, ReportShared } from './layer-analysis.ts';
import { BatchLive, cannotFail, Totals, Training } from './totals.ts';
import { ReceptiveFields } from './walks.ts';

export { TOTAL_NAMES, totalEntries } from './totals.ts';

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

  // A layer's figures wait for a reader (see LayerAnalysis); so do the totals when no figure can
  // fail (`cannotFail`, totals.ts), and otherwise they are all built here, with the layers' figures
  // they sum. When something fails (a count beyond exact integers),
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

/** `layer2.0 > conv1`, as define.ts names layers in errors. */
function errorPath(layer: Layer): string[] {
  return layer.path.length <= 1 ? [...layer.path] : [layer.path.slice(0, -1).join('.'), layer.name];
}
