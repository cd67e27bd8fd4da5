/**
 * Prefill, decode and a whole generation as stages: FLOPs from the engine's counts of the model on
 * the stage's tokens (the same layer kinds, one counting path), bytes from what the stage moves
 * (conventions named here, each visible in the derivation):
 *
 * - weights are read once per forward pass (per decode step), every stored byte of them; a mixture
 *   of experts reads its router and the min(n, k T) experts T routed tokens can reach;
 * - prefill writes the prompt's keys and values (B P per layer); the prompt's own K and V stay on
 *   chip while attention runs (fused, FlashAttention-style), so they are not read back;
 * - a decode step at context C reads the cached K and V of every sequence and writes the new
 *   token's: B min(C, W) tokens' worth per layer;
 * - G decode steps after a prompt of P sum that over the growing context P + 1 … P + G: B K tokens'
 *   worth, K = Σ min(W, P + t) (the same pair count the attention's scores use);
 * - activations between layers are not counted (kept on chip by fused kernels).
 */
import type { LayerReport, ModelReport } from '../analysis/analyze.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { add, addAll, div, mul, ref, sum, variable, ZERO, type Expr } from '../math/expr.ts';
import { attendedPairs } from '../layers/causal-attention.ts';
import { readBytes, type LayerWeightBytes } from './weights.ts';
import type { KvGeometry } from './kv.ts';

export type StageKind = 'prefill' | 'decode' | 'generation';

export interface StageLayer {
  readonly layer: LayerReport;
  readonly flops: Figure;
  readonly bytes: Figure;
  /** FLOPs per byte; absent when the layer moves no bytes (an activation, an add). */
  readonly intensity?: Figure;
}

export interface Stage {
  readonly kind: StageKind;
  /** New tokens per sequence the pass runs on (P, 1, or G). */
  readonly tokens: number;
  /** Tokens already cached before them. */
  readonly past: number;
  readonly batch: number;
  /** Forward passes (1, or G decode steps). */
  readonly steps: number;
  readonly report: ModelReport;
  readonly flops: Figure;
  readonly weightBytesRead: Figure;
  readonly kvBytes: Figure;
  readonly bytes: Figure;
  readonly intensity: Figure;
  readonly layers: readonly StageLayer[];
}

export interface StageSpec {
  readonly kind: StageKind;
  readonly tokens: number;
  readonly past: number;
  readonly steps: number;
  readonly batch: number;
}

const SYMBOL: Record<StageKind, string> = { prefill: '\\text{pre}', decode: '\\text{dec}', generation: '\\text{gen}' };

/** Tokens of K and V one sequence moves per attention layer in the stage. */
function kvTokens(spec: StageSpec, g: KvGeometry): Expr {
  if (spec.kind === 'prefill') return variable('P', spec.tokens, 'prompt tokens');
  if (spec.kind === 'decode') {
    const C = spec.past + 1;
    return g.window === null || C <= g.window ? variable('C', C, 'context') : variable('W', g.window, 'sliding window');
  }
  return ref('K', attendedPairs(spec.tokens, spec.past, g.window));
}

export function makeStage(spec: StageSpec, report: ModelReport, weights: readonly LayerWeightBytes[], g: KvGeometry, kvPerLayer: Expr): Stage {
  const s = SYMBOL[spec.kind];
  const B = variable('B', spec.batch, 'batch (sequences)');
  const routed = spec.batch * (spec.kind === 'prefill' ? spec.tokens : 1);
  const T = kvTokens(spec, g);
  const steps = variable('G', spec.steps, 'decode steps');
  const perLayerKv = g.layers === 0 ? ZERO : mul(B, T, ref('s_{kv,\\ell}', kvPerLayer));
  const layerWeightRead = weights.map((w) => readBytes(w, routed));
  const weightTerms = layerWeightRead.filter((e) => e.value !== 0);
  const onePass = sum('\\sum_\\ell Q_{w,\\ell}', weightTerms);
  const weightBytesRead = figure(`Q_{w}^{${s}}`, `${spec.kind} weight bytes read`, 'B', spec.steps === 1 ? onePass : mul(steps, ref('Q_w', onePass)));
  const kvBytes = figure(`Q_{kv}^{${s}}`, `${spec.kind} KV-cache bytes moved`, 'B', g.layers === 0 ? ZERO : mul(variable('N', g.layers, 'attention layers'), perLayerKv));
  const bytes = figure(`Q^{${s}}`, `${spec.kind} bytes`, 'B', add(ref(weightBytesRead.symbol, weightBytesRead.expr), ref(kvBytes.symbol, kvBytes.expr)));
  const flops = figure(`W^{${s}}`, `${spec.kind} FLOPs`, 'FLOPs', report.totals.flops.expr);
  const intensity = figure(`I^{${s}}`, `${spec.kind} arithmetic intensity`, 'FLOP/B', div(ref(flops.symbol, flops.expr), ref(bytes.symbol, bytes.expr)));
  let layers: StageLayer[] | undefined;
  return {
    ...spec,
    report,
    flops,
    weightBytesRead,
    kvBytes,
    bytes,
    intensity,
    get layers() {
      return (layers ??= report.layers.map((r, i) => {
        const parts: Expr[] = [];
        const w = layerWeightRead[i]!;
        if (w.value !== 0) parts.push(spec.steps === 1 ? w : mul(steps, w));
        if (r.layer.type === 'CausalSelfAttention') parts.push(perLayerKv);
        const layerBytes = figure(`Q_{\\ell}^{${s}}`, `${r.layer.id} bytes`, 'B', parts.length === 0 ? ZERO : addAll(parts));
        const layerFlops = figure(`W_{\\ell}^{${s}}`, `${r.layer.id} FLOPs`, 'FLOPs', r.flops.expr);
        return {
          layer: r,
          flops: layerFlops,
          bytes: layerBytes,
          ...(layerBytes.value > 0 ? { intensity: figure(`I_{\\ell}^{${s}}`, `${r.layer.id} intensity`, 'FLOP/B', div(ref(layerFlops.symbol, layerFlops.expr), ref(layerBytes.symbol, layerBytes.expr))) } : {}),
        };
      }));
    },
  };
}
