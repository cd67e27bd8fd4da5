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
import { step, stepNumber, ValueTrie, type TrieNode } from './trie.ts';

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

export const BLOCK_TYPES = ['Sequential', 'Residual', 'Parallel', 'Repeat'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

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

/**
 * Limits a definition must keep, each checked before anything is built, with a message that names
 * the limit (FORMAT.md, "Limits"): far above any real network, low enough that a careless or
 * hostile file gets an error rather than a hang or an out-of-memory crash.
 */
export const MODEL_LIMITS = {
  /** Leaf layers, with every Repeat expanded. */
  layers: 200_000,
  /** Blocks inside blocks (Sequential, Residual, Parallel, Repeat). */
  depth: 100,
  /** Copies one Repeat makes. */
  repeat: 100_000,
  /** Characters in a model's or a layer's name. */
  nameLength: 200,
  /** Bytes of a model's JSON file, for readers of files (`parseModelJson`). */
  fileBytes: 16 * 1024 * 1024,
} as const;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const NAME_RULE = `a non-empty string of at most ${MODEL_LIMITS.nameLength} characters, without dots or line breaks`;

/** Why `name` is not a layer or block name, or undefined when it is one. */
function badName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '' || name.includes('.') || CONTROL_CHARACTERS.test(name) || name.length > MODEL_LIMITS.nameLength) {
    return `name ${quote(name)} is not a name; allowed: ${NAME_RULE}`;
  }
  return undefined;
}

const modelName = z.string().check(
  z.minLength(1),
  z.maxLength(MODEL_LIMITS.nameLength, `a model's name has at most ${MODEL_LIMITS.nameLength} characters`),
  z.refine((n) => !CONTROL_CHARACTERS.test(n), 'a model\'s name has no line breaks or control characters'),
);

const modelDefSchema = z.strictObject({
  name: modelName,
  input: z.array(z.int().check(z.positive())).check(z.minLength(1)),
  layers: z.array(z.looseObject({ type: z.string(), name: z.optional(z.string().check(z.minLength(1))) })).check(z.minLength(1)),
  description: z.optional(z.string()),
  source: z.optional(z.string()),
});

const defList = z.array(z.looseObject({ type: z.string() })).check(z.minLength(1));
const name = z.optional(
  z.string().check(
    z.minLength(1),
    z.maxLength(MODEL_LIMITS.nameLength),
    z.regex(/^[^.\s]+$/, 'a name has no dots or spaces (dots separate path segments)'),
  ),
);
const blockSchemas = {
  Sequential: z.strictObject({ type: z.literal('Sequential'), name, layers: defList }),
  Residual: z.strictObject({
    type: z.literal('Residual'),
    name,
    layers: defList,
    shortcut: z.optional(defList),
    shortcut_name: z._default(z.string().check(z.minLength(1), z.maxLength(MODEL_LIMITS.nameLength), z.regex(/^[^.\s]+$/, 'a name has no dots or spaces')), 'shortcut'),
    join: z._default(z.enum(['add', 'mul']), 'add'),
    after: z._default(z.array(z.looseObject({ type: z.string() })), []),
  }),
  Parallel: z.strictObject({
    type: z.literal('Parallel'),
    name,
    branches: z.array(z.union([defList, z.looseObject({ type: z.string() })])).check(z.minLength(2)),
    join: z.enum(['add', 'concat', 'mul']),
    dim: z._default(z.int(), 1),
    after: z._default(z.array(z.looseObject({ type: z.string() })), []),
  }),
  Repeat: z.strictObject({
    type: z.literal('Repeat'),
    name,
    times: z.int().check(z.positive(), z.maximum(MODEL_LIMITS.repeat, `at most ${MODEL_LIMITS.repeat.toLocaleString('en-US')} copies (the limit of a Repeat)`)),
    start: z.optional(z.int().check(z.nonnegative())),
    layers: defList,
  }),
} as const;

const TOP_KEYS: ReadonlySet<string> = new Set(['name', 'input', 'layers', 'description', 'source']);

const isPositiveInt = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) > 0;
const isPlainObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * `modelDefSchema`'s rules by hand, for definitions that keep them (a variant's model is defined
 * for every draw): when this says no, zod checks again and says why.
 */
