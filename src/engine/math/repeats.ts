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
  if (ids.length < 3) return range(0, ids.length); // the shortest foldable run is 3 × one item
  const runs = periodicRuns(ids);
  return fold(ids, runs, 0, ids.length);
}

function intern(keys: readonly string[]): number[] {
  const seen = new Map<string, number>();
  return keys.map((k) => {
    let id = seen.get(k);
    if (id === undefined) seen.set(k, (id = seen.size));
    return id;
  });
}

/**
 * A stretch where period `period` holds: ids[i] = ids[i + period] for every i in [start, end − period),
 * as long as it can be (maximal), and at least two periods long. Every run a sub-list folds is one
 * of these clipped to the sub-list, so they are found once, for the whole list.
 */
interface Periodic {
  readonly start: number;
  readonly end: number;
  readonly period: number;
}

/**
 * Every maximal stretch of every period, at least two periods long, in O(n log² n): a stretch of
 * period p and length ≥ 2p contains two positions jp and (j + 1)p, so checking those (n / p of
 * them for each p) with longest-common-extension queries, by hashing, finds each stretch. There
 * are O(n) such stretches (the sum of the exponents of a list's runs is linear).
 */
function periodicRuns(ids: readonly number[]): Periodic[] {
  const n = ids.length;
  const h = new Hashes(ids);
  const out: Periodic[] = [];
  for (let p = 1; 2 * p <= n; p++) {
    for (let i = 0; i + p < n; ) {
      // Extend from (i, i + p) forward and backward while the items one period apart agree.
      // Most pairs disagree at once: compare the items before hashing.
      const forward = ids[i] === ids[i + p] ? h.forward(i, i + p) : 0;
      if (forward === 0) {
        i += p;
        continue;
      }
      const backward = h.backward(i, i + p);
      const start = i - backward;
      const end = i + p + forward; // the stretch [start, end) has period p
      if (end - start >= 2 * p) out.push({ start, end, period: p });
      // The next stretch of this period starts after this one's agreeing part [start, end − p).
      i = Math.max(i + p, Math.ceil((end - p + 1) / p) * p);
    }
  }
  return out;
}

/**
 * Polynomial hashes of every prefix, under two moduli below 2^26 (so products stay exact in
 * doubles), for comparing sub-lists in O(1). A collision could only lengthen a stretch; `fold`
 * checks the one it folds item by item, so a collision never changes what a derivation says.
 */
class Hashes {
  private readonly n: number;
  private readonly h1: Float64Array;
  private readonly h2: Float64Array;
  private readonly p1: Float64Array;
  private readonly p2: Float64Array;
  private static readonly M1 = 67_108_859;
  private static readonly M2 = 67_108_837;
  private static readonly B1 = 1_000_003;
  private static readonly B2 = 999_983;

  constructor(ids: readonly number[]) {
    const n = (this.n = ids.length);
    const { M1, M2, B1, B2 } = Hashes;
    this.h1 = new Float64Array(n + 1);
    this.h2 = new Float64Array(n + 1);
    this.p1 = new Float64Array(n + 1);
    this.p2 = new Float64Array(n + 1);
    this.p1[0] = this.p2[0] = 1;
    for (let i = 0; i < n; i++) {
      const x = ids[i]! + 1;
      this.h1[i + 1] = (this.h1[i]! * B1 + x) % M1;
      this.h2[i + 1] = (this.h2[i]! * B2 + x) % M2;
      this.p1[i + 1] = (this.p1[i]! * B1) % M1;
      this.p2[i + 1] = (this.p2[i]! * B2) % M2;
    }
  }

  /** Whether ids[a, a + len) and ids[b, b + len) agree (up to a collision). */
  private same(a: number, b: number, len: number): boolean {
    const { M1, M2 } = Hashes;
    const x1 = (this.h1[a + len]! - ((this.h1[a]! * this.p1[len]!) % M1) + M1) % M1;
    const y1 = (this.h1[b + len]! - ((this.h1[b]! * this.p1[len]!) % M1) + M1) % M1;
    if (x1 !== y1) return false;
    const x2 = (this.h2[a + len]! - ((this.h2[a]! * this.p2[len]!) % M2) + M2) % M2;
    const y2 = (this.h2[b + len]! - ((this.h2[b]! * this.p2[len]!) % M2) + M2) % M2;
    return x2 === y2;
  }

