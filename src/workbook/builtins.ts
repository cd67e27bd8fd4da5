/**
 * The built-in models (the engine's zoo) and hardware profiles, as the registries that problems
 * resolve their `model` and `hardware` against. For the build and the CLI only: the practice
 * page's script never imports this module (nor the zoo, nor the profiles' data). Its page embeds,
 * in the problem's spec, just the built-ins that problem can name (`builtInsFor`).
 */
import { dirname, resolve } from 'node:path';
import {
  DEFAULT_CONTEXT,
  defineModel,
  HARDWARE_PROFILES,
  hardwareProfile,
  importHfConfig,
  importOnnx,
  isHfConfig,
  LLM_ZOO,
  llmZooImport,
  ModelError,
  ZOO,
  type HardwareProfile,
  type Model,
  type ModelDef,
} from '../engine/index.ts';
import type { HardwareRegistry } from './answers.ts';
import { readUserFile, UnreadableFileError } from './read-file.ts';
import { inlineConfigDef } from './config-importer.ts';
import { useConfigImporter } from './models.ts';

// The build reads inline config.json models as the importer writes them (a page loads it on demand).
useConfigImporter(inlineConfigDef);
import { modelDefOf, type ModelRegistry } from './models.ts';
import type { ProblemData } from './problem.ts';
import { courseRoot } from './course.ts';

/** Every built-in model's definition (at its default options), by id. */
export const BUILT_IN_MODELS: ModelRegistry = Object.freeze({
  ...Object.fromEntries(ZOO.map((e) => [e.id, e.def])),
  // The built-in language models (src/engine/zoo/llm/), on DEFAULT_CONTEXT tokens: the language-model
  // answers (answers-llm.ts) take the context, prompt and generation from the givens.
  ...Object.fromEntries(LLM_ZOO.map((e) => [e.id, llmZooImport(e.id)!.def({ tokens: DEFAULT_CONTEXT })])),
});

/** Every built-in hardware profile, by id (the engine's HARDWARE_PROFILES). */
export const BUILT_IN_HARDWARE: HardwareRegistry = HARDWARE_PROFILES;

/**
 * A problem's `model: ./models/net.onnx` or `./models/config.json` (a Hugging Face config): a
 * path relative to the problem file, imported at the build.
 */
export const isOnnxPath = (model: unknown): model is string => typeof model === 'string' && /\.(onnx|json)$/i.test(model);

const onnxCache = new Map<string, Model>();

/** The folder of a problem file named as messages name it (relative to the course folder), whatever the working directory. */
export const problemDir = (problemFile: string): string => dirname(resolve(courseRoot(), problemFile));

/** The ONNX file a problem names, imported (once per build), or a `ModelError` naming the problem file. */
export function onnxModelFor(model: string, problemFile: string, baseDir: string = problemDir(problemFile)): Model {
  const path = resolve(baseDir, model);
  const cached = onnxCache.get(path);
  if (cached) return cached;
  let bytes: Uint8Array;
  try {
    bytes = /\.json$/i.test(model) ? readUserFile(path, 'json', 'model file') : readUserFile(path, 'onnx', 'ONNX file');
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    throw new ModelError(model, [], `${error.message}; a path is relative to the problem file`, problemFile);
  }
  const name = model.replace(/^.*[\\/]/, '').replace(/\.(onnx|json)$/i, '');
  const file = `${problemFile} (model ${model})`;
  const imported = /\.json$/i.test(model) ? jsonModel(new TextDecoder().decode(bytes), name, file) : importOnnx(bytes, { name, file }).model;
  onnxCache.set(path, imported);
  return imported;
}

/** The registry a problem's model resolves against: the built-ins, plus its ONNX file when it names one. */
export function modelsFor(model: unknown, problemFile: string, baseDir?: string): ModelRegistry {
  return isOnnxPath(model) ? { ...BUILT_IN_MODELS, [model]: onnxModelFor(model, problemFile, baseDir) } : BUILT_IN_MODELS;
}

/** A JSON model file: a Hugging Face config.json (a `model_type`) on DEFAULT_CONTEXT tokens, or a model definition. */
function jsonModel(text: string, name: string, file: string): Model {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new ModelError(name, [], `not valid JSON (${(error as Error).message})`, file);
  }
  if (isHfConfig(json)) return defineModel(importHfConfig(text, { ...(name === 'config' ? {} : { name }), file }).def({ tokens: DEFAULT_CONTEXT }), { file });
  return defineModel(json as ModelDef, { file });
}

export interface BuiltIns {
  readonly models: ModelRegistry;
  readonly hardwareProfiles: HardwareRegistry;
}

/** `hardware="x"`, `hardware='x'` or `hardware={"x"}` on any tag of a problem's MDX. */
const HARDWARE_PROP = /\bhardware=(?:"([^"]*)"|'([^']*)'|\{\s*(?:"([^"]*)"|'([^']*)')\s*\})/g;

/**
 * The built-ins a problem can name, and no others: the zoo model its `model` names (a template's
 * model id cannot vary) and the hardware profiles of its `given` and of its answers' `hardware`
 * props. Plain JSON, for the problem's spec, which the practice page embeds. An unknown id is an
 * error naming the file and listing the built-in ids.
 */
export function builtInsFor(data: Pick<ProblemData, 'model' | 'given' | 'variation'>, body: string, file: string, baseDir?: string): BuiltIns {
  const models: Record<string, ModelDef | Model> = {};
  for (const model of [data.model, data.variation?.model]) {
    if (typeof model !== 'string') continue;
    if (isOnnxPath(model)) {
      models[model] = onnxModelFor(model, file, baseDir);
      continue;
    }
    try {
      models[model] = modelDefOf(model, BUILT_IN_MODELS);
    } catch (error) {
      throw error instanceof ModelError && !error.file ? error.inFile(file) : error;
    }
  }
  const ids = new Set<string>();
  for (const given of [data.given, data.variation?.given]) if (typeof given?.hardware === 'string') ids.add(given.hardware);
  for (const m of body.matchAll(HARDWARE_PROP)) ids.add(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  const hardwareProfiles: Record<string, HardwareProfile> = {};
  for (const id of ids) {
    try {
      hardwareProfiles[id] = hardwareProfile(id);
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
  }
  return { models, hardwareProfiles };
}
