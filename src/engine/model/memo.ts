/**
 * What is worked out once per model (its compiled structure, its counts under a profile) is kept
 * on the model itself, as a hidden property (a symbol key, not enumerable): a model is never
 * changed once defined. Not in a WeakMap: variants define models by the ten thousand, each used
 * once or twice, and a WeakMap of that many entries made the collector's work three times the
 * analysis (HW1 variants, profiled). A frozen model keeps its memo in a WeakMap.
 */
const frozen = new WeakMap<object, Map<symbol, unknown>>();

/** The model's memo in `slot`, made by `make` on first use. */
export function memoOf<T>(model: object, slot: symbol, make: () => T): T {
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
