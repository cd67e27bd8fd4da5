/**
 * Derivation cost against model size: models of 1,000, 10,000 and 100,000 layers, each defined,
 * analyzed, and every total's and the training memory's derivation written (derivationLines, what a
 * model page shows). The cost per layer should stay about flat (it grew cubically: 3,000
 * identical layers took 18 s, 1,000 parallel branches 39 s). Also 1,000 parallel branches.
 */
import { analyze, totalEntries, defineModel, derivationLines, type Figure, type LayerDef, type ModelDef, type ModelReport } from '../../src/engine/index.ts';

/** CPU time (user + system) of this process, in ms. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface DerivationTiming {
  readonly model: string;
  readonly layers: number;
  /** defineModel + analyze, wall time. */
  readonly analyzeMs: number;
  /** Every total's and the training memory's derivationLines, wall and CPU time. */
  readonly derivationMs: number;
  readonly derivationCpuMs: number;
  /** Characters of TeX written (a sum over 100,000 layers must not be 100,000 terms long). */
  readonly texChars: number;
}

/** `layers` layers: Linear and ReLU in turn, widths cycling through seven sizes (so sums fold). */
export function chainModel(layers: number): ModelDef {
  const defs: LayerDef[] = [];
  for (let i = 0; defs.length < layers; i++) defs.push({ type: 'Linear', out_features: 16 + (i % 7) }, { type: 'ReLU' });
  return { name: `chain-${layers}`, input: [16], layers: defs.slice(0, layers) };
}

/** `branches` parallel branches of one Linear each, added. */
export function parallelModel(branches: number): ModelDef {
  return { name: `parallel-${branches}`, input: [16], layers: [{ type: 'Parallel', join: 'add', branches: Array.from({ length: branches }, (_, i) => [{ type: 'Linear', out_features: 16, bias: i % 2 === 0 }]) }] };
}

function figuresOf(report: ModelReport): Figure[] {
  return [...totalEntries(report.totals).map(([, f]) => f), ...Object.values(report.training).filter((f): f is Figure => typeof f === 'object')];
}

export function timeDerivations(def: ModelDef): DerivationTiming {
  let t = performance.now();
  const report = analyze(defineModel(def));
  const analyzeMs = performance.now() - t;
  const figures = figuresOf(report);
  t = performance.now();
  const c = cpuMs();
  let texChars = 0;
  for (const f of figures) {
    const { symbol, lines } = derivationLines(f);
    texChars += symbol.length;
    for (const line of lines) texChars += line.length;
  }
  return { model: def.name, layers: report.model.layers.length, analyzeMs, derivationMs: performance.now() - t, derivationCpuMs: cpuMs() - c, texChars };
}

export const DERIVATION_SIZES = [1_000, 10_000, 100_000] as const;

export function derivationScaling(): { chains: DerivationTiming[]; parallel: DerivationTiming } {
  timeDerivations(chainModel(500)); // warm up
  return { chains: DERIVATION_SIZES.map((n) => timeDerivations(chainModel(n))), parallel: timeDerivations(parallelModel(1_000)) };
}
