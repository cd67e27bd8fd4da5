/**
 * The layer kinds of issue 14 against PyTorch's formulas: each row's expected counts are the
 * arithmetic of `sum(p.numel() for p in m.parameters())` for the module PyTorch builds with those
 * arguments (weight shapes as torch.nn documents them), and MACs as torch.utils.flop_counter
 * counts them. Builder and JSON give the same definitions.
 */
import { describe, expect, it } from 'vitest';
import * as b from '../../src/engine/model/builder.ts';
import { analyze, defineModel, type LayerDef, type LayerReport } from '../../src/engine/index.ts';

interface Expected {
  out: number[];
  weights: number;
  biases: number;
  macs: number;
}

function last(input: number[], layers: LayerDef[]): LayerReport {
  const report = analyze(defineModel({ name: 't', input, layers }));
  return report.layers[report.layers.length - 1]!;
}

type Case = [string, number[], LayerDef, Expected];

const cases: Case[] = [
  // nn.ConvTranspose2d(16, 33, 3, stride=2): weight 16×33×3×3, bias 33; H_out = (H − 1)·2 + 3.
  ['ConvTranspose2d(16, 33, 3, stride=2)', [16, 50, 100], { type: 'ConvTranspose2d', out_channels: 33, kernel_size: 3, stride: 2 },
    { out: [33, (50 - 1) * 2 + 3, (100 - 1) * 2 + 3], weights: 16 * 33 * 3 * 3, biases: 33, macs: 50 * 100 * 16 * 33 * 3 * 3 }],
  // torch.nn docs: ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2)) on 50×100.
  ['ConvTranspose2d(16, 33, (3, 5), stride=(2, 1), padding=(4, 2))', [16, 50, 100], { type: 'ConvTranspose2d', out_channels: 33, kernel_size: [3, 5], stride: [2, 1], padding: [4, 2] },
    { out: [33, (50 - 1) * 2 - 2 * 4 + (3 - 1) + 1, (100 - 1) * 1 - 2 * 2 + (5 - 1) + 1], weights: 16 * 33 * 3 * 5, biases: 33, macs: 50 * 100 * 16 * 33 * 3 * 5 }],
  ['ConvTranspose2d output_padding', [8, 7, 7], { type: 'ConvTranspose2d', out_channels: 4, kernel_size: 3, stride: 2, padding: 1, output_padding: 1, bias: false },
    { out: [4, (7 - 1) * 2 - 2 + 2 + 1 + 1, 14], weights: 8 * 4 * 3 * 3, biases: 0, macs: 7 * 7 * 8 * 4 * 3 * 3 }],
  // Grouped: weight c_i × (c_o / g) × k.
  ['ConvTranspose1d(8, 12, 4, stride=2, groups=4)', [8, 20], { type: 'ConvTranspose1d', out_channels: 12, kernel_size: 4, stride: 2, groups: 4 },
    { out: [12, (20 - 1) * 2 + 4], weights: 8 * (12 / 4) * 4, biases: 12, macs: 20 * 8 * (12 / 4) * 4 }],
  // nn.LSTM(10, 20): weight_ih 80×10, weight_hh 80×20, bias_ih 80, bias_hh 80.
  ['LSTM(10, 20)', [5, 10], { type: 'LSTM', hidden_size: 20 }, { out: [5, 20], weights: 4 * 20 * 10 + 4 * 20 * 20, biases: 2 * 4 * 20, macs: 5 * (4 * 20 * 10 + 4 * 20 * 20) }],
  // nn.LSTM(10, 20, 2): 5,920 parameters; layer 1 reads 20 features.
  ['LSTM(10, 20, num_layers=2)', [5, 10], { type: 'LSTM', hidden_size: 20, num_layers: 2 },
    { out: [5, 20], weights: 4 * 20 * (10 + 20) + 4 * 20 * (20 + 20), biases: 2 * 2 * 4 * 20, macs: 5 * (4 * 20 * (10 + 20) + 4 * 20 * (20 + 20)) }],
  ['LSTM(10, 20, bidirectional=True)', [7, 10], { type: 'LSTM', hidden_size: 20, bidirectional: true },
    { out: [7, 40], weights: 2 * 4 * 20 * (10 + 20), biases: 2 * 2 * 4 * 20, macs: 7 * 2 * 4 * 20 * (10 + 20) }],
  // nn.GRU(40, 64): keyword spotting's recurrent layer; 3 gates.
  ['GRU(40, 64)', [49, 40], { type: 'GRU', hidden_size: 64 }, { out: [49, 64], weights: 3 * 64 * (40 + 64), biases: 2 * 3 * 64, macs: 49 * 3 * 64 * (40 + 64) }],
  // nn.GRU(10, 20, 3, bidirectional=True): later layers read 2 · 20 features.
  ['GRU(10, 20, num_layers=3, bidirectional=True)', [4, 10], { type: 'GRU', hidden_size: 20, num_layers: 3, bidirectional: true },
    { out: [4, 40], weights: 2 * 3 * 20 * (10 + 20) + 2 * 2 * 3 * 20 * (40 + 20), biases: 3 * 2 * 2 * 3 * 20, macs: 4 * (2 * 3 * 20 * (10 + 20) + 2 * 2 * 3 * 20 * (40 + 20)) }],
  // nn.PReLU() has one slope; nn.PReLU(64) one per channel.
  ['PReLU()', [64, 8, 8], { type: 'PReLU' }, { out: [64, 8, 8], weights: 1, biases: 0, macs: 0 }],
  ['PReLU(64)', [64, 8, 8], { type: 'PReLU', num_parameters: 64 }, { out: [64, 8, 8], weights: 64, biases: 0, macs: 0 }],
  ['Upsample(scale_factor=2)', [3, 8, 8], { type: 'Upsample', scale_factor: 2 }, { out: [3, 16, 16], weights: 0, biases: 0, macs: 0 }],
  ['Upsample(size=(20, 30), bilinear)', [3, 8, 8], { type: 'Upsample', size: [20, 30], mode: 'bilinear' }, { out: [3, 20, 30], weights: 0, biases: 0, macs: 0 }],
  ['Upsample(scale_factor=1.5, linear) on a sequence', [2, 9], { type: 'Upsample', scale_factor: 1.5, mode: 'linear' }, { out: [2, Math.floor(9 * 1.5)], weights: 0, biases: 0, macs: 0 }],
  // nn.ZeroPad2d((left, right, top, bottom)).
  ['ZeroPad2d((0, 1, 0, 1))', [3, 8, 8], { type: 'ZeroPad2d', padding: [0, 1, 0, 1] }, { out: [3, 8 + 1, 8 + 1], weights: 0, biases: 0, macs: 0 }],
  ['ZeroPad2d(2)', [3, 8, 8], { type: 'ZeroPad2d', padding: 2 }, { out: [3, 8 + 4, 8 + 4], weights: 0, biases: 0, macs: 0 }],
  ['Hardsigmoid', [16, 1, 1], { type: 'Hardsigmoid' }, { out: [16, 1, 1], weights: 0, biases: 0, macs: 0 }],
  ['LeakyReLU(0.2)', [16, 4, 4], { type: 'LeakyReLU', negative_slope: 0.2 }, { out: [16, 4, 4], weights: 0, biases: 0, macs: 0 }],
  ['Identity', [10], { type: 'Identity' }, { out: [10], weights: 0, biases: 0, macs: 0 }],
  ['StochasticDepth(0.2, row)', [16, 4, 4], { type: 'StochasticDepth', p: 0.2 }, { out: [16, 4, 4], weights: 0, biases: 0, macs: 0 }],
];

