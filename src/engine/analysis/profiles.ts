/**
 * Counting profiles: named bundles of conventions that reproduce a tool or a handout, so the
 * workbook can say why two tools print different totals for one model. `compareProfiles` shows
 * them side by side, each with what it includes and leaves out.
 *
 * The thop profile reproduces the lab's BERT-base-cased count, 10,881,662,976 at sequence 128:
 * thop hooks nn.Linear (Q, K, V, output, FFN and QA head: 10,871,832,576 MACs) and nn.LayerNorm
 * (25 of them, 128 × 768 elements each, at 4 ops per element: 9,830,400), and does not see the
 * attention matmuls (torch.matmul inside BertSelfAttention, not modules: 301,989,888 MACs).
 */
import { mul, sum, variable, type Expr } from '../math/expr.ts';
import { texText } from '../math/latex.ts';
import { figure, type Figure } from '../math/derivation.ts';
import type { Model } from '../model/define.ts';
import { analyze, type AnalyzeOptions, type LayerReport, type ModelReport } from './analyze.ts';
import type { Conventions } from './conventions.ts';
import { seedOps, thopOps } from './operations.ts';

export const PROFILE_IDS = ['standard', 'thop', 'lectures', 'seed001-non-pipelined', 'seed001-fma'] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export interface CountingProfile {
  readonly id: ProfileId;
  readonly label: string;
  readonly description: string;
  /** What the compute count includes, one item per kind of work. */
  readonly includes: readonly string[];
  /** What it leaves out. */
  readonly excludes: readonly string[];
  readonly conventions: Partial<Conventions>;
  /** The unit of the profile's compute count. */
  readonly unit: 'MACs' | 'ops';
  /** The profile's compute count of one layer, per sample. */
  compute(report: LayerReport, conventions: Conventions): Expr;
}

export const PROFILES: { readonly [K in ProfileId]: CountingProfile } = {
  standard: {
    id: 'standard',
    label: 'Standard MACs',
    description: 'Multiply-accumulates of conv, linear and matmul (attention included), as torchvision and the course count them.',
    includes: ['conv and linear MACs, without bias', 'attention projections and the score and value matmuls'],
    excludes: ['bias adds', 'normalization', 'activations', 'pooling', 'elementwise adds'],
    conventions: {},
    unit: 'MACs',
    compute: (r) => r.counts.macs,
  },
  thop: {
    id: 'thop',
    label: 'thop (pytorch-OpCounter)',
    description: "What thop.profile prints as 'MACs': module hooks only.",
    includes: [
      'Conv and Linear modules: MACs without bias (attention projections are Linear modules)',
      'BatchNorm, LayerNorm, GroupNorm: 2 per element, 4 with a scale and shift',
      'AvgPool: 1 per output; AdaptiveAvgPool: window + 1 per output',
      'Softmax modules: 3n − 1 per row of n',
    ],
    excludes: ['attention score and value matmuls (torch.matmul, not modules)', 'max pooling, activations, dropout, embeddings: 0', 'residual adds and concatenation (not modules)'],
    conventions: {},
    unit: 'MACs',
    compute: (r) => thopOps(r.work),
  },
  lectures: {
    id: 'lectures',
    label: 'Lectures (AlexNet table)',
    description: 'Bias ignored in the parameters, the input counted among the activations, MACs of conv and linear.',
    includes: ['conv, linear and matmul MACs', 'activations: the input and every layer output (not in-place ones)'],
    excludes: ['biases from the parameters', 'bias adds, normalization, activations, pooling'],
    conventions: { biasInParams: false, inputInActivations: true },
    unit: 'MACs',
    compute: (r) => r.counts.macs,
  },
  'seed001-non-pipelined': {
    id: 'seed001-non-pipelined',
    label: 'Seed 001, non-pipelined',
    description: 'Operations of a processor without fused multiply-add: n multiplies and n adds (bias included) per n-input neuron.',
    includes: ['2n per dot product of n terms with a bias (2n − 1 without)', 'h w − 1 comparisons per max-pool output'],
    excludes: ['normalization, activations, elementwise adds'],
    conventions: { operations: 'non-pipelined', poolingOps: true },
    unit: 'ops',
    compute: (r, c) => seedOps(r.work, c),
  },
  'seed001-fma': {
    id: 'seed001-fma',
    label: 'Seed 001, fused multiply-add',
    description: 'Operations of a pipelined processor with a fused multiply-add unit: n + 1 per n-input neuron.',
    includes: ['n + 1 per dot product of n terms with a bias (n without)', 'h w − 1 comparisons per max-pool output'],
    excludes: ['normalization, activations, elementwise adds'],
    conventions: { operations: 'fused-multiply-add', poolingOps: true },
    unit: 'ops',
    compute: (r, c) => seedOps(r.work, c),
  },
};

export interface ProfileTotals {
  readonly profile: CountingProfile;
  /** The full analysis under the profile's conventions. */
  readonly report: ModelReport;
  /** The profile's compute count for the whole batch. */
  readonly compute: Figure;
  /** Per layer, in the order of `report.layers`, for the whole batch. */
  readonly layerCompute: readonly Figure[];
  readonly params: Figure;
  readonly activations: Figure;
  readonly paramBytes: Figure;
}

/** The profile's compute count of every layer and in total. */
export function profileTotals(model: Model, profileId: ProfileId, options: AnalyzeOptions = {}): ProfileTotals {
  const profile = PROFILES[profileId];
  if (!profile) throw new RangeError(`unknown profile '${profileId}'; allowed: ${PROFILE_IDS.join(', ')}`);
  const report = analyze(model, { ...options, conventions: { ...options.conventions, ...profile.conventions } });
  const symbol = (id: string) => `\\text{${texText(profile.unit)}}_{\\text{${texText(id)}}}`;
  const layerCompute = report.layers.map((r) => {
    const perSample = profile.compute(r, report.conventions);
    const whole = report.batch === 1 ? perSample : mul(variable('n', report.batch, 'batch size'), perSample);
    return figure(symbol(r.layer.id), `${profile.label} count`, profile.unit, whole);
  });
  const compute = sum(
    `\\sum_\\ell \\text{${texText(profile.unit)}}_\\ell`,
    layerCompute.map((f) => f.expr).filter((e) => e.value !== 0),
  );
  return {
    profile,
    report,
    compute: figure(`\\text{${texText(profile.unit)}}_{\\text{${texText(profile.id)}}}`, `${profile.label} count`, profile.unit, compute),
    layerCompute,
    params: report.totals.params,
    activations: report.totals.activations,
    paramBytes: report.totals.paramBytes,
  };
}

/** Totals under several profiles side by side (all of them by default). */
export function compareProfiles(model: Model, options: AnalyzeOptions = {}, ids: readonly ProfileId[] = PROFILE_IDS): ProfileTotals[] {
  return ids.map((id) => profileTotals(model, id, options));
}
