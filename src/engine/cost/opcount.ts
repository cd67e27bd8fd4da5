/**
 * Seed 001's operation-count model. A neuron (or conv output element) with n inputs costs
 * 2n operations without pipelining (n multiplies, n − 1 adds and the bias add) and n + 1 with a
 * fused multiply-add unit; so a layer costs 2 · MACs or MACs + outputs.
 * latency = ops / speed;  throughput = speed / ops per sample (samples processed one after another).
 */
import type { ModelReport } from '../analysis/analyze.ts';
import { figure, type Figure } from '../math/derivation.ts';
import { add, div, mul, num, sum, variable, type Expr } from '../math/expr.ts';
import { elementCount } from '../shape.ts';
import { layerSymbol, refFigure, toMs } from './traffic.ts';

export interface OpCountOptions {
  /** With a fused multiply-add unit: n + 1 operations per output instead of 2n. */
  readonly pipelined: boolean;
  /** Operations the processor performs per second. */
  readonly speedOpsPerS: number;
}

export interface OpCountReport {
  readonly pipelined: boolean;
  /** Layers with MACs (linear, conv); pooling comparisons are not yet counted. */
  readonly layers: readonly { readonly path: string; readonly ops: Figure }[];
  readonly ops: Figure;
  readonly latencyMs: Figure;
  readonly throughput: Figure;
}

export function operationCountModel(report: ModelReport, options: OpCountOptions): OpCountReport {
  if (!Number.isFinite(options.speedOpsPerS) || options.speedOpsPerS <= 0) {
    throw new RangeError(`speed must be a positive number of operations per second, got ${options.speedOpsPerS}`);
  }
  const n = (e: Expr) => (report.batch === 1 ? e : mul(variable('n', report.batch, 'batch size'), e));
  const layers = report.layers
    .filter((r) => r.macs.value > 0)
    .map((r) => {
      const macs = refFigure(r.macs);
      const ops = options.pipelined
        ? // MACs + outputs: one FMA per input, one bias add per output node
          add(macs, n(variable('o', elementCount(r.layer.outputShape), 'output nodes per sample')))
        : // 2 · MACs: a multiply and an add per input
          mul(num(2), macs);
      return { path: r.layer.path.join('.'), ops: figure(layerSymbol('\\text{ops}', r), 'operations', 'ops', ops) };
    });
  const ops = figure('\\text{ops}', `operations (${options.pipelined ? 'pipelined' : 'non-pipelined'})`, 'ops', sum('\\sum_\\ell \\text{ops}_\\ell', layers.map((l) => refFigure(l.ops))));
  const speed = variable('S', options.speedOpsPerS, 'speed in operations per second');
  return {
    pipelined: options.pipelined,
    layers,
    ops,
    // latency = ops / speed
    latencyMs: figure('t', 'latency', 'ms', toMs(div(refFigure(ops), speed))),
    // throughput = speed / ops per sample = n · S / ops
    throughput: figure('T', 'throughput', 'samples/s', report.batch === 1 ? div(speed, refFigure(ops)) : div(mul(variable('n', report.batch, 'batch size'), speed), refFigure(ops))),
  };
}
