/**
 * The engine's public API. Pure TypeScript: no Astro, no Node-only modules, so it runs at build
 * time, in the browser and behind the CLI.
 */
export {
  analyze,
  TOTAL_NAMES,
  totalEntries,
  type AnalyzeOptions,
  type LayerReport,
  type ModelReport,
  type ModelTotals,
  type Optimizer,
  type Precision as LayerPrecision,
  type TrainingMemory,
} from './analysis/analyze.ts';
export { conventionsProblem, conventionsSchema, DEFAULT_CONVENTIONS, byteUnitLabel, describeConventions, formatBytes, type BytePrefix, type Conventions } from './analysis/conventions.ts';
export { dotMacs, seedOps } from './analysis/operations.ts';
export { MAX_BITS, OPTIMIZERS, optionsProblem } from './analysis/options.ts';
export { mcuLatency, type McuLatency, type McuSpec } from './cost/mcu.ts';
export { LayerError, ModelError, oneLine, quote } from './errors.ts';
export { LAYER_KINDS, LAYER_TYPES, type LayerArgs, type LayerType } from './layers/registry.ts';
export type { LayerCounts, LayerKind, OutputSize, Window, Work } from './layers/kind.ts';
export {
  derivationForms,
  derivationLines,
  breakableTex,
  derivationSteps,
  figure,
  givensOf,
  valueTex,
  valueText,
  UNITS,
  type Figure,
  type Unit,
} from './math/derivation.ts';
export { evaluate, type Expr } from './math/expr.ts';
export { formatNumber, formatNumberTex, toTex } from './math/latex.ts';
export {
  BLOCK_TYPES,
  defineModel,
  fileSizeProblem,
  layerCountProblem,
  MODEL_LIMITS,
  tensorDimsProblem,
  type ModelFileFormat,
  type BlockNode,
  type BlockType,
  type Layer,
  type LayerDef,
  type Model,
  type ModelDef,
  type Tensor,
} from './model/define.ts';
export { elementCount, formatShape, shapeTex, type Shape } from './shape.ts';
export { defineGraph, GraphBuilder, type GraphDef, type GraphModel, type GraphNode } from './model/graph.ts';
export { importOnnx, OPSET_RANGE, SUPPORTED_OPS, type OnnxImport, type OnnxOptions } from './onnx/index.ts';

// ---- hardware cost models (issue 5) -----------------------------------------------------------
export {
  HARDWARE_KINDS,
  HardwareError,
  PRECISIONS,
  adHocProfile,
  hardwareProfileSchema,
  parseHardwareProfile,
  PROFILE_RANGES,
  pickPrecision,
  precisionForBits,
  sourcesOf,
  type ByPrecision,
  type EnergyTable,
  type HardwareKind,
  type HardwareProfile,
  type Precision,
  type Sourced,
} from './hardware/profile.ts';
export { ENERGY_45NM, HARDWARE_PROFILES, HARDWARE_PROFILE_IDS, hardwareProfile } from './hardware/profiles.ts';
export { mcuLatencyReport, mcuSpecOf, type McuLatencyReport } from './cost/mcu.ts';
export { fitCheck, type FitCheck, type FitReport, type MemoryKind } from './cost/fit.ts';
export {
  requireRoof,
  roofOf,
  roofline,
  rooflineChartData,
  rooflineTerms,
  type Bound,
  type LayerRoofline,
  type Roof,
  type Roofline,
  type RooflineChartData,
  type RooflineChartPoint,
  type RooflineOptions,
  type RooflineTerms,
} from './cost/roofline.ts';
export { LAB_BATCH_SIZES, throughputVsBatch, type BatchPoint, type BatchSweep } from './cost/batch.ts';
export { operationCountModel, type OpCountOptions, type OpCountReport } from './cost/opcount.ts';
export { energyPerInference, missingEnergyFields, type EnergyOptions, type EnergyReport, type WeightPlacement } from './cost/energy.ts';
export { costSummary, type CostJson, type CostOptions, type CostSummary } from './cost/summary.ts';
export type { BitsOptions, InPlaceLayers, TrafficOptions } from './cost/traffic.ts';
export {
  compareProfiles,
  profileTotals,
  PROFILE_IDS,
  PROFILES,
  type CountingProfile,
  type ProfileId,
  type ProfileTotals,
} from './analysis/profiles.ts';
export { COUNTER_IDS, COUNTER_RULES, counterCompute, type CounterId, type CounterRules, type Term } from './analysis/counters.ts';
export {
  calflopsNumber,
  cleverFormat,
  differenceTerms,
  fvcoreSize,
  headline,
  patchedMacs,
  ptflopsMacs,
  ptflopsParams,
  torchinfoNumber,
  torchinfoSizes,
  type DifferenceTerm,
  type TorchinfoSizes,
} from './analysis/headlines.ts';
/** The PyTorch-like builder: `model('lenet5', [1, 32, 32], [conv2d(6, 5), relu(), ...])`. */
export * from './model/builder.ts';
export { ZOO, ZOO_FAMILIES, ZOO_IDS, zooEntry, zooModel, type ZooEntry, type ZooFamily, type ZooOptions } from './zoo/index.ts';

// ---- language models: Hugging Face configs (issue 27) -----------------------------------------
export { ConfigError, importHfConfig, isHfConfig, llmDef, MODEL_TYPES, readConfig, type HfImport, type LlmArch, type ModelType } from './hf/index.ts';
export {
  DEFAULT_CONTEXT,
  GGML_FORMATS,
  MAX_TOKENS,
  decodeModel,
  decodePoint,
  decodeSweep,
  formatName,
  llmAnalysis,
  llmOnHardware,
  llmPrecision,
  type DecodeModel,
  type DecodePoint,
  type GgmlFormat,
  type LlmAnalysis,
  type LlmOnHardware,
  type LlmOptions,
  type Stage,
  type StageKind,
  type StageLayer,
  type WeightFormat,
} from './llm/index.ts';
export { LLM_ZOO, LLM_ZOO_IDS, llmZooEntry, llmZooImport, type LlmZooEntry } from './zoo/llm/index.ts';
