/**
 * Which edition is being built. The solutions edition (default) shows answers and derivations;
 * `WORKBOOK_EDITION=student` builds the same problems with no answer anywhere in the output.
 */
export const EDITIONS = ['solutions', 'student'] as const;
export type Edition = (typeof EDITIONS)[number];

export function currentEdition(): Edition {
  const raw = process.env.WORKBOOK_EDITION ?? 'solutions';
  if (!(EDITIONS as readonly string[]).includes(raw)) {
    throw new Error(`WORKBOOK_EDITION is '${raw}'; allowed: ${EDITIONS.join(', ')}`);
  }
  return raw as Edition;
}
