/**
 * accelerate's `accelerate estimate-memory` (huggingface/accelerate, src/accelerate/commands/
 * estimate.py at 16cb6eb80dd9, version 1.15.0.dev0), run for real on the built-in models' published
 * configs with transformers 4.48.0.dev0 (test/fixtures/llm-calculators/accelerate.json, harness
 * tools/peers/llm-calculators/run_accelerate.py). Its rule:
 * - `create_empty_model` builds `AutoModel.from_config(config, torch_dtype=torch.float32)` on the
 *   meta device: the base model (LlamaModel, not LlamaForCausalLM), so an untied output layer is not
 *   in it;
 * - `calculate_maximum_sizes` sums `tensor.numel() * dtype_byte_size(tensor.dtype)` over every
 *   parameter and buffer: 4 bytes a parameter, plus the buffers transformers registers (rotary
 *   `inv_freq`, Mixtral's cos/sin caches, GPT-2's causal masks: `accelerateBuffers`);
 * - `gather_data` divides that fp32 total by 2 for float16, by 4 for int8 and by 8 for int4: no
 *   scales, no zero points, embeddings and norms quantized like the rest;
 * - it prints `convert_bytes`: binary units, `round(size, 2)` ("3.14 GB").
 * It estimates no KV cache and no time.
 */
import type { LlmArch } from '../../hf/index.ts';
import type { LlmAnalysis } from '../analysis.ts';
import { layerWeightBytes } from '../weights.ts';
import type { CalculatorProfile, CalculatorTerm } from './index.ts';

export const ACCELERATE_COMMIT = '16cb6eb80dd9aa8b4df1a63ef57863e455d53b83';
/** The transformers (main, 4.48.0.dev0) it ran with: the buffers below are that version's. */
export const ACCELERATE_TRANSFORMERS_COMMIT = '9feae5fb0164e89d4998e5776897c16f7330d3df';

export type AccelerateDtype = 'float32' | 'float16' | 'int8' | 'int4';
const DIVISOR: Readonly<Record<AccelerateDtype, number>> = { float32: 1, float16: 2, int8: 4, int4: 8 };

/** `gather_data`'s total for one dtype, from the fp32 total in bytes. */
export function accelerateEstimate(fp32Bytes: number, dtype: AccelerateDtype): number {
  return DIVISOR[dtype] === 1 ? fp32Bytes : fp32Bytes / DIVISOR[dtype];
}

/** `convert_bytes(size)`: "12.55 GB". `float`: the size is a Python float (any dtype but float32). */
export function accelerateSize(bytes: number, float = true): string {
  let size = bytes;
  let isFloat = float;
  const show = (x: number) => {
    if (!isFloat) return String(x);
    const r = Number(x.toFixed(2));
    return Number.isInteger(r) ? `${r}.0` : String(r);
  };
  for (const unit of ['bytes', 'KB', 'MB', 'GB', 'TB']) {
    if (size < 1024.0) return `${show(size)} ${unit}`;
    size /= 1024.0;
    isFloat = true;
  }
  return `${show(size)} PB`;
}

/** The buffers the base model holds, in accelerate's bytes (`dtype_byte_size`: a bool is 1/8 byte). */
export interface AccelerateBuffers {
  /** In each decoder layer (its attention's rotary embedding, GPT-2's mask). */
  readonly perLayerBytes: number;
  /** On the base model itself (a model-level rotary embedding). */
  readonly modelBytes: number;
  readonly totalBytes: number;
  /** A bool buffer makes Python's sum a float (1/8 byte), which convert_bytes prints with a decimal. */
  readonly float: boolean;
  /** What they are, for the term's name. */
  readonly what: string;
}

/**
 * The buffers transformers 4.48.0.dev0 registers (non-persistent, so not in a checkpoint, but
 * `calculate_maximum_sizes` sums `named_buffers` too), as recorded for every built-in model:
 * - a rotary `inv_freq` of ceil(d / 2) fp32 values, d the rotary dimension: Llama has one on the
 *   model; Mistral, Mixtral and Gemma one per layer; Qwen2 and Phi both;
 * - Mixtral's rotary keeps `cos_cached` and `sin_cached` too, max_position_embeddings × head_dim fp32
 *   each, per layer: 32 MiB a layer, 1 GiB for Mixtral-8x7B;
 * - GPT-2's attention keeps its causal mask `bias`, positions² bools (1/8 byte each to accelerate),
 *   and `masked_bias`, one fp32.
 */
export function accelerateBuffers(arch: LlmArch): AccelerateBuffers {
  const invFreq = 4 * Math.ceil((arch.rotaryDim ?? arch.headDim) / 2);
  let perLayer = 0;
  let model = 0;
  let what = 'rotary inv_freq';
  switch (arch.modelType) {
    case 'llama':
      model = invFreq;
      break;
    case 'qwen2':
    case 'phi':
      model = invFreq;
      perLayer = invFreq;
      break;
    case 'mistral':
    case 'gemma':
      perLayer = invFreq;
      break;
    case 'mixtral': {
      const positions = arch.maxPositions ?? 4096 * 32; // MixtralConfig's default
      perLayer = invFreq + 2 * positions * arch.headDim * 4;
      what = 'rotary inv_freq and cos/sin caches';
      break;
    }
    case 'gpt2': {
      const positions = arch.maxPositions ?? 1024;
      perLayer = (positions * positions) / 8 + 4;
      what = 'causal masks, a bool at 1/8 byte';
      break;
    }
    default:
      what = '';
  }
  return { perLayerBytes: perLayer, modelBytes: model, totalBytes: arch.layers * perLayer + model, float: arch.modelType === 'gpt2', what };
}

