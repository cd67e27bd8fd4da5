/**
 * Model definitions: what a user writes (JSON, or the TypeScript builder in `builder.ts`) and the
 * validated, shape-checked model the analyzer works on. The format is documented, with examples,
 * in FORMAT.md next to this file.
 *
 * JSON form: `{"name": "lenet5", "input": [1, 32, 32], "layers": [{"type": "Linear", "out_features": 120}]}`
 * Each layer is `{"type": <PyTorch class name>, "name"?: str, ...PyTorch's argument names}`, or a
 * block: Sequential, Residual, Parallel or Repeat (see BLOCK_TYPES).
 *
 * The result is a flat list of leaf layers in execution order (what per-layer tables show), the
 * tensors between them (what memory planning needs), and the block tree (what diagrams need).
 */
import { z } from '../schema.ts';
import { LayerError, ModelError, quote } from '../errors.ts';
import { LAYER_KINDS, LAYER_TYPES, isLayerType, type LayerArgs, type LayerType } from '../layers/registry.ts';
import type { LayerKind } from '../layers/kind.ts';
import type { Shape } from '../shape.ts';
import { Memoized } from './memo.ts';
import { allowedKeys, badName, BLOCK_TYPES, blockSchemas, describeIssues, isBlockType, MODEL_LIMITS, modelDefSchema, parseArgs, wellFormedBlock, wellFormedTop, type BlockType } from './rules.ts';

export { BLOCK_TYPES, describeIssues, fileSizeProblem, layerCountProblem, MODEL_LIMITS, tensorDimsProblem, type BlockType, type ModelFileFormat } from './rules.ts';

/** A layer or block as written: its type, an optional name, and PyTorch's arguments. */
export interface LayerDef {
  readonly type: string;
  readonly name?: string;
  readonly [arg: string]: unknown;
}

export interface ModelDef {
  readonly name: string;
  /** Per-sample input shape, without the batch: [C, H, W], [F], or [L] token ids. */
  readonly input: readonly number[];
  readonly layers: readonly LayerDef[];
  readonly description?: string;
  /** Where the definition comes from (a paper, torchvision, the course handout). */
  readonly source?: string;
}

/** A validated leaf layer with its shapes resolved and its place in the graph. */
export interface Layer<K extends LayerType = LayerType> {
  readonly type: K;
  /** Its own name, e.g. `conv1`. */
  readonly name: string;
  /** Names from the top of the model down to this layer, e.g. ['layer2', '0', 'conv1']. */
  readonly path: readonly string[];
  /** The dotted path, PyTorch's module name: `layer2.0.conv1`. */
  readonly id: string;
  /** Position in execution order. */
  readonly index: number;
  readonly args: LayerArgs[K];
  /** The (first) input's shape, per sample. */
  readonly inputShape: Shape;
  /** Every input's shape (several for Add and Concat). */
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
  readonly label: string;
  /** Ids of the input tensors (`Model.tensors`). */
  readonly inputs: readonly number[];
  /** Id of the output tensor. */
  readonly output: number;
  /**
   * True when the reference implementation calls this layer as a function (`F.adaptive_avg_pool2d`,
   * `torch.flatten`) rather than as a module: counters that hook modules (thop, torchinfo) miss it.
   * `'bound'`: through a reference taken when the model was built (transformers' GELUActivation keeps
   * `nn.functional.gelu`), which counters that patch torch.nn.functional (ptflops, calflops) miss too.
   */
  readonly functional: boolean | 'bound';
}

/**
 * A tensor between layers. Tensor 0 is the model input. In-place layers and views produce a new
 * tensor that shares its input's `storage`, so memory planning counts it once.
 */
export interface Tensor {
  readonly id: number;
  readonly shape: Shape;
  /** Index of the producing layer; -1 for the model input. */
  readonly producer: number;
  readonly storage: number;
}


