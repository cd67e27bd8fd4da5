/**
 * Language models' figures (issue 27): `analysis.ts` (parameters, weight bytes, KV cache, the
 * stages), `hardware.ts` (on a device: TTFT, TPOT, tokens/s, crossover, fit). Hardware is kept
 * apart so that what reaches the roofline model can load on demand (the practice page's chunks).
 */
export { DEFAULT_CONTEXT, MAX_TOKENS, llmAnalysis, type LlmAnalysis, type LlmOptions } from './analysis.ts';
export { GGML_FORMATS, formatName, type GgmlFormat, type WeightFormat } from './weights.ts';
export type { Stage, StageKind, StageLayer } from './stages.ts';
export type { KvGeometry } from './kv.ts';
export { cachedTokens } from './kv.ts';
export { decodeModel, decodePoint, decodeSweep, llmOnHardware, llmPrecision, type DecodeModel, type DecodePoint, type LlmOnHardware } from './hardware.ts';
