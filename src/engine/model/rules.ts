/**
 * The rules a model definition keeps: its limits, the names and arguments it may use, the schemas
 * that say so (zod), the same rules by hand for the definitions a variant makes by the thousand,
 * and the sentences an error says them in.
 */
import { z } from '../schema.ts';
import { quote } from '../errors.ts';
import type { LayerKind } from '../layers/kind.ts';
import type { LayerDef } from './define.ts';
import { step, stepNumber, ValueTrie, type TrieNode } from './trie.ts';

export const BLOCK_TYPES = ['Sequential', 'Residual', 'Parallel', 'Repeat'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

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
  /** Bytes of a model's JSON file (or any text file the engine reads: a config, a hardware profile). */
  fileBytes: 16 * 1024 * 1024,
  /**
   * Bytes of an ONNX file. Its weights are never read (only initializer dims), so a file past this
   * is better stripped or saved with external data; 256 MiB takes ResNet-50 or ViT-B/16 with their
   * weights inline.
   */
  onnxFileBytes: 256 * 1024 * 1024,
} as const;

/**
 * The limits any reader of a model checks before doing the work (the JSON definitions, the ONNX
 * importer, a config importer, the CLI and the build reading files): each returns why the input is
 * refused, in the limit's words, or undefined when it keeps the limit.
 */
export type ModelFileFormat = 'json' | 'onnx';

const FILE_LIMIT: Readonly<Record<ModelFileFormat, { bytes: number; advice: string }>> = {
  json: { bytes: MODEL_LIMITS.fileBytes, advice: '' },
  onnx: {
    bytes: MODEL_LIMITS.onnxFileBytes,
    advice: '; the importer reads no weights: save the model with external data (onnx.save_model(m, path, save_as_external_data=True)) and give it the .onnx file',
  },
};

const MiB = 1024 * 1024;
const bytesText = (n: number) => `${n.toLocaleString('en-US')} bytes${n % MiB === 0 ? ` (${n / MiB} MiB)` : ''}`;

/** Why a model file of `sizeBytes` is refused before it is read (its size from `stat`, or the bytes a browser was given). */
export function fileSizeProblem(sizeBytes: number, format: ModelFileFormat): string | undefined {
  const limit = FILE_LIMIT[format];
  if (sizeBytes <= limit.bytes) return undefined;
  return `the file is ${sizeBytes.toLocaleString('en-US')} bytes; the limit of a .${format} file is ${bytesText(limit.bytes)}${limit.advice}`;
}

/** Why a model of `layers` leaf layers (a graph's nodes, before they are translated) is refused. */
export function layerCountProblem(layers: number, what = 'layers'): string | undefined {
  if (layers <= MODEL_LIMITS.layers) return undefined;
  return `${layers.toLocaleString('en-US')} ${what}; the limit is ${MODEL_LIMITS.layers.toLocaleString('en-US')} layers`;
}

/**
 * Why the dims of a tensor a file declares are refused: each must be a positive whole number (a
 * size; a dimension left open is a name), and their product at most 2^53 − 1 elements, where
 * counts stop being exact. `what` names the tensor: "input 'x'", "initializer 'w'".
 */
export function tensorDimsProblem(dims: readonly number[], what: string, zeroAllowed = false, shown: string = dims.join('×')): string | undefined {
  let elements = 1;
  for (let i = 0; i < dims.length; i++) {
    const d = dims[i]!;
    if (!Number.isSafeInteger(d) || d < (zeroAllowed ? 0 : 1)) {
      return `${what} has dimension ${i} of ${d} (shape ${shown}); a dimension is a ${zeroAllowed ? 'whole number' : 'positive whole number'}${d === -1 ? ' (an open one is a name, such as batch_size)' : ''}`;
    }
    elements *= d;
  }
  if (elements > Number.MAX_SAFE_INTEGER) {
    return `${what} has shape ${shown}, ${elements.toExponential(3)} elements, beyond exact integer range (${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')})`;
  }
  return undefined;
}

// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const NAME_RULE = `a non-empty string of at most ${MODEL_LIMITS.nameLength} characters, without dots or line breaks`;

/** Why `name` is not a layer or block name, or undefined when it is one. */
export function badName(name: unknown): string | undefined {
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

export const modelDefSchema = z.strictObject({
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
export const blockSchemas = {
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
export function wellFormedTop(def: unknown): boolean {
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
export function wellFormedBlock(type: BlockType, def: LayerDef): Record<string, unknown> | undefined {
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

export const isBlockType = (type: string): type is BlockType => (BLOCK_TYPES as readonly string[]).includes(type);

/**
 * A layer's arguments (its definition but `type`, `name` and `functional`), validated by its
 * kind's schema. Arguments that are numbers, strings, booleans or lists of numbers (nearly every
 * layer) are validated once per kind and values: the same convolution in every block of a network,
 * or in every variant of a problem, is parsed once (zod costs more than the rest of defining a
 * layer). The parsed arguments are frozen and shared.
 */
export function parseArgs(kind: LayerKind<unknown>, def: LayerDef, fail: (error: z.core.$ZodError, raw: Record<string, unknown>) => never): unknown {
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

export function allowedKeys(schema: z.ZodMiniType): string[] {
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
      // The value given, in the user's terms: "missing" for a field not written, never "undefined".
      const value = input === undefined ? undefined : valueAt(input, issue.path);
      const given = input === undefined ? '' : value === undefined ? 'missing; ' : `got ${quote(value)}; `;
      if (issue.code === 'invalid_union') {
        // zod says only "Invalid input": say what each allowed form is, and what was given.
        const forms = issue.errors.map(formOf).filter((f, i, all) => all.indexOf(f) === i);
        return `${where}${given}allowed: ${forms.join(', or ')}`;
      }
      if (issue.code === 'invalid_type') {
        // zod says "Invalid input: expected number, received undefined".
        const missing = input === undefined ? /received undefined$/.test(issue.message) : value === undefined;
        const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
        return `${where}${missing ? 'missing' : input === undefined ? `not ${expected}` : `got ${quote(value)}`}; expected ${expected}`;
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
