/**
 * `workbook check` knows which components a chapter is given without loading Astro: its list must
 * be the one the chapter pages pass (src/components/authoring/index.ts, chapterComponents).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHAPTER_COMPONENTS } from '../../src/workbook/check/course-file.ts';
import { CHAPTER_FIGURES } from '../../src/workbook/chapter-figures.ts';
import { LLM_CHART_SCHEMAS, contextMemoryData, decodeBatchData } from '../../src/workbook/llm-charts.ts';

describe('chapter components', () => {
  it('check lists exactly the components the chapter pages are given', () => {
    const index = readFileSync(new URL('../../src/components/authoring/index.ts', import.meta.url), 'utf8');
    const given = /export const chapterComponents = (?:locatedComponents\()?\{([^}]*)\}/.exec(index)![1]!.split(',').map((s) => s.trim()).filter(Boolean);
    expect([...CHAPTER_COMPONENTS].sort()).toEqual(given.sort());
  });

  it('check computes each of them as its page does, and each component calls that computation', () => {
    // The charts' props are checked one by one at their own place (check/course-file.ts, checkChartProps).
    expect([...Object.keys(CHAPTER_FIGURES), ...Object.keys(LLM_CHART_SCHEMAS)].sort()).toEqual([...CHAPTER_COMPONENTS].sort());
    const computations: Record<string, (props: Record<string, unknown>) => unknown> = { ...CHAPTER_FIGURES, DecodeBatchChart: decodeBatchData, ContextMemoryChart: contextMemoryData };
    const calls = { Example: 'exampleFigure', LayerFormulas: 'layerFormulasReport', LlmCalculators: 'llmCalculatorsTable', DecodeBatchChart: 'decodeBatchData', ContextMemoryChart: 'contextMemoryData' } as const;
    for (const name of CHAPTER_COMPONENTS) {
      const source = readFileSync(new URL(`../../src/components/authoring/${name}.astro`, import.meta.url), 'utf8');
      // Inside atElement: what it throws is named at the element's line (site/component-at.ts).
      expect(source, name).toContain(`atElement(Astro.props, () => ${calls[name as keyof typeof calls]}(Astro.props))`);
      expect(computations[name]!.name).toBe(calls[name as keyof typeof calls]);
    }
  });
});
