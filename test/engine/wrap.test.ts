/** Long derivation lines wrap at their top-level + signs, and nothing else changes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { texUnits, wrapSum } from '../../src/engine/math/derivation.ts';

describe('wrapSum', () => {
  it.each([
    ['1 + 2', 100, ['1 + 2']],
    // 3 digits, 2 operators, 3 digits: 3 + 2.2 + 3
    ['111 + 222 + 333', 8.2, ['111 + 222', '333']],
    ['111 + 222 + 333', 3, ['111', '222', '333']],
    // Never inside parentheses or braces.
    ['\\left(1 + 2\\right) + \\underbrace{3 + 4}_{2\\ \\text{terms}}', 1, ['\\left(1 + 2\\right)', '\\underbrace{3 + 4}_{2\\ \\text{terms}}']],
    // A folded block's \bigl( \bigr) may wrap.
    ['12 \\times \\bigl(111 + 222\\bigr) + 3', 12, ['12 \\times \\bigl(111', '222\\bigr) + 3']],
  ])('%s in %d units', (form, units, lines) => {
    expect(wrapSum(form, units)).toEqual(lines);
  });

  it('keeps every term, in order, and fills lines up to the width', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10 ** 9 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 5, max: 80 }), (numbers, units) => {
        const form = numbers.join(' + ');
        const lines = wrapSum(form, units);
        expect(lines.join(' + ')).toBe(form);
        for (const line of lines) expect(texUnits(line) <= units || !line.includes(' + ')).toBe(true);
      }),
    );
  });
});

describe('texUnits', () => {
  it('counts digits, thin commas and spaced operators', () => {
    expect(texUnits('28{,}996 \\times 768')).toBeCloseTo(5 + 0.6 + 2.2 + 3);
    expect(texUnits('\\text{MACs}')).toBe(4);
  });
});
