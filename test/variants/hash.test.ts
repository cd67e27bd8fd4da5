/**
 * The documented hashes: FNV-1a against its published test vectors, the finished hash and the
 * student seeds pinned, so a change to either (which would change every variant) fails here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSeed, drawSeeds, fmix32, fnv1a32, hash32, studentSeed } from '../../src/workbook/variants/hash.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('hash32', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('FNV-1a 32 of %j is the published vector', (text, expected) => {
    expect(fnv1a32(bytes(text))).toBe(expected);
  });

  it('fmix32 is MurmurHash3’s finalizer (0 stays 0; 1 maps to its published image)', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  it('joins parts with U+001F before hashing, so ["ab","c"] and ["a","bc"] differ', () => {
    expect(hash32(['ab', 'c'])).toBe(fmix32(fnv1a32(bytes('ab\u001fc'))));
    expect(hash32(['ab', 'c'])).not.toBe(hash32(['a', 'bc']));
  });

  it('is pinned: these values are part of every published variant', () => {
    expect(hash32(['variant', 'hw1/q1', 1, 'h1', 0])).toMatchInlineSnapshot(`2904261700`);
    expect(studentSeed('ada.lovelace', 'hw1/q1')).toMatchInlineSnapshot(`2707679487`);
  });

  it('is an unsigned 32-bit integer for any input', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer())), (parts) => {
        const h = hash32(parts);
        expect(Number.isInteger(h) && h >= 0 && h <= 0xffffffff).toBe(true);
      }),
    );
  });
});

describe('studentSeed', () => {
  it('ignores case, surrounding spaces and Unicode normalization form', () => {
    const s = studentSeed('ada.lovelace', 'hw1/q1');
    expect(studentSeed('  Ada.Lovelace ', 'hw1/q1')).toBe(s);
    expect(studentSeed('Jose\u0301', 'hw1/q1')).toBe(studentSeed('José', 'hw1/q1'));
  });

  it('differs between problems and between students', () => {
    expect(studentSeed('ada', 'hw1/q1')).not.toBe(studentSeed('ada', 'hw1/q2'));
    expect(studentSeed('ada', 'hw1/q1')).not.toBe(studentSeed('grace', 'hw1/q1'));
  });

  it('is never 0, the homework variant', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''), fc.string(), (id, problem) => {
      expect(studentSeed(id, problem)).toBeGreaterThan(0);
    }));
  });

  it('refuses an empty id', () => {
    expect(() => studentSeed('   ', 'hw1/q1')).toThrow('a student id cannot be empty');
  });
});

describe('hash32 encodes UTF-8 on the fly', () => {
  // The documented definition: FNV-1a of the UTF-8 of the parts joined by U+001F, then fmix32.
  const reference = (parts: (string | number)[]) => fmix32(fnv1a32(new TextEncoder().encode(parts.map(String).join('\u001f'))));

  it('equals the TextEncoder definition on any strings, lone surrogates and astral characters included', () => {
    const part = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.integer(), fc.constantFrom('\ud800', 'a\udfffb', '😀', 'é'));
    fc.assert(fc.property(fc.array(part, { maxLength: 5 }), (parts) => hash32(parts) === reference(parts)), { numRuns: 5000 });
  });
});

describe('drawSeeds', () => {
  it('gives drawSeed’s numbers (the prefix hashed once, continued per parameter and attempt)', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('hw1/q1', 'n0', '\ud800', '😀', 'é'));
    const seed = fc.integer({ min: 0, max: 0xffff_ffff });
    fc.assert(
      fc.property(text, seed, text, fc.nat(1000), (problem, s, parameter, attempt) => drawSeeds(problem, s)(parameter, attempt) === drawSeed(problem, s, parameter, attempt)),
      { numRuns: 5000 },
    );
  });
});