/** The model's structure as written, for diagrams. Leaves point into `Model.layers`. */
export type BlockNode =
  | { readonly kind: 'layer'; readonly name: string; readonly path: readonly string[]; readonly index: number }
  | { readonly kind: 'Sequential' | 'Repeat'; readonly name: string; readonly path: readonly string[]; readonly children: readonly BlockNode[] }
  | {
      readonly kind: 'Residual';
      readonly name: string;
      readonly path: readonly string[];
      readonly body: readonly BlockNode[];
      /** Empty for an identity shortcut. */
      readonly shortcut: readonly BlockNode[];
      /** The Add layer. */
      readonly join: BlockNode;
      readonly after: readonly BlockNode[];
    }
  | {
      readonly kind: 'Parallel';
      readonly name: string;
      readonly path: readonly string[];
      readonly branches: readonly (readonly BlockNode[])[];
      /** The Add or Concat layer. */
      readonly join: BlockNode;
      readonly after: readonly BlockNode[];
    };

export interface Model {
  readonly name: string;
  readonly input: Shape;
  /** Leaf layers in execution order. */
  readonly layers: readonly Layer[];
  readonly outputShape: Shape;
  readonly tensors: readonly Tensor[];
  /** Id of the model's output tensor. */
  readonly output: number;
  /** The top-level sequence as a block tree (name '' and path []). */
  readonly tree: BlockNode;
  readonly description?: string;
  readonly source?: string;
}

/** Validates a definition, resolves every layer's shapes, and returns the model or a `ModelError`. */
export function defineModel(def: ModelDef, options: { file?: string } = {}): Model {
  const modelName = typeof def?.name === 'string' && def.name ? def.name : '(unnamed model)';
  if (def === null || typeof def !== 'object' || Array.isArray(def)) {
    throw new ModelError(modelName, [], `a model definition is an object with "name", "input" and "layers", got ${quote(def)}`, options.file);
  }
  const top = wellFormedTop(def) ? undefined : modelDefSchema.safeParse(def);
  if (top && !top.success) throw new ModelError(modelName, [], describeIssues(top.error, ['name', 'input', 'layers', 'description', 'source'], def), options.file);
  const fail = (path: readonly string[], detail: string): never => {
    throw new ModelError(modelName, path, detail, options.file);
  };
  const layers = countLayers(def.layers, [], 0, fail);
  if (layers > MODEL_LIMITS.layers) {
    fail([], `${layers > MODEL_LIMITS.layers * 10 ? 'far more than ' : ''}${Math.min(layers, MODEL_LIMITS.layers * 10).toLocaleString('en-US')} layers with every Repeat expanded; the limit is ${MODEL_LIMITS.layers.toLocaleString('en-US')}`);
  }
  return new Builder(modelName, options.file).build(def);
}

/**
 * The leaf layers a list of definitions makes, every Repeat expanded (capped a little above the
 * limit, so a Repeat of a Repeat cannot overflow), checking the nesting depth and the copies of
 * each Repeat on the way; the recursion goes no deeper than the depth limit. Anything malformed
 * counts as one layer: the builder reports it, with its path.
 */
function countLayers(defs: unknown, ns: readonly string[], depth: number, fail: (path: readonly string[], detail: string) => never): number {
  if (!Array.isArray(defs)) return 1;
  const cap = MODEL_LIMITS.layers * 10;
  let n = 0;
  for (let i = 0; i < defs.length && n <= cap; i++) {
    const def: unknown = defs[i];
    if (def === null || typeof def !== 'object' || !('type' in def) || !isBlockType(String(def.type))) {
      n += 1;
      continue;
    }
    const d = def as LayerDef;
    const path = [...ns, typeof d.name === 'string' && d.name ? d.name : String(i)];
    if (depth + 1 > MODEL_LIMITS.depth) {
      fail(path.length <= 1 ? path : [path.slice(0, -1).join('.'), path[path.length - 1]!], `blocks nest more than ${MODEL_LIMITS.depth} deep here; the limit is ${MODEL_LIMITS.depth}`);
    }
    const inner = (x: unknown) => countLayers(x, path, depth + 1, fail);
    switch (d.type as BlockType) {
      case 'Sequential':
        n += inner(d.layers);
        break;
      case 'Repeat': {
        const times = typeof d.times === 'number' && Number.isSafeInteger(d.times) && d.times > 0 ? d.times : 1;
        if (times > MODEL_LIMITS.repeat) {
          fail(path.length <= 1 ? path : [path.slice(0, -1).join('.'), path[path.length - 1]!], `Repeat: times ${times} is above the limit of ${MODEL_LIMITS.repeat.toLocaleString('en-US')} copies`);
        }
        n += times * Math.min(inner(d.layers), cap);
        break;
      }
      case 'Residual':
        n += inner(d.layers) + (d.shortcut === undefined ? 0 : inner(d.shortcut)) + (d.after === undefined ? 0 : inner(d.after)) + 1;
        break;
      case 'Parallel': {
        const branches = Array.isArray(d.branches) ? d.branches : [];
        for (const b of branches) n += inner(Array.isArray(b) ? b : [b]);
        n += (d.after === undefined ? 0 : inner(d.after)) + 1;
        break;
      }
    }
  }
  return Math.min(n, cap + 1);
}

