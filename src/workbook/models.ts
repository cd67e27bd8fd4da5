/**
 * Resolving a problem's `model` field to a validated model. The built-in models a `model` may
 * name are passed in, not imported: the build passes the engine's zoo (`BUILT_IN_MODELS`, in
 * builtins.ts), a practice page only the model its problem names, so the page's script, which
 * runs this module, does not carry the zoo.
 */
import { ModelError } from '../engine/errors.ts';
import { defineModel, type Model, type ModelDef } from '../engine/model/define.ts';
import { mlpDef } from '../engine/model/mlp.ts';
import type { ProblemModel } from './problem.ts';

/**
 * Built-in model definitions by id, e.g. `{ lenet5: {...} }`; a problem's ONNX file
 * (`./models/net.onnx`) is there by its path, already imported as a model (builtins.ts reads it).
 */
export type ModelRegistry = Readonly<Record<string, ModelDef | Model>>;

/** A model imported from a graph (ONNX) rather than a definition: it has its tensors already. */
const isModel = (entry: ModelDef | Model): entry is Model => 'tensors' in entry;

/** Makes an inline config.json a definition (config-importer.ts): set by the build, loaded on demand by a page. */
type ConfigImporter = (config: Record<string, unknown>) => ModelDef;
let configImporter: ConfigImporter | undefined;

/** Installs the Hugging Face importer for inline configs (builtins.ts at the build; the practice page when its problem has one). */
export function useConfigImporter(importer: ConfigImporter): void {
  configImporter = importer;
}

/** True when a problem's model is a config.json written inline (a `model_type`). */
export const isInlineConfig = (model: unknown): boolean => typeof model === 'object' && model !== null && typeof (model as { model_type?: unknown }).model_type === 'string';

/** A built-in model id (one of `models`), an MLP by its widths, or a full JSON definition. */
export function modelDefOf(model: ProblemModel, models: ModelRegistry): ModelDef | Model {
  if (typeof model === 'string') {
    const def = Object.hasOwn(models, model) ? models[model] : undefined;
    if (!def) throw new ModelError(model, [], `unknown model id; allowed: ${Object.keys(models).join(', ') || 'none (no built-in models were passed)'}`);
    return def;
  }
  if (isInlineConfig(model)) {
    // An inline Hugging Face config: the importer's model, as for a ./models/config.json file.
    if (!configImporter) throw new Error('an inline config.json needs the Hugging Face importer, which is not loaded');
    return configImporter(model as Record<string, unknown>);
  }
  if ('mlp' in model && Array.isArray(model.mlp)) {
    const { mlp, activation, name } = model as { mlp: number[]; activation?: string; name?: string };
    return mlpDef(name ?? `mlp-${mlp.join('-')}`, mlp, activation ? { activation } : {});
  }
  return model as unknown as ModelDef;
}

/** Validated models are cached by definition: defining (zod) costs more than analyzing. */
const cache = new WeakMap<ModelDef, Model>();

export function resolveModel(model: ProblemModel, models: ModelRegistry, file?: string): Model {
  const def = modelDefOf(model, models);
  if (isModel(def)) return def;
  if (typeof model === 'string') {
    const cached = cache.get(def);
    if (cached) return cached;
    const resolved = defineModel(def, file ? { file } : {});
    cache.set(def, resolved);
    return resolved;
  }
  return defineModel(def, file ? { file } : {});
}
