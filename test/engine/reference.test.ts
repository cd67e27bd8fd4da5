/**
 * Every REFERENCE.md figure that the engine's layers can express, exactly
 * (HW1's figures are in hw1.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { analyze, compareProfiles, defineModel, formatBytes, profileTotals, zooModel } from '../../src/engine/index.ts';

const zoo = zooModel;

describe('seed 001: LeNet-5 on 1x32x32', () => {
  const report = analyze(defineModel(zoo('lenet5')));
  const t = report.totals;

  it('activations, input excluded: 6x28x28 + 6x14x14 + 16x10x10 + 16x5x5 + 120 + 84 + 10', () => {
    expect(t.activations.value).toBe(6 * 28 * 28 + 6 * 14 * 14 + 16 * 10 * 10 + 16 * 5 * 5 + 120 + 84 + 10);
    expect(t.activations.value).toBe(8_094);
  });

  it('params 156 + 2,416 + 48,120 + 10,164 + 850', () => {
    const linearOrConv = report.layers.filter((r) => r.params.value > 0).map((r) => r.params.value);
    expect(linearOrConv).toEqual([6 * 1 * 5 * 5 + 6, 16 * 6 * 5 * 5 + 16, 400 * 120 + 120, 120 * 84 + 84, 84 * 10 + 10]);
    expect(t.params.value).toBe(61_706);
  });

  it('total space (activations + params) = 69,800 elements', () => {
    expect(t.activations.value + t.params.value).toBe(69_800);
  });

  it('MACs (conv + linear) 416,520', () => {
    expect(t.macs.value).toBe(6 * 28 * 28 * 25 + 16 * 10 * 10 * 6 * 25 + 400 * 120 + 120 * 84 + 84 * 10);
    expect(t.macs.value).toBe(416_520);
  });
});

describe('seed 002: Lab 1 SimpleCNNs on 1x28x28', () => {
  it.each([
    ['simple-cnn', 1, 26 + 26 + (16 * 100 + 100) + (100 * 10 + 10), 24 * 24 * 25 + 8 * 8 * 25 + 16 * 100 + 100 * 10],
    ['simple-cnn', 32, 2_762, 32 * 18_600],
    ['simple-cnn-1conv', 32, 26 + (144 * 100 + 100) + (100 * 10 + 10), 32 * (24 * 24 * 25 + 144 * 100 + 100 * 10)],
    ['simple-cnn-3conv', 32, 26 + 26 + 5 + (4 * 100 + 100) + 1_010, 32 * (14_400 + 1_600 + 3 * 3 * 4 + 4 * 100 + 1_000)],
  ] as const)('%s at batch %i: params %i, MACs %i', (id, batch, params, macs) => {
    const t = analyze(defineModel(zoo(id)), { batch }).totals;
    expect([t.params.value, t.macs.value]).toEqual([params, macs]);
  });

  it('as printed: 2,762 / 18,600 / 595,200; 15,536 / 953,600; 1,567 / 557,952', () => {
    const at = (id: string, batch: number) => analyze(defineModel(zoo(id)), { batch }).totals;
    expect([at('simple-cnn', 1).params.value, at('simple-cnn', 1).macs.value, at('simple-cnn', 32).macs.value]).toEqual([2_762, 18_600, 595_200]);
    expect([at('simple-cnn-1conv', 32).params.value, at('simple-cnn-1conv', 32).macs.value]).toEqual([15_536, 953_600]);
    expect([at('simple-cnn-3conv', 32).params.value, at('simple-cnn-3conv', 32).macs.value]).toEqual([1_567, 557_952]);
  });
});

describe('seed 002: ResNet-18 on 3x224x224', () => {
  const model = defineModel(zoo('resnet18'));
  const at64 = analyze(model, { batch: 64 });
  const layer = (id: string) => at64.layers.find((r) => r.layer.id === id)!;

  it('params 11,689,512', () => {
    expect(at64.totals.params.value).toBe(11_689_512);
  });
  it('conv1: weight bytes fp32 64 x 3 x 7 x 7 x 4; output bytes at batch 64', () => {
    expect(layer('conv1').weights.value * 4).toBe(64 * 3 * 7 * 7 * 4);
    expect(layer('conv1').paramBytes.value).toBe(37_632);
    expect(layer('conv1').activations.value * 4).toBe(64 * 64 * 112 * 112 * 4);
    expect(layer('conv1').activations.value * 4).toBe(205_520_896);
  });
  it('layer4.0.conv2: weight bytes 512 x 512 x 3 x 3 x 4; activation bytes 64 x 512 x 7 x 7 x 4', () => {
    expect(layer('layer4.0.conv2').paramBytes.value).toBe(512 * 512 * 3 * 3 * 4);
    expect(layer('layer4.0.conv2').paramBytes.value).toBe(9_437_184);
    expect(layer('layer4.0.conv2').activations.value * 4).toBe(6_422_528);
  });
  it('the lab table: layer2.0.downsample.0 is a 1x1 conv of 128 x 64 weights', () => {
    expect(layer('layer2.0.downsample.0').weights.value).toBe(128 * 64);
    expect(layer('layer2.0.downsample.0').layer.outputShape).toEqual([128, 28, 28]);
  });
});

describe('seed 002: BERT-base-cased with the QA head, sequence 128', () => {
  const model = defineModel(zoo('bert-base-cased-qa'));
  const linearMacs = 12 * (4 * 128 * 768 * 768 + 2 * 128 * 768 * 3072) + 128 * 768 * 2;
  const attentionMatmuls = 12 * 2 * 12 * 128 * 128 * 64;
  const layerNorms = 1 + 2 * 12;

  it('params 107,721,218', () => {
    const embeddings = (28_996 + 512 + 2) * 768 + 2 * 768;
    const perLayer = 4 * (768 * 768 + 768) + 2 * 768 + (768 * 3072 + 3072) + (3072 * 768 + 768) + 2 * 768;
    expect(analyze(model).totals.params.value).toBe(embeddings + 12 * perLayer + (768 * 2 + 2));
    expect(analyze(model).totals.params.value).toBe(107_721_218);
  });

  it('thop: Linear MACs + 25 LayerNorms at 4 per element = 10,881,662,976', () => {
    const thop = profileTotals(model, 'thop').compute.value;
    expect(thop).toBe(linearMacs + layerNorms * 4 * 128 * 768);
    expect(thop).toBe(10_881_662_976);
  });

  it.each([
    [8, 87_053_303_808],
    [16, 174_106_607_616],
    [32, 348_213_215_232],
  ])('thop at batch %i: %i', (batch, expected) => {
    expect(profileTotals(model, 'thop', { batch }).compute.value).toBe(expected);
  });

  it('Linear only 10,871,832,576; attention matmuls 301,989,888; standard = both', () => {
    expect(linearMacs).toBe(10_871_832_576);
    expect(attentionMatmuls).toBe(301_989_888);
    const report = analyze(model);
    const attention = report.layers.filter((r) => r.layer.type === 'MultiheadAttention');
    const matmuls = attention.flatMap((r) => r.work).filter((w) => w.op === 'dot' && !w.module);
    expect(matmuls.reduce((acc, w) => acc + (w.op === 'dot' ? w.outputs.value * w.length.value : 0), 0)).toBe(attentionMatmuls);
    expect(report.totals.macs.value).toBe(linearMacs + attentionMatmuls);
  });
});

describe('bert-base-uncased with the pooler, sequence 128', () => {
  const report = analyze(defineModel(zoo('bert-base-uncased')));
  const linearMacs = 12 * (4 * 128 * 768 * 768 + 2 * 128 * 768 * 3072) + 768 * 768;
  const attentionMatmuls = 12 * 2 * 12 * 128 * 128 * 64;

  it('params 109,482,240: 30,522 words, and the pooler dense 768 x 768 + 768 instead of the QA head', () => {
    const embeddings = (30_522 + 512 + 2) * 768 + 2 * 768;
    const perLayer = 4 * (768 * 768 + 768) + 2 * 768 + (768 * 3072 + 3072) + (3072 * 768 + 768) + 2 * 768;
    expect(report.totals.params.value).toBe(embeddings + 12 * perLayer + (768 * 768 + 768));
    expect(report.totals.params.value).toBe(109_482_240);
  });

  it('MACs: Linear 10,872,225,792 (the pooler on one token: 768 x 768) + attention 301,989,888', () => {
    expect(linearMacs).toBe(10_872_225_792);
    expect(report.totals.macs.value).toBe(10_872_225_792 + 301_989_888);
    const pooler = report.layers.filter((r) => r.layer.path[0] === 'pooler');
    expect(pooler.map((r) => [r.layer.id, r.layer.outputShape, r.macs.value])).toEqual([
      ['pooler.first_token', [768], 0],
      ['pooler.dense', [768], 768 * 768],
      ['pooler.activation', [768], 0],
    ]);
  });

  it('the attention matmuls are what module hooks miss: thop sees Linear + 25 LayerNorms only', () => {
    const thop = profileTotals(report.model, 'thop').compute.value;
    expect(thop).toBe(linearMacs + 25 * 4 * 128 * 768);
    expect(report.totals.macs.value - (thop - 25 * 4 * 128 * 768)).toBe(attentionMatmuls);
  });
});

describe('seeds 003, 004: AlexNet in the two-group form, bias ignored', () => {
  const model = defineModel(zoo('alexnet-grouped'));
  const lectures = profileTotals(model, 'lectures');
  const report = lectures.report;
  const conv = (id: string) => report.layers.find((r) => r.layer.id === id)!;

  it.each([
    ['conv1', 96 * 3 * 11 * 11, 96 * 55 * 55 * 3 * 11 * 11, [96, 55, 55]],
    ['conv2', (256 * 96 * 5 * 5) / 2, (256 * 27 * 27 * 96 * 5 * 5) / 2, [256, 27, 27]],
    ['conv3', 384 * 256 * 3 * 3, 384 * 13 * 13 * 256 * 3 * 3, [384, 13, 13]],
    ['conv4', (384 * 384 * 3 * 3) / 2, (384 * 13 * 13 * 384 * 3 * 3) / 2, [384, 13, 13]],
    ['conv5', (256 * 384 * 3 * 3) / 2, (256 * 13 * 13 * 384 * 3 * 3) / 2, [256, 13, 13]],
    ['fc1', 9216 * 4096, 9216 * 4096, [4096]],
    ['fc2', 4096 * 4096, 4096 * 4096, [4096]],
    ['fc3', 4096 * 1000, 4096 * 1000, [1000]],
  ] as const)('%s: params %i, MACs %i', (id, params, macs, out) => {
    expect([conv(id).params.value, conv(id).macs.value]).toEqual([params, macs]);
    expect(conv(id).layer.outputShape).toEqual(out);
  });

  it('pooling outputs 96x27x27, 256x13x13, 256x6x6', () => {
    expect(['pool1', 'pool2', 'pool5'].map((id) => conv(id).layer.outputShape)).toEqual([[96, 27, 27], [256, 13, 13], [256, 6, 6]]);
  });

  it('totals as printed: 60,954,656 params, 724,406,816 MACs, 1,448,813,632 FLOPs', () => {
    expect(report.totals.params.value).toBe(60_954_656);
    expect(report.totals.macs.value).toBe(724_406_816);
    expect(report.totals.flops.value).toBe(2 * 724_406_816);
    expect(report.totals.flops.value).toBe(1_448_813_632);
  });

  it('model size fp32 243,818,624 B (244 MB), int8 60,954,656 B', () => {
    expect(report.totals.paramBytes.value).toBe(60_954_656 * 4);
    expect(report.totals.paramBytes.value).toBe(243_818_624);
    expect(formatBytes(report.totals.paramBytes.value, 1000, 0)).toBe('244 MB');
    expect(profileTotals(model, 'lectures', { paramBits: 8 }).paramBytes.value).toBe(60_954_656);
  });

  it('activations including the input 932,264; peak 150,528 + 290,400 = 440,928', () => {
    expect(report.totals.activations.value).toBe(932_264);
    expect(report.totals.peakActivations.value).toBe(3 * 224 * 224 + 96 * 55 * 55);
    expect(report.totals.peakActivations.value).toBe(440_928);
  });

  it('receptive field of stacked 3x3 convs: L(k - 1) + 1', () => {
    const stack = (L: number) =>
      analyze(defineModel({ name: 's', input: [1, 32, 32], layers: Array.from({ length: L }, () => ({ type: 'Conv2d', out_channels: 1, kernel_size: 3, padding: 1 })) })).receptiveField!.value;
    expect([stack(1), stack(2), stack(3)]).toEqual([1 * (3 - 1) + 1, 2 * (3 - 1) + 1, 3 * (3 - 1) + 1]);
    expect([stack(2), stack(3)]).toEqual([5, 7]);
  });
});

describe('standard models: tools differ because they count different things', () => {
  it('thop adds norms and pooling to ResNet-50, and no matmuls are left out of a CNN', () => {
    const [standard, thop] = compareProfiles(defineModel(zoo('resnet50')), {}, ['standard', 'thop']);
    expect(standard!.compute.value).toBe(4_089_184_256);
    expect(thop!.compute.value).toBeGreaterThan(standard!.compute.value);
    expect(thop!.profile.excludes.join(' ')).toMatch(/matmul/);
  });
});
