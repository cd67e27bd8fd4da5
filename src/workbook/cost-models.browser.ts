/**
 * `#cost-models` in a browser bundle (see cost-models.ts): the cost models are a chunk of their
 * own, imported on demand; before `loadCostModels()`, `costModels()` says so.
 */
import { onDemand } from './on-demand.ts';

const models = onDemand('the cost models (fit, roofline, throughput, energy)', () => import('./cost-models.ts').then((m) => m.costModels()));

export const costModels = models.now;
export const loadCostModels = models.load;
