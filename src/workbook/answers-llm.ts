/**
 * The answers about language models (issue 27), for a problem whose model is a decoder-only LLM
 * (a built-in one such as `llama-2-7b`, or a config): parameters active per token, weight bytes in
 * a format, the KV cache, prefill and decode FLOPs, bytes and intensity (per layer too), the
 * totals of a prompt and its generation, and on hardware TTFT, TPOT, tokens/s, the crossover
 * batch, the fit and the largest batch and context. Givens: `batch`, `context` (or `prompt` and
 * `generate`), `paramBits` (bits per weight, default 16) with `groupSize`, or `weightFormat`,
 * and `kvBits` (default 16).
 */
import type { LayerReport } from '../engine/analysis/analyze.ts';
import type { LlmAnalysis, LlmOptions } from '../engine/llm/analysis.ts';
// The language-model code is part of the cost models' chunk (a practice page loads it for a
// problem whose model is a language model: src/site/practice/client.ts).
import { costModels } from '#cost-models';
import type { LlmOnHardware } from '../engine/llm/hardware.ts';
import type { Stage } from '../engine/llm/stages.ts';
import type { WeightFormat } from '../engine/llm/weights.ts';
import { figure, type Figure } from '../engine/math/derivation.ts';
import { div, mul, num, ref, variable } from '../engine/math/expr.ts';
import { formatNumber } from '../engine/math/latex.ts';
import type { Model } from '../engine/model/define.ts';
import type { Given } from './problem.ts';

export interface LlmSolved {
  readonly model: Model;
  readonly given: Given;
  readonly layer?: LayerReport;
}

/** The analysis options the givens say. */
export function llmOptions(given: Given): LlmOptions {
  let weights: WeightFormat | undefined;
  if (given.weightFormat !== undefined) {
    if (given.groupSize !== undefined) throw new Error('give either `weightFormat` or `groupSize` (with `paramBits`), not both');
    weights = { kind: 'ggml', format: given.weightFormat };
  } else if (given.groupSize !== undefined) {
    weights = { kind: 'group', bits: given.paramBits ?? 4, groupSize: given.groupSize };
  } else if (given.paramBits !== undefined) {
    weights = { kind: 'bits', bits: given.paramBits };
  }
  return {
    ...(given.batch !== undefined ? { batch: given.batch } : {}),
    ...(given.context !== undefined ? { context: given.context } : {}),
    ...(given.prompt !== undefined ? { prompt: given.prompt } : {}),
    ...(given.generate !== undefined ? { generate: given.generate } : {}),
    ...(given.kvBits !== undefined ? { kvBits: given.kvBits } : {}),
    ...(weights ? { weights } : {}),
  };
}

const analyses = new WeakMap<Model, Map<string, LlmAnalysis>>();

/** The language-model analysis of the answer's model under its givens (kept per model and givens). */
export function llmOf(s: LlmSolved): LlmAnalysis {
  const options = llmOptions(s.given);
  const key = JSON.stringify(options);
  let byKey = analyses.get(s.model);
  if (!byKey) analyses.set(s.model, (byKey = new Map()));
  let llm = byKey.get(key);
  if (!llm) {
    const { llmAnalysis, importOfModel } = costModels();
    llm = llmAnalysis(importOfModel(s.model), options);
    if (byKey.size > 32) byKey.clear();
    byKey.set(key, llm);
  }
  return llm;
}

function stageLayer(stage: Stage, r: LayerReport, pick: 'flops' | 'bytes' | 'intensity'): Figure {
  const l = stage.layers.find((x) => x.layer.layer.id === r.layer.id);
  if (!l) throw new Error(`layer '${r.layer.id}' is not a layer of the language model`);
  const f = l[pick];
  if (!f) throw new Error(`layer '${r.layer.id}' moves no bytes, so it has no intensity`);
  return f;
}

function generationOf(s: LlmSolved): Stage {
  const g = llmOf(s).generation;
  if (!g) throw new Error('a generation answer needs `prompt` and `generate` in the givens');
  return g;
}

const need = <T>(value: T | undefined, why: string): T => {
  if (value === undefined) throw new Error(why);
  return value;
};

