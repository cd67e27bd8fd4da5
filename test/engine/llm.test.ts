/**
 * Language models from Hugging Face configs: exact parameters, active parameters and KV-cache
 * bytes for every built-in config (each with its published figure), weight bytes in every format,
 * prefill and decode, CS336's Llama-2-13B table on an H100, and every figure's derivation.
 */
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  derivationForms,
  evaluate,
  hardwareProfile,
  importHfConfig,
  llmAnalysis,
  llmOnHardware,
  llmZooImport,
  LLM_ZOO_IDS,
  decodeModel,
  decodePoint,
  type Figure,
  type LlmAnalysis,
} from '../../src/engine/index.ts';

const zoo = (id: string) => llmZooImport(id)!;

// Parameters as transformers' model.num_parameters() counts them (a tied matrix once), active
// parameters per token, and KV-cache bytes per token at 16 bits.
const PUBLISHED: Record<string, { params: number; active: number; kvPerToken: number }> = {
  // GPT-2 (124M): 124,439,808, the reference and Hugging Face's count of GPT2LMHeadModel.
  gpt2: { params: 124_439_808, active: 124_439_808, kvPerToken: 2 * 12 * 768 * 2 },
  // GPT-2 medium: 354,823,168 (the "355M" model; num_parameters() of gpt2-medium).
  'gpt2-medium': { params: 354_823_168, active: 354_823_168, kvPerToken: 2 * 24 * 1024 * 2 },
  // TinyLlama-1.1B: 1,100,048,384 (model card: 1.1B; num_parameters()).
  'tinyllama-1.1b': { params: 1_100_048_384, active: 1_100_048_384, kvPerToken: 2 * 22 * 4 * 64 * 2 },
  // Llama-3.2-1B: 1,235,814,400 (Meta's model card: 1.23B); keras-hub lists 1,498,482,688, the tied
  // output layer counted twice: 1,235,814,400 + 128,256 × 2,048.
  'llama-3.2-1b': { params: 1_235_814_400, active: 1_235_814_400, kvPerToken: 2 * 16 * 8 * 64 * 2 },
  // Llama-3-8B: 8,030,261,248 (model card: 8B; num_parameters()).
  'llama-3-8b': { params: 8_030_261_248, active: 8_030_261_248, kvPerToken: 2 * 32 * 8 * 128 * 2 },
  // Mistral-7B-v0.1: 7,241,732,096 (Mistral's "7.3B"; num_parameters()).
  'mistral-7b': { params: 7_241_732_096, active: 7_241_732_096, kvPerToken: 2 * 32 * 8 * 128 * 2 },
  // Mixtral-8x7B: 46,702,792,704 total, 12,879,925,248 active (the reference; Mistral's
  // "46.7B total, 12.9B active").
  'mixtral-8x7b': { params: 46_702_792_704, active: 12_879_925_248, kvPerToken: 2 * 32 * 8 * 128 * 2 },
  // Qwen2.5-0.5B: 494,032,768 (model card: 0.49B, 0.36B non-embedding).
  'qwen2.5-0.5b': { params: 494_032_768, active: 494_032_768, kvPerToken: 2 * 24 * 2 * 64 * 2 },
  // Gemma-2B: 2,506,172,416 (Gemma report: 2B, 524,288,000 of them embeddings).
  'gemma-2b': { params: 2_506_172_416, active: 2_506_172_416, kvPerToken: 2 * 18 * 1 * 256 * 2 },
  // Phi-2: 2,779,683,840 (model card: 2.7B; num_parameters()).
  'phi-2': { params: 2_779_683_840, active: 2_779_683_840, kvPerToken: 2 * 32 * 2560 * 2 },
  // Llama-2-7B: 6,738,415,616 and 524,288 B per token (the reference; Llama 2 paper: 7B).
  'llama-2-7b': { params: 6_738_415_616, active: 6_738_415_616, kvPerToken: 524_288 },
  // Llama-2-13B: 13,015,864,320 (model card: 13B; num_parameters()).
  'llama-2-13b': { params: 13_015_864_320, active: 13_015_864_320, kvPerToken: 2 * 40 * 5120 * 2 },
};

