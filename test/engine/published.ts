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

/**
 * MACs of an inverted-residual network on 224×224, counted from its table with the conv formula
 * c_o h_o w_o (c_i / g) k² (and SE's two 1×1 convs on 1×1), written apart from the engine.
 * torchvision prints them rounded ("_ops": 0.057 and 0.386 GFLOPS); the test checks both.
 */
function invertedResidualMacs(
  stem: number,
  rows: readonly { inp: number; exp: number; out: number; k: number; s: number; se: number }[],
  last: number,
  hidden: readonly number[],
): number {
  let size = 112; // after the stride-2 stem
  let macs = stem * size * size * 3 * 3 * 3;
  for (const r of rows) {
    if (r.exp !== r.inp) macs += r.exp * size * size * r.inp;
    size = r.s === 2 ? size / 2 : size;
    macs += r.exp * size * size * r.k * r.k; // depthwise: one k×k window per channel
    if (r.se) macs += 2 * r.exp * r.se;
    macs += r.out * size * size * r.exp;
  }
  macs += last * size * size * rows[rows.length - 1]!.out;
  let features = last;
  for (const h of hidden) {
    macs += features * h;
    features = h;
  }
  return macs;
}

const row = (inp: number, k: number, exp: number, out: number, se: number, s: number) => ({ inp, exp, out, k, s, se });
/** One inverted-residual block: input, expanded and output channels, kernel, stride, SE squeeze (0: no SE). */
export type InvertedResidualRow = ReturnType<typeof row>;
// mobilenet_v3_small's bneck table: SE squeezes to _make_divisible(exp / 4, 8).
export const MOBILENET_V3_SMALL_ROWS: readonly InvertedResidualRow[] = [
  row(16, 3, 16, 16, 8, 2), row(16, 3, 72, 24, 0, 2), row(24, 3, 88, 24, 0, 1), row(24, 5, 96, 40, 24, 2), row(40, 5, 240, 40, 64, 1), row(40, 5, 240, 40, 64, 1),
  row(40, 5, 120, 48, 32, 1), row(48, 5, 144, 48, 40, 1), row(48, 5, 288, 96, 72, 2), row(96, 5, 576, 96, 144, 1), row(96, 5, 576, 96, 144, 1),
];
const MOBILENET_V3_SMALL_MACS = invertedResidualMacs(16, MOBILENET_V3_SMALL_ROWS, 576, [1024, 1000]);
// efficientnet_b0's stages expanded to blocks: SE squeezes to input / 4.
const b0 = (t: number, k: number, s: number, inp: number, out: number, n: number) =>
  Array.from({ length: n }, (_, i) => row(i === 0 ? inp : out, k, (i === 0 ? inp : out) * t, out, Math.floor((i === 0 ? inp : out) / 4), i === 0 ? s : 1));
export const EFFICIENTNET_B0_ROWS: readonly InvertedResidualRow[] = [
  ...b0(1, 3, 1, 32, 16, 1), ...b0(6, 3, 2, 16, 24, 2), ...b0(6, 5, 2, 24, 40, 2), ...b0(6, 3, 2, 40, 80, 3), ...b0(6, 5, 1, 80, 112, 3), ...b0(6, 5, 2, 112, 192, 4), ...b0(6, 3, 1, 192, 320, 1),
];
const EFFICIENTNET_B0_MACS = invertedResidualMacs(32, EFFICIENTNET_B0_ROWS, 1280, [1000]);
/** torchvision's rounded "_ops" (GFLOPS, meaning GMACs) for the two, to check the table above against. */
export const TORCHVISION_GMACS: Readonly<Record<string, number>> = { 'mobilenet-v3-small': 0.057, 'efficientnet-b0': 0.386 };

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
  { id: 'mobilenet-v3-small', profile: 'standard', params: 2_542_856, macs: MOBILENET_V3_SMALL_MACS, source: "torchvision's MobileNet_V3_Small_Weights (num_params); MACs from its table" },
  { id: 'efficientnet-b0', profile: 'standard', params: 5_288_548, macs: EFFICIENTNET_B0_MACS, source: "torchvision's EfficientNet_B0_Weights (num_params); MACs from its table" },
  // Linear 10,872,225,792 (the pooler's 768 · 768 on one token included) + attention matmuls.
  { id: 'bert-base-uncased', profile: 'standard', params: 109_482_240, macs: BERT_ENCODER_LINEAR + 768 * 768 + BERT_ATTENTION_MATMULS, source: 'REFERENCE.md, bert-base-uncased with pooler, seq 128' },
  // Linear 10,871,832,576 (the QA head's 128 · 768 · 2 included) + attention matmuls.
  { id: 'bert-base-cased-qa', profile: 'standard', params: 107_721_218, macs: BERT_ENCODER_LINEAR + 128 * 768 * 2 + BERT_ATTENTION_MATMULS, source: 'REFERENCE.md, Lab 1 BERT (Linear only + attention matmuls)' },
  // conv_proj (768 · 14² · 3 · 16²), 12 layers of Q, K, V, O projections on 197 tokens, the two
  // attention matmuls per head and the MLP pair, and the head on the class token: torchvision's
  // "_ops" 17.564 GFLOPS (counters.test.ts checks the rounding).
  {
    id: 'vit-b-16',
    profile: 'standard',
    params: 86_567_656,
    macs: 768 * 14 * 14 * 3 * 16 * 16 + 12 * (4 * 197 * 768 * 768 + 2 * 12 * 197 * 197 * 64 + 2 * 197 * 768 * 3072) + 768 * 1000,
    source: "torchvision's ViT_B_16_Weights (num_params 86567656, _ops 17.564)",
  },
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