/** The answer kinds; `onHardware` gives the analysis on the answer's hardware profile. */
export function llmAnswerKinds<S extends LlmSolved>(onHardware: (s: S) => LlmOnHardware) {
  const stage = (pick: (l: LlmAnalysis) => Stage, what: 'flops' | 'bytes' | 'intensity') => ({
    total: (s: S) => pick(llmOf(s))[what],
    layer: (s: S, r: LayerReport) => stageLayer(pick(llmOf(s)), r, what),
  });
  return {
    activeParams: { title: 'Parameters active per token', total: (s: S) => llmOf(s).activeParams },
    llmWeightBytes: { title: 'Weight bytes of the language model in its format', total: (s: S) => llmOf(s).weightBytes },
    kvCacheBytesPerToken: { title: 'KV-cache bytes per token', total: (s: S) => llmOf(s).kvCacheBytesPerToken },
    kvCacheBytes: { title: 'KV-cache bytes for the batch at the context', total: (s: S) => llmOf(s).kvCacheBytes },
    prefillFlops: { title: 'Prefill FLOPs', ...stage((l) => l.prefill, 'flops') },
    prefillBytes: { title: 'Prefill bytes moved', ...stage((l) => l.prefill, 'bytes') },
    prefillIntensity: { title: 'Prefill arithmetic intensity', ...stage((l) => l.prefill, 'intensity') },
    decodeFlops: { title: 'FLOPs of one decode step', ...stage((l) => l.decode, 'flops') },
    decodeBytes: { title: 'Bytes moved by one decode step', ...stage((l) => l.decode, 'bytes') },
    decodeIntensity: { title: 'Decode arithmetic intensity', ...stage((l) => l.decode, 'intensity') },
    generationFlops: { title: 'FLOPs of the generated tokens', total: (s: S) => generationOf(s).flops },
    generationBytes: { title: 'Bytes moved generating the tokens', total: (s: S) => generationOf(s).bytes },
    requestFlops: { title: 'FLOPs of the prompt and the generation', total: (s: S) => need(llmOf(s).totalFlops, 'a request answer needs `prompt` and `generate`') },
    requestBytes: { title: 'Bytes of the prompt and the generation', total: (s: S) => need(llmOf(s).totalBytes, 'a request answer needs `prompt` and `generate`') },
    ttftMs: { title: 'Time to first token', total: (s: S) => onHardware(s).ttftMs },
    tpotMs: { title: 'Time per output token', total: (s: S) => onHardware(s).tpotMs },
    tokensPerSecond: { title: 'Tokens per second', total: (s: S) => onHardware(s).tokensPerSecond },
    // A measured rate (a benchmark's tokens/s, given as data) over the roofline's bound.
    achievedFraction: {
      title: 'Measured tokens per second as a share of the bound',
      total: (s: S) => {
        const measured = need(s.given.measuredTokensPerSecond, 'an achieved fraction needs `measuredTokensPerSecond` in the givens (a benchmark\'s figure)');
        const bound = onHardware(s).tokensPerSecond;
        return figure('\\eta', 'measured tokens per second over the bound', 'percent', mul(div(variable('r_{\\text{meas}}', measured, 'measured tokens per second'), ref(bound.symbol, bound.expr)), num(100)));
      },
    },
    requestMs: { title: 'Time for the prompt and the generation', total: (s: S) => need(onHardware(s).totalMs, 'a request time needs `prompt` and `generate`') },
    crossoverBatch: {
      title: 'Batch at which decode turns compute-bound',
      total: (s: S) => need(onHardware(s).crossoverBatch, 'decode stays memory-bound at this context whatever the batch: no crossover batch'),
    },
    maxBatch: { title: 'Largest batch that fits', total: (s: S) => need(onHardware(s).maxBatch, 'the largest batch needs a profile with dramBytes, and the weights to fit') },
    maxContext: { title: 'Longest context that fits', total: (s: S) => need(onHardware(s).maxContext, 'no longest context: the profile lacks dramBytes, the weights do not fit, or a sliding window caps the cache') },
    llmFits: {
      title: 'Do the weights and KV cache fit in the device memory?',
      total: (s: S) => onHardware(s).memoryBytes,
      verdict: (s: S) => {
        const h = onHardware(s);
        const capacity = need(h.capacityBytes, 'a fit answer needs a profile with dramBytes');
        return `${formatNumber(h.memoryBytes.value)} B of ${formatNumber(capacity.value)} B`;
      },
      decide: (s: S) => need(onHardware(s).fits, 'a fit answer needs a profile with dramBytes'),
    },
    decodeMemoryBound: {
      title: 'Is a decode step memory-bound?',
      total: (s: S) => onHardware(s).decode.intensity,
      verdict: (s: S) => {
        const h = onHardware(s);
        const below = h.decode.intensity.value < h.roof.ridge.value;
        return `${below ? 'below' : 'at or above'} the ridge point ${formatNumber(Number(h.roof.ridge.value.toPrecision(3)))} FLOP/B`;
      },
      decide: (s: S) => onHardware(s).decode.bound === 'memory',
    },
  };
}
