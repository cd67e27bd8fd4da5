/**
 * Whole networks: block naming (PyTorch's dotted paths), the block tree, JSON and builder giving
 * the same model, and the graph metrics (peak live memory keeps residual inputs alive).
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  conv2d,
  defineModel,
  batchNorm2d,
  flatten,
  linear,
  maxPool2d,
  model,
  named,
  parallel,
  relu,
  repeat,
  residual,
  sequential,
  zooEntry,
  type ModelDef,
} from '../../src/engine/index.ts';

const lenetJson: ModelDef = JSON.parse(`{
  "name": "lenet5", "input": [1, 32, 32],
  "layers": [
    {"type": "Conv2d", "out_channels": 6, "kernel_size": 5, "stride": 1, "padding": 0, "groups": 1, "bias": true},
    {"type": "ReLU"}, {"type": "MaxPool2d", "kernel_size": 2},
    {"type": "Conv2d", "out_channels": 16, "kernel_size": 5},
    {"type": "ReLU"}, {"type": "MaxPool2d", "kernel_size": 2},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": 120}, {"type": "ReLU"},
    {"type": "Linear", "out_features": 84}, {"type": "ReLU"},
    {"type": "Linear", "out_features": 10}
  ]
}`);

const lenetBuilt = sequential('lenet5', [1, 32, 32], [
  conv2d(6, 5, { stride: 1, padding: 0, groups: 1, bias: true }), relu(), maxPool2d(2),
  conv2d(16, 5), relu(), maxPool2d(2),
  flatten(),
  linear(120), relu(), linear(84), relu(), linear(10),
]);

describe('JSON and builder', () => {
  it('give the same definition and the same model', () => {
    expect(lenetBuilt).toEqual(lenetJson);
    const a = analyze(defineModel(lenetJson));
    const b = analyze(defineModel(lenetBuilt));
    expect(b.totals.params.value).toBe(a.totals.params.value);
    expect(b.layers.map((r) => [r.layer.id, r.layer.outputShape])).toEqual(a.layers.map((r) => [r.layer.id, r.layer.outputShape]));
  });

  it('unnamed layers are numbered as nn.Sequential numbers them', () => {
    expect(defineModel(lenetJson).layers.map((l) => l.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
  });
});

/** A small ResNet stage: block 0 projects (stride 2), blocks 1 and 2 are identities. */
const block = (stride: number, project: boolean) =>
  residual([named('conv1', conv2d(8, 3, { stride, padding: 1, bias: false })), named('bn1', batchNorm2d()), named('relu', relu()), named('conv2', conv2d(8, 3, { padding: 1, bias: false }))], {
    ...(project ? { shortcut: [conv2d(8, 1, { stride, bias: false })] } : {}),
    shortcut_name: 'downsample',
    after: [named('relu2', relu())],
  });
const stage = model('tiny-resnet', [4, 8, 8], [sequential('layer2', [block(2, true), repeat(2, [block(1, false)])])]);

