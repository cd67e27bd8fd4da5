/**
 * A Hugging Face config.json written inline in a problem's frontmatter, made into a model
 * definition by the engine's importer (src/engine/hf/). Kept out of models.ts so that the practice
 * page's script loads the importer only for a problem that writes a config inline (on demand).
 */
import { importHfConfig } from '../engine/hf/index.ts';
import { DEFAULT_CONTEXT } from '../engine/llm/analysis.ts';
import type { ModelDef } from '../engine/model/define.ts';

export function inlineConfigDef(config: Record<string, unknown>): ModelDef {
  const name = typeof config.name === 'string' ? config.name : 'config';
  return importHfConfig(config, { name }).def({ tokens: DEFAULT_CONTEXT });
}
