/**
 * One table per layer kind: shapes and counts, expected values written as the formula's
 * arithmetic so each row documents its formula (c_o · c_i · k_h · k_w and so on).
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  defineModel,
  seedOps,
  COUNTER_RULES,
  counterCompute,
  type LayerDef,
  type LayerReport,
} from '../../src/engine/index.ts';

interface Expected {
  out?: number[];
  weights?: number;
  biases?: number;
  normParams?: number;
  buffers?: number;
  macs?: number;
  activations?: number;
  thop?: number;
  ops?: number;
}

/** The report of the last layer of a one-layer (or one-block) model. */
function last(input: number[], layers: LayerDef[]): LayerReport {
  const report = analyze(defineModel({ name: 't', input, layers }));
  return report.layers[report.layers.length - 1]!;
}

function check(r: LayerReport, e: Expected): void {
  if (e.out) expect(r.layer.outputShape).toEqual(e.out);
  if (e.weights !== undefined) expect(r.weights.value).toBe(e.weights);
  if (e.biases !== undefined) expect(r.biases.value).toBe(e.biases);
  if (e.normParams !== undefined) expect(r.normParams.value).toBe(e.normParams);
  if (e.buffers !== undefined) expect(r.buffers.value).toBe(e.buffers);
  if (e.macs !== undefined) expect(r.macs.value).toBe(e.macs);
  if (e.activations !== undefined) expect(r.activations.value).toBe(e.activations);
  if (e.thop !== undefined) expect(counterCompute(COUNTER_RULES.thop, r).value).toBe(e.thop);
  if (e.ops !== undefined) expect(r.ops.value).toBe(e.ops);
}

type Case = [string, number[], LayerDef[], Expected];

