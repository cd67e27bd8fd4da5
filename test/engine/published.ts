/**
 * The published parameter and MAC counts of every built-in model, as `../shared/REFERENCE.md`
 * and the course material print them, each with the counting convention (a profile of
 * src/engine/analysis/profiles.ts) under which the engine reproduces it. zoo.test.ts checks the
 * engine against this table, test/cli/zoo.test.ts checks `workbook analyze <id> --json`, and a
 * test fails when a zoo model has no row here.
 *
 * Where a source prints a count at another batch size, the row gives it as that count divided by
 * the batch, so the division shows.
 */
import type { ProfileId } from '../../src/engine/index.ts';

export interface Published {
  readonly id: string;
  /** The counting profile the published figures follow. */
  readonly profile: ProfileId;
  readonly params: number;
  /** The profile's compute count at batch 1: MACs for `standard`, `lectures` and `thop`. */
  readonly macs: number;
  /** Where the figures are printed. */
  readonly source: string;
}

// BERT-base at 128 tokens: 12 layers of Q, K, V and output projections (4 · 128 · 768 · 768) and
// the feed-forward pair (2 · 128 · 768 · 3072); attention's QKᵀ and AV matmuls per head
// (2 · 12 heads · 128 · 128 · 64 per layer).
const BERT_ENCODER_LINEAR = 12 * (4 * 128 * 768 * 768 + 2 * 128 * 768 * 3072);
const BERT_ATTENTION_MATMULS = 12 * 2 * 12 * 128 * 128 * 64; // 301,989,888 in REFERENCE.md

export const PUBLISHED: readonly Published[] = [
  { id: 'mlp-hw1-q1', profile: 'standard', params: 99_338, macs: 98_816, source: 'REFERENCE.md, HW1 (seed 000)' },
  { id: 'mlp-hw1-q2', profile: 'standard', params: 934_944, macs: 933_888, source: 'REFERENCE.md, HW1 (seed 000)' },
  { id: 'mlp-lab', profile: 'standard', params: 235_146, macs: 234_752, source: 'REFERENCE.md, Lab 1 (seed 002), MLP 784-256-128-10' },
  { id: 'mlp-lab-784-128-128-10', profile: 'standard', params: 118_282, macs: 118_016, source: 'REFERENCE.md params; seed 002 tables 2 and 3 MACs' },
  { id: 'mlp-lab-784-1024-128-10', profile: 'standard', params: 936_330, macs: 935_168, source: 'REFERENCE.md params; seed 002 table 2 MACs' },
  { id: 'mlp-lab-784-128-10', profile: 'standard', params: 101_770, macs: 101_632, source: 'REFERENCE.md params; seed 002 table 3 MACs' },
  { id: 'mlp-lab-784-128-128-128-10', profile: 'standard', params: 134_794, macs: 134_400, source: 'REFERENCE.md params; seed 002 table 3 MACs' },
  { id: 'lenet5', profile: 'standard', params: 61_706, macs: 416_520, source: 'REFERENCE.md, seed 001' },
  { id: 'simple-cnn', profile: 'standard', params: 2_762, macs: 18_600, source: 'REFERENCE.md, Lab 1 SimpleCNN with 2 convs' },
  { id: 'simple-cnn-1conv', profile: 'standard', params: 15_536, macs: 953_600 / 32, source: 'REFERENCE.md, Lab 1 SimpleCNN with 1 conv (MACs printed at batch 32)' },
  { id: 'simple-cnn-3conv', profile: 'standard', params: 1_567, macs: 557_952 / 32, source: 'REFERENCE.md, Lab 1 SimpleCNN with 3 convs (MACs printed at batch 32)' },
  { id: 'alexnet', profile: 'standard', params: 61_100_840, macs: 714_188_480, source: "REFERENCE.md, torchvision's published figures" },
  // The lectures' table ignores biases: 60,954,656 weights (the `lectures` profile).
  { id: 'alexnet-grouped', profile: 'lectures', params: 60_954_656, macs: 724_406_816, source: "REFERENCE.md, the lectures' AlexNet table (seeds 003, 004)" },
  { id: 'vgg16', profile: 'standard', params: 138_357_544, macs: 15_470_264_320, source: "REFERENCE.md, torchvision's published figures" },
  { id: 'resnet18', profile: 'standard', params: 11_689_512, macs: 1_814_073_344, source: "REFERENCE.md, torchvision's published figures" },
  { id: 'resnet50', profile: 'standard', params: 25_557_032, macs: 4_089_184_256, source: "REFERENCE.md, torchvision's published figures (v1.5)" },
  { id: 'mobilenet-v2', profile: 'standard', params: 3_504_872, macs: 300_774_272, source: "REFERENCE.md, torchvision's published figures" },
  // Linear 10,872,225,792 (the pooler's 768 · 768 on one token included) + attention matmuls.
  { id: 'bert-base-uncased', profile: 'standard', params: 109_482_240, macs: BERT_ENCODER_LINEAR + 768 * 768 + BERT_ATTENTION_MATMULS, source: 'REFERENCE.md, bert-base-uncased with pooler, seq 128' },
  // Linear 10,871,832,576 (the QA head's 128 · 768 · 2 included) + attention matmuls.
  { id: 'bert-base-cased-qa', profile: 'standard', params: 107_721_218, macs: BERT_ENCODER_LINEAR + 128 * 768 * 2 + BERT_ATTENTION_MATMULS, source: 'REFERENCE.md, Lab 1 BERT (Linear only + attention matmuls)' },
  // thop: Linear modules + 25 LayerNorms at 4 per element; no attention matmuls.
  { id: 'bert-base-cased-qa', profile: 'thop', params: 107_721_218, macs: 10_881_662_976, source: "REFERENCE.md, Lab 1 BERT under thop's convention" },
];

/** Published figures that the engine's `standard` totals (what `workbook analyze --json` prints) reproduce. */
export const PUBLISHED_STANDARD = PUBLISHED.filter((p) => p.profile === 'standard');

/** Figures under other conventions, converted to the standard totals by arithmetic on the published numbers. */
export const STANDARD_FROM_OTHERS: readonly Published[] = [
  // The lectures' table without biases; PyTorch's Conv2d and Linear have one per output channel.
  { id: 'alexnet-grouped', profile: 'standard', params: 60_954_656 + (96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000), macs: 724_406_816, source: "the lectures' table plus the biases" },
];
