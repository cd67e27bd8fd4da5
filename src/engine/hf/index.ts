/**
 * Hugging Face config.json import: the one seam between a published config and the engine's
 * layer kinds (as `onnx/` is for ONNX graphs). `readConfig` reads the keys by model_type
 * (config.ts), `llmDef` writes the model on the engine's kinds (build.ts); every figure is then
 * the engine's (analysis/, llm/).
 */
import { ConfigError, readConfig, type ReadOptions } from './config.ts';
import { llmDef, type Window } from './build.ts';
import type { LlmArch } from './arch.ts';
import type { ModelDef } from '../model/define.ts';

export { ConfigError, MODEL_TYPES, readConfig, type ModelType, type ReadOptions } from './config.ts';
export { llmDef, type Window } from './build.ts';
export type { LlmArch } from './arch.ts';

export interface HfImport {
  readonly name: string;
  readonly arch: LlmArch;
  readonly description?: string;
  readonly source?: string;
  /** The model on `tokens` new tokens after `past` cached ones. */
  def(window: Window): ModelDef;
}

/** A config.json's text (or its parsed object) as an importable language model. */
export function importHfConfig(input: string | unknown, options: ReadOptions & { description?: string; source?: string } = {}): HfImport {
  let config = input;
  let text: string | undefined = options.text;
  if (typeof input === 'string') {
    text = input;
    try {
      config = JSON.parse(input.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new ConfigError(options.name ?? 'config', [], `not valid JSON (${(error as Error).message})`, options.file);
    }
  }
  const { name, arch } = readConfig(config, { ...options, ...(text !== undefined ? { text } : {}) });
  const meta = { ...(options.description ? { description: options.description } : {}), source: options.source ?? `Hugging Face config.json (model_type ${arch.modelType})` };
  return { name, arch, ...meta, def: (window) => llmDef(name, arch, window, meta) };
}

/** True when a parsed JSON object looks like a Hugging Face config rather than a model definition. */
export function isHfConfig(json: unknown): boolean {
  return typeof json === 'object' && json !== null && !Array.isArray(json) && Object.hasOwn(json, 'model_type') && !Object.hasOwn(json, 'layers');
}
export { importOfModel, isLanguageModel } from './from-model.ts';