function wellFormedTop(def: unknown): boolean {
  if (!isPlainObject(def)) return false;
  for (const key in def) if (Object.hasOwn(def, key) && !TOP_KEYS.has(key)) return false;
  const { name, input, layers, description, source } = def;
  if (typeof name !== 'string' || name.length < 1 || name.length > MODEL_LIMITS.nameLength || CONTROL_CHARACTERS.test(name)) return false;
  if (!Array.isArray(input) || input.length < 1) return false;
  for (let i = 0; i < input.length; i++) if (!isPositiveInt(input[i])) return false;
  if (!Array.isArray(layers) || layers.length < 1) return false;
  for (let i = 0; i < layers.length; i++) {
    const layer: unknown = layers[i];
    if (!isPlainObject(layer) || typeof layer.type !== 'string') return false;
    if (layer.name !== undefined && (typeof layer.name !== 'string' || layer.name.length < 1)) return false;
  }
  return (description === undefined || typeof description === 'string') && (source === undefined || typeof source === 'string');
}

const BLOCK_KEYS: { readonly [T in BlockType]: ReadonlySet<string> } = {
  Sequential: new Set(['type', 'name', 'layers']),
  Residual: new Set(['type', 'name', 'layers', 'shortcut', 'shortcut_name', 'join', 'after']),
  Parallel: new Set(['type', 'name', 'branches', 'join', 'dim', 'after']),
  Repeat: new Set(['type', 'name', 'times', 'start', 'layers']),
};
const BLOCK_NAME = /^[^.\s]+$/;
const isBlockName = (x: unknown): boolean => typeof x === 'string' && x.length >= 1 && x.length <= MODEL_LIMITS.nameLength && BLOCK_NAME.test(x);
/** An item of a list of layers, as the block schemas' `looseObject({ type: string })` takes it. */
const isItem = (x: unknown): boolean => isPlainObject(x) && typeof x.type === 'string';
function isItemList(x: unknown, min: number): boolean {
  if (!Array.isArray(x) || x.length < min) return false;
  for (let i = 0; i < x.length; i++) if (!isItem(x[i])) return false;
  return true;
}

/**
 * `blockSchemas[type]`'s rules by hand, with its defaults filled in, for a block that keeps them
 * (a ResNet-50 has 23 blocks, defined again for every variant); undefined when it does not, and
 * zod says why. The lists are the definition's own (zod would copy each item; nothing changes them).
 */
function wellFormedBlock(type: BlockType, def: LayerDef): Record<string, unknown> | undefined {
  const keys = BLOCK_KEYS[type];
  for (const key in def) if (Object.hasOwn(def, key) && !keys.has(key)) return undefined;
  if (def.type !== type || (def.name !== undefined && !isBlockName(def.name))) return undefined;
  const base = { type, ...(def.name !== undefined ? { name: def.name } : {}) };
  switch (type) {
    case 'Sequential':
      return isItemList(def.layers, 1) ? { ...base, layers: def.layers } : undefined;
    case 'Repeat': {
      const { times, start } = def;
      if (!Number.isSafeInteger(times) || (times as number) < 1 || (times as number) > MODEL_LIMITS.repeat) return undefined;
      if (start !== undefined && !(Number.isSafeInteger(start) && (start as number) >= 0)) return undefined;
      return isItemList(def.layers, 1) ? { ...base, times, ...(start !== undefined ? { start } : {}), layers: def.layers } : undefined;
    }
    case 'Residual': {
      const { shortcut, shortcut_name: shortcutName = 'shortcut', join = 'add', after = [] } = def;
      if (!isItemList(def.layers, 1) || (shortcut !== undefined && !isItemList(shortcut, 1)) || !isBlockName(shortcutName)) return undefined;
      if ((join !== 'add' && join !== 'mul') || !isItemList(after, 0)) return undefined;
      return { ...base, layers: def.layers, ...(shortcut !== undefined ? { shortcut } : {}), shortcut_name: shortcutName, join, after };
    }
    case 'Parallel': {
      const { branches, join, dim = 1, after = [] } = def;
      if (!Array.isArray(branches) || branches.length < 2) return undefined;
      for (let i = 0; i < branches.length; i++) if (!isItemList(branches[i], 1) && !isItem(branches[i])) return undefined;
      if ((join !== 'add' && join !== 'concat' && join !== 'mul') || !Number.isSafeInteger(dim) || !isItemList(after, 0)) return undefined;
      return { ...base, branches, join, dim, after };
    }
  }
}

const isBlockType = (type: string): type is BlockType => (BLOCK_TYPES as readonly string[]).includes(type);

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
        nodes.push(...r.nodes);
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

