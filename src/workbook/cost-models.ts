/**
 * The engine's cost models as the answers reach them (fit in memory, roofline, throughput,
 * energy), through `#cost-models` (package.json "imports"), like the counting profiles
 * (counting-profiles.ts): in Node this module, loaded with the engine; in a browser bundle
 * cost-models.browser.ts, which imports them as a chunk of their own for a problem that names a
 * hardware profile or a roof (`loadCostModels`).
 */
import { throughputVsBatch } from '../engine/cost/batch.ts';
import { energyPerInference } from '../engine/cost/energy.ts';
import { fitCheck } from '../engine/cost/fit.ts';
import { requireRoof, roofline, rooflineTerms } from '../engine/cost/roofline.ts';
import { llmOnHardware } from '../engine/llm/hardware.ts';
// Language models (answers-llm.ts): in the same chunk, loaded for a problem whose model is one.
import { llmAnalysis } from '../engine/llm/analysis.ts';
import { importOfModel } from '../engine/hf/from-model.ts';

const models = { throughputVsBatch, energyPerInference, fitCheck, requireRoof, roofline, rooflineTerms, llmOnHardware, llmAnalysis, importOfModel };

export type CostModels = typeof models;

/** The cost models, to compute with now (in a browser, after `loadCostModels`). */
export function costModels(): CostModels {
  return models;
}

/** Makes the cost models ready for `costModels` (here they always are). */
export function loadCostModels(): Promise<CostModels> {
  return Promise.resolve(models);
}
