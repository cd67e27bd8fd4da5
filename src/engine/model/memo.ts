/**
 * What is worked out once per model (its compiled structure, its counts under a profile) is kept
 * on the model itself, as a hidden property (a symbol key, not enumerable): a model is never
 * changed once defined. Not in a WeakMap: variants define models by the ten thousand, each used
 * once or twice, and a WeakMap of that many entries made the collector's work three times the
 * analysis (HW1 variants, profiled). A frozen model keeps its memo in a WeakMap.
 */
const frozen = new WeakMap<object, Map<symbol, unknown>>();

/**
 * An object that keeps its memos in a private field, as `defineModel`'s models do: defining a
 * hidden property costs about 0.2 µs, a tenth of analyzing a variant's MLP.
 */
export class Memoized {
  #memos: Record<symbol, unknown> | undefined = undefined;

  static memo<T>(o: Memoized, slot: symbol, make: () => T): T {
    const memos = (o.#memos ??= {});
    if (slot in memos) return memos[slot] as T;
    const value = make();
    memos[slot] = value;
    return value;
  }
}

/** The model's memo in `slot`, made by `make` on first use. */
export function memoOf<T>(model: object, slot: symbol, make: () => T): T {
  if (model instanceof Memoized) return Memoized.memo(model, slot, make);
  const own = (model as Record<symbol, T | undefined>)[slot];
  if (own !== undefined) return own;
  if (Object.isExtensible(model)) {
    const value = make();
    Object.defineProperty(model, slot, { value, enumerable: false, writable: false, configurable: false });
    return value;
  }
  const byFrozen = frozen.get(model);
  if (byFrozen?.has(slot)) return byFrozen.get(slot) as T;
  const value = make();
  if (byFrozen) byFrozen.set(slot, value);
  else frozen.set(model, new Map([[slot, value]]));
  return value;
}
