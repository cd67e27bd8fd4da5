/**
 * The recorded LMS importer run (test/fixtures/lms/): it drew variant i with seed i, before graded
 * variants were keyed by the course secret; its variants are rebuilt from the values it drew.
 */
import { readFileSync } from 'node:fs';
import type { LmsDraw } from '../../src/publish/lms.ts';
import { variantWithValues } from '../../src/workbook/variants/index.ts';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/lms/variants.json', import.meta.url), 'utf8')) as Record<'variants' | 'ownCourse', Record<string, Record<string, Record<string, number>>>>;

/** Variant i of a problem as the run exported it, for the example course or the tests' own course. */
export function recordedDraw(course: 'variants' | 'ownCourse'): LmsDraw {
  const values = recorded[course];
  return (p, i) => {
    const v = values[p.id]?.[String(i)];
    if (!v) throw new Error(`${p.id}: variant ${i} is not in test/fixtures/lms/variants.json`);
    const drawn = variantWithValues(p, i, v);
    return { seed: i, ctx: drawn.ctx, values: drawn.values };
  };
}
