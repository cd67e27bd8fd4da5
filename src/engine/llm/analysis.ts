/**
 * A language model's figures, each with its derivation: parameters (the engine's count: tied
 * weights once), parameters active per token, weight bytes in a storage format, the KV cache,
 * and the stages (prefill of a prompt, one decode step at a context, a whole generation of G
 * tokens after a prompt of P). On hardware, see `hardware.ts`.
 *
 *   const imp = importHfConfig(text);            // src/engine/hf/
 *   const llm = llmAnalysis(imp, { prompt: 512, generate: 128, batch: 8, weights: { kind: 'group', bits: 4, groupSize: 128 } });
 *   llm.params.value, llm.kvCacheBytesPerToken.value, llm.decode.bytes.value, ...
 */
import { LLM_DEFAULT_BITS } from './defaults.ts';
import { analyze, type ModelReport } from '../analysis/analyze.ts';
import { ModelError } from '../errors.ts';
import type { HfImport } from '../hf/index.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { add, ref, sum, type Expr } from '../math/expr.ts';
import { defineModel, type Model } from '../model/define.ts';
import { kvBytesPerToken, kvBytesPerTokenPerLayer, kvCacheBytes as kvCacheExpr, kvGeometry, type KvGeometry } from './kv.ts';
import { makeStage, type Stage, type StageSpec } from './stages.ts';
import { checkFormat, formatName, layerWeightBytes, type LayerWeightBytes, type WeightFormat } from './weights.ts';


/** The default context when none is given (CS336's decode example). */
export const DEFAULT_CONTEXT = 1024;
/** The largest context or batch accepted: 2^40 tokens overflows exact counts, and is refused by name. */
export const MAX_TOKENS = 2 ** 32;

export interface LlmOptions {
  /** Sequences decoded together. Default 1. */
  readonly batch?: number;
  /** Context of a decode step (tokens in the cache with the new one), and the prompt when none is given. */
  readonly context?: number;
  /** Prompt tokens P (prefill). */
  readonly prompt?: number;
  /** Tokens generated after the prompt, G decode steps. */
  readonly generate?: number;
  /** Storage of the weights; default 16-bit. */
  readonly weights?: WeightFormat;
  /** Bits per cached key or value; default 16. */
  readonly kvBits?: number;
}

export interface LlmAnalysis {
  readonly name: string;
  readonly import: HfImport;
  readonly batch: number;
  readonly prompt: number;
  /** The context of the decode step reported: P + G with a generation, else the context. */
  readonly context: number;
  readonly generate?: number;
  readonly weights: WeightFormat;
  readonly kvBits: number;
  readonly geometry: KvGeometry;
  /** The model on the prompt (prefill): its report has every layer's counts. */
  readonly report: ModelReport;
  readonly params: Figure;
  readonly activeParams: Figure;
  readonly weightBytes: Figure;
  readonly kvCacheBytesPerToken: Figure;
  /** B × min(C, W) × per token, C the decode context. */
  readonly kvCacheBytes: Figure;
  readonly prefill: Stage;
  readonly decode: Stage;
  /** G decode steps over the growing context, when `generate` is given. */
  readonly generation?: Stage;
  /** Prefill plus the generation: FLOPs and bytes of the whole request. */
  readonly totalFlops?: Figure;
  readonly totalBytes?: Figure;
  /** Per layer: stored bytes (and a mixture's bytes per expert). */
  readonly layerWeights: readonly LayerWeightBytes[];
}

function positive(name: string, what: string, value: number | undefined, fallback: number, max = MAX_TOKENS): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new ModelError(name, [], `${what} ${value} is not allowed; allowed: an integer from 1 to ${max.toLocaleString('en-US')}`);
  return value;
}

const models = new WeakMap<HfImport, Map<string, Model>>();

/** The model on (tokens, past), defined once per import. */
export function modelAt(imp: HfImport, tokens: number, past: number): Model {
  let byWindow = models.get(imp);
  if (!byWindow) models.set(imp, (byWindow = new Map()));
  const key = `${tokens}/${past}`;
  let m = byWindow.get(key);
  if (!m) {
    m = defineModel(imp.def({ tokens, past }));
    if (byWindow.size > 64) byWindow.clear();
    byWindow.set(key, m);
  }
  return m;
}

interface Fixed {
  readonly layerWeights: readonly LayerWeightBytes[];
  readonly params: Figure;
  readonly activeParams: Figure;
  readonly weightBytes: Figure;
}

const fixedByImport = new WeakMap<HfImport, Map<string, Fixed>>();

function fixedFigures(imp: HfImport, weights: WeightFormat, report: ModelReport): Fixed {
  let byFormat = fixedByImport.get(imp);
  if (!byFormat) fixedByImport.set(imp, (byFormat = new Map()));
  const key = JSON.stringify(weights);
  const known = byFormat.get(key);
  if (known) return known;
  const layerWeights = report.layers.map((r) => {
    try {
      return layerWeightBytes(r, weights);
    } catch (error) {
      if (error instanceof ModelError) throw new ModelError(imp.name, r.layer.path, error.detail);
      throw error;
    }
  });
  const params = figure('N_{\\text{params}}', 'parameters', 'params', report.totals.params.expr);
  const activeTerms: Expr[] = report.layers
    .filter((r) => r.params.value !== 0)
    .map((r) => (r.counts.activeParams ? add(r.counts.activeParams, r.biases.expr, r.normParams.expr) : ref(`P_{\\text{${r.layer.name}}}`, r.params.expr)));
  const activeParams = figure('N_{\\text{active}}', 'parameters active per token', 'params', sum('\\sum_\\ell P^{\\text{active}}_\\ell', activeTerms));
  const weightBytes = figure('Q_w', `weight bytes (${formatName(weights)})`, 'B', sum('\\sum_\\ell Q_{w,\\ell}', layerWeights.map((w) => w.bytes).filter((e) => e.value !== 0)));
  const fixed = { layerWeights, params, activeParams, weightBytes };
  if (byFormat.size > 16) byFormat.clear();
  byFormat.set(key, fixed);
  return fixed;
}

