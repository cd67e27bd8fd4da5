/**
 * Repeated runs in a list of terms, so a sum over BERT's layers reads
 * `embeddings + 12 × (one encoder layer) + head` instead of 65 terms around a ⋯.
 * Only how a sum is written changes: a run of k copies of a block is worth k times the block.
 */

/** A list of items, some of them folded into `count × (items)`. */
export type Segment = { readonly kind: 'item'; readonly index: number } | { readonly kind: 'repeat'; readonly count: number; readonly body: readonly Segment[] };

interface Run {
  readonly start: number;
  readonly period: number;
  readonly count: number;
}

/**
 * Folds the longest run of a block repeated back to back (`a b c a b c a b c` → `3 × (a b c)`),
 * then the runs to its left and right, and the runs inside the block, by the same rule. Items are
 * equal when their keys are. A run is folded when it repeats an item or a pair three times or
 * more, or a longer block twice: two neighbours that merely coincide (a bottleneck's last
 * convolution and norm, and its shortcut's) stay as written.
 */
export function foldRepeats(keys: readonly string[]): Segment[] {
  const ids = intern(keys);
  return fold(ids, 0, ids.length);
}

function intern(keys: readonly string[]): number[] {
  const seen = new Map<string, number>();
  return keys.map((k) => {
    let id = seen.get(k);
    if (id === undefined) seen.set(k, (id = seen.size));
    return id;
  });
}

function fold(ids: readonly number[], from: number, to: number): Segment[] {
  const run = longestRun(ids, from, to);
  if (!run) return range(from, to);
  const end = run.start + run.period * run.count;
  return [
    ...fold(ids, from, run.start),
    { kind: 'repeat', count: run.count, body: fold(ids, run.start, run.start + run.period) },
    ...fold(ids, end, to),
  ];
}

const range = (from: number, to: number): Segment[] => Array.from({ length: to - from }, (_, i) => ({ kind: 'item', index: from + i }));

/** The run covering the most items (then the shortest block, then the latest), if any. */
function longestRun(ids: readonly number[], from: number, to: number): Run | undefined {
  let best: Run | undefined;
  let bestCover = 0;
  for (let period = 1; 2 * period <= to - from; period++) {
    for (let start = from; start + 2 * period <= to; start++) {
      let count = 1;
      while (start + (count + 1) * period <= to && sameBlock(ids, start, start + count * period, period)) count++;
      const cover = count * period;
      // Ties go to the latest start: a block is often preceded by a copy of its own tail (a
      // stage's first block ends with the norm every block ends with), rarely followed by its head.
      if ((count >= 3 || (count === 2 && period >= 3)) && (cover > bestCover || (cover === bestCover && period === best!.period))) {
        best = { start, period, count };
        bestCover = cover;
      }
    }
  }
  return best;
}

function sameBlock(ids: readonly number[], a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (ids[a + i] !== ids[b + i]) return false;
  return true;
}

/** How many items a folded list stands for. */
export function itemCount(segments: readonly Segment[]): number {
  let n = 0;
  for (const s of segments) n += s.kind === 'item' ? 1 : s.count * itemCount(s.body);
  return n;
}
