/**
 * A cache keyed by a sequence of plain values (numbers, strings, booleans), walked one value at a
 * time: each level is a Map. Looking up `out_features = 256` is two Map lookups on values whose
 * hashes are cheap (small integers, literal strings), where a key written out as text
 * (`"out_features"=256;`) must be built and hashed on every lookup: for the variants of a problem,
 * which define thousands of models a second, that text cost more than the rest of the lookup.
 */
export type TrieNode = Map<unknown, unknown>;

/** What a walk ends on: the value is kept under this key of the last node. */
const VALUE = Symbol('value');

export class ValueTrie<T> {
  #root: TrieNode = new Map();
  #size = 0;
  readonly #limit: number;

  /** At most `limit` values are kept; past that the trie starts again empty. */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The node where every walk starts. */
  get root(): TrieNode {
    return this.#root;
  }

  /** The value a walk ended on, if one was kept there. */
  get(node: TrieNode): T | undefined {
    return node.get(VALUE) as T | undefined;
  }

  /** Keeps `value` where a walk ended; the node must come from this trie's current root. */
  set(node: TrieNode, value: T): void {
    if (this.#size >= this.#limit) {
      this.#root = new Map();
      this.#size = 0;
      return;
    }
    if (!node.has(VALUE)) this.#size++;
    node.set(VALUE, value);
  }
}

/** One step of a walk: the node under `key`, made when missing. */
export function step(node: TrieNode, key: unknown): TrieNode {
  let next = node.get(key) as TrieNode | undefined;
  if (next === undefined) node.set(key, (next = new Map()));
  return next;
}

/** A step by a number that Map keys keep apart from every other number (not -0, not NaN); undefined otherwise. */
export function stepNumber(node: TrieNode, x: number): TrieNode | undefined {
  if (!Number.isFinite(x) || Object.is(x, -0)) return undefined;
  return step(node, x);
}
