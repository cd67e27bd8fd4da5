/**
 * Validating `analyze`'s options up front, so a bad option is one clear sentence (what, what was
 * given, what is allowed) before any counting: never "[object Object]", never a bit width so
 * large that byte counts overflow and the batch gets the blame.
 */
import { quote } from '../errors.ts';
import { conventionsProblem } from './conventions.ts';

/** Bits per stored value: 1 (binary networks) to 1,024 (room for what-ifs, such as 8 × 32 when a grader simulates bits taken for bytes). */
export const MAX_BITS = 1024;

export const OPTIMIZERS = ['sgd', 'sgd-momentum', 'adam'] as const;

/** The options `analyze` takes, as a caller may (wrongly) give them. */
interface OptionsLike {
  readonly batch?: unknown;
  readonly paramBits?: unknown;
  readonly biasBits?: unknown;
  readonly activationBits?: unknown;
  readonly layerPrecision?: unknown;
  readonly optimizer?: unknown;
  readonly conventions?: unknown;
}

/** Why the options are not valid (the first problem), or undefined. */
export function optionsProblem(options: OptionsLike): string | undefined {
  if (options === null || typeof options !== 'object') return `options must be an object, got ${quote(options)}`;
  const batch = options.batch;
  if (batch !== undefined && !(Number.isSafeInteger(batch) && (batch as number) > 0)) return `batch must be a positive integer, got ${quote(batch)}`;
  const bits: [string, unknown][] = [['paramBits', options.paramBits], ['biasBits', options.biasBits], ['activationBits', options.activationBits]];
  const precision = options.layerPrecision;
  if (precision !== undefined) {
    if (precision === null || typeof precision !== 'object' || Array.isArray(precision)) {
      return `layerPrecision must be an object of { weightBits, biasBits } by layer id or type, got ${quote(precision)}`;
    }
    for (const [id, p] of Object.entries(precision)) {
      if (p === null || typeof p !== 'object') return `layerPrecision[${quote(id)}] must be an object with weightBits and/or biasBits, got ${quote(p)}`;
      const unknown = Object.keys(p).filter((k) => k !== 'weightBits' && k !== 'biasBits');
      if (unknown.length > 0) return `layerPrecision[${quote(id)}]: unknown field ${quote(unknown[0])}; allowed: weightBits, biasBits`;
      bits.push([`layerPrecision[${quote(id)}].weightBits`, (p as { weightBits?: unknown }).weightBits]);
      bits.push([`layerPrecision[${quote(id)}].biasBits`, (p as { biasBits?: unknown }).biasBits]);
    }
  }
  for (const [what, value] of bits) {
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || (value as number) <= 0) return `${what} must be a positive integer, got ${quote(value)}`;
    if ((value as number) > MAX_BITS) return `${what} must be at most ${MAX_BITS} bits, got ${quote(value)}`;
  }
  if (options.optimizer !== undefined && !(OPTIMIZERS as readonly unknown[]).includes(options.optimizer)) {
    return `unknown optimizer ${quote(options.optimizer).replace(/^"(.*)"$/, "'$1'")}; allowed: ${OPTIMIZERS.join(', ')}`;
  }
  return conventionsProblem(options.conventions);
}
