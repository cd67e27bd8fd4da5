/**
 * An `LlmArch` onto the engine's layer kinds, module for module as transformers writes each
 * model_type (paths as its module names: `model.layers.0.self_attn`, `transformer.h.0.attn`):
 *
 * - llama, mistral, qwen2, gemma: embed_tokens; per layer input_layernorm (RMSNorm) → self_attn
 *   (CausalSelfAttention) + residual, post_attention_layernorm → mlp (GatedMLP) + residual;
 *   norm; lm_head (LMHead, tied or not).
 * - mixtral: the same with block_sparse_moe (MixtureOfExperts) for the MLP.
 * - gpt2: wte + wpe (learned positions), per layer ln_1 → attn (fused c_attn, biases) + residual,
 *   ln_2 → mlp (c_fc, GELU, c_proj) + residual; ln_f; lm_head tied to wte.
 * - phi: embed_tokens; per layer one input_layernorm feeding self_attn and mlp (fc1, GELU, fc2)
 *   side by side, both added to the residual; final_layernorm; lm_head with a bias.
 *
 * `tokens` new tokens after `past` cached ones: a prompt is (P, 0), one decode step at context C
 * is (1, C − 1), and G decode steps after a prompt of P are, summed, (G, P) (see
 * causal-attention.ts): one model, one counting path, for every stage.
 */
import { embedding, gelu, layerNorm, linear, model, named, parallel, repeat, residual, sequential } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';
import { ModelError } from '../errors.ts';
import type { LlmArch } from './arch.ts';

export interface Window {
  /** New tokens (the prompt, or 1 per decode step). */
  readonly tokens: number;
  /** Tokens already in the KV cache. */
  readonly past?: number;
}

function norm(arch: LlmArch, name: string): LayerDef {
  return named(name, arch.norm === 'rms' ? { type: 'RMSNorm', eps: 1e-6 } : layerNorm());
}

function attention(arch: LlmArch, past: number, name: string): LayerDef {
  return {
    type: 'CausalSelfAttention',
    name,
    num_heads: arch.heads,
    num_key_value_heads: arch.kvHeads,
    head_dim: arch.headDim,
    qkv_bias: arch.qkvBias,
    out_bias: arch.outBias,
    sliding_window: arch.slidingWindow,
    past,
    fused_qkv: arch.fusedQkv,
    ...(arch.rotaryDim !== undefined ? { rotary_dim: arch.rotaryDim } : {}),
  };
}

function mlp(arch: LlmArch): LayerDef {
  if (arch.moe) return { type: 'MixtureOfExperts', name: 'block_sparse_moe', num_experts: arch.moe.experts, top_k: arch.moe.topK, intermediate_size: arch.intermediate, activation: arch.activation };
  if (arch.mlp === 'gated') return { type: 'GatedMLP', name: 'mlp', intermediate_size: arch.intermediate, activation: arch.activation, bias: arch.mlpBias };
  const [up, down] = arch.modelType === 'gpt2' ? ['c_fc', 'c_proj'] : ['fc1', 'fc2'];
  return sequential('mlp', [
    named(up!, linear(arch.intermediate, { bias: arch.mlpBias })),
    named('act', gelu(arch.activation === 'gelu_tanh' ? { approximate: 'tanh' } : {})),
    named(down!, linear(arch.hidden, { bias: arch.mlpBias })),
  ]);
}

function lmHead(arch: LlmArch): LayerDef {
  return { type: 'LMHead', name: 'lm_head', vocab_size: arch.vocab, bias: arch.lmHeadBias, tied: arch.tiedEmbeddings };
}

/** The engine's definition of the model on `tokens` new tokens after `past` cached ones. */
export function llmDef(name: string, arch: LlmArch, window: Window, meta: { description?: string; source?: string } = {}): ModelDef {
  const { tokens } = window;
  const past = window.past ?? 0;
  if (arch.learnedPositions !== undefined && past + tokens > arch.learnedPositions) {
    throw new ModelError(name, [], `context ${past + tokens} is longer than the ${arch.learnedPositions} learned positions (n_positions); allowed: 1 to ${arch.learnedPositions}`);
  }
  if (arch.modelType === 'gpt2') {
    const block = sequential(undefined, [
      residual([norm(arch, 'ln_1'), attention(arch, past, 'attn')], { name: 'attn_block' }),
      residual([norm(arch, 'ln_2'), mlp(arch)], { name: 'mlp_block' }),
    ]);
    return model(name, [tokens], [
      sequential('transformer', [
        // wte(ids) + wpe(positions): the positions past … past + L − 1, one lookup per token.
        parallel([named('wte', embedding(arch.vocab, arch.hidden)), named('wpe', embedding(arch.learnedPositions!, arch.hidden))], 'add', { name: 'embeddings' }),
        repeat(arch.layers, [block], { name: 'h' }),
        norm(arch, 'ln_f'),
      ]),
      lmHead(arch),
    ], meta);
  }
  const layer = arch.parallelBlock
    ? sequential(undefined, [
        residual([norm(arch, 'input_layernorm'), parallel([[attention(arch, past, 'self_attn')], [mlp(arch)]], 'add', { name: 'attn_mlp' })], { name: 'block' }),
      ])
    : sequential(undefined, [
        residual([norm(arch, 'input_layernorm'), attention(arch, past, 'self_attn')], { name: 'attn_block' }),
        residual([norm(arch, 'post_attention_layernorm'), mlp(arch)], { name: 'mlp_block' }),
      ]);
  return model(name, [tokens], [
    sequential('model', [
      named('embed_tokens', embedding(arch.vocab, arch.hidden)),
      repeat(arch.layers, [layer], { name: 'layers' }),
      norm(arch, arch.parallelBlock ? 'final_layernorm' : 'norm'),
    ]),
    lmHead(arch),
  ], meta);
}
