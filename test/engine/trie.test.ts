import { describe, expect, it } from 'vitest';
import { defineModel, type Layer } from '../../src/engine/index.ts';
import { step, stepNumber, ValueTrie, type TrieNode } from '../../src/engine/model/trie.ts';

/** The node a walk over `keys` ends on (undefined when a number is refused). */
function walk(trie: ValueTrie<string>, keys: readonly unknown[]): TrieNode | undefined {
  let node: TrieNode | undefined = trie.root;
  for (const k of keys) node = node && (typeof k === 'number' ? stepNumber(node, k) : step(node, k));
  return node;
}

describe('ValueTrie', () => {
  it('keeps values apart by every key of the walk, and by its type', () => {
    const trie = new ValueTrie<string>(100);
    const walks: unknown[][] = [['a', 1], ['a', '1'], ['a', true], ['a', 'true'], ['a', 1, 'b', 2], ['b', 1], []];
    walks.forEach((keys, i) => trie.set(walk(trie, keys)!, `v${i}`));
    walks.forEach((keys, i) => expect(trie.get(walk(trie, keys)!)).toBe(`v${i}`));
    expect(trie.get(walk(trie, ['a', 2])!)).toBeUndefined();
  });

  it('refuses -0 and NaN, which a Map would take for 0 and for each other', () => {
    const trie = new ValueTrie<string>(100);
    expect(walk(trie, ['x', -0])).toBeUndefined();
    expect(walk(trie, ['x', Number.NaN])).toBeUndefined();
    expect(walk(trie, ['x', Infinity])).toBeUndefined();
    expect(walk(trie, ['x', 0])).toBeDefined();
  });

  it('starts again empty past its limit', () => {
    const trie = new ValueTrie<string>(3);
    for (let i = 0; i < 3; i++) trie.set(walk(trie, [i])!, String(i));
    expect(trie.get(walk(trie, [2])!)).toBe('2');
    trie.set(walk(trie, [3])!, '3');
    expect(trie.get(walk(trie, [0])!)).toBeUndefined();
    expect(trie.get(walk(trie, [3])!)).toBeUndefined();
    trie.set(walk(trie, [4])!, '4');
    expect(trie.get(walk(trie, [4])!)).toBe('4');
  });
});

describe('arguments parsed once per kind and values', () => {
  const model = (layers: object[]) => defineModel({ name: 'm', input: [1, 8, 8], layers: layers as never });

  it('shares one frozen parse between layers with the same values, in any model', () => {
    const a = model([{ type: 'Conv2d', out_channels: 4, kernel_size: 3 }]);
    const b = model([{ type: 'Conv2d', out_channels: 4, kernel_size: 3 }]);
    expect(a.layers[0]!.args).toBe(b.layers[0]!.args);
    expect(Object.isFrozen(a.layers[0]!.args)).toBe(true);
  });

  it('keeps a number, a list of it and a different order apart', () => {
    const [one, list, other] = [
      model([{ type: 'Conv2d', out_channels: 4, kernel_size: 3 }]),
      model([{ type: 'Conv2d', out_channels: 4, kernel_size: [3, 3] }]),
      model([{ type: 'Conv2d', kernel_size: 3, out_channels: 4 }]),
    ].map((m) => m.layers[0]!) as [Layer, Layer, Layer];
    expect(one.args).not.toBe(list.args);
    expect(one.args).not.toBe(other.args);
    expect(one.outputShape).toEqual([4, 6, 6]);
    expect(list.outputShape).toEqual([4, 6, 6]);
    expect(other.outputShape).toEqual([4, 6, 6]);
  });

  it('still refuses a string where a number goes, after the number was parsed', () => {
    model([{ type: 'Conv2d', out_channels: 4, kernel_size: 3 }]);
    expect(() => model([{ type: 'Conv2d', out_channels: 4, kernel_size: '3' }])).toThrow(/kernel_size: got "3"; allowed: a number, or a list of 2 numbers/);
  });
});
