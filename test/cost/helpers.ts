/** Shared by the cost tests. */
import { expect } from 'vitest';
import { analyze, defineModel, type ModelReport } from '../../src/engine/index.ts';
import type { AnalyzeOptions } from '../../src/engine/analysis/analyze.ts';
import type { ModelDef } from '../../src/engine/model/define.ts';

/** Equal up to floating-point rounding (relative 1e-12): the engine and the test may order operations differently. */
export function expectClose(actual: number, expected: number): void {
  expect(Number.isFinite(actual)).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(expected), 1e-300));
}

export const report = (def: ModelDef, options: AnalyzeOptions = {}): ModelReport => analyze(defineModel(def), options);
