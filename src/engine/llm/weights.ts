/**
 * Bytes of a language model's weights in a storage format, layer by layer:
 *
 * - `bits`: every parameter at b bits (CS336's "2 bytes per parameter" is b = 16).
 * - `group`: weight-only group quantization as AWQ and GPTQ store it: each quantized matrix
 *   (the decoder blocks' linear maps: q, k, v, o, the MLP's and every expert's) packed at b bits,
 *   plus per group of g weights along the input dimension one 16-bit scale and one b-bit zero
 *   point; embeddings, the output layer, norms, biases and a router stay 16-bit.
 * - `ggml`: llama.cpp's Q8_0 and Q4_0 blocks of 32 weights along a row (ggml/src/ggml-common.h:
 *   block_q8_0 = { ggml_half d; int8_t qs[32]; } = 34 B, block_q4_0 = { ggml_half d;
 *   uint8_t qs[16]; } = 18 B), for the same matrices; the rest 16-bit as above. (llama.cpp's
 *   own `quantize` also stores output.weight as Q6_K and norms as F32 for these types: a file it
 *   writes differs from this count by those tensors.)
 *
 * Every stored byte is counted once; a tied output layer's matrix is the embedding's.
 */
import { ModelError } from '../errors.ts';
import { add, ceil, div, mul, num, ref, sub, variable, ZERO, type Expr } from '../math/expr.ts';
import type { LayerReport } from '../analysis/analyze.ts';
import type { Layer } from '../model/define.ts';
import { headsOf, type CausalSelfAttentionArgs } from '../layers/causal-attention.ts';
import type { GatedMLPArgs } from '../layers/gated-mlp.ts';
import type { MixtureOfExpertsArgs } from '../layers/moe.ts';
import type { LinearArgs } from '../layers/linear.ts';

export const GGML_FORMATS = {
  q8_0: { blockWeights: 32, blockBytes: 34, layout: 'block_q8_0: a 16-bit scale d and 32 int8 quants' },
  q4_0: { blockWeights: 32, blockBytes: 18, layout: 'block_q4_0: a 16-bit scale d and 32 4-bit quants in 16 bytes' },
} as const;
export type GgmlFormat = keyof typeof GGML_FORMATS;

export type WeightFormat =
  | { readonly kind: 'bits'; readonly bits: number }
  | { readonly kind: 'group'; readonly bits: number; readonly groupSize: number }
  | { readonly kind: 'ggml'; readonly format: GgmlFormat };

export const MAX_WEIGHT_BITS = 32;

/** A short name: `16-bit`, `4-bit, groups of 128`, `Q4_0`. */
export function formatName(format: WeightFormat): string {
  if (format.kind === 'bits') return `${format.bits}-bit`;
  if (format.kind === 'group') return `${format.bits}-bit weights in groups of ${format.groupSize} (16-bit scale and ${format.bits}-bit zero point each)`;
  return format.format.toUpperCase();
}

export function checkFormat(format: WeightFormat): string | undefined {
  if (format.kind === 'ggml') return Object.hasOwn(GGML_FORMATS, format.format) ? undefined : `unknown weight format '${format.format}'; allowed: ${Object.keys(GGML_FORMATS).join(', ')}`;
  if (!Number.isInteger(format.bits) || format.bits < 1 || format.bits > MAX_WEIGHT_BITS) return `weight bits ${format.bits} is not an integer from 1 to ${MAX_WEIGHT_BITS}`;
  if (format.kind === 'group' && (!Number.isSafeInteger(format.groupSize) || format.groupSize < 1)) return `group size ${format.groupSize} is not a positive integer`;
  return undefined;
}

/** A quantized matrix: `count` copies of in × out (out rows of `in` weights). */
interface Matrix {
  readonly rows: number;
  readonly columns: number;
  readonly count: number;
}

/** The matrices a format quantizes in one layer, shared and per expert. */
function matricesOf(layer: Layer): { shared: Matrix[]; expert: Matrix[] } {
  const E = layer.inputShape[layer.inputShape.length - 1]!;
  switch (layer.type) {
    case 'CausalSelfAttention': {
      const { heads, kvHeads, headDim } = headsOf(layer.args as CausalSelfAttentionArgs, E);
      return { shared: [{ rows: heads * headDim, columns: E, count: 1 }, { rows: kvHeads * headDim, columns: E, count: 2 }, { rows: E, columns: heads * headDim, count: 1 }], expert: [] };
    }
    case 'GatedMLP': {
      const I = (layer.args as GatedMLPArgs).intermediate_size;
      return { shared: [{ rows: I, columns: E, count: 2 }, { rows: E, columns: I, count: 1 }], expert: [] };
    }
    case 'MixtureOfExperts': {
      const I = (layer.args as MixtureOfExpertsArgs).intermediate_size;
      return { shared: [], expert: [{ rows: I, columns: E, count: 2 }, { rows: E, columns: I, count: 1 }] };
    }
    case 'Linear':
      return { shared: [{ rows: (layer.args as LinearArgs).out_features, columns: E, count: 1 }], expert: [] };
    default:
      return { shared: [], expert: [] };
  }
}