describe('Residual and Repeat', () => {
  const m = defineModel(stage);

  it('name layers with PyTorch dotted paths, in execution order', () => {
    expect(m.layers.map((l) => l.id)).toEqual([
      'layer2.0.conv1', 'layer2.0.bn1', 'layer2.0.relu', 'layer2.0.conv2', 'layer2.0.downsample.0', 'layer2.0.add', 'layer2.0.relu2',
      'layer2.1.conv1', 'layer2.1.bn1', 'layer2.1.relu', 'layer2.1.conv2', 'layer2.1.add', 'layer2.1.relu2',
      'layer2.2.conv1', 'layer2.2.bn1', 'layer2.2.relu', 'layer2.2.conv2', 'layer2.2.add', 'layer2.2.relu2',
    ]);
  });

  it('the Add joins the body and the shortcut', () => {
    const add0 = m.layers.find((l) => l.id === 'layer2.0.add')!;
    expect(add0.inputShapes).toEqual([[8, 4, 4], [8, 4, 4]]);
    const add1 = m.layers.find((l) => l.id === 'layer2.1.add')!;
    // identity shortcut: the block's input is the previous block's output
    expect(add1.inputs[1]).toBe(m.layers.find((l) => l.id === 'layer2.0.relu2')!.output);
  });

  it('the block tree keeps the structure', () => {
    const layer2 = m.tree.kind === 'Sequential' ? m.tree.children[0]! : undefined;
    expect(layer2?.kind).toBe('Sequential');
    const blocks = layer2?.kind === 'Sequential' ? layer2.children : [];
    expect(blocks.map((b) => [b.kind, b.name])).toEqual([['Residual', '0'], ['Residual', '1'], ['Residual', '2']]);
    const first = blocks[0]!;
    expect(first.kind === 'Residual' && first.shortcut.map((n) => n.path.join('.'))).toEqual(['layer2.0.downsample.0']);
  });

  it('peak live memory keeps the residual input alive across the body', () => {
    const r = analyze(defineModel(model('one-block', [8, 4, 4], [block(1, false)])));
    const x = 8 * 4 * 4;
    // conv1 runs while x is kept for the add: x, conv1's output; conv2 the same, plus bn1's output.
    expect(r.totals.peakLiveActivations.value).toBe(x + x + x);
    expect(r.totals.peakActivations.value).toBe(x + x + x); // the add reads two inputs and writes one
    expect(r.liveActivations[0]).toBe(x + x);
  });

  it('Repeat numbering can start later, and named Repeat is a namespace', () => {
    const named = defineModel(model('r', [4], [repeat(2, [linear(4), relu()], { name: 'blocks' })]));
    expect(named.layers.map((l) => l.id)).toEqual(['blocks.0.0', 'blocks.0.1', 'blocks.1.0', 'blocks.1.1']);
    const later = defineModel(model('r', [4], [linear(4), repeat(2, [linear(4)]), linear(2)]));
    expect(later.layers.map((l) => l.id)).toEqual(['0', '1', '2', '3']);
  });
});

describe('Parallel', () => {
  const inception = model('inception', [16, 8, 8], [
    parallel(
      [
        [named('branch1x1', conv2d(8, 1))],
        [conv2d(4, 1), conv2d(8, 3, { padding: 1 })],
        [maxPool2d(3, 1, { padding: 1 }), conv2d(4, 1)],
      ],
      'concat',
      { name: 'mixed' },
    ),
  ]);

  it('concatenates branches on channels; branch layers live in numbered branch namespaces', () => {
    const m = defineModel(inception);
    expect(m.outputShape).toEqual([8 + 8 + 4, 8, 8]);
    expect(m.layers.map((l) => l.id)).toEqual(['mixed.0.branch1x1', 'mixed.1.0', 'mixed.1.1', 'mixed.2.0', 'mixed.2.1', 'mixed.cat']);
  });

  it('every branch reads the block input, which stays alive until the last branch', () => {
    const r = analyze(defineModel(inception));
    const x = 16 * 8 * 8;
    // at the join: x is dead (the last branch read it); the three branch outputs and the concat are live
    expect(r.liveActivations[r.liveActivations.length - 1]).toBe(8 * 64 + 8 * 64 + 4 * 64 + 20 * 64);
    // while the third branch pools: x, branch 1's and 2's outputs, and the pool's output
    expect(r.liveActivations[3]).toBe(x + 8 * 64 + 8 * 64 + 16 * 64);
  });
});

describe('BERT: the transformer encoder as blocks', () => {
  const m = defineModel(zooEntry('bert-base-cased-qa')!.def);
  it('has Hugging Face-like paths', () => {
    const ids = m.layers.map((l) => l.id);
    expect(ids.slice(0, 6)).toEqual([
      'embeddings.word_embeddings', 'embeddings.position_embeddings', 'embeddings.token_type_embeddings',
      'embeddings.add', 'embeddings.LayerNorm', 'embeddings.dropout',
    ]);
    expect(ids).toContain('encoder.layer.11.output.LayerNorm');
    expect(ids[ids.length - 1]).toBe('qa_outputs');
    expect(m.layers.filter((l) => l.type === 'LayerNorm')).toHaveLength(1 + 2 * 12);
  });
});
