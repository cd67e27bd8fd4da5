/**
 * Resolving a problem's `model` field to a validated model.
 */
import { defineModel, ModelError, type Model, type ModelDef } from '../engine/index.ts';
import { mlpDef, mlpHw1Q1, mlpHw1Q2, mlpLab } from '../engine/zoo/mlp.ts';
import type { ProblemModel } from './problem.ts';

const BUILT_IN: Record<string, ModelDef> = {
  'mlp-hw1-q1': mlpHw1Q1,
  'mlp-hw1-q2': mlpHw1Q2,
  'mlp-lab': mlpLab,
};

export const BUILT_IN_MODEL_IDS = Object.keys(BUILT_IN);

export function modelDefOf(model: ProblemModel): ModelDef {
  if (typeof model === 'string') {
    const def = BUILT_IN[model];
    if (!def) throw new ModelError(model, [], `unknown model id; allowed: ${BUILT_IN_MODEL_IDS.join(', ')}`);
    return def;
  }
  if ('mlp' in model && Array.isArray(model.mlp)) {
    const { mlp, activation, name } = model as { mlp: number[]; activation?: string; name?: string };
    return mlpDef(name ?? `mlp-${mlp.join('-')}`, mlp, activation ? { activation } : {});
  }
  return model as unknown as ModelDef;
}

export function resolveModel(model: ProblemModel, file?: string): Model {
  return defineModel(modelDefOf(model), file ? { file } : {});
}