/**
 * A layer's arguments (its definition but `type`, `name` and `functional`), validated by its
 * kind's schema. Arguments that are numbers, strings, booleans or lists of numbers (nearly every
 * layer) are validated once per kind and values: the same convolution in every block of a network,
 * or in every variant of a problem, is parsed once (zod costs more than the rest of defining a
 * layer). The parsed arguments are frozen and shared.
 */
function parseArgs(kind: LayerKind<unknown>, def: LayerDef, fail: (error: z.core.$ZodError, raw: Record<string, unknown>) => never): unknown {
  let trie = parsedArgs.get(kind);
  if (!trie) parsedArgs.set(kind, (trie = new ValueTrie(MAX_PARSED_ARGS)));
  const slot = argsSlot(trie.root, def);
  const known = slot === undefined ? undefined : trie.get(slot);
  if (known !== undefined) return known;
  const { type: _type, name: _name, functional: _functional, ...raw } = def;
  const parsed = kind.schema.safeParse(raw);
  if (!parsed.success) return fail(parsed.error, raw);
  if (slot === undefined) return parsed.data;
  const args = deepFreeze(parsed.data);
  trie.set(slot, args);
  return args;
}

const parsedArgs = new Map<LayerKind<unknown>, ValueTrie<unknown>>();
/** Distinct argument texts kept per layer kind. */
const MAX_PARSED_ARGS = 10_000;

const LIST = Symbol('list');

/**
 * Where the arguments' values lead in the trie, in their order (name, value; a list as its length
 * and its numbers), when every value is a finite number, a string, a boolean or a list of finite
 * numbers; undefined otherwise (not kept).
 */
function argsSlot(root: TrieNode, def: LayerDef): TrieNode | undefined {
  let node: TrieNode | undefined = root;
  for (const name in def) {
    if (!Object.hasOwn(def, name) || name === 'type' || name === 'name' || name === 'functional') continue;
    node = step(node, name);
    const v = def[name];
    if (typeof v === 'number') node = stepNumber(node, v);
    else if (typeof v === 'boolean' || typeof v === 'string') node = step(node, v);
    else if (Array.isArray(v)) {
      node = step(step(node, LIST), v.length);
      for (let i = 0; i < v.length && node; i++) {
        const x: unknown = v[i];
        node = typeof x === 'number' ? stepNumber(node, x) : undefined;
      }
    } else return undefined;
    if (!node) return undefined;
  }
  return node;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function allowedKeys(schema: z.ZodMiniType): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** One sentence per zod issue, naming the argument and, for unknown ones, what is allowed. */
export function describeIssues(error: z.core.$ZodError, allowed: readonly string[], input?: unknown): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => quote(k).replace(/^"|"$/g, "'")).join(', ');
        return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${keys}; allowed: ${allowed.filter((k) => k !== 'type').join(', ') || 'none'}`;
      }
      const where = issue.path.length ? `${issue.path.map((p) => quote(String(p)).slice(1, -1)).join('.')}: ` : '';
      if (issue.code === 'invalid_union') {
        // zod says only "Invalid input": say what each allowed form is, and what was given.
        const forms = issue.errors.map(formOf).filter((f, i, all) => all.indexOf(f) === i);
        const given = input === undefined ? '' : `got ${quote(valueAt(input, issue.path))}; `;
        return `${where}${given}allowed: ${forms.join(', or ')}`;
      }
      return `${where}${issue.message}`;
    })
    .join('; ');
}

const TYPE_NAMES: Readonly<Record<string, string>> = { number: 'a number', int: 'an integer', array: 'a list', string: 'a string', object: 'an object', boolean: 'true or false', null: 'null' };

/** What one branch of a union accepts, read off the issues it raised. */
function formOf(branch: readonly z.core.$ZodIssue[]): string {
  const first = branch[0];
  if (!first) return 'another form';
  if (first.code === 'invalid_type') {
    const exact = branch.find((i) => (i.code === 'too_small' || i.code === 'too_big') && i.origin === 'string' && 'exact' in i && i.exact);
    const size = exact && (exact.code === 'too_small' ? exact.minimum : exact.code === 'too_big' ? exact.maximum : undefined);
    if (first.expected === 'array' && size !== undefined) return `a list of ${String(size)} numbers`;
    return TYPE_NAMES[first.expected] ?? first.expected;
  }
  if (first.code === 'invalid_value') return `one of ${first.values.map((v) => quote(v)).join(', ')}`;
  const at = first.path.length ? `${first.path.join('.')}: ` : '';
  return `${at}${first.message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let x = input;
  for (const key of path) x = x !== null && typeof x === 'object' ? (x as Record<PropertyKey, unknown>)[key] : undefined;
  return x;
}
