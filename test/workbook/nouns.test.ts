/** A count with its noun (src/workbook/nouns.ts), as <Given noun> and the practice script print it. */
import { describe, expect, it } from 'vitest';
import { countedNoun } from '../../src/workbook/nouns.ts';

describe('countedNoun', () => {
  it.each([
    [1, 'sequence', undefined, '1 sequence'],
    [8, 'sequence', undefined, '8 sequences'],
    [0, 'token', undefined, '0 tokens'],
    [2048, 'token', undefined, '2,048 tokens'],
    [1, 'key-value head', undefined, '1 key-value head'],
    [4, 'batch', 'batches', '4 batches'],
  ] as [number, string, string | undefined, string][])('%d %s -> %s', (value, noun, plural, want) => {
    expect(countedNoun(value, noun, plural)).toBe(want);
  });
});
