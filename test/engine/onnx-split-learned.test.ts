/**
 * ONNX Split and Slice of activations (views: a Narrow per piece), and learned
 * tensors added or multiplied in (counted as parameters, as PyTorch counts an nn.Parameter).
 * Graphs built here with the protobuf library.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/index.ts';
import { importOnnx } from '../../src/engine/onnx/index.ts';
import { onnxBytes, type NodeSpec, onnxErrorOf } from '../helpers/onnx.ts';

const errorOf = onnxErrorOf;

/** x (12×5 per sample) split along axis 1 into q, k, v, then q + k + v: the sum's shape is a part's. */
const splitGraph = (split: Omit<NodeSpec, 'op' | 'inputs' | 'outputs'> & { inputs?: string[] }, opset: number, constants = {}) =>
  onnxBytes({
    inputs: { x: [1, 12, 5] },
    output: 'y',
    opset,
    constants,
    nodes: [
      { op: 'Split', name: '/split', inputs: split.inputs ?? ['x'], outputs: ['q', 'k', 'v'], attrs: split.attrs },
      { op: 'Add', name: '/add1', inputs: ['q', 'k'], outputs: ['qk'] },
      { op: 'Add', name: '/add2', inputs: ['qk', 'v'], outputs: ['y'] },
    ],
  });

describe('Split', () => {
  it.each([
    ['opset 11, split attribute', splitGraph({ attrs: { axis: 1, split: [4, 4, 4] } }, 11)],
    ['opset 13, split input', splitGraph({ inputs: ['x', 'sizes'], attrs: { axis: 1 } }, 13, { sizes: { dims: [3], values: [4, 4, 4] } })],
    ['opset 13, equal parts by default', splitGraph({ attrs: { axis: -2 } }, 13)],
    ['opset 18, num_outputs', splitGraph({ attrs: { axis: 1, num_outputs: 3 } }, 18)],
  ])('%s: three views of 4×5, a Narrow each', (_name, bytes) => {
    const m = importOnnx(bytes, { name: 'split' }).model;
    expect(m.layers.map((l) => [l.id, l.type, l.outputShape])).toEqual([
      ['/split_0', 'Narrow', [4, 5]],
      ['/split_1', 'Narrow', [4, 5]],
      ['/split_2', 'Narrow', [4, 5]],
      ['/add1', 'Add', [4, 5]],
      ['/add2', 'Add', [4, 5]],
    ]);
    expect(m.layers.filter((l) => l.type === 'Narrow').map((l) => l.args)).toEqual([0, 4, 8].map((start) => ({ dim: 1, start, length: 4 })));
    const t = analyze(m).totals;
    expect([t.params.value, t.macs.value]).toEqual([0, 0]);
  });

  it('an attention block\'s fused QKV projection split along the last axis: the projection counts, the split is free', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 6, 8] },
      output: 'y',
      opset: 13,
      weights: { w: [8, 3 * 8], b: [3 * 8] },
      constants: { sizes: { dims: [3], values: [8, 8, 8] } },
      nodes: [
        { op: 'MatMul', name: '/attn/qkv/MatMul', inputs: ['x', 'w'], outputs: ['p'] },
        { op: 'Add', name: '/attn/qkv/Add', inputs: ['p', 'b'], outputs: ['qkv'] },
        { op: 'Split', name: '/attn/Split', inputs: ['qkv', 'sizes'], outputs: ['q', 'k', 'v'], attrs: { axis: -1 } },
        { op: 'Add', name: '/attn/add1', inputs: ['q', 'k'], outputs: ['qk'] },
        { op: 'Mul', name: '/attn/mul', inputs: ['qk', 'v'], outputs: ['y'] },
      ],
    });
    const m = importOnnx(bytes).model;
    expect(m.outputShape).toEqual([6, 8]);
    const t = analyze(m).totals;
    expect([t.params.value, t.macs.value]).toEqual([8 * 24 + 24, 6 * 8 * 24]);
  });

  it('opset 18 num_outputs that does not divide: parts of ⌈10/3⌉ = 4, 4 and a last of 10 − 2·4 = 2', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 10] },
      output: 'c',
      opset: 18,
      nodes: [{ op: 'Split', name: '/split', inputs: ['x'], outputs: ['a', 'b', 'c'], attrs: { axis: 1, num_outputs: 3 } }],
    });
    const m = importOnnx(bytes).model;
    expect(m.layers.map((l) => [l.type, l.args, l.outputShape])).toEqual([
      ['Narrow', { dim: 1, start: 0, length: 4 }, [4]],
      ['Narrow', { dim: 1, start: 4, length: 4 }, [4]],
      ['Narrow', { dim: 1, start: 8, length: 10 - 2 * 4 }, [2]],
    ]);
  });

  it.each([
    ['sizes that do not add up', { axis: 1, split: [4, 4, 5] }, /split sizes 4 \+ 4 \+ 5 = 13, but the axis has size 12/],
    ['a split of the batch (ONNX\'s default axis 0)', { split: [1, 1, 1] }, /axis 0 is the batch dimension/],
  ])('%s is a located error', (_name, attrs, pattern) => {
    expect(errorOf(splitGraph({ attrs }, 11))).toMatch(pattern);
  });

  it('unequal parts (2, 4, 6 of 12) are a view each, and concatenate back to 12×5', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 12, 5] },
      output: 'y',
      opset: 11,
      nodes: [
        { op: 'Split', name: '/split', inputs: ['x'], outputs: ['q', 'k', 'v'], attrs: { axis: 1, split: [2, 4, 6] } },
        { op: 'Concat', name: '/cat', inputs: ['q', 'k', 'v'], outputs: ['y'], attrs: { axis: 1 } },
      ],
    });
    const m = importOnnx(bytes).model;
    expect(m.outputShape).toEqual([2 + 4 + 6, 5]);
    expect(m.layers.map((l) => [l.type, l.outputShape])).toEqual([['Narrow', [2, 5]], ['Narrow', [4, 5]], ['Narrow', [6, 5]], ['Concat', [12, 5]]]);
    expect(analyze(m).totals.activations.value).toBe(12 * 5); // the concatenation's; the views hold none
  });
});

