/** `workbook build|dev|preview`'s exit code from Astro's (src/cli/site.ts). */
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/site.ts';

describe('exitCodeOf', () => {
  it.each([
    [0, null, 0],
    [1, null, 1],
    [null, 'SIGINT', 130],
    // The page watch kills a build whose page never returns: a failed build, not an interrupted one.
    [null, 'SIGKILL', 1],
    [null, 'SIGTERM', 1],
  ] as [number | null, NodeJS.Signals | null, number][])('code %j, signal %j -> %i', (code, signal, want) => {
    expect(exitCodeOf(code, signal)).toBe(want);
  });
});