describe('built-in configs: exact counts', () => {
  it('covers every built-in config', () => {
    expect(Object.keys(PUBLISHED).sort()).toEqual([...LLM_ZOO_IDS].sort());
  });
  for (const [id, want] of Object.entries(PUBLISHED)) {
    it(`${id}: ${want.params.toLocaleString('en-US')} parameters, ${want.active.toLocaleString('en-US')} active, ${want.kvPerToken} B of KV per token`, () => {
      const llm = llmAnalysis(zoo(id), { context: 128 });
      expect(llm.params.value).toBe(want.params);
      expect(llm.activeParams.value).toBe(want.active);
      expect(llm.kvCacheBytesPerToken.value).toBe(want.kvPerToken);
      // 16-bit weights: 2 bytes per parameter.
      expect(llm.weightBytes.value).toBe(2 * want.params);
    });
  }

  it('counts the tied output layer once (keras-hub counts Llama-3.2-1B twice: 1,498,482,688)', () => {
    const tied = llmAnalysis(zoo('llama-3.2-1b'));
    const untied = llmAnalysis(importHfConfig({ ...tiedConfig(), tie_word_embeddings: false }));
    expect(untied.params.value).toBe(1_498_482_688);
    expect(untied.params.value - tied.params.value).toBe(128_256 * 2048);
  });

  it('Mixtral: active = everything shared + the router + 2 of 8 experts', () => {
    const llm = llmAnalysis(zoo('mixtral-8x7b'));
    const expert = 3 * 4096 * 14336;
    expect(llm.params.value - llm.activeParams.value).toBe(32 * 6 * expert);
  });
});

function tiedConfig() {
  return {
    model_type: 'llama', vocab_size: 128256, hidden_size: 2048, num_hidden_layers: 16, num_attention_heads: 32,
    num_key_value_heads: 8, head_dim: 64, intermediate_size: 8192, tie_word_embeddings: true,
  };
}

describe('weight formats', () => {
  const llama = () => zoo('llama-2-7b');
  // Per layer the quantized matrices are q, k, v, o (4096 × 4096) and gate, up, down (4096 × 11008).
  const quantized = 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008);
  // Embeddings, lm_head and the 65 RMSNorms stay 16-bit.
  const sixteenBit = 2 * (2 * 32000 * 4096 + 65 * 4096);

  it('4-bit, groups of 128: packed weights + a 16-bit scale and a 4-bit zero point per group', () => {
    const groups = 32 * (4 * 4096 * (4096 / 128) + 2 * 11008 * (4096 / 128) + 4096 * (11008 / 128));
    const llm = llmAnalysis(llama(), { weights: { kind: 'group', bits: 4, groupSize: 128 } });
    expect(llm.weightBytes.value).toBe((quantized * 4 + groups * (16 + 4)) / 8 + sixteenBit);
    expect(llm.weightBytes.value).toBe(3_889_307_648);
  });

  it("llama.cpp's Q4_0 (18 B per 32 weights) and Q8_0 (34 B per 32)", () => {
    expect(llmAnalysis(llama(), { weights: { kind: 'ggml', format: 'q4_0' } }).weightBytes.value).toBe((quantized / 32) * 18 + sixteenBit);
    expect(llmAnalysis(llama(), { weights: { kind: 'ggml', format: 'q8_0' } }).weightBytes.value).toBe((quantized / 32) * 34 + sixteenBit);
    expect(llmAnalysis(llama(), { weights: { kind: 'ggml', format: 'q4_0' } }).weightBytes.value).toBe(4_167_573_504);
  });

  it('8 bits for every parameter is one byte each', () => {
    expect(llmAnalysis(llama(), { weights: { kind: 'bits', bits: 8 } }).weightBytes.value).toBe(6_738_415_616);
  });

  it('refuses a Q4_0 row that is not whole blocks, naming the layer', () => {
    const odd = importHfConfig({ model_type: 'llama', vocab_size: 100, hidden_size: 48, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64 });
    expect(() => llmAnalysis(odd, { weights: { kind: 'ggml', format: 'q4_0' } })).toThrow(/self_attn: Q4_0 quantizes rows in blocks of 32 weights, but a row here has 48/);
  });
});

