/**
 * Reads a Hugging Face `config.json` by its `model_type` into an `LlmArch`: each model_type's keys
 * and defaults as transformers' configuration classes define them (LlamaConfig, MistralConfig,
 * MixtralConfig, Qwen2Config, GemmaConfig, GPT2Config, PhiConfig). The keys that fix the counts
 * (sizes, layers, heads) are required: a published config always has them, and a default would be a
 * silent figure. Every error names the file, the key (with its line and column when the text is at
 * hand) and the nearest key the config does have.
 *
 * Limits (the same as the model format's, src/engine/model/rules.ts, checked here at the config's
 * keys): sizes are positive safe integers, at most MODEL_LIMITS.repeat layers, at most MAX_EXPERTS
 * experts, top-k at most the experts, heads dividing the hidden size unless head_dim is given, KV
 * heads dividing the heads.
 */
import { ModelError } from '../errors.ts';
import { MODEL_LIMITS } from '../model/rules.ts';
import { MAX_EXPERTS } from '../layers/moe.ts';
import type { LlmArch } from './arch.ts';

export const MODEL_TYPES = ['llama', 'mistral', 'mixtral', 'qwen2', 'gemma', 'gpt2', 'phi'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

/** The largest vocabulary, hidden or intermediate size accepted: far past any published model. */
export const MAX_SIZE = 2 ** 24;

export class ConfigError extends ModelError {}

/** Edit distance, for the nearest key (a small copy: the engine cannot reach the workbook's). */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/** The config's keys, read with their file, line and column for errors. */
class Keys {
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly file: string | undefined;
  readonly text: string | undefined;
  constructor(name: string, config: Record<string, unknown>, file: string | undefined, text: string | undefined) {
    this.name = name;
    this.config = config;
    this.file = file;
    this.text = text;
  }

  /** `config.json:12:3: ` when the key is found in the text. */
  where(key: string): string {
    if (this.text === undefined) return '';
    const at = this.text.indexOf(JSON.stringify(key));
    if (at < 0) return '';
    const before = this.text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return `line ${line}, column ${column}: `;
  }

  fail(key: string, message: string): never {
    throw new ConfigError(this.name, [], `${this.where(key)}${key}: ${message}`, this.file);
  }

  missing(key: string, why = ''): never {
    const near = nearest(key, Object.keys(this.config));
    throw new ConfigError(this.name, [], `missing key '${key}'${why}${near ? `; did you mean '${near}'?` : ''}`, this.file);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.config, key) && this.config[key] !== null && this.config[key] !== undefined;
  }

  /** A positive integer at most `max`. */
  size(key: string, options: { max?: number; fallback?: number | (() => number) } = {}): number {
    const max = options.max ?? MAX_SIZE;
    if (!this.has(key)) {
      if (options.fallback === undefined) this.missing(key);
      return typeof options.fallback === 'function' ? options.fallback() : options.fallback;
    }
    const value = this.config[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) this.fail(key, `${JSON.stringify(value)} is not a positive integer`);
    if (value > max) this.fail(key, `${value} is too large; allowed: 1 to ${max.toLocaleString('en-US')}`);
    return value;
  }

  bool(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const value = this.config[key];
    if (typeof value !== 'boolean') this.fail(key, `${JSON.stringify(value)} is not true or false`);
    return value;
  }

  number(key: string, fallback: number): number {
    if (!this.has(key)) return fallback;
    const value = this.config[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(key, `${JSON.stringify(value)} is not a number`);
    return value;
  }

  activation(key: string, fallback: string): LlmArch['activation'] {
    const value = this.has(key) ? this.config[key] : fallback;
    const known: Record<string, LlmArch['activation']> = {
      silu: 'silu',
      swish: 'silu',
      gelu: 'gelu',
      gelu_new: 'gelu_tanh',
      gelu_fast: 'gelu_tanh',
      gelu_pytorch_tanh: 'gelu_tanh',
    };
    if (typeof value !== 'string' || !Object.hasOwn(known, value)) {
      const near = typeof value === 'string' ? nearest(value, Object.keys(known)) : undefined;
      this.fail(key, `unknown activation ${JSON.stringify(value)}${near ? `; did you mean '${near}'?` : ''}; allowed: ${Object.keys(known).join(', ')}`);
    }
    return known[value]!;
  }
}

/** Heads, KV heads and head size, checked: heads divide the hidden size (or head_dim is given), KV heads divide heads. */
function heads(k: Keys, hidden: number, keys: { heads: string; kv?: string; headDim?: string }): { heads: number; kvHeads: number; headDim: number } {
  const h = k.size(keys.heads, { max: hidden * 64 });
  const kvHeads = keys.kv ? k.size(keys.kv, { fallback: h, max: h }) : h;
  if (h % kvHeads !== 0) k.fail(keys.kv!, `${kvHeads} key/value heads do not divide the ${h} attention heads`);
  if (keys.headDim && k.has(keys.headDim)) return { heads: h, kvHeads, headDim: k.size(keys.headDim) };
  if (hidden % h !== 0) k.fail(keys.heads, `${h} heads do not divide ${keys.heads === 'n_head' ? 'n_embd' : 'hidden_size'} ${hidden}${keys.headDim ? ` and there is no '${keys.headDim}'` : ''}`);
  return { heads: h, kvHeads, headDim: hidden / h };
}

const layers = (k: Keys, key: string) => k.size(key, { max: MODEL_LIMITS.repeat });

/** The Llama family's keys (llama, mistral, mixtral, qwen2, gemma), with each type's defaults. */
function llamaLike(k: Keys, type: Exclude<ModelType, 'gpt2' | 'phi'>): LlmArch {
  const hidden = k.size('hidden_size');
  const geometry = heads(k, hidden, { heads: 'num_attention_heads', kv: 'num_key_value_heads', headDim: 'head_dim' });
  const moe =
    type === 'mixtral'
      ? (() => {
          const experts = k.size('num_local_experts', { max: MAX_EXPERTS });
          const topK = k.size('num_experts_per_tok', { max: experts });
          return { experts, topK };
        })()
      : undefined;
  // MistralConfig's sliding_window defaults to 4096; Qwen2 uses its window only with use_sliding_window.
  let slidingWindow: number | null = null;
  if (type === 'mistral') slidingWindow = k.has('sliding_window') ? k.size('sliding_window', { max: Number.MAX_SAFE_INTEGER }) : Object.hasOwn(k.config, 'sliding_window') ? null : 4096;
  if (type === 'mixtral' && k.has('sliding_window')) slidingWindow = k.size('sliding_window', { max: Number.MAX_SAFE_INTEGER });
  if (type === 'qwen2' && k.bool('use_sliding_window', false) && k.has('sliding_window')) slidingWindow = k.size('sliding_window', { max: Number.MAX_SAFE_INTEGER });
  const activation = type === 'gemma' ? k.activation(k.has('hidden_activation') ? 'hidden_activation' : 'hidden_act', 'gelu_pytorch_tanh') : k.activation('hidden_act', 'silu');
  return {
    modelType: type,
    vocab: k.size('vocab_size'),
    hidden,
    layers: layers(k, 'num_hidden_layers'),
    ...geometry,
    intermediate: k.size('intermediate_size'),
    activation,
    mlp: 'gated',
    mlpBias: type === 'llama' ? k.bool('mlp_bias', false) : false,
    norm: 'rms',
    // Qwen2Attention: q_proj, k_proj, v_proj with bias=True, o_proj without; Llama: attention_bias for all four.
    qkvBias: type === 'qwen2' ? true : type === 'llama' ? k.bool('attention_bias', false) : false,
    outBias: type === 'llama' ? k.bool('attention_bias', false) : false,
    fusedQkv: false,
    parallelBlock: false,
    ...(moe ? { moe } : {}),
    ...(k.has('max_position_embeddings') ? { maxPositions: k.size('max_position_embeddings', { max: Number.MAX_SAFE_INTEGER }) } : {}),
    slidingWindow,
    tiedEmbeddings: k.bool('tie_word_embeddings', type === 'gemma'),
    lmHeadBias: false,
  };
}

function gpt2(k: Keys): LlmArch {
  const hidden = k.size('n_embd');
  const positions = k.size('n_positions', { max: Number.MAX_SAFE_INTEGER });
  return {
    modelType: 'gpt2',
    vocab: k.size('vocab_size'),
    hidden,
    layers: layers(k, 'n_layer'),
    ...heads(k, hidden, { heads: 'n_head' }),
    // n_inner: null means 4 × n_embd (GPT2MLP).
    intermediate: k.size('n_inner', { fallback: 4 * hidden }),
    activation: k.activation('activation_function', 'gelu_new'),
    mlp: 'plain',
    mlpBias: true,
    norm: 'layer',
    qkvBias: true,
    outBias: true,
    fusedQkv: true,
    parallelBlock: false,
    learnedPositions: positions,
    maxPositions: positions,
    slidingWindow: null,
    // GPT2LMHeadModel ties lm_head to wte (tie_word_embeddings defaults to true).
    tiedEmbeddings: k.bool('tie_word_embeddings', true),
    lmHeadBias: false,
  };
}

function phi(k: Keys): LlmArch {
  const hidden = k.size('hidden_size');
  const geometry = heads(k, hidden, { heads: 'num_attention_heads', kv: 'num_key_value_heads' });
  const factor = k.number('partial_rotary_factor', 0.5);
  if (!(factor >= 0 && factor <= 1)) k.fail('partial_rotary_factor', `${factor} is not a fraction from 0 to 1`);
  return {
    modelType: 'phi',
    vocab: k.size('vocab_size'),
    hidden,
    layers: layers(k, 'num_hidden_layers'),
    ...geometry,
    intermediate: k.size('intermediate_size'),
    activation: k.activation('hidden_act', 'gelu_new'),
    mlp: 'plain',
    mlpBias: true,
    norm: 'layer',
    // PhiAttention: q_proj, k_proj, v_proj and dense, all with biases.
    qkvBias: true,
    outBias: true,
    fusedQkv: false,
    parallelBlock: true,
    ...(k.has('max_position_embeddings') ? { maxPositions: k.size('max_position_embeddings', { max: Number.MAX_SAFE_INTEGER }) } : {}),
    rotaryDim: Math.floor(factor * geometry.headDim),
    slidingWindow: null,
    tiedEmbeddings: k.bool('tie_word_embeddings', false),
    // PhiForCausalLM's lm_head is nn.Linear(hidden_size, vocab_size, bias=True).
    lmHeadBias: true,
  };
}

export interface ReadOptions {
  /** The model's name (default: the config's `_name_or_path`, else the file's name). */
  readonly name?: string;
  readonly file?: string;
  /** The file's text, for the line and column of a bad key. */
  readonly text?: string;
}

/** Reads a parsed config.json; a `ConfigError` names the file and the key. */
export function readConfig(config: unknown, options: ReadOptions = {}): { name: string; arch: LlmArch } {
  const fallbackName = options.name ?? 'config';
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(fallbackName, [], 'a config.json holds one JSON object', options.file);
  }
  const record = config as Record<string, unknown>;
  const named = typeof record['_name_or_path'] === 'string' && record['_name_or_path'] !== '' ? String(record['_name_or_path']).replace(/^.*\//, '') : undefined;
  const name = (options.name ?? named ?? fallbackName).slice(0, MODEL_LIMITS.nameLength).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029.]/g, '_') || 'config';
  const k = new Keys(name, record, options.file, options.text);
  if (!k.has('model_type')) k.missing('model_type', `; allowed model types: ${MODEL_TYPES.join(', ')}`);
  const type = record['model_type'];
  if (typeof type !== 'string' || !(MODEL_TYPES as readonly string[]).includes(type)) {
    const near = typeof type === 'string' ? nearest(type, MODEL_TYPES) : undefined;
    k.fail('model_type', `unknown model type ${JSON.stringify(type)}${near ? `; did you mean '${near}'?` : ''}; allowed: ${MODEL_TYPES.join(', ')}`);
  }
  const arch = type === 'gpt2' ? gpt2(k) : type === 'phi' ? phi(k) : llamaLike(k, type as Exclude<ModelType, 'gpt2' | 'phi'>);
  return { name, arch };
}
