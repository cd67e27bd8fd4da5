/**
 * Hardware profiles: data, not code. A profile names a chip and gives what is known about it,
 * each value with its source; a field that is not known is left out, and the cost models then
 * leave out the figures that need it. The JSON format is documented in `FORMAT.md`.
 */
import { z } from '../schema.ts';
import { oneLine } from '../errors.ts';

/** Number formats a per-operation figure can depend on. */
export const PRECISIONS = ['int8', 'int16', 'int32', 'fp16', 'bf16', 'fp32'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** A number with where it comes from (a datasheet, a paper, the course handout). */
export interface Sourced {
  readonly value: number;
  readonly source: string;
  /** How the value was read or derived, when it is not printed as is. */
  readonly note?: string;
}

/** Values that differ by precision; `default` applies to any precision not listed. */
export type ByPrecision = Partial<Record<Precision | 'default', Sourced>>;

export interface EnergyTable {
  /** Energy of one addition, pJ. */
  readonly addPj?: ByPrecision;
  /** Energy of one multiplication, pJ. */
  readonly multPj?: ByPrecision;
  /** Energy of one 32-bit on-chip SRAM access, pJ. */
  readonly sramAccess32Pj?: Sourced;
  /** Energy of one 32-bit off-chip DRAM access, pJ. */
  readonly dramAccess32Pj?: Sourced;
}

export const HARDWARE_KINDS = ['microcontroller', 'single-board-computer', 'desktop-cpu', 'desktop-gpu', 'datacenter-gpu', 'embedded-gpu', 'unified-memory-soc', 'reference', 'custom'] as const;
export type HardwareKind = (typeof HARDWARE_KINDS)[number];

export interface HardwareProfile {
  readonly id: string;
  readonly name: string;
  readonly kind: HardwareKind;
  readonly description?: string;
  readonly clockMHz?: Sourced;
  /** Cycles the core spends per multiply-accumulate. */
  readonly cyclesPerMac?: ByPrecision;
  /**
   * Peak operations per second, a MAC counted as 2 operations (as FLOPs are). Always the dense
   * rate: what a dense matrix product can reach. Datasheets that print a sparse figure first
   * (NVIDIA's "with sparsity", 2:4 structured) give it in `sparsePeakOpsPerS`.
   */
  readonly peakOpsPerS?: ByPrecision;
  /** Peak with 2:4 structured sparsity, by precision; informational: no cost model uses it. */
  readonly sparsePeakOpsPerS?: ByPrecision;
  /** Bandwidth of the memory the weights and activations stream from (DRAM, HBM). */
  readonly memoryBandwidthBytesPerS?: Sourced;
  /** On-chip SRAM for activations (microcontrollers). */
  readonly sramBytes?: Sourced;
  /** On-chip flash for weights (microcontrollers). */
  readonly flashBytes?: Sourced;
  /** Main or device memory (DRAM, HBM). */
  readonly dramBytes?: Sourced;
  readonly energy?: EnergyTable;
}

// ---- validation -----------------------------------------------------------------------------

/**
 * The range a value may take, per field: wide enough for any real chip (a 1 kHz to 1 THz clock,
 * up to 10^21 operations per second), narrow enough that no cost figure overflows or divides by
 * nearly nothing (1e300 cycles per MAC, a clock of 1e-300 MHz).
 */
export const PROFILE_RANGES = {
  clockMHz: [1e-3, 1e6],
  cyclesPerMac: [1e-6, 1e9],
  peakOpsPerS: [1, 1e21],
  memoryBandwidthBytesPerS: [1, 1e18],
  bytes: [1, Number.MAX_SAFE_INTEGER],
  pj: [1e-9, 1e9],
} as const satisfies Record<string, readonly [number, number]>;

const sourced = (integer: boolean, [min, max]: readonly [number, number]) =>
  z.strictObject({
    // z.number() already rejects NaN and ±Infinity.
    value: (integer ? z.int() : z.number()).check(
      z.gte(min, `Too small: expected number to be >0 and at least ${min.toLocaleString('en-US')}`),
      z.lte(max, `Too big: at most ${max.toLocaleString('en-US')}`),
    ),
    source: z.string().check(z.trim(), z.minLength(1, 'every value needs its source')),
    note: z.optional(z.string()),
  });

const byPrecision = (range: readonly [number, number]) =>
  z
    .strictObject(Object.fromEntries([...PRECISIONS, 'default'].map((p) => [p, z.optional(sourced(false, range))])) as Record<
      Precision | 'default',
      z.ZodMiniOptional<ReturnType<typeof sourced>>
    >)
    .check(z.refine((o) => Object.values(o).some((v) => v !== undefined), `give at least one of ${[...PRECISIONS, 'default'].join(', ')}`));

export const hardwareProfileSchema = z.strictObject({
  id: z.string().check(z.maxLength(100), z.regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and hyphens, e.g. "my-board"')),
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200), z.refine((n) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(n), 'a name has no line breaks or control characters')),
  kind: z.enum(HARDWARE_KINDS),
  description: z.optional(z.string()),
  clockMHz: z.optional(sourced(false, PROFILE_RANGES.clockMHz)),
  cyclesPerMac: z.optional(byPrecision(PROFILE_RANGES.cyclesPerMac)),
  peakOpsPerS: z.optional(byPrecision(PROFILE_RANGES.peakOpsPerS)),
  sparsePeakOpsPerS: z.optional(byPrecision(PROFILE_RANGES.peakOpsPerS)),
  memoryBandwidthBytesPerS: z.optional(sourced(false, PROFILE_RANGES.memoryBandwidthBytesPerS)),
  sramBytes: z.optional(sourced(true, PROFILE_RANGES.bytes)),
  flashBytes: z.optional(sourced(true, PROFILE_RANGES.bytes)),
  dramBytes: z.optional(sourced(true, PROFILE_RANGES.bytes)),
  energy: z.optional(
    z.strictObject({
      addPj: z.optional(byPrecision(PROFILE_RANGES.pj)),
      multPj: z.optional(byPrecision(PROFILE_RANGES.pj)),
      sramAccess32Pj: z.optional(sourced(false, PROFILE_RANGES.pj)),
      dramAccess32Pj: z.optional(sourced(false, PROFILE_RANGES.pj)),
    }),
  ),
});