describe('Slice of an activation', () => {
  const sliceGraph = (starts: number[], ends: number[], axes: number[], steps?: number[]) =>
    onnxBytes({
      inputs: { x: [1, 12, 5] },
      output: 'y',
      constants: { starts: { dims: [starts.length], values: starts }, ends: { dims: [ends.length], values: ends }, axes: { dims: [axes.length], values: axes }, ...(steps ? { steps: { dims: [steps.length], values: steps } } : {}) },
      nodes: [{ op: 'Slice', name: '/slice', inputs: ['x', 'starts', 'ends', 'axes', ...(steps ? ['steps'] : [])], outputs: ['y'] }],
    });

  it('x[:, 4:8] is a Narrow of 4 from 4', () => {
    const m = importOnnx(sliceGraph([4], [8], [1])).model;
    expect(m.layers.map((l) => [l.type, l.args, l.outputShape])).toEqual([['Narrow', { dim: 1, start: 4, length: 8 - 4 }, [4, 5]]]);
    expect(m.outputShape).toEqual([4, 5]);
  });

  it('x[:, -4:] (end past the axis, as exporters write INT64_MAX) is the last 4', () => {
    const m = importOnnx(sliceGraph([-4], [2 ** 53], [1])).model;
    expect(m.layers.map((l) => l.args)).toEqual([{ dim: 1, start: 12 - 4, length: 4 }]);
  });

  it('x[:, 1:] (a ViT dropping its class token) keeps 12 − 1 tokens, and costs nothing', () => {
    const m = importOnnx(sliceGraph([1], [2 ** 53], [1])).model;
    expect(m.layers.map((l) => [l.type, l.args, l.outputShape])).toEqual([['Narrow', { dim: 1, start: 1, length: 12 - 1 }, [11, 5]]]);
    const t = analyze(m).totals;
    expect([t.params.value, t.macs.value]).toEqual([0, 0]);
  });

  it.each([
    ['an empty slice x[:, 5:5]', [5], [5], [1], undefined, /the piece \[5, 5\) is outside axis 1 of size 12/],
    ['a step of 2', [0], [12], [1], [2], /a slice with step 2/],
  ])('%s: a located error', (_name, starts, ends, axes, steps, pattern) => {
    expect(errorOf(sliceGraph(starts, ends, axes, steps))).toMatch(pattern);
  });
});