/** Runs `make`; an exactness or range error (a count past 2^53) becomes a ModelError naming the model. */
export function located<T>(name: string, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof RangeError) throw new ModelError(name, [], error.message);
    throw error;
  }
}

export function llmAnalysis(imp: HfImport, options: LlmOptions = {}): LlmAnalysis {
  return located(imp.name, () => analysisOf(imp, options));
}

function analysisOf(imp: HfImport, options: LlmOptions): LlmAnalysis {
  const name = imp.name;
  const batch = positive(name, 'batch', options.batch, 1);
  if (options.generate !== undefined && options.prompt === undefined) throw new ModelError(name, [], '--generate needs --prompt (the tokens before the first generated one)');
  if (options.prompt !== undefined && options.context !== undefined) throw new ModelError(name, [], 'give either a context or a prompt (with --generate), not both');
  const prompt = positive(name, options.prompt !== undefined ? 'prompt' : 'context', options.prompt ?? options.context, DEFAULT_CONTEXT);
  const generate = options.generate === undefined ? undefined : positive(name, 'generate', options.generate, 1);
  const context = options.prompt !== undefined ? prompt + (generate ?? 1) : prompt;
  if (context > MAX_TOKENS) throw new ModelError(name, [], `context ${context} is not allowed; allowed: at most ${MAX_TOKENS.toLocaleString('en-US')} tokens`);
  const weights = options.weights ?? { kind: 'bits', bits: LLM_DEFAULT_BITS };
  const bad = checkFormat(weights);
  if (bad) throw new ModelError(name, [], bad);
  const kvBits = positive(name, 'KV bits', options.kvBits, LLM_DEFAULT_BITS, 32);

  const prefillModel = modelAt(imp, prompt, 0);
  const report = analyze(prefillModel, { batch });
  const geometry = kvGeometry(prefillModel.layers);
  // What neither the batch nor the context changes (per layer: stored bytes, active parameters) is
  // worked out once per import and format, from the first report's layers (the same in every window).
  const fixed = fixedFigures(imp, weights, report);
  const { layerWeights, params, activeParams, weightBytes } = fixed;
  const kvCacheBytesPerToken = figure('s_{kv}', 'KV-cache bytes per token', 'B', kvBytesPerToken(geometry, kvBits));
  const kvCacheBytes = figure('Q_{kv}', 'KV-cache bytes', 'B', kvCacheExpr(geometry, kvBits, batch, context));
  const kvPerLayer = kvBytesPerTokenPerLayer(geometry, kvBits);

  const stage = (spec: StageSpec, model: Model) => makeStage(spec, spec.kind === 'prefill' ? report : analyze(model, { batch }), layerWeights, geometry, kvPerLayer);
  const prefill = stage({ kind: 'prefill', tokens: prompt, past: 0, steps: 1, batch }, prefillModel);
  let decode: Stage | undefined;
  let generation: Stage | undefined;
  const getDecode = () => (decode ??= located(name, () => stage({ kind: 'decode', tokens: 1, past: context - 1, steps: 1, batch }, modelAt(imp, 1, context - 1))));
  const getGeneration = () => (generate === undefined ? undefined : (generation ??= located(name, () => stage({ kind: 'generation', tokens: generate, past: prompt, steps: generate, batch }, modelAt(imp, generate, prompt)))));
  const total = (pick: (s: Stage) => Figure, symbol: string, label: string, unit: 'FLOPs' | 'B') => {
    const g = getGeneration();
    if (!g) return undefined;
    const a = pick(prefill);
    const b = pick(g);
    return located(name, () => figure(symbol, label, unit, add(ref(a.symbol, a.expr), ref(b.symbol, b.expr))));
  };
  let totalFlops: Figure | undefined | null = null;
  let totalBytes: Figure | undefined | null = null;
  return {
    name,
    import: imp,
    batch,
    prompt,
    context,
    ...(generate !== undefined ? { generate } : {}),
    weights,
    kvBits,
    geometry,
    report,
    params,
    activeParams,
    weightBytes,
    kvCacheBytesPerToken,
    kvCacheBytes,
    prefill,
    layerWeights,
    get decode() {
      return getDecode();
    },
    get generation() {
      return getGeneration();
    },
    get totalFlops() {
      if (totalFlops === null) totalFlops = total((s) => s.flops, 'W^{\\text{total}}', `FLOPs of a prompt of ${prompt} and ${generate} generated tokens`, 'FLOPs');
      return totalFlops;
    },
    get totalBytes() {
      if (totalBytes === null) totalBytes = total((s) => s.bytes, 'Q^{\\text{total}}', `bytes of a prompt of ${prompt} and ${generate} generated tokens`, 'B');
      return totalBytes;
    },
  };
}