/** A model as `defineModel` makes it: its memos (memo.ts) in a private field. */
class DefinedModel extends Memoized implements Model {
  readonly name: string;
  readonly input: Shape;
  readonly layers: readonly Layer[];
  readonly outputShape: Shape;
  readonly tensors: readonly Tensor[];
  readonly output: number;
  readonly tree: BlockNode;
  // Declared, not defined: a model without them has no such keys, as before.
  declare readonly description?: string;
  declare readonly source?: string;

  constructor(def: ModelDef, layers: readonly Layer[], outputShape: Shape, tensors: readonly Tensor[], output: number, tree: BlockNode) {
    super();
    this.name = def.name;
    this.input = def.input;
    this.layers = layers;
    this.outputShape = outputShape;
    this.tensors = tensors;
    this.output = output;
    this.tree = tree;
    if (def.description) this.description = def.description;
    if (def.source) this.source = def.source;
  }
}

/** Builds the flat layer list, the tensors and the tree in one walk over the definition. */
class Builder {
  readonly layers: Layer[] = [];
  readonly tensors: Tensor[] = [];
  readonly ids = new Set<string>();
  private readonly modelName: string;
  private readonly file: string | undefined;

  constructor(modelName: string, file: string | undefined) {
    this.modelName = modelName;
    this.file = file;
  }

  build(def: ModelDef): Model {
    const input = this.tensor(def.input, -1, undefined);
    const { nodes, output } = this.list(def.layers, [], input.id);
    const outputTensor = this.tensors[output]!;
    return new DefinedModel(def, this.layers, outputTensor.shape, this.tensors, output, { kind: 'Sequential', name: '', path: [], children: nodes });
  }

  /** Errors name the enclosing block's dotted path and the layer: `resnet18 > layer2.0 > conv1`. */
  private fail(path: readonly string[], detail: string): never {
    const where = path.length <= 1 ? [...path] : [path.slice(0, -1).join('.'), path[path.length - 1]!];
    throw new ModelError(this.modelName, where, detail, this.file);
  }

  private tensor(shape: Shape, producer: number, sharesWith: number | undefined): Tensor {
    const id = this.tensors.length;
    const t: Tensor = { id, shape, producer, storage: sharesWith === undefined ? id : this.tensors[sharesWith]!.storage };
    this.tensors.push(t);
    return t;
  }

  /**
   * A sequence of definitions in namespace `ns`. Unnamed items are numbered by position, as in
   * nn.Sequential; an unnamed Repeat takes as many numbers as it has copies.
   */
  private list(defs: readonly LayerDef[], ns: readonly string[], input: number, firstIndex = 0): { nodes: BlockNode[]; output: number } {
    const nodes: BlockNode[] = [];
    let current = input;
    let counter = firstIndex;
    for (const def of defs) {
      if (def?.type === 'Repeat' && def.name === undefined) {
        const start = typeof def.start === 'number' ? def.start : counter;
        const r = this.repeat(def, [...ns, String(counter)], ns, start, current);
        for (const n of r.nodes) nodes.push(n); // not push(...r.nodes): a Repeat's 150,000 nodes overflow the stack
        current = r.output;
        counter = start + (typeof def.times === 'number' ? def.times : 1);
        continue;
      }
      const given: unknown = def?.name;
      const bad = given === undefined ? undefined : badName(given);
      if (bad) this.fail([...ns, String(counter)], bad);
      const r = this.item(def, ns, (given as string | undefined) ?? String(counter), current);
      nodes.push(r.node);
      current = r.output;
      counter += 1;
    }
    return { nodes, output: current };
  }

