/**
 * Reading a student's answer: a number, perhaps with thousands separators or an exponent, and
 * perhaps a unit.
 *
 *   99338   99,338   99 338   99_338   9.9338e4   9.9338 × 10^4   99.338 KB   97.01 KiB
 *   46.7 ms   46694 us   0.0467 s   98.8K   98.8 K MACs   197.6 KFLOPs   3.7M cycles
 *
 * The result is the value in its dimension's base unit (bytes, seconds, counts), or an error a
 * student can act on. Nothing here throws on any input.
 *
 * The messages' examples are neutral numbers, never a homework answer: this code ships in the
 * student edition.
 */
import { COUNT_PREFIXES, COUNTED_UNITS, INPUT_UNITS, ACCEPTED_UNITS_TEXT, type Dimension } from './units.ts';

export type ParsedAnswer =
  | {
      readonly ok: true;
      /** In base units of `dimension`; for a bare number, in the answer's own unit. */
      readonly value: number;
      /** `bare` for a number without a unit (read in the answer's own unit). */
      readonly dimension: Dimension | 'bare';
      /** The unit as written, '' for none. */
      readonly unit: string;
      /** 1000 or 1024 when a byte unit with a prefix was used (KB vs KiB). */
      readonly kiloBase?: 1000 | 1024;
      /** Half a unit of the last digit written, in the same units as `value` (97.01 KB: 5 B). */
      readonly resolution: number;
    }
  | { readonly ok: false; readonly error: string };

/** Longest input read; anything longer is not an answer. */
export const MAX_INPUT_LENGTH = 64;
/** Larger magnitudes (in base units) are refused as absurd: 10^21 B is a zettabyte. */
export const MAX_MAGNITUDE = 1e21;

const SEPARATORS = `,\\u00a0\\u2009\\u202f _'’`;
const GROUPED = `\\d{1,3}(?:[${SEPARATORS}]\\d{3})+(?:\\.\\d+)?`;
const PLAIN = `\\d+(?:\\.\\d*)?|\\.\\d+`;
const NUMBER = new RegExp(
  `^([+-]?)(${GROUPED}|${PLAIN})(?:[eE]([+-]?\\d{1,4})|\\s*[x×*]\\s*10\\s*\\^\\s*\\(?([+-]?\\d{1,4})\\)?)?\\s*(.*)$`,
  'u',
);

/** A short, printable quote of what the student typed, for messages (shown as text, never HTML). */
export function quote(input: string): string {
  const oneLine = input.replace(/\s+/g, ' ').trim();
  return `“${oneLine.length > 24 ? oneLine.slice(0, 24) + '…' : oneLine}”`;
}

export function parseAnswer(raw: string): ParsedAnswer {
  const input = raw.trim();
  if (input === '') return { ok: false, error: 'Enter a number, e.g. 12,345 or 12.3 KB.' };
  if (input.length > MAX_INPUT_LENGTH) return { ok: false, error: `That is too long for an answer (at most ${MAX_INPUT_LENGTH} characters).` };
  const m = NUMBER.exec(input);
  if (!m) {
    if (/[<>]/.test(input)) return { ok: false, error: 'Write only a number and a unit; markup is not read.' };
    return { ok: false, error: `Could not read ${quote(input)} as a number. Write it like 12345, 12,345, 1.23e4 or 12.3 KB.` };
  }
  const [, sign, digits, exp1, exp2, rest] = m as unknown as [string, string, string, string | undefined, string | undefined, string];
  // "1,5" (a decimal comma) does not match the grouped form, and leaves ",5" as the unit.
  if (/^[,]\d/.test(rest)) return { ok: false, error: 'Use a point for decimals (12.5, not 12,5); commas group thousands.' };
  const mantissa = Number(digits.replace(new RegExp(`[${SEPARATORS}]`, 'gu'), ''));
  const exponent = Number(exp1 ?? exp2 ?? 0);
  const unitText = rest.trim();
  const unit = readUnit(unitText);
  if (!unit) return { ok: false, error: `Unknown unit ${quote(unitText)}. Accepted: ${ACCEPTED_UNITS_TEXT}, or none.` };
  const value = (sign === '-' ? -1 : 1) * mantissa * 10 ** exponent * unit.scale;
  const decimals = digits.split('.')[1]?.length ?? 0;
  const resolution = 0.5 * 10 ** (exponent - decimals) * unit.scale;
  if (!Number.isFinite(value) || Math.abs(value) > MAX_MAGNITUDE) return { ok: false, error: 'That number is far too large to be the answer.' };
  if (value < 0) return { ok: false, error: 'The answers here are positive; check the sign.' };
  return {
    ok: true,
    value,
    dimension: unit.dimension,
    unit: unitText,
    resolution,
    ...(unit.kiloBase ? { kiloBase: unit.kiloBase } : {}),
  };
}

type ReadUnit = { dimension: Dimension | 'bare'; scale: number; kiloBase?: 1000 | 1024 };

function readUnit(text: string): ReadUnit | undefined {
  if (text === '') return { dimension: 'bare', scale: 1 };
  const exact = INPUT_UNITS[text];
  if (exact) return exact;
  // "K MACs", "KMACs", "K", "M cycles"
  const m = /^([KkMGT])\s*(.*)$/.exec(text);
  if (m) {
    const prefix = COUNT_PREFIXES[m[1]!]!;
    const word = m[2]!;
    if (word === '') return { dimension: 'bare', scale: prefix };
    const dim = COUNTED_UNITS[word];
    if (dim) return { dimension: dim, scale: prefix };
  }
  const dim = COUNTED_UNITS[text];
  return dim ? { dimension: dim, scale: 1 } : undefined;
}
