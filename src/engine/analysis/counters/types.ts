/** The shape of a tool's counting rules (the folder's index puts them together). */
import type { LayerReport, ModelReport } from '../analyze.ts';
import type { Expr } from '../../math/expr.ts';
import type { Term } from './terms.ts';

export const COUNTER_IDS = ['thop', 'thop-0.0.31', 'ptflops', 'ptflops-aten', 'torchprofile', 'fvcore', 'torchinfo', 'torchinfo-1.8.0', 'calflops', 'deepspeed', 'torchvision'] as const;
export type CounterId = (typeof COUNTER_IDS)[number];

export interface CounterRules {
  /** Units of the tool's count per standard MAC: 2 for tools that count FLOPs. */
  readonly scale: 1 | 2;
  terms(r: LayerReport): Term[];
  /**
   * The part of a layer's standard MACs the tool counts once whatever the batch (ptflops' module
   * hooks, averaged over the batch); the rest of the MACs it counts for every sample.
   */
  onceMacs?(r: LayerReport): Expr;
  /**
   * What the tool divides its once-per-batch count by, when that is not the batch: ptflops' batch
   * counter reads the first dimension of the model's input, the time steps of a sequence-first one.
   */
  batchCounter?(report: ModelReport): BatchCounter | undefined;
}

/** A divisor a tool takes for the batch: its value, and the rule that says why. */
export interface BatchCounter {
  readonly value: number;
  readonly rule: string;
}
