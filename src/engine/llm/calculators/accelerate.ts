/**
 * accelerate's `accelerate estimate-memory` (huggingface/accelerate, src/accelerate/commands/
 * estimate.py, read at 16cb6eb80dd9, version 1.15.0.dev0). It cannot run here: it builds the model
 * with transformers on the meta device, and transformers is not installed (no PyPI). Its rule, from
 * the source:
 * - `create_empty_model` builds `AutoModel.from_config(config, torch_dtype=torch.float32)`: the base
 *   model (LlamaModel, not LlamaForCausalLM), so an untied output layer is not in it;
 * - `calculate_maximum_sizes` sums `tensor.numel() * dtype_byte_size(tensor.dtype)` over every
 *   parameter and buffer: 4 bytes a parameter;
 * - `gather_data` divides that fp32 total by 2 for float16, by 4 for int8 and by 8 for int4: no
 *   scales, no zero points, embeddings and norms quantized like the rest;
 * - it prints `convert_bytes`: binary units, `round(size, 2)` ("3.14 GB").
 * Buffers it also counts (a rotary model's `inv_freq`, a few hundred bytes) depend on the
 * transformers version and are not modelled; it estimates no KV cache and no time.
 */
import type { LlmAnalysis } from '../analysis.ts';
import { layerWeightBytes } from '../weights.ts';
import type { CalculatorProfile, CalculatorTerm } from './index.ts';

export const ACCELERATE_COMMIT = '16cb6eb80dd9aa8b4df1a63ef57863e455d53b83';

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

/**
 * `get_max_layer_size` over the base model's children, a transformers model's `_no_split_modules`
 * (its decoder layer) kept whole: the largest of the embedding, one decoder layer and the final norm,
 * in parameters.
 */
export function largestLayerParams(llm: LlmAnalysis): number {
  const groups = new Map<string, number>();
  for (const w of llm.layerWeights) {
    if (w.layer.layer.type === 'LMHead') continue;
    const path = w.layer.layer.path;
    const i = path.findIndex((seg, k) => k > 0 && /^\d+$/.test(seg));
    const key = (i > 0 ? path.slice(0, i + 1) : path).join('.');
    groups.set(key, (groups.get(key) ?? 0) + w.layer.params.value);
  }
  return Math.max(0, ...groups.values());
}

const DTYPE_OF_BITS: Readonly<Record<number, AccelerateDtype>> = { 32: 'float32', 16: 'float16', 8: 'int8', 4: 'int4' };

export function accelerateProfile(llm: LlmAnalysis): CalculatorProfile | { why: string } {
  if (llm.weights.kind === 'ggml') return { why: 'it has no llama.cpp block formats (its dtypes are float32, float16, int8 and int4)' };
  const dtype = DTYPE_OF_BITS[llm.weights.bits];
  if (!dtype) return { why: `its dtypes are float32, float16, int8 and int4, not ${llm.weights.bits}-bit weights` };
  // AutoModel: the base model, every layer but the output layer (a tied one has no parameters of its own).
  const base = llm.layerWeights.filter((w) => w.layer.layer.type !== 'LMHead');
  const params = base.reduce((n, w) => n + w.layer.params.value, 0);
  const fp32Bytes = 4 * params;
  const weightBytes = accelerateEstimate(fp32Bytes, dtype);

  const terms: CalculatorTerm[] = [];
  const push = (name: string, value: number) => {
    if (value !== 0) terms.push({ figure: 'weightBytes', name, value });
  };
  const lmHead = llm.layerWeights.filter((w) => w.layer.layer.type === 'LMHead').reduce((n, w) => n + w.bytes.value, 0);
  push('output layer left out (AutoModel builds the base model, without lm_head)', -lmHead);
  const stdBase = llm.weightBytes.value - lmHead;
  if (llm.weights.kind === 'group') {
    const plain = { kind: 'bits', bits: llm.weights.bits } as const;
    const isLinear = (t: string) => !['Embedding', 'RMSNorm', 'LayerNorm'].includes(t);
    const linear = base.filter((w) => isLinear(w.layer.layer.type));
    const scales = linear.reduce((n, w) => n + w.bytes.value - layerWeightBytes(w.layer, plain).bytes.value, 0);
    push(`no group scales or zero points (its int${llm.weights.bits} is fp32 / ${DIVISOR[dtype]})`, -scales);
    push(`embedding and norms at ${llm.weights.bits} bits too (the standard keeps them at 16)`, weightBytes - stdBase + scales);
  } else {
    push(`fp32 total / ${DIVISOR[dtype]}, not rounded up per layer`, weightBytes - stdBase);
  }
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
    printed: { 'largest layer': accelerateSize(accelerateEstimate(4 * largestLayerParams(llm), dtype), dtype !== 'float32'), weights: accelerateSize(weightBytes, dtype !== 'float32') },
    input: `accelerate estimate-memory ${llm.name} --dtypes ${dtype} (its rule from the source; it cannot run here)`,
    terms,
  };
}
