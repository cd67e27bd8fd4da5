/**
 * From a variant's parameter values to the problem it poses: `"$name"` in `model` and `given`
 * replaced by the value of parameter `name`, then validated like any hand-written problem.
 */
import { givenSchema, problemModelSchema, type Given, type ProblemModel, type ProblemSource } from '../problem.ts';
import { compileSpace, defaultValues, type ParameterSpace, type ParamSpec } from './space.ts';
import { stepNumber, ValueTrie, type TrieNode } from '../../engine/model/trie.ts';

/** What varies in a randomized problem: its space and the templates its values fill. */
export interface Variation {
  readonly params: Readonly<Record<string, ParamSpec>>;
  readonly constraints: readonly string[];
  readonly model: ProblemSource['model'];
  readonly given: ProblemSource['given'];
}

const REF = /^\$([A-Za-z_][A-Za-z0-9_]*)$/;

/** Every `"$name"` in a template, once each. */
export function refsIn(template: unknown): string[] {
  const out = new Set<string>();
  const visit = (x: unknown): void => {
    if (typeof x === 'string') {
      const m = REF.exec(x);
      if (m) out.add(m[1]!);
    } else if (Array.isArray(x)) x.forEach(visit);
    else if (x && typeof x === 'object') Object.values(x).forEach(visit);
  };
  visit(template);
  return [...out];
}

/** The variation of a problem as written, or undefined for a problem without `params`. */
export function variationOf(source: Pick<ProblemSource, 'params' | 'constraints' | 'model' | 'given'>): Variation | undefined {
  const refs = refsIn([source.model, source.given]);
  if (!source.params) {
    if (source.constraints?.length) throw new Error('`constraints` without `params`: declare the parameters they constrain');
    if (refs.length) throw new Error(`uses ${refs.map((r) => `"$${r}"`).join(', ')} but declares no \`params\``);
    return undefined;
  }
  const variation: Variation = { params: source.params, constraints: source.constraints ?? [], model: source.model, given: source.given };
  const space = spaceOf(variation);
  const unknown = refs.filter((r) => !space.names.includes(r));
  if (unknown.length) throw new Error(`uses ${unknown.map((r) => `"$${r}"`).join(', ')}, not among the params (${space.names.join(', ')})`);
  return variation;
}

const compiled = new WeakMap<Variation, ParameterSpace>();

/** The compiled space of a variation (compiled once per variation object). */
export function spaceOf(variation: Variation): ParameterSpace {
  let space = compiled.get(variation);
  if (!space) {
    space = compileSpace(variation);
    compiled.set(variation, space);
  }
  return space;
}

export interface Instance {
  readonly model: ProblemModel;
  readonly given: Given;
  /** Every parameter's value, sampled and derived. */
  readonly values: Readonly<Record<string, number>>;
  /** True when every parameter has its default: the homework as written. */
  readonly canonical: boolean;
}

/** A template's values filled in: the template made into a function of the values, once per template. */
type Filler = (vals: Readonly<Record<string, number>>) => unknown;

const fillers = new WeakMap<object, Filler>();

function fillerOf(template: unknown): Filler {
  if (template === null || typeof template !== 'object') return compileTemplate(template) ?? (() => template);
  let f = fillers.get(template);
  if (!f) fillers.set(template, (f = compileTemplate(template) ?? (() => template)));
  return f;
}

/**
 * `"$name"` anywhere in `x` replaced by the value of `name`; undefined when `x` has none. A part
 * without "$name" is returned as it is, not copied: a variant of ResNet-50 with two parameters
 * shares all but a few of its layers' definitions with the template.
 */
function compileTemplate(x: unknown): Filler | undefined {
  if (typeof x === 'string') {
    const m = REF.exec(x);
    if (!m) return undefined;
    const name = m[1]!;
    return (vals) => {
      if (!Object.hasOwn(vals, name)) throw new Error(`"${x}" is not a parameter`);
      return vals[name];
    };
  }
  if (Array.isArray(x)) {
    const parts = x.map(compileTemplate);
    if (parts.every((p) => p === undefined)) return undefined;
    return (vals) => parts.map((p, i) => (p ? p(vals) : x[i]));
  }
  if (x && typeof x === 'object') {
    const entries = Object.entries(x);
    const parts = entries.map(([, v]) => compileTemplate(v));
    if (parts.every((p) => p === undefined)) return undefined;
    // Assigning "__proto__" would set the prototype: such a template keeps fromEntries.
    if (entries.some(([k]) => k === '__proto__')) return (vals) => Object.fromEntries(entries.map(([k, v], i) => [k, parts[i] ? parts[i](vals) : v]));
    return (vals) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < entries.length; i++) {
        const part = parts[i];
        out[entries[i]![0]] = part ? part(vals) : entries[i]![1];
      }
      return out;
    };
  }
  return undefined;
}

const defaults = new WeakMap<ParameterSpace, Readonly<Record<string, number>>>();

/** A space's default values, computed once (they are read for every variant drawn). */
function defaultsOf(space: ParameterSpace): Readonly<Record<string, number>> {
  let values = defaults.get(space);
  if (!values) defaults.set(space, (values = defaultValues(space)));
  return values;
}