const cases: Record<string, Case[]> = {
  Linear: [
    ['120 -> 256', [120], [{ type: 'Linear', out_features: 256 }], { out: [256], weights: 120 * 256, biases: 256, macs: 120 * 256, activations: 256, ops: 256 * 2 * 120 }],
    ['per token, no bias', [128, 768], [{ type: 'Linear', out_features: 3072, bias: false }], { out: [128, 3072], weights: 768 * 3072, biases: 0, macs: 128 * 768 * 3072, ops: 128 * 3072 * (2 * 768 - 1) }],
    ['in_features checked', [84], [{ type: 'Linear', in_features: 84, out_features: 10 }], { weights: 84 * 10 }],
  ],
  Conv2d: [
    ['LeNet conv1', [1, 32, 32], [{ type: 'Conv2d', out_channels: 6, kernel_size: 5 }], { out: [6, 28, 28], weights: 6 * 1 * 5 * 5, biases: 6, macs: 6 * 28 * 28 * 1 * 5 * 5, activations: 6 * 28 * 28, ops: 6 * 28 * 28 * 2 * 25, thop: 6 * 28 * 28 * 25 }],
    ['AlexNet conv1, stride 4, pad 2', [3, 224, 224], [{ type: 'Conv2d', out_channels: 96, kernel_size: 11, stride: 4, padding: 2 }], { out: [96, 55, 55], weights: 96 * 3 * 11 * 11, macs: 96 * 55 * 55 * 3 * 11 * 11 }],
    ['grouped, g = 2', [96, 27, 27], [{ type: 'Conv2d', out_channels: 256, kernel_size: 5, padding: 2, groups: 2 }], { out: [256, 27, 27], weights: (256 * 96 * 5 * 5) / 2, macs: (256 * 27 * 27 * 96 * 5 * 5) / 2 }],
    ['depthwise, g = c', [32, 112, 112], [{ type: 'Conv2d', out_channels: 32, kernel_size: 3, padding: 1, groups: 32, bias: false }], { out: [32, 112, 112], weights: 32 * 3 * 3, biases: 0, macs: 32 * 112 * 112 * 3 * 3 }],
    ['dilation 2', [1, 10, 10], [{ type: 'Conv2d', out_channels: 1, kernel_size: 3, dilation: 2 }], { out: [1, 10 - 2 * (3 - 1), 10 - 2 * (3 - 1)], macs: 6 * 6 * 9 }],
    ["padding 'same'", [3, 17, 17], [{ type: 'Conv2d', out_channels: 8, kernel_size: 4, padding: 'same' }], { out: [8, 17, 17], macs: 8 * 17 * 17 * 3 * 4 * 4 }],
    ["padding 'valid'", [3, 17, 17], [{ type: 'Conv2d', out_channels: 8, kernel_size: 4, padding: 'valid' }], { out: [8, 14, 14] }],
    ['rectangular kernel, stride, padding', [1, 20, 30], [{ type: 'Conv2d', out_channels: 4, kernel_size: [3, 5], stride: [2, 3], padding: [1, 2] }], { out: [4, Math.floor((20 + 2 - 3) / 2) + 1, Math.floor((30 + 4 - 5) / 3) + 1], weights: 4 * 1 * 3 * 5 }],
  ],
  Conv1d: [
    ['stride 2, pad 2', [16, 100], [{ type: 'Conv1d', out_channels: 32, kernel_size: 5, stride: 2, padding: 2 }], { out: [32, Math.floor((100 + 4 - 5) / 2) + 1], weights: 32 * 16 * 5, biases: 32, macs: 32 * 50 * 16 * 5 }],
    ['depthwise', [8, 10], [{ type: 'Conv1d', out_channels: 8, kernel_size: 3, groups: 8 }], { out: [8, 8], weights: 8 * 3, macs: 8 * 8 * 3 }],
  ],
  MaxPool2d: [
    ['2x2', [6, 28, 28], [{ type: 'MaxPool2d', kernel_size: 2 }], { out: [6, 14, 14], weights: 0, macs: 0, activations: 6 * 14 * 14, ops: 6 * 14 * 14 * (2 * 2 - 1), thop: 0 }],
    ['3x3 stride 2 pad 1 (ResNet stem)', [64, 112, 112], [{ type: 'MaxPool2d', kernel_size: 3, stride: 2, padding: 1 }], { out: [64, Math.floor((112 + 2 - 3) / 2) + 1, 56] }],
    ['ceil mode', [1, 5, 5], [{ type: 'MaxPool2d', kernel_size: 2, stride: 2, ceil_mode: true }], { out: [1, Math.ceil((5 - 2) / 2) + 1, 3] }],
    ['floor mode', [1, 5, 5], [{ type: 'MaxPool2d', kernel_size: 2, stride: 2 }], { out: [1, Math.floor((5 - 2) / 2) + 1, 2] }],
    ['ceil mode drops a window starting in the padding', [1, 5, 5], [{ type: 'MaxPool2d', kernel_size: 2, stride: 2, padding: 1, ceil_mode: true }], { out: [1, Math.ceil((5 + 2 - 2) / 2) + 1 - 1, 3] }],
  ],
  MaxPool1d: [['3, stride 1', [4, 10], [{ type: 'MaxPool1d', kernel_size: 3, stride: 1 }], { out: [4, 10 - 3 + 1], ops: 4 * 8 * (3 - 1) }]],
  AvgPool2d: [['2x2', [16, 10, 10], [{ type: 'AvgPool2d', kernel_size: 2 }], { out: [16, 5, 5], ops: 16 * 5 * 5 * (2 * 2), thop: 16 * 5 * 5 * (2 * 2) + 16 * 5 * 5 }]],
  AvgPool1d: [['3, stride 1', [4, 10], [{ type: 'AvgPool1d', kernel_size: 3, stride: 1 }], { out: [4, 8] }]],
  AdaptiveAvgPool2d: [
    ['global', [512, 7, 7], [{ type: 'AdaptiveAvgPool2d', output_size: 1 }], { out: [512, 1, 1], activations: 512, thop: 512 * (7 * 7 + 1) }],
    ['to 2x2, None keeps', [8, 6, 6], [{ type: 'AdaptiveAvgPool2d', output_size: [2, null] }], { out: [8, 2, 6] }],
  ],
  AdaptiveAvgPool1d: [['to 5', [4, 20], [{ type: 'AdaptiveAvgPool1d', output_size: 5 }], { out: [4, 5], thop: 4 * 5 * (20 / 5 + 1) }]],
  BatchNorm2d: [
    ['affine', [64, 56, 56], [{ type: 'BatchNorm2d' }], { out: [64, 56, 56], weights: 0, normParams: 2 * 64, buffers: 2 * 64, macs: 0, activations: 64 * 56 * 56, thop: 4 * 64 * 56 * 56 }],
    ['no affine', [64, 8, 8], [{ type: 'BatchNorm2d', affine: false }], { normParams: 0, buffers: 2 * 64, thop: 2 * 64 * 8 * 8 }],
    ['no running stats', [64, 8, 8], [{ type: 'BatchNorm2d', track_running_stats: false }], { buffers: 0 }],
  ],
  BatchNorm1d: [['features', [100], [{ type: 'BatchNorm1d', num_features: 100 }], { normParams: 2 * 100, buffers: 2 * 100 }]],
  LayerNorm: [
    ['per token', [128, 768], [{ type: 'LayerNorm', normalized_shape: 768 }], { out: [128, 768], normParams: 2 * 768, thop: 4 * 128 * 768 }],
    ['inferred, no bias', [128, 768], [{ type: 'LayerNorm', bias: false }], { normParams: 768 }],
    ['over two dims', [4, 6, 8], [{ type: 'LayerNorm', normalized_shape: [6, 8] }], { normParams: 2 * 6 * 8 }],
  ],
  GroupNorm: [['8 groups', [32, 16, 16], [{ type: 'GroupNorm', num_groups: 8 }], { normParams: 2 * 32, buffers: 0, thop: 4 * 32 * 16 * 16 }]],
  Activations: [
    ...(['ReLU', 'ReLU6', 'Sigmoid', 'Tanh', 'GELU', 'SiLU', 'Hardswish'] as const).map(
      (type): Case => [type, [6, 28, 28], [{ type }], { out: [6, 28, 28], weights: 0, macs: 0, activations: 0, thop: 0 }],
    ),
    ['Softmax over 10', [10], [{ type: 'Softmax', dim: -1 }], { out: [10], activations: 0, thop: 1 * (3 * 10 - 1) }],
    ['Softmax over rows of 5', [4, 5], [{ type: 'Softmax', dim: 2 }], { thop: 4 * (3 * 5 - 1) }],
  ],
  Flatten: [
    ['all', [16, 5, 5], [{ type: 'Flatten' }], { out: [16 * 5 * 5], activations: 0 }],
    ['from dim 2', [16, 5, 5], [{ type: 'Flatten', start_dim: 2 }], { out: [16, 5 * 5] }],
  ],
  Select: [
    ['first token, x[:, 0]', [128, 768], [{ type: 'Select', dim: 1, index: 0 }], { out: [768], weights: 0, biases: 0, macs: 0, activations: 0, thop: 0 }],
    ['last token, negative index', [128, 768], [{ type: 'Select', dim: 1, index: -1 }], { out: [768] }],
    ['a channel of an image, dim -3', [3, 8, 8], [{ type: 'Select', dim: -3, index: 2 }], { out: [8, 8] }],
    ['ViT dropping its class token, x[:, 1:]', [197, 768], [{ type: 'Narrow', dim: 1, start: 1, length: 197 - 1 }], { out: [196, 768], weights: 0, biases: 0, macs: 0, activations: 0, thop: 0 }],
    ['the last 4 channels, negative start', [12, 8, 8], [{ type: 'Narrow', dim: -3, start: -4, length: 4 }], { out: [4, 8, 8] }],
    ['BERT pooler: select, Linear, Tanh', [128, 768], [{ type: 'Select', dim: 1, index: 0 }, { type: 'Linear', out_features: 768 }, { type: 'Tanh' }], { out: [768], weights: 0, macs: 0 }],
  ],
  Dropout: [['p 0.1', [128, 768], [{ type: 'Dropout', p: 0.1 }], { out: [128, 768], activations: 0 }]],
  ClassToken: [
    // torch.cat([class_token, x], dim=1): a new tensor of L + 1 tokens; class_token's E elements are parameters.
    ["ViT-B/16's class token", [14 * 14, 768], [{ type: 'ClassToken' }], { out: [14 * 14 + 1, 768], weights: 768, biases: 0, macs: 0, activations: (14 * 14 + 1) * 768, thop: 0 }],
    ['two learned tokens', [10, 64], [{ type: 'ClassToken', tokens: 2 }], { out: [2 + 10, 64], weights: 2 * 64 }],
  ],
  Embedding: [['BERT words', [128], [{ type: 'Embedding', num_embeddings: 28996, embedding_dim: 768 }], { out: [128, 768], weights: 28996 * 768, macs: 0, activations: 128 * 768, thop: 0 }]],
  MultiheadAttention: [
    // thop hooks BertSelfAttention's four Linears and not its torch.matmul calls.
    ['BERT-base layer', [128, 768], [{ type: 'MultiheadAttention', num_heads: 12, implementation: 'BertSelfAttention' }], {
      out: [128, 768],
      weights: 4 * 768 * 768,
      biases: 4 * 768,
      macs: 4 * 128 * 768 * 768 + 12 * 128 * 128 * (768 / 12) + 12 * 128 * 128 * (768 / 12),
      thop: 4 * 128 * 768 * 768,
    }],
    // PyTorch's nn.MultiheadAttention (the default): thop's count_multihead_attention counts it all, plus a softmax.
    ['nn.MultiheadAttention', [128, 768], [{ type: 'MultiheadAttention', num_heads: 12 }], {
      macs: 4 * 128 * 768 * 768 + 2 * 128 * 128 * 768,
      thop: 4 * 128 * 768 * 768 + 2 * 128 * 128 * 768 + 12 * 128 * (3 * 128 - 1),
    }],
    ['no bias', [10, 64], [{ type: 'MultiheadAttention', num_heads: 4, bias: false }], { biases: 0, macs: 4 * 10 * 64 * 64 + 2 * 10 * 10 * 64 }],
  ],
  Add: [['identity residual', [64, 56, 56], [{ type: 'Residual', layers: [{ type: 'Conv2d', out_channels: 64, kernel_size: 3, padding: 1 }] }], { out: [64, 56, 56], weights: 0, macs: 0, activations: 64 * 56 * 56 }]],
  Concat: [['two branches on channels', [16, 8, 8], [{ type: 'Parallel', join: 'concat', branches: [[{ type: 'Conv2d', out_channels: 64, kernel_size: 1 }], [{ type: 'Conv2d', out_channels: 32, kernel_size: 3, padding: 1 }]] }], { out: [64 + 32, 8, 8], activations: 96 * 8 * 8 }]],
};