describe('new layer kinds, as PyTorch counts them', () => {
  it.each(cases)('%s', (_name, input, layer, e) => {
    const r = last(input, [layer]);
    expect([r.layer.outputShape, r.weights.value, r.biases.value, r.macs.value]).toEqual([e.out, e.weights, e.biases, e.macs]);
  });

  it('activations and identities run in place: no activation memory', () => {
    for (const type of ['Hardsigmoid', 'LeakyReLU', 'Identity']) expect(last([4, 4], [{ type }]).activations.value).toBe(0);
    expect(last([4, 4], [{ type: 'StochasticDepth', p: 0.1 }]).activations.value).toBe(0);
  });
});

describe('squeeze-and-excitation: a Residual with join "mul"', () => {
  const se = b.residual(
    [b.named('avgpool', b.adaptiveAvgPool2d(1)), b.named('fc1', b.conv2d(16, 1)), b.named('activation', b.relu()), b.named('fc2', b.conv2d(64, 1)), b.named('scale_activation', b.hardsigmoid())],
    { join: 'mul', name: 'se' },
  );

  it('scales C×H×W by C×1×1: the product broadcasts; SE costs its two 1×1 convs', () => {
    const report = analyze(defineModel({ name: 't', input: [64, 14, 14], layers: [se] }));
    const mul = report.layers.find((l) => l.layer.id === 'se.mul')!;
    expect(mul.layer.type).toBe('Mul');
    expect(mul.layer.inputShapes).toEqual([[64, 1, 1], [64, 14, 14]]);
    expect(mul.layer.outputShape).toEqual([64, 14, 14]);
    expect([report.totals.params.value, report.totals.macs.value]).toEqual([64 * 16 + 16 + 16 * 64 + 64, 64 * 16 + 16 * 64]);
  });

  it('a Parallel block joins by "mul" too, and an Add broadcasts', () => {
    const m = defineModel({ name: 't', input: [8, 4, 4], layers: [b.parallel([[b.adaptiveAvgPool2d(1)], [b.identity()]], 'add')] });
    expect(m.outputShape).toEqual([8, 4, 4]);
    const p = defineModel({ name: 't', input: [8, 4, 4], layers: [b.parallel([[b.adaptiveAvgPool2d(1), b.sigmoid()], [b.identity()]], 'mul')] });
    expect(p.layers.at(-1)!.id).toBe('0.mul');
  });

  it('shapes that do not broadcast are refused, naming both', () => {
    expect(() => defineModel({ name: 't', input: [8, 4, 4], layers: [b.residual([b.conv2d(16, 1)], { join: 'mul' })] })).toThrow(/Mul needs inputs of one shape, got 16×4×4, 8×4×4/);
  });
});

describe('the builder writes the JSON form', () => {
  it.each([
    [b.convTranspose2d(33, 3, { stride: 2 }), { type: 'ConvTranspose2d', out_channels: 33, kernel_size: 3, stride: 2 }],
    [b.lstm(20, { num_layers: 2 }), { type: 'LSTM', hidden_size: 20, num_layers: 2 }],
    [b.gru(64), { type: 'GRU', hidden_size: 64 }],
    [b.prelu(64), { type: 'PReLU', num_parameters: 64 }],
    [b.leakyReLU(0.2), { type: 'LeakyReLU', negative_slope: 0.2 }],
    [b.upsample({ scale_factor: 2, mode: 'bilinear' }), { type: 'Upsample', scale_factor: 2, mode: 'bilinear' }],
    [b.stochasticDepth(0.1), { type: 'StochasticDepth', p: 0.1, mode: 'row' }],
    [b.hardsigmoid(), { type: 'Hardsigmoid' }],
    [b.identity(), { type: 'Identity' }],
    [b.zeroPad2d([0, 1, 0, 1]), { type: 'ZeroPad2d', padding: [0, 1, 0, 1] }],
  ])('%j', (built, json) => {
    expect(built).toEqual(json);
  });
});