describe('KV cache', () => {
  it('grows with batch × context, and a sliding window caps it (Mistral 7B: 4,096 tokens)', () => {
    const llama = llmAnalysis(zoo('llama-2-7b'), { context: 4096, batch: 8 });
    expect(llama.kvCacheBytes.value).toBe(8 * 4096 * 524_288);
    const mistral = llmAnalysis(zoo('mistral-7b'), { context: 32768 });
    expect(mistral.kvCacheBytes.value).toBe(4096 * 131_072);
  });

  it('at 8 bits halves the 16-bit cache; multi-query Gemma keeps one head of 256', () => {
    expect(llmAnalysis(zoo('llama-2-7b'), { kvBits: 8 }).kvCacheBytesPerToken.value).toBe(262_144);
    expect(llmAnalysis(zoo('gemma-2b'), { kvBits: 16 }).kvCacheBytesPerToken.value).toBe(2 * 18 * 256 * 2);
  });
});

describe('prefill, decode and a generation', () => {
  it('a decode step of Llama-2-7B at context C reads the weights once and the cache of every sequence', () => {
    const llm = llmAnalysis(zoo('llama-2-7b'), { context: 2048, batch: 4 });
    expect(llm.decode.bytes.value).toBe(2 * 6_738_415_616 + 4 * 2048 * 524_288);
    // FLOPs: 2 × (weights' MACs per token + the scores and values over C keys), per sequence.
    const macsPerToken = 6_738_415_616 - 32000 * 4096 - 65 * 4096 + 32 * 2 * 32 * 128 * 2048;
    expect(llm.decode.flops.value).toBe(4 * 2 * macsPerToken);
    expect(llm.decode.intensity.value).toBeCloseTo(llm.decode.flops.value / llm.decode.bytes.value, 12);
  });

  it('prefill of P tokens counts causal attention: P (P + 1) / 2 query-key pairs per head', () => {
    const llm = llmAnalysis(zoo('llama-2-7b'), { context: 512 });
    const linear = 6_738_415_616 - 32000 * 4096 - 65 * 4096;
    expect(llm.prefill.flops.value).toBe(2 * (512 * linear + 32 * 2 * 32 * 128 * ((512 * 513) / 2)));
    expect(llm.prefill.bytes.value).toBe(2 * 6_738_415_616 + 512 * 524_288);
  });

  it('the generation of G tokens is the sum of its G decode steps over the growing context (sliding window too)', () => {
    for (const id of ['gpt2', 'mistral-7b', 'mixtral-8x7b']) {
      const imp = zoo(id);
      const P = id === 'mistral-7b' ? 4090 : 200;
      const G = 12;
      const gen = llmAnalysis(imp, { prompt: P, generate: G, batch: 3 });
      let flops = 0;
      let bytes = 0;
      for (let t = 1; t <= G; t++) {
        const step = llmAnalysis(imp, { context: P + t, batch: 3 }).decode;
        flops += step.flops.value;
        bytes += step.bytes.value;
      }
      expect(gen.generation!.flops.value, id).toBe(flops);
      expect(gen.generation!.bytes.value, id).toBe(bytes);
      expect(gen.totalFlops!.value).toBe(gen.prefill.flops.value + flops);
    }
  });

  it('per-layer stage figures add up to the stage', () => {
    const llm = llmAnalysis(zoo('qwen2.5-0.5b'), { prompt: 64, generate: 8, batch: 2 });
    for (const stage of [llm.prefill, llm.decode, llm.generation!]) {
      expect(stage.layers.reduce((s, l) => s + l.flops.value, 0)).toBe(stage.flops.value);
      expect(stage.layers.reduce((s, l) => s + l.bytes.value, 0)).toBe(stage.bytes.value);
    }
  });
});

