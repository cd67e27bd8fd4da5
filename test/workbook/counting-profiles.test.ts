/**
 * `#counting-profiles` and `#cost-models`: in Node the engine's modules, loaded with it; in a
 * browser bundle modules that import them on demand and refuse to count before (never a figure
 * made without them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as profiles from '../../src/engine/analysis/profiles.ts';
import { PROFILE_IDS } from '../../src/engine/analysis/profile-ids.ts';
import * as node from '../../src/workbook/counting-profiles.ts';
import * as nodeCost from '../../src/workbook/cost-models.ts';
import { roofline } from '../../src/engine/cost/roofline.ts';
import { countingProfiles } from '#counting-profiles';
import { costModels } from '#cost-models';
import { onDemand } from '../../src/workbook/on-demand.ts';

describe('#counting-profiles', () => {
  it('package.json maps it: the browser condition to the on-demand module, Node to the eager one', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { imports: Record<string, Record<string, string>> };
    expect(pkg.imports['#counting-profiles']).toEqual({ browser: './src/workbook/counting-profiles.browser.ts', default: './src/workbook/counting-profiles.ts' });
    expect(pkg.imports['#cost-models']).toEqual({ browser: './src/workbook/cost-models.browser.ts', default: './src/workbook/cost-models.ts' });
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

  it('#cost-models: in Node the engine\'s cost models at once; in a browser, after loadCostModels()', async () => {
    expect(costModels()).toBe(nodeCost.costModels());
    expect(costModels().roofline).toBe(roofline);
    const browser = await import('../../src/workbook/cost-models.browser.ts');
    expect(() => browser.costModels()).toThrow(/cost models \(fit, roofline, throughput, energy\) are not loaded yet/);
    expect(await browser.loadCostModels()).toBe(nodeCost.costModels());
    expect(browser.costModels().roofline).toBe(roofline);
  });
});

describe('onDemand', () => {
  it('imports once however often it is asked, and tries again after a failed import', async () => {
    let calls = 0;
    const part = onDemand('the parts', () => (++calls === 1 ? Promise.reject(new Error('offline')) : Promise.resolve({ n: calls })));
    await expect(part.load()).rejects.toThrow('offline');
    expect(() => part.now()).toThrow(/the parts are not loaded yet/);
    const [a, b] = await Promise.all([part.load(), part.load()]);
    expect(a).toBe(b);
    expect(part.now()).toEqual({ n: 2 });
    expect(calls).toBe(2);
  });
});