describe('learned tensors added or multiplied in', () => {
  it('ViT\'s position embedding, a bias added after a MatMul and a learned scale: their elements are parameters', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 4, 8] },
      output: 'y',
      weights: { pos_embed: [1, 4, 8], w: [8, 16], b: [16], gamma: [16] },
      nodes: [
        { op: 'Add', name: '/pos', inputs: ['x', 'pos_embed'], outputs: ['e'] },
        { op: 'Relu', name: '/act', inputs: ['e'], outputs: ['r'] },
        { op: 'MatMul', name: '/fc/MatMul', inputs: ['r', 'w'], outputs: ['h'] },
        { op: 'Add', name: '/fc/Add', inputs: ['h', 'b'], outputs: ['hb'] },
        { op: 'Mul', name: '/ls', inputs: ['gamma', 'hb'], outputs: ['y'] },
      ],
    });
    const m = importOnnx(bytes).model;
    expect(m.layers.map((l) => [l.id, l.type, l.outputShape])).toEqual([
      ['/pos', 'Elementwise', [4, 8]],
      ['/act', 'ReLU', [4, 8]],
      ['/fc', 'Linear', [4, 16]],
      ['/ls', 'Elementwise', [4, 16]],
    ]);
    const r = analyze(m);
    const byId = new Map(r.layers.map((l) => [l.layer.id, l]));
    // The position embedding's 4·8 and the bias's 16 are biases (added); the scale's 16 weights (multiplied).
    expect([byId.get('/pos')!.biases.value, byId.get('/pos')!.weights.value, byId.get('/ls')!.weights.value]).toEqual([4 * 8, 0, 16]);
    expect([r.totals.params.value, r.totals.weights.value, r.totals.biases.value, r.totals.macs.value]).toEqual([4 * 8 + 8 * 16 + 16 + 16, 8 * 16 + 16, 4 * 8 + 16, 4 * 8 * 16]);
  });

  it('a bias added after a MatMul of two activations (not a Linear) is counted on the add', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 4, 8] },
      output: 'y',
      weights: { b: [4, 4] },
      nodes: [
        { op: 'Transpose', name: '/t', inputs: ['x'], outputs: ['xt'], attrs: { perm: [0, 2, 1] } },
        { op: 'MatMul', name: '/scores', inputs: ['x', 'xt'], outputs: ['s'] },
        { op: 'Add', name: '/rel_bias', inputs: ['s', 'b'], outputs: ['y'] },
      ],
    });
    const r = analyze(importOnnx(bytes).model);
    expect([r.totals.params.value, r.totals.macs.value]).toEqual([4 * 4, 4 * 4 * 8]);
  });

  it('a learned tensor that does not broadcast to the activation is a located error', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 4, 8] },
      output: 'y',
      weights: { pos_embed: [1, 5, 8] },
      nodes: [{ op: 'Add', name: '/pos', inputs: ['x', 'pos_embed'], outputs: ['y'] }],
    });
    expect(errorOf(bytes)).toMatch(/^net\.onnx: net > \/pos: Add node \(inputs: x, pos_embed\): Elementwise: the learned operand 5×8 does not broadcast to the input 4×8/);
  });

  it('a scalar initializer stays a constant: no parameter', () => {
    const bytes = onnxBytes({
      inputs: { x: [1, 4] },
      output: 'y',
      constants: { half: { dims: [], values: [0.5] } },
      nodes: [{ op: 'Mul', name: '/half', inputs: ['x', 'half'], outputs: ['y'] }],
    });
    expect(analyze(importOnnx(bytes).model).totals.params.value).toBe(0);
  });
});
