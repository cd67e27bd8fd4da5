/**
 * The hashes that make sampling a function of its inputs alone, on every machine.
 *
 * `hash32(parts)` is documented so a grader can recompute it in any language:
 *   1. join the parts with U+001F (unit separator) and encode as UTF-8;
 *   2. FNV-1a, 32 bits: h = 0x811c9dc5; for each byte b: h = (h XOR b) * 0x01000193 mod 2^32;
 *   3. finish with MurmurHash3's fmix32 (h ^= h >>> 16; h *= 0x85ebca6b; h ^= h >>> 13;
 *      h *= 0xc2b2ae35; h ^= h >>> 16), so that inputs differing in one character differ in
 *      about half of the output bits.
 * The result is an unsigned 32-bit integer.
 */

export function hash32(parts: readonly (string | number)[]): number {
  // FNV-1a over the UTF-8 of the joined parts, encoded on the fly (as TextEncoder would:
  // a lone surrogate is U+FFFD): no string join, no byte array per call.
  let h = FNV_OFFSET;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) h = Math.imul(h ^ 0x1f, FNV_PRIME);
    h = fnvString(h, String(parts[i]));
  }
  return fmix32(h >>> 0);
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a state `h` continued over the UTF-8 bytes of `s`. */
function fnvString(h: number, s: string): number {
  for (let j = 0; j < s.length; j++) {
    let c = s.charCodeAt(j);
    if (c < 0x80) {
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && j + 1 < s.length ? s.charCodeAt(j + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        j++;
      } else c = 0xfffd;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), FNV_PRIME);
    } else if (c < 0x10000) {
      h = Math.imul(h ^ (0xe0 | (c >> 12)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    } else {
      h = Math.imul(h ^ (0xf0 | (c >> 18)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 12) & 0x3f)), FNV_PRIME);
      h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    }
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  return h;
}

/** FNV-1a, 32 bits, of some bytes. */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

/** MurmurHash3's 32-bit finalizer. */
export function fmix32(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Seeds are unsigned 32-bit integers; 0 is the canonical (homework) variant. */
export const CANONICAL_SEED = 0;
export const MAX_SEED = 0xffff_ffff;

export function isSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_SEED;
}

/**
 * The generator seed for one parameter's draw: hash32(["variant", problemId, seed, name, attempt]).
 * Each parameter has its own stream, so adding, removing or reordering parameters leaves the
 * others' values unchanged for the same seed.
 */
export function drawSeed(problemId: string, seed: number, parameter: string, attempt: number): number {
  return hash32(['variant', problemId, seed, parameter, attempt]);
}

/**
 * The two spaces variants come from. Practice variants (the site's seeds, `?seed=`, `?student=`)
 * draw with the tag "variant"; graded variants (handouts, roster keys, LMS exports, from seeds
 * keyed with the course secret, src/publish/secret.ts) with the tag "graded". And the parameter
 * values themselves are split in two: a practice draw refuses values of the
 * graded half and a graded draw those of the practice half, so no practice seed, whatever it
 * is, yields a graded variant's values (`valuesDomain`, space.ts).
 */
export type VariantDomain = 'practice' | 'graded';

export const DOMAIN_TAGS: Readonly<Record<VariantDomain, string>> = { practice: 'variant', graded: 'graded' };

/**
 * `drawSeed(problemId, seed, ·, ·)`: the hash of the common prefix ["variant", problemId, seed] is
 * taken once (FNV-1a runs left to right), then continued for each parameter and attempt. The
 * same numbers as `drawSeed` (a test compares them). A graded draw takes `tag` "graded".
 */
export function drawSeeds(problemId: string, seed: number, tag = 'variant'): (parameter: string, attempt: number) => number {
  let prefix = fnvString(FNV_OFFSET, tag);
  prefix = fnvString(Math.imul(prefix ^ 0x1f, FNV_PRIME), problemId);
  prefix = fnvString(Math.imul(prefix ^ 0x1f, FNV_PRIME), String(seed));
  prefix = Math.imul(prefix ^ 0x1f, FNV_PRIME);
  return (parameter, attempt) => {
    const h = fnvString(Math.imul(fnvString(prefix, parameter) ^ 0x1f, FNV_PRIME), String(attempt));
    return fmix32(h >>> 0);
  };
}

/**
 * A student's seed for a problem: hash32(["student", id, problemId]) with the id trimmed,
 * Unicode-normalized (NFC) and lower-cased, so "  Ada.Lovelace " and "ada.lovelace" agree.
 * Never 0, which is the canonical variant (a hash of 0 becomes 1).
 */
export function studentSeed(studentId: string, problemId: string): number {
  const id = normalizeStudentId(studentId);
  if (id === '') throw new Error('a student id cannot be empty');
  return hash32(['student', id, problemId]) || 1;
}

export function normalizeStudentId(studentId: string): string {
  // ASCII is its own NFC (and normalizing loads Unicode's tables, for a roster of plain emails).
  return (ASCII.test(studentId) ? studentId : studentId.normalize('NFC')).trim().toLowerCase();
}

const ASCII = /^[\x00-\x7f]*$/;