describe("CS336's inference lecture: Llama-2-13B on an H100 SXM at context 1024", () => {
  const h100 = hardwareProfile('nvidia-h100-sxm5-80gb');
  const llama13b = (kvHeads: number) =>
    importHfConfig({ model_type: 'llama', vocab_size: 32000, hidden_size: 5120, num_hidden_layers: 40, num_attention_heads: 40, num_key_value_heads: kvHeads, intermediate_size: 13824 }, { name: `llama-2-13b-kv${kvHeads}` });

  it('batch 1: 2 bytes per parameter plus the KV cache per step, 8.021 ms per token', () => {
    const hw = llmOnHardware(llmAnalysis(zoo('llama-2-13b'), { context: 1024 }), h100);
    expect(hw.decode.bytes.value).toBe(2 * 13_015_864_320 + 1024 * 819_200);
    expect(hw.tpotMs.value.toFixed(3)).toBe('8.021');
    expect(hw.decode.bound).toBe('memory');
  });

  // batch, KV heads → ms per token, memory (weights + KV cache), fits in 80 GB
  const TABLE: [number, number, string, number, boolean][] = [
    [1, 40, '8.021', 26_031_728_640 + 1 * 1024 * 819_200, true],
    [64, 40, '23.797', 26_031_728_640 + 64 * 1024 * 819_200, true],
    [256, 40, '71.875', 26_031_728_640 + 256 * 1024 * 819_200, false],
    [1, 8, '6.819', 22_676_285_440 + 1 * 1024 * 163_840, true],
    [64, 8, '9.974', 22_676_285_440 + 64 * 1024 * 163_840, true],
    [256, 8, '19.590', 22_676_285_440 + 256 * 1024 * 163_840, true],
  ];
  for (const [batch, kvHeads, ms, memory, fits] of TABLE) {
    it(`batch ${batch}, ${kvHeads} KV heads: ${ms} ms per token, ${fits ? 'fits' : 'does not fit'}`, () => {
      const hw = llmOnHardware(llmAnalysis(llama13b(kvHeads), { context: 1024, batch }), h100);
      expect(hw.tpotMs.value.toFixed(3)).toBe(ms);
      expect(hw.memoryBytes.value).toBe(memory);
      expect(hw.fits).toBe(fits);
      expect(hw.tokensPerSecond.value).toBeCloseTo((batch * 1000) / hw.tpotMs.value, 9);
    });
  }

  it('with 40 KV heads decode never turns compute-bound at context 1024; the cache limits the batch to 71', () => {
    const hw = llmOnHardware(llmAnalysis(llama13b(40), { context: 1024 }), h100);
    expect(hw.crossoverBatch).toBeUndefined();
    expect(hw.maxBatch!.value).toBe(Math.floor((85_899_345_920 - 26_031_728_640) / (1024 * 819_200)));
  });

  it('a short context turns compute-bound at the batch the closed form gives, and the search agrees', () => {
    const llm = llmAnalysis(llama13b(8), { context: 16 });
    const hw = llmOnHardware(llm, h100);
    const B = hw.crossoverBatch!.value;
    const m = decodeModel(llm, h100);
    expect(decodePoint(m, B, 16).bound).toBe('compute');
    expect(decodePoint(m, B - 1, 16).bound).toBe('memory');
  });
});

describe('the peak a language model runs at', () => {
  it('bf16 on the H100; fp32 on a CPU profile that lists no 16-bit rate (the Raspberry Pi 4)', () => {
    const llm = llmAnalysis(zoo('gpt2'), { context: 64 });
    expect(llmOnHardware(llm, hardwareProfile('nvidia-h100-sxm5-80gb')).precision).toBe('bf16');
    const pi = llmOnHardware(llm, hardwareProfile('raspberry-pi-4'));
    expect(pi.precision).toBe('fp32');
    expect(pi.roof.peak.value).toBe(hardwareProfile('raspberry-pi-4').peakOpsPerS!.fp32!.value);
  });
});