  /** One layer or block, named `name` in namespace `ns`. */
  private item(def: LayerDef, ns: readonly string[], name: string, input: number): { node: BlockNode; output: number } {
    const path = [...ns, name];
    if (def === null || typeof def !== 'object' || typeof def.type !== 'string') {
      this.fail(path, `a layer must be an object with a "type"; allowed types: ${[...LAYER_TYPES, ...BLOCK_TYPES].join(', ')}`);
    }
    if (isBlockType(def.type)) return this.block(def, path, input);
    if (!isLayerType(def.type)) {
      this.fail(path, `unknown layer type '${def.type}'; allowed: ${[...LAYER_TYPES, ...BLOCK_TYPES].join(', ')}`);
    }
    const kind = LAYER_KINDS[def.type] as LayerKind<unknown>;
    if (def.type === 'MatMul') this.fail(path, 'MatMul multiplies two activations; it is made by graph importers (ONNX), not written in a sequence');
    if (kind.join) this.fail(path, `${def.type} joins branches; write it as a Residual block or a Parallel block with join '${def.type === 'Concat' ? 'concat' : def.type.toLowerCase()}'`);
    const index = this.leaf(def.type, def, path, [input]);
    return { node: { kind: 'layer', name, path, index }, output: this.layers[index]!.output };
  }

  /** Validates and adds one leaf layer with the given input tensors; returns its index. */
  private leaf(type: LayerType, def: LayerDef, path: readonly string[], inputs: readonly number[]): number {
    const kind = LAYER_KINDS[type] as LayerKind<unknown>;
    const functional = def.functional;
    if (functional !== undefined && typeof functional !== 'boolean' && functional !== 'bound') {
      this.fail(path, `${type}: functional: expected true, false or "bound", got ${JSON.stringify(functional)}`);
    }
    const args = parseArgs(kind, def, (error, rawArgs) => this.fail(path, `${type}: ${describeIssues(error, allowedKeys(kind.schema), rawArgs)}`));
    const inputShapes = inputs.map((t) => this.tensors[t]!.shape);
    const inputShape = inputShapes[0]!;
    let outputShape: Shape;
    try {
      outputShape = kind.outputShape(args, inputShape, inputShapes);
    } catch (error) {
      // A RangeError: a size beyond exact integers (a window over a dimension near 2^53).
      if (error instanceof LayerError || error instanceof RangeError) this.fail(path, `${type}: ${error.message}`);
      throw error;
    }
    const id = path.join('.');
    if (this.ids.has(id)) this.fail(path, `the name '${id}' is used by two layers`);
    this.ids.add(id);
    const index = this.layers.length;
    const output = this.tensor(outputShape, index, kind.inPlace ? inputs[0] : undefined);
    this.layers.push({
      type,
      name: path[path.length - 1]!,
      path,
      id,
      index,
      args: args as LayerArgs[LayerType],
      inputShape,
      inputShapes,
      outputShape,
      label: kind.label(args, inputShape),
      inputs,
      output: output.id,
      // Joins are `x + y` and `torch.cat` in forward: never modules.
      functional: functional === 'bound' ? 'bound' : functional === true || kind.join === true,
    } as Layer);
    return index;
  }

  /** The Sequential that holds one copy of a Repeat's layers, already validated as the Repeat's. */
  private sequentialCopy(name: string, layers: readonly LayerDef[], ns: readonly string[], input: number): { node: BlockNode; output: number } {
    const path = [...ns, name];
    const r = this.list(layers, path, input);
    return { node: { kind: 'Sequential', name, path, children: r.nodes }, output: r.output };
  }

  private parseBlock<T extends BlockType>(type: T, def: LayerDef, path: readonly string[]): z.output<(typeof blockSchemas)[T]> {
    const fast = wellFormedBlock(type, def);
    if (fast) return fast as z.output<(typeof blockSchemas)[T]>;
    const schema = blockSchemas[type];
    const parsed = schema.safeParse(def);
    if (!parsed.success) this.fail(path, `${type}: ${describeIssues(parsed.error, Object.keys(schema.shape), def)}`);
    return parsed.data as z.output<(typeof blockSchemas)[T]>;
  }

