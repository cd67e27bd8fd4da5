/**
 * The ONNX importer: every PyTorch export in shared/onnx/ against PyTorch's own counts
 * (expected.json), and graphs built here with the protobuf library for the new layer kinds, the
 * patterns and the located errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, zooModel } from '../../src/engine/index.ts';
import { importOnnx } from '../../src/engine/onnx/index.ts';
import { onnxBytes, sharedOnnxDir, onnxErrorOf } from '../helpers/onnx.ts';

interface Expected {
  readonly torch_params: number;
  readonly torch_macs: number;
  readonly bn_running_stat_elements: number;
  readonly initializer_elements: number;
  readonly batchnorm: string;
  readonly opset: number;
}

const dir = sharedOnnxDir();
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, Expected>;
const load = (file: string) => importOnnx(readFileSync(join(dir, file)), { name: file.replace(/\.onnx$/, ''), file });

describe('PyTorch exports in shared/onnx/ (expected.json: PyTorch\'s own counts)', () => {
  it('covers every file of the folder', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(11);
  });

  it.each(Object.entries(expected))('%s: MACs equal PyTorch\'s', (file, e) => {
    expect(analyze(load(file).model).totals.macs.value).toBe(e.torch_macs);
  });

  it.each(Object.entries(expected))('%s: parameters and buffers equal the initializers, and the opset is read', (file, e) => {
    const imported = load(file);
    const t = analyze(imported.model).totals;
    expect(t.params.value + t.buffers.value).toBe(e.initializer_elements);
    expect(imported.initializerElements).toBe(e.initializer_elements);
    expect(imported.opset).toBe(e.opset);
  });

  const kept = Object.entries(expected).filter(([, e]) => e.batchnorm === 'kept');
  const folded = Object.entries(expected).filter(([, e]) => e.batchnorm.startsWith('folded'));
  const plain = Object.entries(expected).filter(([, e]) => e.batchnorm === 'none');

  it.each(kept)('%s (BatchNorm kept): parameters are PyTorch\'s; the running statistics are buffers', (file, e) => {
    const imported = load(file);
    const t = analyze(imported.model).totals;
    expect([t.params.value, t.buffers.value, imported.batchNorm]).toEqual([e.torch_params, e.bn_running_stat_elements, 'kept']);
  });

  it.each(folded)('%s (BatchNorm folded): the folded graph\'s parameters, PyTorch\'s minus the norms\' γ and β plus a bias per folded conv', (file, e) => {
    const imported = load(file);
    const t = analyze(imported.model).totals;
    // γ and β are as many as the running statistics (2 per channel); folding adds back one bias per channel.
    expect([t.params.value, t.buffers.value, imported.batchNorm]).toEqual([e.torch_params - e.bn_running_stat_elements / 2, 0, 'none']);
  });

  it.each(plain)('%s (no BatchNorm): parameters are PyTorch\'s', (file, e) => {
    expect(analyze(load(file).model).totals.params.value).toBe(e.torch_params);
  });

  it('stripped files count from dims alone: their initializers are external', () => {
    expect(load('resnet18.onnx').externalInitializers).toBeGreaterThan(0);
  });

  it('imports equal the zoo\'s definitions of the same networks', () => {
    for (const [file, id] of [['resnet18_bn.onnx', 'resnet18'], ['mobilenet_v2_bn.onnx', 'mobilenet-v2'], ['alexnet.onnx', 'alexnet'], ['bert_base_uncased.onnx', 'bert-base-uncased']] as const) {
      const a = analyze(load(file).model).totals;
      const z = analyze(defineModel(zooModel(id))).totals;
      expect([file, a.params.value, a.weights.value, a.biases.value]).toEqual([file, z.params.value, z.weights.value, z.biases.value]);
    }
  });

  it('names layers by the ONNX node names and recognizes BERT\'s decomposed LayerNorm and GELU', () => {
    const layers = load('bert_base_uncased.onnx').model.layers;
    const byId = new Map(layers.map((l) => [l.id, l]));
    expect(byId.get('/embeddings/LayerNorm')?.type).toBe('LayerNorm');
    expect(byId.get('/encoder/layer.0/intermediate/intermediate_act_fn')?.type).toBe('GELU');
    expect(byId.get('/encoder/layer.0/attention/self/query')?.type).toBe('Linear');
    expect(byId.get('/encoder/layer.0/attention/self/MatMul')?.type).toBe('MatMul');
    expect(layers.filter((l) => l.type === 'LayerNorm')).toHaveLength(25);
    expect(layers.filter((l) => l.type === 'MatMul')).toHaveLength(24);
  });

  it('the batch is an analysis option: MACs scale with it, parameters do not', () => {
    const m = load('lenet5.onnx').model;
    const one = analyze(m).totals;
    const eight = analyze(m, { batch: 8 }).totals;
    expect([eight.macs.value, eight.params.value]).toEqual([8 * one.macs.value, one.params.value]);
  });
});

// ---- graphs built here ----------------------------------------------------------------------------

const totals = (bytes: Uint8Array) => analyze(importOnnx(bytes, { name: 'net' }).model).totals;
const errorOf = onnxErrorOf;

describe('ONNX graphs of the new layer kinds', () => {
  it('squeeze-and-excitation: a broadcasting Mul of the features by a HardSigmoid gate', () => {
    const bytes = onnxBytes({
      inputs: { x: ['batch', 16, 8, 8] },
      output: 'y',
      weights: { w1: [8, 16, 1, 1], b1: [8], w2: [16, 8, 1, 1], b2: [16] },
      nodes: [
        { op: 'GlobalAveragePool', name: '/se/avgpool', inputs: ['x'], outputs: ['p'] },
        { op: 'Conv', name: '/se/fc1', inputs: ['p', 'w1', 'b1'], outputs: ['a'], attrs: { kernel_shape: [1, 1] } },
        { op: 'Relu', name: '/se/activation', inputs: ['a'], outputs: ['r'] },
        { op: 'Conv', name: '/se/fc2', inputs: ['r', 'w2', 'b2'], outputs: ['s'], attrs: { kernel_shape: [1, 1] } },
        { op: 'HardSigmoid', name: '/se/scale_activation', inputs: ['s'], outputs: ['g'], attrs: { alpha: { float: 1 / 6 } } },
        { op: 'Mul', name: '/se/Mul', inputs: ['g', 'x'], outputs: ['y'] },
      ],
    });
    const imported = importOnnx(bytes, { name: 'se' });
    expect(imported.batch).toBe('batch');
    expect(imported.model.outputShape).toEqual([16, 8, 8]);
    const t = analyze(imported.model).totals;
    expect([t.params.value, t.macs.value]).toEqual([16 * 8 + 8 + 8 * 16 + 16, 16 * 8 + 8 * 16]);
  });

  it('ConvTranspose, Resize, LeakyRelu, PRelu and HardSwish', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 16, 10, 10] },
      output: 'y',
      weights: { w: [16, 8, 4, 4], b: [8], slope: [8] },
      constants: { scales: { dims: [4], values: [1, 1, 2, 2] } },
      nodes: [
        { op: 'ConvTranspose', name: '/up/deconv', inputs: ['x', 'w', 'b'], outputs: ['d'], attrs: { kernel_shape: [4, 4], strides: [2, 2], pads: [1, 1, 1, 1] } },
        { op: 'LeakyRelu', name: '/up/leaky', inputs: ['d'], outputs: ['l'], attrs: { alpha: { float: 0.2 } } },
        { op: 'PRelu', name: '/up/prelu', inputs: ['l', 'slope'], outputs: ['p'] },
        { op: 'Resize', name: '/up/resize', inputs: ['p', '', 'scales'], outputs: ['u'], attrs: { mode: 'nearest' } },
        { op: 'HardSwish', name: '/up/hswish', inputs: ['u'], outputs: ['y'] },
      ],
    });
    const imported = importOnnx(bytes, { name: 'up' });
    // (10 − 1)·2 − 2·1 + (4 − 1) + 1 = 20, then ×2 by Resize.
    expect(imported.model.outputShape).toEqual([8, 40, 40]);
    expect(imported.model.layers.map((l) => l.type)).toEqual(['ConvTranspose2d', 'LeakyReLU', 'PReLU', 'Upsample', 'Hardswish']);
    const t = analyze(imported.model).totals;
    expect([t.params.value, t.macs.value]).toEqual([16 * 8 * 4 * 4 + 8 + 8, 10 * 10 * 16 * 8 * 4 * 4]);
  });

  it('TensorFlow\'s SAME convolution with a stride (uneven pads) is a ZeroPad2d and a Conv2d, as PyTorch ports write it', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 3, 8, 8] },
      output: 'y',
      weights: { w: [4, 3, 3, 3] },
      nodes: [{ op: 'Conv', name: '/conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] } }],
    });
    const m = importOnnx(bytes).model;
    expect(m.layers.map((l) => [l.id, l.type, l.outputShape])).toEqual([['/conv_pad', 'ZeroPad2d', [3, 9, 9]], ['/conv', 'Conv2d', [4, 4, 4]]]);
    const t = analyze(m).totals;
    expect([t.params.value, t.macs.value]).toEqual([4 * 3 * 3 * 3, 4 * 4 * 4 * 3 * 3 * 3]);
  });

  it('SiLU exported as Sigmoid and Mul is one SiLU layer', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 4, 6, 6] },
      output: 'y',
      nodes: [
        { op: 'Sigmoid', name: '/act/Sigmoid', inputs: ['x'], outputs: ['s'] },
        { op: 'Mul', name: '/act/Mul', inputs: ['x', 's'], outputs: ['y'] },
      ],
    });
    expect(importOnnx(bytes).model.layers.map((l) => [l.id, l.type])).toEqual([['/act', 'SiLU']]);
  });
});

describe('located errors', () => {
  const conv = (extra: Partial<Parameters<typeof onnxBytes>[0]> = {}) =>
    onnxBytes({ inputs: { x: [1, 3, 8, 8] }, output: 'y', weights: { w: [4, 3, 3, 3] }, nodes: [{ op: 'Conv', name: '/conv', inputs: ['x', 'w'], outputs: ['y'], attrs: { kernel_shape: [3, 3] } }], ...extra });

  it.each([
    [
      'an op it cannot count names the node, its op type and its inputs',
      onnxBytes({ inputs: { x: [1, 4, 4] }, output: 'y', nodes: [{ op: 'Einsum', name: '/attn/Einsum', inputs: ['x', 'x'], outputs: ['y'], attrs: { equation: 'bij,bjk->bik' } }] }),
      /^net\.onnx: net > \/attn\/Einsum: Einsum node \(inputs: x, x\): op type Einsum is not one the importer counts; supported: Conv, /,
    ],
    [
      'uneven padding on a pooling layer',
      onnxBytes({ inputs: { x: [1, 3, 8, 8] }, output: 'y', nodes: [{ op: 'MaxPool', name: '/pool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: [3, 3], strides: [2, 2], pads: [0, 0, 1, 1] } }] }),
      /net > \/pool: MaxPool node \(inputs: x\): pads 0, 0, 1, 1 differ before and after/,
    ],
    ['an opset out of range', conv({ opset: 9 }), /^net\.onnx: net: opset 9; the importer reads opsets 11 to 21/],
    ['a symbolic dimension beyond the batch', conv({ inputs: { x: ['N', 3, 'H', 8] } }), /input 'x' has a symbolic dimension 'H'/],
    ['a weight that is not an initializer', onnxBytes({ inputs: { x: [1, 3, 8, 8], w: [4, 3, 3, 3] }, output: 'y', nodes: [{ op: 'Conv', name: '/conv', inputs: ['x', 'w'], outputs: ['y'] }] }), /\/conv: Conv node \(inputs: x, w\): its weight 'w' is not an initializer/],
    ['a shape the engine refuses, in the engine\'s words', onnxBytes({ inputs: { x: [1, 3, 2, 2] }, output: 'y', weights: { w: [4, 3, 5, 5] }, nodes: [{ op: 'Conv', name: '/conv', inputs: ['x', 'w'], outputs: ['y'] }] }), /\/conv: Conv node \(inputs: x, w\): Conv2d: kernel 5 is larger than the padded input 2/],
  ])('%s', (_name, bytes, pattern) => {
    expect(errorOf(bytes)).toMatch(pattern);
  });

  it('bytes that are not ONNX', () => {
    expect(errorOf(new TextEncoder().encode('{"name": "not onnx"}'))).toMatch(/^net\.onnx: net: not an ONNX model/);
  });
});

describe('exports of the new layer kinds (test/fixtures/onnx/, made by export.py with PyTorch 1.13)', () => {
  const fixtures = join(import.meta.dirname, '../fixtures/onnx');
  const made = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<string, { torch_params: number; torch_macs: number; buffers: number; initializer_elements: number; batchnorm: string }>;
  const loadFixture = (file: string) => importOnnx(readFileSync(join(fixtures, file)), { name: file.replace(/\.onnx$/, ''), file });

  it.each(Object.entries(made))('%s: MACs are PyTorch\'s; parameters and buffers equal the initializers', (file, e) => {
    const t = analyze(loadFixture(file).model).totals;
    expect([t.macs.value, t.params.value + t.buffers.value]).toEqual([e.torch_macs, e.initializer_elements]);
    if (e.batchnorm === 'kept' || e.buffers === 0) expect([t.params.value, t.buffers.value]).toEqual([e.torch_params, e.buffers]);
    else expect(t.params.value).toBe(e.torch_params - e.buffers / 2);
  });

  it('a two-layer batch-first LSTM is two LSTM layers; a bidirectional GRU with a symbolic batch one GRU', () => {
    const lstm = loadFixture('kws_lstm.onnx').model.layers.filter((l) => l.type === 'LSTM');
    expect(lstm.map((l) => [l.inputShape, l.outputShape])).toEqual([[[49, 40], [49, 64]], [[49, 64], [49, 64]]]);
    const gru = loadFixture('gru_bidirectional.onnx');
    expect(gru.batch).toBe('batch');
    expect(gru.model.layers.filter((l) => l.type === 'GRU').map((l) => l.outputShape)).toEqual([[7, 2 * 20]]);
  });

  it('the decoder\'s ConvTranspose2d, PReLU, LeakyReLU, Upsample and (opset 13) Hardswish', () => {
    const types = loadFixture('decoder.onnx').model.layers.map((l) => l.type);
    expect(types).toEqual(['Conv2d', 'PReLU', 'ConvTranspose2d', 'LeakyReLU', 'Upsample', 'Conv2d', 'Hardswish']);
  });

  it('MobileNetV3-Small and EfficientNet-B0 exports count as the zoo\'s definitions', () => {
    for (const [file, id] of [['mobilenet_v3_small_bn.onnx', 'mobilenet-v3-small'], ['efficientnet_b0_bn.onnx', 'efficientnet-b0']] as const) {
      const a = analyze(loadFixture(file).model).totals;
      const z = analyze(defineModel(zooModel(id))).totals;
      expect([file, a.weights.value, a.biases.value, a.normParams.value, a.buffers.value, a.macs.value]).toEqual([file, z.weights.value, z.biases.value, z.normParams.value, z.buffers.value, z.macs.value]);
    }
  });
});
