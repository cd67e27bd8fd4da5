/**
 * `#counting-profiles` in a browser bundle (see counting-profiles.ts): the profiles are a chunk of
 * their own, imported on demand. A page solves a problem that names a profile only after
 * `loadCountingProfiles()`; before, `countingProfiles()` says so rather than count without them.
 */
import type { CountingProfiles } from './counting-profiles.ts';

let loaded: CountingProfiles | undefined;
let loading: Promise<CountingProfiles> | undefined;

export function countingProfiles(): CountingProfiles {
  if (!loaded) throw new Error('the counting profiles are not loaded yet: the page must await loadCountingProfiles() before it solves a problem that names a profile');
  return loaded;
}

export function loadCountingProfiles(): Promise<CountingProfiles> {
  return (loading ??= import('../engine/analysis/profiles.ts').then((m) => (loaded = m)));
}