describe.each(Object.entries(cases))('%s', (_kind, rows) => {
  it.each(rows)('%s', (_name, input, layers, expected) => {
    check(last(input, layers), expected);
  });
});

describe('MACs are what the recorded work says', () => {
  it.each(Object.values(cases).flat())('%s', (_name, input, layers) => {
    for (const r of analyze(defineModel({ name: 't', input, layers })).layers) {
      const dots = r.work.filter((w) => w.op === 'dot').reduce((acc, w) => acc + (w.op === 'dot' ? w.outputs.value * w.length.value : 0), 0);
      expect(dots).toBe(r.counts.macs.value);
    }
  });
});

describe('seed 001 operation counts', () => {
  const conv = { type: 'Conv2d', out_channels: 6, kernel_size: 5 };
  const report = (conventions = {}) => analyze(defineModel({ name: 't', input: [1, 32, 32], layers: [conv, { type: 'MaxPool2d', kernel_size: 2 }] }), { conventions });

  it.each([
    ['non-pipelined: 2 c h w per conv output', {}, 6 * 28 * 28 * (2 * 1 * 5 * 5) + 6 * 14 * 14 * (2 * 2 - 1)],
    ['fused multiply-add: c h w + 1', { operations: 'fused-multiply-add' }, 6 * 28 * 28 * (1 * 5 * 5 + 1) + 6 * 14 * 14 * (2 * 2 - 1)],
    ['without pooling', { poolingOps: false }, 6 * 28 * 28 * (2 * 1 * 5 * 5)],
  ] as const)('%s', (_name, conventions, expected) => {
    expect(report(conventions).totals.ops.value).toBe(expected);
  });

  it('a neuron with n inputs: 2n non-pipelined, n + 1 fused', () => {
    const layer = analyze(defineModel({ name: 'n', input: [7], layers: [{ type: 'Linear', out_features: 1 }] })).layers[0]!;
    expect(seedOps(layer.work, { operations: 'non-pipelined', poolingOps: true }).value).toBe(2 * 7);
    expect(seedOps(layer.work, { operations: 'fused-multiply-add', poolingOps: true }).value).toBe(7 + 1);
  });
});

describe('output-size derivations', () => {
  it('h_o = floor((h_i + 2p - k) / s) + 1, as a figure', () => {
    const r = last([3, 224, 224], [{ type: 'Conv2d', out_channels: 96, kernel_size: 11, stride: 4, padding: 2 }]);
    expect(r.outputSizes.map((f) => f.value)).toEqual([Math.floor((224 + 2 * 2 - 11) / 4) + 1, 55]);
    expect(r.outputSizes[0]!.symbol).toBe('h_o');
  });
});

describe('ClassToken', () => {
  it('needs tokens × embedding', () => {
    expect(() => analyze(defineModel({ name: 't', input: [3, 8, 8], layers: [{ type: 'ClassToken' }] }))).toThrow(/L×E/);
  });
});
