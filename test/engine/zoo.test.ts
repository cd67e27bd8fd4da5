/**
 * The model zoo: every built-in model against its published parameter and MAC counts
 * (published.ts), under the counting convention the source uses; the reference implementations'
 * module names; the models' options.
 */
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, ModelError, profileTotals, ZOO, ZOO_IDS, zooEntry, zooModel } from '../../src/engine/index.ts';
import { PUBLISHED, PUBLISHED_STANDARD, STANDARD_FROM_OTHERS, TORCHVISION_GMACS } from './published.ts';

describe('published parameters and MACs, under the convention each source uses', () => {
  it.each(PUBLISHED.map((p) => [p.id, p.profile, p] as const))('%s (%s)', (id, profile, p) => {
    const totals = profileTotals(defineModel(zooModel(id)), profile);
    expect([totals.params.value, totals.compute.value]).toEqual([p.params, p.macs]);
  });

  it('every zoo model has a published standard count (or one derived from its source by arithmetic)', () => {
    const covered = new Set([...PUBLISHED_STANDARD, ...STANDARD_FROM_OTHERS].map((p) => p.id));
    expect(ZOO_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(STANDARD_FROM_OTHERS.map((p) => [p.id, p] as const))('%s: standard totals from the published figures', (id, p) => {
    const t = analyze(defineModel(zooModel(id))).totals;
    expect([t.params.value, t.macs.value]).toEqual([p.params, p.macs]);
  });
});

describe("module paths follow the reference implementations' names", () => {
  const ids = (id: string) => defineModel(zooModel(id)).layers.map((l) => l.id);

  it.each([
    ['alexnet', ['features.0', 'features.12', 'avgpool', 'classifier.1', 'classifier.6']],
    ['vgg16', ['features.0', 'features.28', 'features.30', 'avgpool', 'classifier.0', 'classifier.6']],
    ['resnet18', ['conv1', 'bn1', 'maxpool', 'layer1.0.conv1', 'layer1.1.bn2', 'layer2.0.downsample.0', 'layer2.0.downsample.1', 'layer4.1.conv2', 'fc']],
    ['resnet50', ['layer1.0.conv3', 'layer1.0.downsample.0', 'layer3.5.conv3', 'layer4.2.bn3', 'fc']],
    // torchvision: features.1.conv.0.0 is the depthwise conv of the t = 1 block; features.2.conv.0.0 the 1x1 expansion.
    ['mobilenet-v2', ['features.0.0', 'features.1.conv.0.0', 'features.1.conv.1', 'features.2.conv.0.0', 'features.2.conv.1.0', 'features.2.conv.2', 'features.3.add', 'features.17.conv.3', 'features.18.0', 'classifier.1']],
    ['bert-base-uncased', ['embeddings.word_embeddings', 'embeddings.LayerNorm', 'encoder.layer.0.attention.self', 'encoder.layer.11.output.dense', 'pooler.dense', 'pooler.activation']],
    ['bert-base-cased-qa', ['encoder.layer.11.output.LayerNorm', 'qa_outputs']],
    ['simple-cnn', ['conv1', 'pool1', 'conv2', 'pool2', 'flatten', 'fc1', 'relu', 'fc2', 'softmax']],
    ['mlp-lab-784-128-10', ['fc1', 'relu1', 'fc3', 'relu2', 'softmax']],
    ['mlp-lab-784-128-128-128-10', ['fc1', 'relu1', 'fc2', 'relu2', 'fc_add', 'relu3', 'fc3', 'relu4', 'softmax']],
  ] as const)('%s', (id, expected) => {
    expect(ids(id)).toEqual(expect.arrayContaining([...expected]));
  });

  it('MobileNetV2 adds the input back exactly where stride is 1 and channels stay (use_res_connect): 10 blocks', () => {
    const adds = defineModel(zooModel('mobilenet-v2')).layers.filter((l) => l.type === 'Add').map((l) => l.path[1]);
    // (t, c, n, s): repeats after the first of each stage: 1 + 2 + 3 + 2 + 2 blocks.
    expect(adds).toEqual(['3', '5', '6', '8', '9', '10', '12', '13', '15', '16']);
  });

  it('ResNet-50 projects at the first block of each stage (4 downsample convs); ResNet-18 from layer2 on (3)', () => {
    const downsamples = (id: string) => defineModel(zooModel(id)).layers.filter((l) => l.path.includes('downsample') && l.type === 'Conv2d').length;
    expect([downsamples('resnet50'), downsamples('resnet18')]).toEqual([4, 3]);
  });
});

describe('options: the sequence length of the transformers', () => {
  it.each([
    ['bert-base-uncased', 64],
    ['bert-base-cased-qa', 384],
  ] as const)('%s at %i tokens: input, and Linear MACs scale with the tokens, attention with their square', (id, seq) => {
    const at = (n: number) => analyze(defineModel(zooModel(id, { seq: n })));
    const report = at(seq);
    expect(report.model.input).toEqual([seq]);
    const attention = report.layers.filter((r) => r.layer.type === 'MultiheadAttention');
    const matmuls = attention.flatMap((r) => r.work).reduce((acc, w) => acc + (w.op === 'dot' && !w.module ? w.outputs.value * w.length.value : 0), 0);
    expect(matmuls).toBe(12 * 2 * 12 * seq * seq * 64);
    const pooler = id === 'bert-base-uncased' ? 768 * 768 : 0;
    const head = id === 'bert-base-cased-qa' ? seq * 768 * 2 : 0;
    expect(report.totals.macs.value).toBe(12 * (4 * seq * 768 * 768 + 2 * seq * 768 * 3072) + pooler + head + matmuls);
    expect(report.totals.params.value).toBe(at(128).totals.params.value);
  });

  it('the default is 128 tokens', () => {
    expect(zooEntry('bert-base-uncased')!.defaults).toEqual({ seq: 128 });
    expect(zooModel('bert-base-uncased')).toBe(zooEntry('bert-base-uncased')!.def);
    expect(zooEntry('bert-base-uncased')!.def.input).toEqual([128]);
  });

  it.each([
    ['bert-base-uncased', { seq: 513 }, /^bert-base-uncased: sequence length 513 is not allowed; allowed: an integer from 1 to 512/],
    ['bert-base-cased-qa', { seq: 0 }, /^bert-base-cased-qa: sequence length 0 is not allowed/],
    ['resnet18', { seq: 128 }, /^resnet18: takes no options, got seq/],
    ['resnet19', {}, /^resnet19: unknown model id; allowed: mlp-hw1-q1, .*resnet18, resnet50/],
  ] as const)('%s with %o: a ModelError', (id, options, message) => {
    expect(() => zooModel(id, options)).toThrow(ModelError);
    expect(() => zooModel(id, options)).toThrow(message);
  });
});

describe('the registry', () => {
  it('ids are unique and each is its definition\'s name', () => {
    expect(new Set(ZOO_IDS).size).toBe(ZOO.length);
    for (const e of ZOO) expect(e.def.name).toBe(e.id);
  });

  it('every definition cites its source', () => {
    for (const e of ZOO) expect([e.id, e.source.length > 10, e.description.length > 10]).toEqual([e.id, true, true]);
  });
});

describe('the squeeze-and-excitation networks (torchvision 0.16)', () => {
  it.each(Object.entries(TORCHVISION_GMACS))('%s: MACs round to torchvision\'s published GFLOPS', (id, gmacs) => {
    const macs = analyze(defineModel(zooModel(id))).totals.macs.value;
    expect(Math.round(macs / 1e6) / 1e3).toBe(gmacs);
  });

  it.each([
    ['mobilenet-v3-small', ['features.0.0', 'features.1.block.0.0', 'features.1.block.1.fc1', 'features.1.block.1.scale_activation', 'features.1.block.1.mul', 'features.4.block.3.1', 'features.5.add', 'features.12.2', 'classifier.3']],
    ['efficientnet-b0', ['features.0.0', 'features.1.0.block.1.fc2', 'features.2.1.block.0.0', 'features.2.1.stochastic_depth', 'features.2.1.add', 'features.7.0.block.3.1', 'features.8.0', 'classifier.1']],
  ])('%s keeps torchvision\'s module names', (id, expected) => {
    const ids = new Set(defineModel(zooModel(id)).layers.map((l) => l.id));
    expect(expected.filter((e) => !ids.has(e))).toEqual([]);
  });
});