/** The problem posed by `values` (by default, the canonical values). Throws when a value is invalid where it goes. */
export function instantiate(variation: Variation, values: Readonly<Record<string, number>> | undefined): Instance {
  const space = spaceOf(variation);
  const defaults = defaultsOf(space);
  const vals = values ?? defaults;
  const canonical = space.names.every((n) => vals[n] === defaults[n]);
  const fill = (x: unknown): unknown => fillerOf(x)(vals);
  // Only an error says where: describing the values of every variant drawn cost as much as a check.
  const where = () => (canonical ? 'the default values' : `values ${describeValues(vals)}`);

  const given = givenOf(variation, vals, fill, where);
  let model = fill(variation.model) as ProblemModel;
  // A named MLP keeps its name only as written: a variant's widths make another network.
  if (!canonical && typeof model === 'object' && 'mlp' in model && model.name !== undefined) {
    const { name: _name, ...rest } = model;
    model = rest as ProblemModel;
  }
  if (wellFormedModel(model)) return { model, given, values: vals, canonical };
  const checked = problemModelSchema.safeParse(model);
  if (!checked.success) throw new Error(`${where()}: model: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { model: checked.data, given, values: vals, canonical };
}

const isPositiveInt = (x: unknown): boolean => Number.isSafeInteger(x) && (x as number) > 0;
const isPlainObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const MLP_KEYS: ReadonlySet<string> = new Set(['mlp', 'activation', 'name']);
/** Every index of an array passes (`every` skips the holes of a sparse array; zod does not). */
const all = (xs: readonly unknown[], test: (x: unknown) => boolean): boolean => {
  for (let i = 0; i < xs.length; i++) if (!test(xs[i])) return false;
  return true;
};

/**
 * `problemModelSchema`'s rules by hand for an MLP's widths and a full definition, the forms a
 * variant fills (checked for every draw); when this says no, zod checks again and says why.
 */
function wellFormedModel(model: unknown): boolean {
  if (!isPlainObject(model)) return false;
  if ('mlp' in model) {
    for (const key in model) if (Object.hasOwn(model, key) && !MLP_KEYS.has(key)) return false;
    const { mlp, activation, name } = model;
    if (!Array.isArray(mlp) || mlp.length < 2 || !all(mlp, isPositiveInt)) return false;
    return (activation === undefined || typeof activation === 'string') && (name === undefined || typeof name === 'string');
  }
  const { name, input, layers } = model;
  if (typeof name !== 'string' || !Array.isArray(input) || !all(input, isPositiveInt) || !Array.isArray(layers)) return false;
  return all(layers, (l) => isPlainObject(l) && typeof l.type === 'string');
}

/**
 * The givens the values pose, validated. A variation's givens use few parameters, or none (HW1's
 * precisions), so most variants pose givens seen before: the validated givens are kept by the
 * values of the parameters they use (a Given is never changed once made).
 */
function givenOf(variation: Variation, vals: Readonly<Record<string, number>>, fill: (x: unknown) => unknown, where: () => string): Given {
  let memo = givens.get(variation);
  if (!memo) givens.set(variation, (memo = { refs: refsIn(variation.given), byValues: new ValueTrie(MAX_GIVENS) }));
  // Walked by the values themselves (trie.ts): no key text made per draw.
  let node: TrieNode | undefined = memo.byValues.root;
  for (let i = 0; i < memo.refs.length && node; i++) node = stepNumber(node, vals[memo.refs[i]!]!);
  const known = node && memo.byValues.get(node);
  if (known) return known;
  const given = givenSchema.safeParse(fill(variation.given));
  if (!given.success) throw new Error(`${where()}: given: ${given.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (node) memo.byValues.set(node, given.data);
  return given.data;
}

const givens = new WeakMap<Variation, { refs: string[]; byValues: ValueTrie<Given> }>();
/** Distinct givens kept per variation (a space of clock rates × cycles per MAC is small). */
const MAX_GIVENS = 4096;

/** `n0 = 120, h1 = 256` */
export function describeValues(values: Readonly<Record<string, number>>): string {
  return Object.entries(values).map(([k, v]) => `${k} = ${v}`).join(', ');
}

/**
 * The shown values as a reader reads them: each by its frontmatter `label` when it has one
 * (`inputs = 216, first hidden layer = 512`), else by its name (`n0 = 216`).
 */
export function describeForReader(variation: Variation, values: Readonly<Record<string, number>>): string {
  return Object.entries(shownValues(variation, values))
    .map(([k, v]) => `${variation.params[k]?.label ?? k} = ${v}`)
    .join(', ');
}

/**
 * The values a reader sees in the problem: those the model and givens use, in declaration order.
 * Helpers that exist only for constraints (`homework`, a product of two widths) are left out.
 */
export function shownValues(variation: Variation, values: Readonly<Record<string, number>>): Record<string, number> {
  const used = new Set(refsIn([variation.model, variation.given]));
  return Object.fromEntries(Object.entries(values).filter(([name]) => used.has(name)));
}