  /** The longest l with ids[a, a + l) = ids[b, b + l), a < b: galloping, then bisection. */
  forward(a: number, b: number): number {
    const limit = this.n - b;
    let lo = 0; // agrees
    let step = 1;
    while (lo + step <= limit && this.same(a, b, lo + step)) (lo += step), (step *= 2);
    let hi = Math.min(lo + step, limit + 1); // disagrees (or past the end)
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.same(a, b, mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** The longest l with ids[a − l, a) = ids[b − l, b), a < b. */
  backward(a: number, b: number): number {
    const limit = a;
    let lo = 0;
    let step = 1;
    while (lo + step <= limit && this.same(a - lo - step, b - lo - step, lo + step)) (lo += step), (step *= 2);
    let hi = Math.min(lo + step, limit + 1);
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (this.same(a - mid, b - mid, mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Folds [from, to): the best run there (see `bestRun`), then, by the same rule, the items before
 * it, inside one copy of its block, and after it. `runs` are the stretches that overlap [from, to).
 * An explicit stack instead of recursion: a list of many runs would nest too deep.
 */
function fold(ids: readonly number[], runs: readonly Periodic[], from: number, to: number): Segment[] {
  interface Task {
    readonly from: number;
    readonly to: number;
    readonly runs: readonly Periodic[];
    /** Already split where no stretch crosses (see below). */
    readonly component?: boolean;
    /** What the range folds to: segments, and tasks whose segments go in their place. */
    parts?: (Segment | Task)[];
  }
  const root: Task = { from, to, runs };
  const stack: Task[] = [root];
  // The bodies of repeats whose segments are a task's, filled in at the end.
  const bodies: { segment: { body: Segment[] }; task: Task }[] = [];
  while (stack.length > 0) {
    const task = stack.pop()!;
    const here = task.runs.filter((r) => r.end > task.from && r.start < task.to);
    if (here.length === 0) {
      task.parts = range(task.from, task.to);
      continue;
    }
    if (!task.component) {
      // Where no stretch crosses, the list folds as its two sides would fold apart (no run there
      // is clipped): so each group of overlapping stretches is folded on its own. Without this, a
      // list of many runs side by side would be searched once per run, each time whole.
      here.sort((a, b) => a.start - b.start);
      const parts: (Segment | Task)[] = [];
      let at = task.from;
      for (let i = 0; i < here.length; ) {
        const start = Math.max(here[i]!.start, task.from);
        let end = Math.min(here[i]!.end, task.to);
        let j = i + 1;
        while (j < here.length && here[j]!.start < end) end = Math.max(end, Math.min(here[j]!.end, task.to)), j++;
        for (let k = at; k < start; k++) parts.push({ kind: 'item', index: k }); // not push(...range): a spread of a long list overflows the stack
        const group: Task = { from: start, to: end, runs: here.slice(i, j), component: true };
        parts.push(group);
        stack.push(group);
        at = end;
        i = j;
      }
      for (let k = at; k < task.to; k++) parts.push({ kind: 'item', index: k });
      task.parts = parts;
      continue;
    }
    const run = bestRun(ids, here, task.from, task.to);
    if (!run) {
      task.parts = range(task.from, task.to);
      continue;
    }
    const end = run.start + run.period * run.count;
    const left: Task = { from: task.from, to: run.start, runs: here };
    const inner: Task = { from: run.start, to: run.start + run.period, runs: here };
    const right: Task = { from: end, to: task.to, runs: here };
    const repeat = { kind: 'repeat' as const, count: run.count, body: [] as Segment[] };
    bodies.push({ segment: repeat, task: inner });
    task.parts = [left, repeat, right];
    stack.push(left, inner, right);
  }
  // Flatten: a task stands for its parts, in order (again without recursion).
  const flatten = (top: Task): Segment[] => {
    const out: Segment[] = [];
    const pending: (Segment | Task)[] = [top];
    while (pending.length > 0) {
      const x = pending.pop()!;
      if ('parts' in x && x.parts) for (let i = x.parts.length - 1; i >= 0; i--) pending.push(x.parts[i]!);
      else if ('kind' in x) out.push(x);
    }
    return out;
  };
  for (const { segment, task } of bodies) segment.body = flatten(task);
  return flatten(root);
}

/**
 * The run covering the most items (then the shortest block, then the latest start) in [from, to).
 * A run is folded when it repeats an item or a pair three times or more, or a longer block twice:
 * two neighbours that merely coincide (a bottleneck's last convolution and norm, and its
 * shortcut's) stay as written. Ties go to the latest start: a block is often preceded by a copy
 * of its own tail (a stage's first block ends with the norm every block ends with), rarely
 * followed by its head.
 */
function bestRun(ids: readonly number[], runs: readonly Periodic[], from: number, to: number): Run | undefined {
  // A candidate a hash collision made up is dropped when its items disagree, and the next best taken.
  const rejected = new Set<Periodic>();
  for (;;) {
    let best: Run | undefined;
    let bestRun: Periodic | undefined;
    for (const r of runs) {
      if (rejected.size > 0 && rejected.has(r)) continue;
      const start = Math.max(r.start, from);
      const length = Math.min(r.end, to) - start;
      const count = Math.floor(length / r.period);
      if (!(count >= 3 || (count === 2 && r.period >= 3))) continue;
      const c = { start: start + (length % r.period), period: r.period, count };
      if (!best || better(c, best)) (best = c), (bestRun = r);
    }
    if (!best) return undefined;
    let ok = true;
    for (let i = best.start + best.period; i < best.start + best.period * best.count && ok; i++) ok = ids[i] === ids[i - best.period];
    if (ok) return best;
    rejected.add(bestRun!);
  }
}

/** More items covered, then a shorter block, then a later start. */
const better = (a: Run, b: Run): boolean =>
  a.period * a.count !== b.period * b.count ? a.period * a.count > b.period * b.count : a.period !== b.period ? a.period < b.period : a.start > b.start;

const range = (from: number, to: number): Segment[] => Array.from({ length: to - from }, (_, i) => ({ kind: 'item', index: from + i }));

/** How many items a folded list stands for. */
export function itemCount(segments: readonly Segment[]): number {
  let n = 0;
  for (const s of segments) n += s.kind === 'item' ? 1 : s.count * itemCount(s.body);
  return n;
}
