/**
 * `workbook check` knows which components a chapter is given without loading Astro: its list must
 * be the one the chapter pages pass (src/components/authoring/index.ts, chapterComponents).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHAPTER_COMPONENTS } from '../../src/workbook/check/course-file.ts';

describe('chapter components', () => {
  it('check lists exactly the components the chapter pages are given', () => {
    const index = readFileSync(new URL('../../src/components/authoring/index.ts', import.meta.url), 'utf8');
    const given = /export const chapterComponents = \{([^}]*)\}/.exec(index)![1]!.split(',').map((s) => s.trim()).filter(Boolean);
    expect([...CHAPTER_COMPONENTS].sort()).toEqual(given.sort());
  });
});