const SIXTEEN = () => variable('b_{16}', 16, 'bits of what stays 16-bit');

/** Bytes of a set of matrices in the format (quantized formats only). */
function quantizedBytes(layer: Layer, matrices: Matrix[], format: Exclude<WeightFormat, { kind: 'bits' }>): { weights: number; bytes: Expr } {
  const weights = matrices.reduce((s, m) => s + m.count * m.rows * m.columns, 0);
  if (format.kind === 'ggml') {
    const spec = GGML_FORMATS[format.format];
    const bad = matrices.find((m) => m.columns % spec.blockWeights !== 0);
    if (bad) throw new ModelError('', [layer.id], `${format.format.toUpperCase()} quantizes rows in blocks of ${spec.blockWeights} weights, but a row here has ${bad.columns}; allowed: rows of a multiple of ${spec.blockWeights}`);
    const blocks = variable('n_{\\text{blk}}', weights / spec.blockWeights, `blocks of ${spec.blockWeights} weights`);
    return { weights, bytes: mul(blocks, variable('s_{\\text{blk}}', spec.blockBytes, `bytes per ${format.format.toUpperCase()} block (${spec.layout})`)) };
  }
  const g = format.groupSize;
  const groups = matrices.reduce((s, m) => s + m.count * m.rows * Math.ceil(m.columns / g), 0);
  const b = variable('b', format.bits, 'bits per quantized weight');
  const bits = add(mul(variable('N_q', weights, 'quantized weights'), b), mul(variable('n_g', groups, `groups of ${g}`), add(num(16), b)));
  const bytes = div(bits, num(8));
  return { weights, bytes: Number.isInteger(bytes.value) ? bytes : ceil(bytes) };
}

/** A layer's stored bytes: everything, and for a mixture of experts the bytes of one expert. */
export interface LayerWeightBytes {
  readonly layer: LayerReport;
  /** All of the layer's parameters as stored. */
  readonly bytes: Expr;
  /** One expert's bytes (0 for a layer without experts). */
  readonly expertBytes: number;
  readonly experts: number;
  readonly topK: number;
}

export function layerWeightBytes(r: LayerReport, format: WeightFormat): LayerWeightBytes {
  const moe = r.layer.type === 'MixtureOfExperts' ? (r.layer.args as MixtureOfExpertsArgs) : undefined;
  const experts = moe?.num_experts ?? 0;
  const topK = moe?.top_k ?? 0;
  const params = r.params.value;
  if (params === 0) return { layer: r, bytes: ZERO, expertBytes: 0, experts, topK };
  const P = ref(`P_{\\text{${r.layer.name}}}`, r.params.expr);
  if (format.kind === 'bits') {
    const bytes = div(mul(P, variable('b', format.bits, 'bits per parameter')), num(8));
    const rounded = Number.isInteger(bytes.value) ? bytes : ceil(bytes);
    return { layer: r, bytes: rounded, expertBytes: moe ? Math.ceil((3 * r.layer.inputShape[1]! * moe.intermediate_size * format.bits) / 8) : 0, experts, topK };
  }
  const { shared, expert } = matricesOf(r.layer);
  const all = [...shared, ...expert.map((m) => ({ ...m, count: m.count * experts }))];
  if (all.length === 0) return { layer: r, bytes: div(mul(P, SIXTEEN()), num(8)), expertBytes: 0, experts, topK };
  const q = quantizedBytes(r.layer, all, format);
  // What the format leaves at 16 bits: biases, a router.
  const rest = sub(P, variable('N_q', q.weights, 'quantized weights'));
  const bytes = rest.value === 0 ? q.bytes : add(q.bytes, div(mul(rest, SIXTEEN()), num(8)));
  const expertBytes = moe ? quantizedBytes(r.layer, expert, format).bytes.value : 0;
  return { layer: r, bytes, expertBytes, experts, topK };
}

/** Bytes read from a layer in one pass over `routed` tokens: a mixture of experts reads the experts they reach. */
export function readBytes(w: LayerWeightBytes, routed: number): Expr {
  if (w.experts === 0) return w.bytes;
  const touched = Math.min(w.experts, w.topK * routed);
  if (touched === w.experts) return w.bytes;
  // The router and the min(n, k T) experts the tokens are routed to (at most, and at the worst).
  const unread = mul(sub(variable('n', w.experts, 'experts'), variable('n_t', touched, `experts reached: min(n, k T), T = ${routed} tokens`)), variable('B_e', w.expertBytes, 'bytes per expert'));
  return sub(w.bytes, unread);
}
