/**
 * `#counting-profiles`: in Node the engine's profiles, loaded with it; in a browser bundle a
 * module that imports them on demand and refuses to count before (never a count without them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as profiles from '../../src/engine/analysis/profiles.ts';
import { PROFILE_IDS } from '../../src/engine/analysis/profile-ids.ts';
import * as node from '../../src/workbook/counting-profiles.ts';
import { countingProfiles } from '#counting-profiles';

describe('#counting-profiles', () => {
  it('package.json maps it: the browser condition to the on-demand module, Node to the eager one', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { imports: Record<string, Record<string, string>> };
    expect(pkg.imports['#counting-profiles']).toEqual({ browser: './src/workbook/counting-profiles.browser.ts', default: './src/workbook/counting-profiles.ts' });
  });

  it('in Node (these tests, the build, the CLI) is the engine\'s profiles, ready at once', async () => {
    expect(countingProfiles()).toBe(node.countingProfiles());
    expect(countingProfiles().profileTotals).toBe(profiles.profileTotals);
    expect(await node.loadCountingProfiles()).toBe(node.countingProfiles());
    expect(profiles.PROFILE_IDS).toBe(PROFILE_IDS);
  });

  it('in a browser: an error before loadCountingProfiles(), the same profiles after, loaded once', async () => {
    const browser = await import('../../src/workbook/counting-profiles.browser.ts');
    expect(() => browser.countingProfiles()).toThrow(/counting profiles are not loaded yet/);
    const [a, b] = await Promise.all([browser.loadCountingProfiles(), browser.loadCountingProfiles()]);
    expect(a).toBe(b);
    expect(browser.countingProfiles().profileTotals).toBe(profiles.profileTotals);
    expect(Object.keys(browser.countingProfiles()).sort()).toEqual(Object.keys(node.countingProfiles()).sort());
  });
});
