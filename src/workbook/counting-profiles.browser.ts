/**
 * `#counting-profiles` in a browser bundle (see counting-profiles.ts): the profiles are a chunk of
 * their own, imported on demand. A page solves a problem that names a profile only after
 * `loadCountingProfiles()`; before, `countingProfiles()` says so rather than count without them.
 */
import { onDemand } from './on-demand.ts';

const profiles = onDemand('the counting profiles', () => import('./counting-profiles.ts').then((m) => m.countingProfiles()));

export const countingProfiles = profiles.now;
export const loadCountingProfiles = profiles.load;
