/**
 * Reading answers: numbers in every accepted form and unit, to base units (bytes, seconds,
 * counts); and a clear message, never a throw, for anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/workbook/grading/parse.ts';

describe('numbers and units', () => {
  it.each<[string, number, string]>([
    ['99338', 99_338, 'bare'],
    ['99,338', 99_338, 'bare'],
    ['1,234,567', 1_234_567, 'bare'],
    ['99 338', 99_338, 'bare'],
    ['99\u202f338', 99_338, 'bare'],
    ['99_338', 99_338, 'bare'],
    ["99'338", 99_338, 'bare'],
    ['9.9338e4', 99_338, 'bare'],
    ['9.9338E+4', 99_338, 'bare'],
    ['9.9338 × 10^4', 99_338, 'bare'],
    ['9.9338x10^(4)', 99_338, 'bare'],
    ['.5', 0.5, 'bare'],
    ['+12', 12, 'bare'],
    ['99.338K', 99.338 * 1e3, 'bare'],
    ['99338 B', 99_338, 'bytes'],
    ['99338 bytes', 99_338, 'bytes'],
    ['794704 bits', 794_704 / 8, 'bytes'],
    ['99.338 KB', 99.338 * 1e3, 'bytes'],
    ['99.338kB', 99.338 * 1e3, 'bytes'],
    ['97.01 KiB', 97.01 * 1024, 'bytes'],
    ['3.739776 MB', 3.739776 * 1e6, 'bytes'],
    ['3.5665 MiB', 3.5665 * 1024 ** 2, 'bytes'],
    ['0.25 GB', 0.25 * 1e9, 'bytes'],
    ['46.7 ms', 46.7e-3, 'time'],
    ['46694 us', 46_694e-6, 'time'],
    ['46694 µs', 46_694e-6, 'time'],
    ['0.0467 s', 0.0467, 'time'],
    ['3 pJ', 3e-12, 'energy'],
    ['98816 MACs', 98_816, 'macs'],
    ['98.816 K MACs', 98.816 * 1e3, 'macs'],
    ['98.816KMACs', 98.816 * 1e3, 'macs'],
    ['0.7244 GMACs', 0.7244 * 1e9, 'macs'],
    ['197.632 kFLOPs', 197.632 * 1e3, 'flops'],
    ['1.4G FLOPs', 1.4e9, 'flops'],
    ['3.7M cycles', 3.7e6, 'cycles'],
    ['61M params', 61e6, 'count'],
  ])('%j is %d (%s)', (input, value, dimension) => {
    const parsed = parseAnswer(input);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toBeCloseTo(value, 9);
    expect(parsed.dimension).toBe(dimension);
  });

  it('remembers whether a byte prefix was decimal or binary', () => {
    expect(parseAnswer('97 KiB')).toMatchObject({ kiloBase: 1024 });
    expect(parseAnswer('97 KB')).toMatchObject({ kiloBase: 1000 });
    expect(parseAnswer('97 B')).not.toHaveProperty('kiloBase');
  });
});

describe('bad input gets a message', () => {
  it.each<[string, RegExp]>([
    ['', /Enter a number/],
    ['   ', /Enter a number/],
    ['abc', /Could not read “abc” as a number/],
    ['twelve', /Could not read/],
    ['<script>alert(1)</script>', /markup is not read/],
    ['<img src=x onerror=alert(1)>', /markup is not read/],
    ['12 <b>', /Unknown unit “<b>”/],
    ['46,7', /Use a point for decimals/],
    ['12 parsecs', /Unknown unit “parsecs”. Accepted: B, KB, KiB/],
    ['12 mb', /Unknown unit “mb”/],
    ['1e300', /far too large/],
    ['9'.repeat(40), /far too large/],
    ['1e999', /far too large/],
    ['-5', /positive/],
    ['1'.repeat(80), /too long/],
    ['NaN', /Could not read/],
    ['Infinity', /Could not read/],
    ['0x10', /Unknown unit|Could not read/],
  ])('%j: %s', (input, message) => {
    const parsed = parseAnswer(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('never throws and always returns a finite value or a message', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (input) => {
      const parsed = parseAnswer(input);
      if (parsed.ok) expect(Number.isFinite(parsed.value)).toBe(true);
      else expect(parsed.error.length).toBeGreaterThan(0);
    }), { numRuns: 2000 });
  });

  it('reads back any formatted count exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 1e15 }), (n) => {
      const parsed = parseAnswer(n.toLocaleString('en-US'));
      expect(parsed.ok && parsed.value).toBe(n);
    }));
  });
});
