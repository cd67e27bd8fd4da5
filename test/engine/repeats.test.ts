/**
 * Folding repeated blocks in a sum: `embeddings + 12 × (encoder layer) + head`.
 * The folded list must stand for exactly the items it replaces, in order, and the folded
 * derivation lines must still add up to the figure.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, derivationForms, zooModel } from '../../src/engine/index.ts';
import { add, num, sum, type Expr } from '../../src/engine/math/expr.ts';
import { partiallyEvaluatedTex, toTex } from '../../src/engine/math/latex.ts';
import { foldRepeats, itemCount, type Segment } from '../../src/engine/math/repeats.ts';

/** `3(ab)` for three copies of a b; items by their keys. */
function show(segments: readonly Segment[], keys: readonly string[]): string {
  return segments.map((s) => (s.kind === 'item' ? keys[s.index] : `${s.count}(${show(s.body, keys)})`)).join('');
}

function expand(segments: readonly Segment[]): number[] {
  return segments.flatMap((s) => (s.kind === 'item' ? [s.index] : Array.from({ length: s.count }, () => expand(s.body)).flat()));
}

describe('foldRepeats', () => {
  it.each([
    ['abc', 'abc'],
    ['aa', 'aa'], // two coinciding neighbours stay
    ['aaa', '3(a)'],
    ['abab', 'abab'], // a pair twice stays
    ['ababab', '3(ab)'],
    ['xabcabcy', 'x2(abc)y'],
    // BERT: embeddings w p t n, then 12 layers (attention A, norm n, two linears f g, norm n), head h.
    ['wptn' + 'Anfgn'.repeat(12) + 'h', 'wptn12(Anfgn)h'],
    // A block preceded by a copy of its tail folds on the block, not on a rotation of it.
    ['cn' + 'abcn'.repeat(2) + 'z', 'cn2(abcn)z'],
    // Runs on both sides of another, and inside a block.
    ['aaab' + 'cddd'.repeat(2), '3(a)b2(c3(d))'],
  ])('%s → %s', (keys, folded) => {
    const list = [...keys];
    expect(show(foldRepeats(list), list)).toBe(folded);
  });

  it('stands for exactly the items it folds, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }), (keys) => {
        const segments = foldRepeats(keys);
        expect(itemCount(segments)).toBe(keys.length);
        expect(expand(segments).map((i) => keys[i])).toEqual(keys);
      }),
    );
  });
});

describe('folded sums', () => {
  /** Evaluates a substituted or partially evaluated line made of numbers, +, \times and parentheses. */
  function addUp(tex: string): number {
    const js = tex.replaceAll('{,}', '').replace(/\\(?:left|bigl)\(/g, '(').replace(/\\(?:right|bigr)\)/g, ')').replaceAll('\\times', '*');
    expect(js).toMatch(/^[\d\s+*()]+$/);
    return Function(`return ${js}`)() as number;
  }

  it('writes BERT-base-QA parameters as embeddings, 12 encoder layers and the head', () => {
    const report = analyze(defineModel(zooModel('bert-base-cased-qa')));
    const forms = derivationForms(report.totals.params);
    expect(forms[2]).toBe('22{,}268{,}928 + 393{,}216 + 1{,}536 + 1{,}536 + 12 \\times 7{,}087{,}872 + 1{,}538');
    expect(addUp(forms[2]!)).toBe(107_721_218);
    expect(forms[1]).toContain('12 \\times \\bigl(');
    expect(forms[1]).not.toContain('\\cdots');
  });

  it('folds the 24 attention matmuls of BERT into 12 × a pair', () => {
    const report = analyze(defineModel(zooModel('bert-base-cased-qa')));
    const macs = derivationForms(report.totals.macs);
    expect(macs[2]).toBe(`12 \\times ${'931{,}135{,}488'} + 196{,}608`);
    expect(12 * 931_135_488 + 196_608).toBe(report.totals.macs.value);
  });

  it('a folded line adds up to the value, for any sum of repeated terms', () => {
    const term = fc.oneof(
      fc.integer({ min: 0, max: 999 }).map((v) => num(v)),
      fc.tuple(fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 99 })).map(([a, b]) => add(num(a), num(b))),
    );
    fc.assert(
      fc.property(fc.array(term, { maxLength: 8 }), fc.array(fc.tuple(fc.nat(7), fc.integer({ min: 1, max: 5 })), { maxLength: 6 }), (pool, picks) => {
        if (pool.length === 0) return;
        const terms: Expr[] = picks.flatMap(([i, times]) => Array.from({ length: times }, () => pool[i % pool.length]!));
        const e = sum('S', terms);
        const line = partiallyEvaluatedTex(e);
        if (line !== undefined && !line.includes('\\cdots')) expect(addUp(line)).toBe(e.value);
        const substituted = toTex(e, 'substituted');
        if (!substituted.includes('\\cdots') && terms.length > 0) expect(addUp(substituted)).toBe(e.value);
      }),
    );
  });
});

/** The first implementation (cubic in the list's length), kept as the oracle for the fast one. */
function foldOracle(keys: readonly string[]): Segment[] {
  const seen = new Map<string, number>();
  const ids = keys.map((k) => (seen.has(k) ? seen.get(k)! : (seen.set(k, seen.size), seen.size - 1)));
  const same = (a: number, b: number, length: number) => {
    for (let i = 0; i < length; i++) if (ids[a + i] !== ids[b + i]) return false;
    return true;
  };
  const fold = (from: number, to: number): Segment[] => {
    let best: { start: number; period: number; count: number } | undefined;
    let bestCover = 0;
    for (let period = 1; 2 * period <= to - from; period++) {
      for (let start = from; start + 2 * period <= to; start++) {
        let count = 1;
        while (start + (count + 1) * period <= to && same(start, start + count * period, period)) count++;
        const cover = count * period;
        if ((count >= 3 || (count === 2 && period >= 3)) && (cover > bestCover || (cover === bestCover && period === best!.period))) {
          best = { start, period, count };
          bestCover = cover;
        }
      }
    }
    if (!best) return Array.from({ length: to - from }, (_, i) => ({ kind: 'item', index: from + i }));
    const end = best.start + best.period * best.count;
    return [...fold(from, best.start), { kind: 'repeat', count: best.count, body: fold(best.start, best.start + best.period) }, ...fold(end, to)];
  };
  return fold(0, ids.length);
}

describe('foldRepeats, in about linear time', () => {
  it('folds as the first (cubic) implementation did', () => {
    const lists = fc.oneof(
      fc.array(fc.constantFrom('a', 'b'), { maxLength: 60 }),
      fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 60 }),
      // Blocks repeated back to back, with noise between.
      fc.array(fc.tuple(fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 5 })), { maxLength: 8 })
        .map((blocks) => blocks.flatMap(([block, times]) => Array.from({ length: times }, () => block).flat())),
    );
    fc.assert(
      fc.property(lists, (keys) => {
        expect(foldRepeats(keys)).toEqual(foldOracle(keys));
      }),
      { seed: 16, numRuns: 2000 },
    );
  });

  it('folds 100,000 items, each of a run of its own or one run, without deep recursion', () => {
    const same = Array.from({ length: 100_000 }, () => 'a');
    expect(show(foldRepeats(same), same)).toBe('100000(a)');
    // 10,000 runs of three, each tied with the next: folded one after another, not nested.
    const runs = Array.from({ length: 10_000 }, (_, i) => [`x${i}`, `x${i}`, `x${i}`, `y${i}`]).flat();
    const folded = foldRepeats(runs);
    expect(folded).toHaveLength(20_000);
    expect(itemCount(folded)).toBe(40_000);
  });
});
