/**
 * The built-in language models: Hugging Face config.json files as published (SOURCES.md says
 * where each comes from), read by the same importer as a user's file (src/engine/hf/).
 * `workbook analyze <id>` accepts these ids. They are apart from ZOO (the per-sample models with
 * a page each), since a language model is analyzed per stage (src/engine/llm/).
 */
import { importHfConfig, type HfImport } from '../../hf/index.ts';
import gpt2 from './gpt2.json' with { type: 'json' };
import gpt2Medium from './gpt2-medium.json' with { type: 'json' };
import tinyllama from './tinyllama-1.1b.json' with { type: 'json' };
import llama32 from './llama-3.2-1b.json' with { type: 'json' };
import llama3 from './llama-3-8b.json' with { type: 'json' };
import mistral from './mistral-7b.json' with { type: 'json' };
import mixtral from './mixtral-8x7b.json' with { type: 'json' };
import qwen25 from './qwen2.5-0.5b.json' with { type: 'json' };
import gemma from './gemma-2b.json' with { type: 'json' };
import phi2 from './phi-2.json' with { type: 'json' };
import llama2_7b from './llama-2-7b.json' with { type: 'json' };
import llama2_13b from './llama-2-13b.json' with { type: 'json' };

export interface LlmZooEntry {
  readonly id: string;
  readonly description: string;
  /** The Hugging Face repository whose config.json this is. */
  readonly source: string;
  readonly config: unknown;
}

const entry = (id: string, repo: string, description: string, config: unknown): LlmZooEntry => ({ id, description, source: `huggingface.co/${repo}, config.json`, config });

export const LLM_ZOO: readonly LlmZooEntry[] = [
  entry('gpt2', 'openai-community/gpt2', 'GPT-2 (124M): learned positions, fused QKV with biases, tied output layer.', gpt2),
  entry('gpt2-medium', 'openai-community/gpt2-medium', 'GPT-2 medium (355M).', gpt2Medium),
  entry('tinyllama-1.1b', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'TinyLlama 1.1B: Llama 2 architecture, 4 KV heads for 32.', tinyllama),
  entry('llama-3.2-1b', 'meta-llama/Llama-3.2-1B', 'Llama 3.2 1B: grouped-query attention (8 KV heads), tied embeddings.', llama32),
  entry('llama-3-8b', 'meta-llama/Meta-Llama-3-8B', 'Llama 3 8B: 8 KV heads, a 128,256-token vocabulary.', llama3),
  entry('mistral-7b', 'mistralai/Mistral-7B-v0.1', 'Mistral 7B v0.1: a sliding window of 4,096 tokens caps the KV cache.', mistral),
  entry('mixtral-8x7b', 'mistralai/Mixtral-8x7B-v0.1', 'Mixtral 8x7B: a mixture of 8 experts, 2 per token.', mixtral),
  entry('qwen2.5-0.5b', 'Qwen/Qwen2.5-0.5B', 'Qwen2.5 0.5B: biases on q, k and v; tied embeddings.', qwen25),
  entry('gemma-2b', 'google/gemma-2b', 'Gemma 2B: multi-query attention (1 KV head) with head_dim 256.', gemma),
  entry('phi-2', 'microsoft/phi-2', 'Phi-2: attention and MLP in parallel on one LayerNorm, partial rotary, a biased output layer.', phi2),
  entry('llama-2-7b', 'meta-llama/Llama-2-7b-hf', 'Llama 2 7B: multi-head attention (32 KV heads).', llama2_7b),
  entry('llama-2-13b', 'meta-llama/Llama-2-13b-hf', 'Llama 2 13B: the model of CS336\'s inference lecture.', llama2_13b),
];

export const LLM_ZOO_IDS = LLM_ZOO.map((e) => e.id);

export function llmZooEntry(id: string): LlmZooEntry | undefined {
  return LLM_ZOO.find((e) => e.id === id);
}

const imports = new Map<string, HfImport>();

/** The built-in model `id` as an import, read once. */
export function llmZooImport(id: string): HfImport | undefined {
  const e = llmZooEntry(id);
  if (!e) return undefined;
  let imp = imports.get(id);
  if (!imp) imports.set(id, (imp = importHfConfig(e.config, { name: e.id, description: e.description, source: e.source })));
  return imp;
}
