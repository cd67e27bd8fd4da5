/**
 * A part of the engine that a browser page imports only when its problem needs it (see
 * counting-profiles.ts, cost-models.ts): `load()` imports it once (again after a failure), and
 * `now()` gives it, or an error saying it is not loaded yet, never a figure made without it.
 */
export interface OnDemand<T> {
  now(): T;
  load(): Promise<T>;
}

export function onDemand<T>(what: string, load: () => Promise<T>): OnDemand<T> {
  let loaded: T | undefined;
  let loading: Promise<T> | undefined;
  return {
    now() {
      if (loaded === undefined) throw new Error(`${what} are not loaded yet: the page must load them before it solves a problem that needs them`);
      return loaded;
    },
    load() {
      return (loading ??= load().then(
        (m) => (loaded = m),
        (error: unknown) => {
          loading = undefined;
          throw error;
        },
      ));
    },
  };
}