/** The decoder-layer group a layer belongs to ("layers.3"), or its own path (the embedding, the final norm). */
function groupOf(path: readonly string[]): { key: string; inLayer: boolean } {
  const i = path.findIndex((seg, k) => k > 0 && /^\d+$/.test(seg));
  return { key: (i > 0 ? path.slice(0, i + 1) : path).join('.'), inLayer: i > 0 };
}

/**
 * `get_max_layer_size` over the base model's children, a transformers model's `_no_split_modules`
 * (its decoder layer) kept whole: the largest of the embedding, one decoder layer and the final norm,
 * in parameters.
 */
export function largestLayerParams(llm: LlmAnalysis): number {
  const groups = new Map<string, number>();
  for (const w of llm.layerWeights) {
    if (w.layer.layer.type === 'LMHead') continue;
    const { key } = groupOf(w.layer.layer.path);
    groups.set(key, (groups.get(key) ?? 0) + w.layer.params.value);
  }
  return Math.max(0, ...groups.values());
}

/** The same in fp32 bytes, with each decoder layer's buffers (a model-level buffer is a child of its own, never the largest). */
export function largestLayerBytes(llm: LlmAnalysis, buffers: AccelerateBuffers = accelerateBuffers(llm.import.arch)): number {
  const groups = new Map<string, number>();
  for (const w of llm.layerWeights) {
    if (w.layer.layer.type === 'LMHead') continue;
    const { key, inLayer } = groupOf(w.layer.layer.path);
    groups.set(key, (groups.get(key) ?? (inLayer ? buffers.perLayerBytes : 0)) + 4 * w.layer.params.value);
  }
  return Math.max(buffers.modelBytes, ...groups.values());
}

/** `estimate_training_usage`'s largest figure: Adam in fp32 is 4 × the model (its "step"), mixed precision 2 ×; none for int8, int4. */
export function accelerateTrainingBytes(fp32Bytes: number, dtype: AccelerateDtype): number | null {
  if (dtype === 'float32') return 4 * fp32Bytes;
  if (dtype === 'float16') return 2 * fp32Bytes;
  return null;
}

const DTYPE_OF_BITS: Readonly<Record<number, AccelerateDtype>> = { 32: 'float32', 16: 'float16', 8: 'int8', 4: 'int4' };

export function accelerateProfile(llm: LlmAnalysis): CalculatorProfile | { why: string } {
  if (llm.weights.kind === 'ggml') return { why: 'it has no llama.cpp block formats (its dtypes are float32, float16, int8 and int4)' };
  const dtype = DTYPE_OF_BITS[llm.weights.bits];
  if (!dtype) return { why: `its dtypes are float32, float16, int8 and int4, not ${llm.weights.bits}-bit weights` };
  // AutoModel: the base model, every layer but the output layer (a tied one has no parameters of its own).
  const base = llm.layerWeights.filter((w) => w.layer.layer.type !== 'LMHead');
  const params = base.reduce((n, w) => n + w.layer.params.value, 0);
  const buffers = accelerateBuffers(llm.import.arch);
  const fp32Bytes = 4 * params + buffers.totalBytes;
  const weightBytes = accelerateEstimate(fp32Bytes, dtype);
  const bufferBytes = accelerateEstimate(buffers.totalBytes, dtype);

  const terms: CalculatorTerm[] = [];
  const push = (name: string, value: number) => {
    if (value !== 0) terms.push({ figure: 'weightBytes', name, value });
  };
  const lmHead = llm.layerWeights.filter((w) => w.layer.layer.type === 'LMHead').reduce((n, w) => n + w.bytes.value, 0);
  push('output layer left out (AutoModel builds the base model, without lm_head)', -lmHead);
  push(`buffers summed as weights (${buffers.what}), fp32 / ${DIVISOR[dtype]}`, bufferBytes);
  const stdBase = llm.weightBytes.value - lmHead;
  if (llm.weights.kind === 'group') {
    const plain = { kind: 'bits', bits: llm.weights.bits } as const;
    const isLinear = (t: string) => !['Embedding', 'RMSNorm', 'LayerNorm'].includes(t);
    const linear = base.filter((w) => isLinear(w.layer.layer.type));
    const scales = linear.reduce((n, w) => n + w.bytes.value - layerWeightBytes(w.layer, plain).bytes.value, 0);
    push(`no group scales or zero points (its int${llm.weights.bits} is fp32 / ${DIVISOR[dtype]})`, -scales);
    push(`embedding and norms at ${llm.weights.bits} bits too (the standard keeps them at 16)`, weightBytes - bufferBytes - stdBase + scales);
  } else {
    push(`fp32 total / ${DIVISOR[dtype]}, not rounded up per layer`, weightBytes - bufferBytes - stdBase);
  }
  const training = accelerateTrainingBytes(fp32Bytes, dtype);
  // Python's total is a float once divided, or once a bool buffer (1/8 byte) is in it; an int otherwise.
  const float = dtype !== 'float32' || buffers.float;
  return {
    id: 'accelerate',
    tool: 'accelerate estimate-memory',
    repository: 'huggingface/accelerate',
    commit: ACCELERATE_COMMIT,
    device: 'none (it has no device table)',
    weightBytes,
    kvCacheBytes: null,
    prefillMs: null,
    decodeMsPerToken: null,
    printed: {
      'largest layer': accelerateSize(accelerateEstimate(largestLayerBytes(llm, buffers), dtype), float),
      weights: accelerateSize(weightBytes, float),
      'training (Adam)': training === null ? 'N/A' : accelerateSize(training, float),
    },
    input: `accelerate estimate-memory ${llm.name} --dtypes ${dtype} (its rule as it ran, with transformers 4.48.0.dev0 at ${ACCELERATE_TRANSFORMERS_COMMIT.slice(0, 7)})`,
    terms,
  };
}
