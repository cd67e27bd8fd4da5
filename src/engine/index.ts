/**
 * The engine's public API. Pure TypeScript: no Astro, no Node-only modules, so it runs at build
 * time, in the browser and behind the CLI.
 */
export {
  analyze,
  type AnalyzeOptions,
  type LayerReport,
  type ModelReport,
  type ModelTotals,
  type Optimizer,
  type Precision,
  type TrainingMemory,
} from './analysis/analyze.ts';
export { DEFAULT_CONVENTIONS, byteUnitLabel, describeConventions, formatBytes, type BytePrefix, type Conventions } from './analysis/conventions.ts';
export { dotMacs, seedOps, thopOps } from './analysis/operations.ts';
export { mcuLatency, type McuLatency, type McuSpec } from './cost/mcu.ts';
export { LayerError, ModelError } from './errors.ts';
export { LAYER_KINDS, LAYER_TYPES, type LayerArgs, type LayerType } from './layers/registry.ts';
export type { LayerCounts, LayerKind, OutputSize, Window, Work } from './layers/kind.ts';
export {
  derivationForms,
  derivationSteps,
  derivationTex,
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
  type BlockNode,
  type BlockType,
  type Layer,
  type LayerDef,
  type Model,
  type ModelDef,
  type Tensor,
} from './model/define.ts';
export { elementCount, formatShape, shapeTex, type Shape } from './shape.ts';
export {
  compareProfiles,
  profileTotals,
  PROFILE_IDS,
  PROFILES,
  type CountingProfile,
  type ProfileId,
  type ProfileTotals,
} from './analysis/profiles.ts';
/** The PyTorch-like builder: `model('lenet5', [1, 32, 32], [conv2d(6, 5), relu(), ...])`. */
export * from './model/builder.ts';
export { ZOO, ZOO_IDS, zooEntry, type ZooEntry } from './zoo/index.ts';