describe('every figure recomputes from its derivation', () => {
  const figures = (llm: LlmAnalysis): [string, Figure][] => {
    const hw = llmOnHardware(llm, hardwareProfile('nvidia-h100-sxm5-80gb'));
    const out: [string, Figure][] = [
      ['params', llm.params], ['activeParams', llm.activeParams], ['weightBytes', llm.weightBytes],
      ['kvCacheBytesPerToken', llm.kvCacheBytesPerToken], ['kvCacheBytes', llm.kvCacheBytes],
      ['ttftMs', hw.ttftMs], ['tpotMs', hw.tpotMs], ['tokensPerSecond', hw.tokensPerSecond], ['memoryBytes', hw.memoryBytes],
    ];
    for (const stage of [llm.prefill, llm.decode, ...(llm.generation ? [llm.generation] : [])]) {
      out.push([`${stage.kind}.flops`, stage.flops], [`${stage.kind}.bytes`, stage.bytes], [`${stage.kind}.intensity`, stage.intensity]);
      for (const l of stage.layers.slice(0, 12)) out.push([`${stage.kind}.${l.layer.layer.id}.bytes`, l.bytes]);
    }
    if (hw.crossoverBatch) out.push(['crossoverBatch', hw.crossoverBatch]);
    if (hw.maxBatch) out.push(['maxBatch', hw.maxBatch]);
    if (hw.maxContext) out.push(['maxContext', hw.maxContext]);
    if (hw.totalMs) out.push(['totalMs', hw.totalMs]);
    return out;
  };
  const cases: [string, LlmAnalysis][] = [
    ['mixtral 4-bit g128', llmAnalysis(zoo('mixtral-8x7b'), { prompt: 100, generate: 20, batch: 4, weights: { kind: 'group', bits: 4, groupSize: 128 } })],
    ['mistral window, q8_0', llmAnalysis(zoo('mistral-7b'), { prompt: 5000, generate: 7, weights: { kind: 'ggml', format: 'q8_0' }, kvBits: 8 })],
    ['gpt2 batch 16', llmAnalysis(zoo('gpt2'), { context: 300, batch: 16 })],
    ['phi-2 3-bit', llmAnalysis(zoo('phi-2'), { context: 33, weights: { kind: 'bits', bits: 3 } })],
  ];
  for (const [name, llm] of cases) {
    it(name, () => {
      for (const [key, f] of figures(llm)) {
        expect(evaluate(f.expr), key).toBeCloseTo(f.value, 6);
        expect(derivationForms(f).length, key).toBeGreaterThan(0);
      }
    });
  }
});

describe('config errors name the key', () => {
  const base = { model_type: 'llama', vocab_size: 32000, hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, intermediate_size: 11008 };
  const fail = (config: unknown, options = {}) => {
    try {
      importHfConfig(config, options);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('no error');
  };
  it('an unknown model_type, with the nearest one', () => {
    expect(fail({ ...base, model_type: 'lama' }, { file: 'config.json' })).toMatch(/^config\.json: .*model_type: unknown model type "lama"; did you mean 'llama'\?; allowed: llama, mistral, mixtral, qwen2, gemma, gpt2, phi/);
  });
  it('a missing key, with the nearest key the config has and its line', () => {
    const { num_attention_heads: _, ...rest } = base;
    expect(fail({ ...rest, num_attention_head: 32 })).toMatch(/missing key 'num_attention_heads'; did you mean 'num_attention_head'\?/);
    const text = JSON.stringify({ ...base, hidden_size: 4095 }, null, 2);
    expect(fail(text, { file: 'c.json' })).toMatch(/^c\.json: .*line 6, column 3: num_attention_heads: 32 heads do not divide hidden_size 4095/);
  });
  it('zero heads, KV heads not dividing heads, too many experts', () => {
    expect(fail({ ...base, num_attention_heads: 0 })).toMatch(/num_attention_heads: 0 is not a positive integer/);
    expect(fail({ ...base, num_key_value_heads: 5 })).toMatch(/num_key_value_heads: 5 key\/value heads do not divide the 32 attention heads/);
    expect(fail({ ...base, model_type: 'mixtral', num_key_value_heads: 8, num_local_experts: 2000, num_experts_per_tok: 2 })).toMatch(/num_local_experts: 2000 is too large; allowed: 1 to 1,024/);
  });
  it('a context of 2^40 tokens is refused by name', () => {
    expect(() => llmAnalysis(zoo('llama-2-7b'), { context: 2 ** 40 })).toThrow(/context 1099511627776 is not allowed; allowed: an integer from 1 to 4,294,967,296/);
  });
});
