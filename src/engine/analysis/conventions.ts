/**
 * Counting conventions. Every choice that changes a published number is named here, with the
 * default the course uses; nothing is assumed silently elsewhere. Named bundles of these choices
 * that reproduce a tool or a handout are the profiles in `profiles.ts`.
 */
import { z } from '../schema.ts';
import { quote } from '../errors.ts';
export interface Conventions {
  /** Count biases as parameters (PyTorch does; the lectures' AlexNet table ignores them). */
  readonly biasInParams: boolean;
  /** Count the input tensor among the activations (the lectures' AlexNet total of 932,264 does). */
  readonly inputInActivations: boolean;
  /** Bytes in a kilobyte: 1000 (kB, MB: SI) or 1024 (KiB, MiB: binary). */
  readonly bytesPerKilobyte: 1000 | 1024;
  /** FLOPs per multiply-accumulate (2: one multiply and one add). */
  readonly flopsPerMac: number;
  /**
   * Seed 001's operation count for a neuron (or conv output) with n inputs: `non-pipelined`,
   * n multiplies + n adds with the bias = 2n; `fused-multiply-add`, n + 1.
   */
  readonly operations: 'non-pipelined' | 'fused-multiply-add';
  /**
   * Count pooling among the operations: h w − 1 comparisons per max-pool output (seed 001), and
   * h w − 1 adds + 1 divide per average-pool output.
   */
  readonly poolingOps: boolean;
}

export const DEFAULT_CONVENTIONS: Conventions = {
  biasInParams: true,
  inputInActivations: false,
  bytesPerKilobyte: 1000,
  flopsPerMac: 2,
  operations: 'non-pipelined',
  poolingOps: true,
};

export const OPERATION_CONVENTIONS = ['non-pipelined', 'fused-multiply-add'] as const;

/** The conventions as a user may give them (any subset), validated like a model. */
export const conventionsSchema = z.strictObject({
  biasInParams: z.optional(z.boolean()),
  inputInActivations: z.optional(z.boolean()),
  bytesPerKilobyte: z.optional(z.union([z.literal(1000), z.literal(1024)])),
  // FLOPs are counted: a whole number of them per MAC (1: a fused multiply-add; 2: the default).
  flopsPerMac: z.optional(z.int().check(z.positive(), z.maximum(64))),
  operations: z.optional(z.enum(OPERATION_CONVENTIONS)),
  poolingOps: z.optional(z.boolean()),
});

const BOOLEAN_KEYS: ReadonlySet<string> = new Set(['biasInParams', 'inputInActivations', 'poolingOps']);

/** The schema's rules by hand, without zod: analyze checks conventions on every call (the hot path of variants). */
function validFast(c: unknown): boolean {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return false;
  for (const key in c) {
    if (!Object.hasOwn(c, key)) continue;
    const v = (c as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (BOOLEAN_KEYS.has(key)) {
      if (typeof v !== 'boolean') return false;
    } else if (key === 'bytesPerKilobyte') {
      if (v !== 1000 && v !== 1024) return false;
    } else if (key === 'flopsPerMac') {
      if (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 64) return false;
    } else if (key === 'operations') {
      if (!(OPERATION_CONVENTIONS as readonly unknown[]).includes(v)) return false;
    } else return false;
  }
  return true;
}

/**
 * Why `conventions` are not valid, one clause per bad field with what is allowed, or undefined
 * when they are (`flopsPerMac: -1` gave negative FLOPs).
 */
export function conventionsProblem(conventions: unknown): string | undefined {
  if (conventions === undefined || validFast(conventions)) return undefined;
  const parsed = conventionsSchema.safeParse(conventions);
  if (parsed.success) return undefined;
  const allowed: Readonly<Record<string, string>> = {
    biasInParams: 'true or false',
    inputInActivations: 'true or false',
    bytesPerKilobyte: '1000 or 1024',
    flopsPerMac: 'a whole number from 1 to 64',
    operations: OPERATION_CONVENTIONS.map((o) => `'${o}'`).join(' or '),
    poolingOps: 'true or false',
  };
  return parsed.error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown convention${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => quote(k)).join(', ')}; allowed: ${Object.keys(allowed).join(', ')}`;
      }
      const field = String(issue.path[0] ?? '');
      const given = (conventions as Record<string, unknown>)?.[field];
      return field in allowed ? `conventions.${field}: got ${quote(given)}; allowed: ${allowed[field]}` : `conventions: ${issue.message}`;
    })
    .join('; ');
}

/** Plain-language statement of each convention in force, for pages and CLI output. */
export function describeConventions(c: Conventions): string[] {
  return [
    c.biasInParams ? 'parameters = weights + biases (+ norm scales and shifts)' : 'parameters = weights only (biases not counted)',
    c.inputInActivations ? 'activations include the input' : 'activations exclude the input',
    c.bytesPerKilobyte === 1000 ? '1 kB = 1000 B (kB, MB, GB)' : '1 KiB = 1024 B (KiB, MiB, GiB)',
    `FLOPs = ${c.flopsPerMac} × MACs`,
    c.operations === 'non-pipelined'
      ? 'operations: n multiplies + n adds per n-input neuron (2n, non-pipelined)'
      : 'operations: n + 1 per n-input neuron (fused multiply-add)',
    c.poolingOps ? 'operations include pooling (h w − 1 comparisons per max-pool output)' : 'operations exclude pooling',
  ];
}

export type BytePrefix = 'k' | 'M' | 'G';

/** The unit label of a byte prefix under a convention: kB/MB/GB (1000) or KiB/MiB/GiB (1024). */
export function byteUnitLabel(prefix: BytePrefix, bytesPerKilobyte: 1000 | 1024): string {
  if (bytesPerKilobyte === 1000) return `${prefix}B`;
  return `${prefix === 'k' ? 'K' : prefix}iB`;
}

/** `243.82 MB` or `232.52 MiB`: bytes in the largest prefix that keeps the value at least 1. */
export function formatBytes(bytes: number, bytesPerKilobyte: 1000 | 1024 = 1000, digits = 2): string {
  const prefixes: BytePrefix[] = ['k', 'M', 'G'];
  let value = bytes;
  let unit = 'B';
  for (const prefix of prefixes) {
    if (value < bytesPerKilobyte) break;
    value /= bytesPerKilobyte;
    unit = byteUnitLabel(prefix, bytesPerKilobyte);
  }
  return unit === 'B' ? `${bytes} B` : `${Number(value.toFixed(digits))} ${unit}`;
}
