/**
 * Units a student may write after a number, and what each is worth in its dimension's base unit
 * (bytes, seconds, joules, or plain counts of MACs, FLOPs, cycles, parameters).
 */
import type { Unit } from '../../engine/math/derivation.ts';

export type Dimension =
  | 'count'
  | 'bytes'
  | 'macs'
  | 'flops'
  | 'ops'
  | 'cycles'
  | 'accesses'
  | 'time'
  | 'energy'
  | 'flop-rate'
  | 'bandwidth'
  | 'op-rate'
  | 'sample-rate'
  | 'token-rate'
  | 'intensity'
  | 'fraction';

/** Dimensions whose figures are whole counts, graded exactly (see precision.ts). */
export const COUNTED_DIMENSIONS: ReadonlySet<Dimension> = new Set(['count', 'bytes', 'macs', 'flops', 'ops', 'cycles', 'accesses']);

/** What each engine unit measures, and how many base units one of it is. */
export const FIGURE_UNITS: Record<Unit, { readonly dimension: Dimension; readonly scale: number }> = {
  count: { dimension: 'count', scale: 1 },
  elements: { dimension: 'count', scale: 1 },
  params: { dimension: 'count', scale: 1 },
  B: { dimension: 'bytes', scale: 1 },
  kB: { dimension: 'bytes', scale: 1e3 },
  MB: { dimension: 'bytes', scale: 1e6 },
  GB: { dimension: 'bytes', scale: 1e9 },
  KiB: { dimension: 'bytes', scale: 1024 },
  MiB: { dimension: 'bytes', scale: 1024 ** 2 },
  GiB: { dimension: 'bytes', scale: 1024 ** 3 },
  bits: { dimension: 'bytes', scale: 1 / 8 },
  MACs: { dimension: 'macs', scale: 1 },
  FLOPs: { dimension: 'flops', scale: 1 },
  ops: { dimension: 'ops', scale: 1 },
  cycles: { dimension: 'cycles', scale: 1 },
  s: { dimension: 'time', scale: 1 },
  ms: { dimension: 'time', scale: 1e-3 },
  us: { dimension: 'time', scale: 1e-6 },
  'FLOP/s': { dimension: 'flop-rate', scale: 1 },
  'B/s': { dimension: 'bandwidth', scale: 1 },
  'FLOP/B': { dimension: 'intensity', scale: 1 },
  'ops/s': { dimension: 'op-rate', scale: 1 },
  'samples/s': { dimension: 'sample-rate', scale: 1 },
  'tokens/s': { dimension: 'token-rate', scale: 1 },
  accesses: { dimension: 'accesses', scale: 1 },
  pJ: { dimension: 'energy', scale: 1e-12 },
  uJ: { dimension: 'energy', scale: 1e-6 },
  percent: { dimension: 'fraction', scale: 0.01 },
};

export const DIMENSION_NAMES: Record<Dimension, string> = {
  count: 'a count',
  bytes: 'a size in bytes',
  macs: 'a number of MACs',
  flops: 'a number of FLOPs',
  ops: 'a number of operations',
  cycles: 'a number of cycles',
  accesses: 'a number of memory accesses',
  time: 'a time',
  energy: 'an energy',
  'flop-rate': 'a compute rate',
  bandwidth: 'a bandwidth',
  'op-rate': 'an operation rate',
  'sample-rate': 'a throughput',
  'token-rate': 'tokens per second',
  intensity: 'an arithmetic intensity',
  fraction: 'a fraction',
};

export interface InputUnit {
  readonly dimension: Dimension;
  /** Base units per one of this unit. */
  readonly scale: number;
  /** For byte units with a prefix: 1000 (KB, MB, GB) or 1024 (KiB, MiB, GiB). */
  readonly kiloBase?: 1000 | 1024;
}

const bytes = (scale: number, kiloBase?: 1000 | 1024): InputUnit =>
  kiloBase ? { dimension: 'bytes', scale, kiloBase } : { dimension: 'bytes', scale };

/** Units written as one word. Case matters where it carries meaning (MB is not mb). */
export const INPUT_UNITS: Readonly<Record<string, InputUnit>> = {
  B: bytes(1),
  byte: bytes(1),
  bytes: bytes(1),
  bit: bytes(1 / 8),
  bits: bytes(1 / 8),
  KB: bytes(1e3, 1000),
  kB: bytes(1e3, 1000),
  KiB: bytes(1024, 1024),
  MB: bytes(1e6, 1000),
  MiB: bytes(1024 ** 2, 1024),
  GB: bytes(1e9, 1000),
  GiB: bytes(1024 ** 3, 1024),
  s: { dimension: 'time', scale: 1 },
  sec: { dimension: 'time', scale: 1 },
  ms: { dimension: 'time', scale: 1e-3 },
  us: { dimension: 'time', scale: 1e-6 },
  'µs': { dimension: 'time', scale: 1e-6 },
  'μs': { dimension: 'time', scale: 1e-6 },
  ns: { dimension: 'time', scale: 1e-9 },
  J: { dimension: 'energy', scale: 1 },
  mJ: { dimension: 'energy', scale: 1e-3 },
  uJ: { dimension: 'energy', scale: 1e-6 },
  'µJ': { dimension: 'energy', scale: 1e-6 },
  nJ: { dimension: 'energy', scale: 1e-9 },
  pJ: { dimension: 'energy', scale: 1e-12 },
  '%': { dimension: 'fraction', scale: 0.01 },
  'FLOP/s': { dimension: 'flop-rate', scale: 1 },
  'GFLOP/s': { dimension: 'flop-rate', scale: 1e9 },
  'TFLOP/s': { dimension: 'flop-rate', scale: 1e12 },
  'B/s': { dimension: 'bandwidth', scale: 1 },
  'MB/s': { dimension: 'bandwidth', scale: 1e6 },
  'GB/s': { dimension: 'bandwidth', scale: 1e9 },
  'FLOP/B': { dimension: 'intensity', scale: 1 },
  'samples/s': { dimension: 'sample-rate', scale: 1 },
  'tokens/s': { dimension: 'token-rate', scale: 1 },
  'tok/s': { dimension: 'token-rate', scale: 1 },
};

/** Units that take a K, M, G or T prefix (attached, "KMACs", or apart, "98.8 K MACs"). */
export const COUNTED_UNITS: Readonly<Record<string, Dimension>> = {
  MAC: 'macs',
  MACs: 'macs',
  FLOP: 'flops',
  FLOPs: 'flops',
  FLOPS: 'flops',
  op: 'ops',
  ops: 'ops',
  cycle: 'cycles',
  cycles: 'cycles',
  param: 'count',
  params: 'count',
  parameters: 'count',
  elements: 'count',
  accesses: 'accesses',
};

export const COUNT_PREFIXES: Readonly<Record<string, number>> = { K: 1e3, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };

/** For messages: the units accepted, in a short list. */
export const ACCEPTED_UNITS_TEXT = 'B, KB, KiB, MB, MiB, GB; s, ms, us; MACs, FLOPs, cycles with K, M or G';