/** A profile that does not validate; the message names the file (if any) and each bad field. */
export class HardwareError extends Error {
  readonly file: string | undefined;
  /** One entry per problem: the field's path (e.g. `energy.multPj.fp32.value`) and what is wrong. */
  readonly problems: readonly { field: string; message: string }[];

  constructor(problems: readonly { field: string; message: string }[], file?: string, profileId?: string) {
    const where = [file, profileId ? `hardware profile '${profileId}'` : 'hardware profile'].filter(Boolean).join(': ');
    super(oneLine(`${where}: ${problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ')}`));
    this.name = 'HardwareError';
    this.file = file;
    this.problems = problems;
  }
}

/**
 * Validates a profile (parsed JSON or a string of JSON). Throws `HardwareError` naming the file and
 * every bad field, e.g. `board.json: hardware profile 'x': clockMHz.value: Too small: expected number to be >0`.
 */
export function parseHardwareProfile(json: unknown, options: { file?: string } = {}): HardwareProfile {
  let data = json;
  if (typeof json === 'string') {
    try {
      data = JSON.parse(json.replace(/^\uFEFF/, '')); // a UTF-8 byte-order mark is not an error
    } catch (error) {
      throw new HardwareError([{ field: '', message: `not valid JSON (${(error as Error).message})` }], options.file);
    }
  }
  const parsed = hardwareProfileSchema.safeParse(data);
  if (!parsed.success) {
    const rawId = (data as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' ? oneLine(rawId, 60) : undefined;
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        return { field, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${oneLine(k, 60)}'`).join(', ')}` };
      }
      return { field, message: issue.message };
    });
    throw new HardwareError(problems, options.file, id);
  }
  return parsed.data as HardwareProfile;
}

// ---- lookups ----------------------------------------------------------------------------------

/** The precision a cost model assumes for data stored at `bits` bits, unless told otherwise. */
export function precisionForBits(bits: number): Precision {
  switch (bits) {
    case 8:
      return 'int8';
    case 16:
      return 'fp16';
    case 32:
      return 'fp32';
    default:
      throw new HardwareError([
        {
          field: 'precision',
          message: `no default precision for ${bits}-bit values: the cost models know 8 (int8), 16 (fp16) and 32 (fp32) bits; use one of those, or name a precision (${PRECISIONS.join(', ')})`,
        },
      ]);
  }
}

/** The value for `precision`, else the `default` entry, else undefined; with the key it came from. */
export function pickPrecision(values: ByPrecision | undefined, precision: Precision): (Sourced & { key: Precision | 'default' }) | undefined {
  const exact = values?.[precision];
  if (exact) return { ...exact, key: precision };
  const fallback = values?.default;
  return fallback ? { ...fallback, key: 'default' } : undefined;
}

/**
 * A profile from the CLI's ad hoc flags (`--clock-mhz 80 --cycles-per-mac 4`): only what was given,
 * sourced to the command line.
 */
export function adHocProfile(spec: { clockMHz: number; cyclesPerMac: number; id?: string; name?: string }): HardwareProfile {
  const source = 'given on the command line';
  return parseHardwareProfile({
    id: spec.id ?? 'ad-hoc',
    name: spec.name ?? `${spec.clockMHz} MHz, ${spec.cyclesPerMac} cycles per MAC`,
    kind: 'custom',
    clockMHz: { value: spec.clockMHz, source },
    cyclesPerMac: { default: { value: spec.cyclesPerMac, source } },
  });
}

/** Every sourced value of a profile, flattened: `peakOpsPerS.fp32`, `energy.multPj.int8`, ... */
export function sourcesOf(hardware: HardwareProfile): { field: string; value: number; source: string; note?: string }[] {
  const out: { field: string; value: number; source: string; note?: string }[] = [];
  const visit = (prefix: string, x: unknown): void => {
    if (typeof x !== 'object' || x === null) return;
    const s = x as Partial<Sourced>;
    if (typeof s.value === 'number' && typeof s.source === 'string') {
      out.push({ field: prefix, value: s.value, source: s.source, ...(s.note ? { note: s.note } : {}) });
      return;
    }
    for (const [k, v] of Object.entries(x)) visit(prefix ? `${prefix}.${k}` : k, v);
  };
  visit('', hardware);
  return out;
}
