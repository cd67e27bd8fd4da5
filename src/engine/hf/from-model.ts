/**
 * A defined model back to its language-model architecture, for answers about a problem's model:
 * a problem names a built-in LLM or a config, whose definition (plain JSON, as a practice page
 * embeds it) is the model on its default tokens; the stages need the same model on other windows.
 * Every size is read off the layers' arguments, so nothing is re-read from a config.
 */
import { ModelError } from '../errors.ts';
import type { Layer, Model } from '../model/define.ts';
import { memoOf } from '../model/memo.ts';
import type { CausalSelfAttentionArgs } from '../layers/causal-attention.ts';
import type { GatedMLPArgs } from '../layers/gated-mlp.ts';
import type { MixtureOfExpertsArgs } from '../layers/moe.ts';
import type { LMHeadArgs } from '../layers/lm-head.ts';
import type { EmbeddingArgs } from '../layers/embedding.ts';
import type { LinearArgs } from '../layers/linear.ts';
import type { GeluArgs } from '../layers/activation.ts';
import { llmDef } from './build.ts';
import type { LlmArch } from './arch.ts';
import type { HfImport } from './index.ts';

const SLOT = Symbol('language model of a defined model');

export { isLanguageModel } from '../llm/defaults.ts';

export function importOfModel(model: Model): HfImport {
  return memoOf(model, SLOT, () => {
    const find = (type: string, name?: string): Layer | undefined => model.layers.find((l) => l.type === type && (name === undefined || l.name === name));
    const attention = find('CausalSelfAttention');
    const head = find('LMHead');
    const embedding = find('Embedding');
    if (!attention || !head || !embedding) {
      throw new ModelError(model.name, [], 'a language-model answer needs a decoder-only language model (a Hugging Face config.json or a built-in LLM such as llama-2-7b): this model has no CausalSelfAttention and LMHead layers');
    }
    const a = attention.args as CausalSelfAttentionArgs;
    const hidden = attention.inputShape[1]!;
    const heads = a.num_heads;
    const moe = find('MixtureOfExperts')?.args as MixtureOfExpertsArgs | undefined;
    const gated = find('GatedMLP')?.args as GatedMLPArgs | undefined;
    const wpe = find('Embedding', 'wpe');
    const up = find('Linear', 'c_fc') ?? find('Linear', 'fc1');
    const gelu = find('GELU')?.args as GeluArgs | undefined;
    const parallelBlock = model.layers.some((l) => l.path.includes('attn_mlp'));
    const typeFromSource = /model_type (\w+)/.exec(model.source ?? '')?.[1];
    const modelType = wpe ? 'gpt2' : parallelBlock ? 'phi' : moe ? 'mixtral' : (typeFromSource ?? 'llama');
    const lm = head.args as LMHeadArgs;
    const arch: LlmArch = {
      modelType,
      vocab: (embedding.args as EmbeddingArgs).num_embeddings,
      hidden,
      layers: model.layers.filter((l) => l.type === 'CausalSelfAttention').length,
      heads,
      kvHeads: a.num_key_value_heads ?? heads,
      headDim: a.head_dim ?? hidden / heads,
      intermediate: moe?.intermediate_size ?? gated?.intermediate_size ?? (up?.args as LinearArgs | undefined)?.out_features ?? 4 * hidden,
      activation: moe?.activation ?? gated?.activation ?? (gelu?.approximate === 'tanh' ? 'gelu_tanh' : 'gelu'),
      mlp: moe || gated ? 'gated' : 'plain',
      mlpBias: gated ? gated.bias : (up?.args as LinearArgs | undefined)?.bias ?? false,
      norm: find('RMSNorm') ? 'rms' : 'layer',
      qkvBias: a.qkv_bias,
      outBias: a.out_bias,
      fusedQkv: a.fused_qkv,
      parallelBlock,
      ...(moe ? { moe: { experts: moe.num_experts, topK: moe.top_k } } : {}),
      ...(wpe ? { learnedPositions: (wpe.args as EmbeddingArgs).num_embeddings, maxPositions: (wpe.args as EmbeddingArgs).num_embeddings } : {}),
      ...(a.rotary_dim !== undefined ? { rotaryDim: a.rotary_dim } : {}),
      slidingWindow: a.sliding_window,
      tiedEmbeddings: lm.tied,
      lmHeadBias: lm.bias,
    };
    const meta = { ...(model.description ? { description: model.description } : {}), ...(model.source ? { source: model.source } : {}) };
    return { name: model.name, arch, ...meta, def: (window) => llmDef(model.name, arch, window, meta) };
  });
}
