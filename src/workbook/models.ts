/**
 * Resolving a problem's `model` field to a validated model.
 */
import { defineModel, ModelError, ZOO_IDS, zooEntry, type Model, type ModelDef } from '../engine/index.ts';
import { mlpDef } from '../engine/zoo/mlp.ts';
import type { ProblemModel } from './problem.ts';

/** A built-in model id (the engine's zoo), an MLP by its widths, or a full JSON definition. */
export function modelDefOf(model: ProblemModel): ModelDef {
  if (typeof model === 'string') {
    const entry = zooEntry(model);
    if (!entry) throw new ModelError(model, [], `unknown model id; allowed: ${ZOO_IDS.join(', ')}`);
    return entry.def;
  }
  if ('mlp' in model && Array.isArray(model.mlp)) {
    const { mlp, activation, name } = model as { mlp: number[]; activation?: string; name?: string };
    return mlpDef(name ?? `mlp-${mlp.join('-')}`, mlp, activation ? { activation } : {});
  }
  return model as unknown as ModelDef;
}

/** Validated models are cached by definition: defining (zod) costs more than analyzing. */
const cache = new WeakMap<ModelDef, Model>();

export function resolveModel(model: ProblemModel, file?: string): Model {
  const def = modelDefOf(model);
  if (typeof model === 'string') {
    const cached = cache.get(def);
    if (cached) return cached;
    const resolved = defineModel(def, file ? { file } : {});
    cache.set(def, resolved);
    return resolved;
  }
  return defineModel(def, file ? { file } : {});
}