  private block(def: LayerDef, path: readonly string[], input: number): { node: BlockNode; output: number } {
    const name = path[path.length - 1]!;
    switch (def.type as BlockType) {
      case 'Sequential': {
        const b = this.parseBlock('Sequential', def, path);
        const r = this.list(b.layers as LayerDef[], path, input);
        return { node: { kind: 'Sequential', name, path, children: r.nodes }, output: r.output };
      }
      case 'Repeat': {
        const r = this.repeat(def, path, path, 0, input);
        return { node: { kind: 'Repeat', name, path, children: r.nodes }, output: r.output };
      }
      case 'Residual': {
        // output = after(body(x) + shortcut(x)); body first, then the shortcut, as PyTorch's forward runs them.
        const b = this.parseBlock('Residual', def, path);
        const body = this.list(b.layers as LayerDef[], path, input);
        const shortcut = b.shortcut ? this.list(b.shortcut as LayerDef[], [...path, b.shortcut_name], input) : { nodes: [], output: input };
        // join 'mul': squeeze-and-excitation, the body's channel scale times the block input.
        const joinType = b.join === 'mul' ? 'Mul' : 'Add';
        const joinIndex = this.leaf(joinType, { type: joinType }, [...path, b.join], [body.output, shortcut.output]);
        const joinNode: BlockNode = { kind: 'layer', name: b.join, path: [...path, b.join], index: joinIndex };
        const after = this.list(b.after as LayerDef[], path, this.layers[joinIndex]!.output, b.layers.length);
        return {
          node: { kind: 'Residual', name, path, body: body.nodes, shortcut: shortcut.nodes, join: joinNode, after: after.nodes },
          output: after.output,
        };
      }
      case 'Parallel': {
        // Each branch sees the same input; a branch written as a list is numbered by its position.
        const b = this.parseBlock('Parallel', def, path);
        const branches = b.branches.map((branch, i) =>
          Array.isArray(branch)
            ? this.list(branch as LayerDef[], [...path, String(i)], input)
            : (() => {
                const bad = (branch as LayerDef).name === undefined ? undefined : badName((branch as LayerDef).name);
                if (bad) this.fail([...path, String(i)], bad);
                const r = this.item(branch as LayerDef, path, (branch as LayerDef).name ?? String(i), input);
                return { nodes: [r.node], output: r.output };
              })(),
        );
        const joinName = b.join === 'concat' ? 'cat' : b.join;
        const joinType = b.join === 'add' ? 'Add' : b.join === 'mul' ? 'Mul' : 'Concat';
        const joinDef: LayerDef = b.join === 'concat' ? { type: 'Concat', dim: b.dim } : { type: joinType };
        const joinIndex = this.leaf(joinType, joinDef, [...path, joinName], branches.map((r) => r.output));
        const joinNode: BlockNode = { kind: 'layer', name: joinName, path: [...path, joinName], index: joinIndex };
        const after = this.list(b.after as LayerDef[], path, this.layers[joinIndex]!.output, b.branches.length);
        return {
          node: { kind: 'Parallel', name, path, branches: branches.map((r) => r.nodes), join: joinNode, after: after.nodes },
          output: after.output,
        };
      }
    }
  }

  /**
   * `times` copies of `layers`, named start, start + 1, ... in namespace `ns`: one layer or block
   * per copy when `layers` has one item, otherwise a Sequential per copy.
   */
  private repeat(def: LayerDef, errorPath: readonly string[], ns: readonly string[], start: number, input: number): { nodes: BlockNode[]; output: number } {
    const b = this.parseBlock('Repeat', def, errorPath);
    const first = b.start ?? start;
    const nodes: BlockNode[] = [];
    let current = input;
    for (let i = 0; i < b.times; i++) {
      const copyName = String(first + i);
      const layers = b.layers as LayerDef[];
      const r = layers.length === 1 ? this.item({ ...layers[0]!, name: copyName }, ns, copyName, current) : this.sequentialCopy(copyName, layers, ns, current);
      nodes.push(r.node);
      current = r.output;
    }
    return { nodes, output: current };
  }
}
