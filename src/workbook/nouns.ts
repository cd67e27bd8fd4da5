/**
 * A count with its noun, singular for exactly 1: "1 sequence", "2,048 tokens". The page and the
 * practice script (which fills in each variant) both say it this way.
 */
import { formatNumber } from '../engine/math/latex.ts';

export function countedNoun(value: number, noun: string, plural: string = `${noun}s`): string {
  return `${formatNumber(value)} ${value === 1 ? noun : plural}`;
}
