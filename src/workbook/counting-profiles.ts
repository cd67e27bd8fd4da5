/**
 * The counting profiles (engine/analysis/profiles.ts, with the tools' rules in counters.ts and
 * headlines.ts), as the answers reach them: through `#counting-profiles` (package.json "imports").
 *
 * In Node (the build, the CLI, the tests) that is this module: the profiles load with the engine.
 * A browser bundle resolves it, by the `browser` condition, to counting-profiles.browser.ts, which
 * fetches them as a chunk of their own: the practice page's script carries them only for a problem
 * that names a profile, and loads them before it solves one (`loadCountingProfiles`).
 */
import * as profiles from '../engine/analysis/profiles.ts';

export type CountingProfiles = typeof profiles;

/** The profiles, to compute with now (in a browser, after `loadCountingProfiles`). */
export function countingProfiles(): CountingProfiles {
  return profiles;
}

/** Makes the profiles ready for `countingProfiles` (here they always are). */
export function loadCountingProfiles(): Promise<CountingProfiles> {
  return Promise.resolve(profiles);
}
