/**
 * The answer mechanism (src/workbook/answers.ts): every REFERENCE.md figure the problems ask for,
 * through `answerFigure` with the props a problem page passes, and the errors for bad props.
 */
import { describe, expect, it } from 'vitest';
import { answerFigure, answerVerdict, solve, type ProblemContext } from '../../src/workbook/answers.ts';
import { resolveModel } from '../../src/workbook/models.ts';
import { solveTable } from '../../src/workbook/tables.ts';
import type { Given, ProblemModel } from '../../src/workbook/problem.ts';
import { BUILT_IN_HARDWARE, BUILT_IN_MODELS } from '../../src/workbook/builtins.ts';

const contexts = new Map<string, ProblemContext>();
function ctxOf(model: ProblemModel, given: Given = {}): ProblemContext {
  const key = JSON.stringify([model, given]);
  if (!contexts.has(key)) contexts.set(key, solve(resolveModel(model, BUILT_IN_MODELS), given, undefined, { hardwareProfiles: BUILT_IN_HARDWARE }));
  return contexts.get(key)!;
}
const value = (model: ProblemModel, given: Given, name: string, props: Record<string, unknown> = {}) =>
  answerFigure(ctxOf(model, given), name, 'test', props).value;

const resnet18: ProblemModel = 'resnet18';
const lectures: Given = { profile: 'lectures' };

describe('REFERENCE.md figures through the answer mechanism', () => {
  it.each([
    // seed 001: LeNet-5
    ['lenet5', {}, 'activations', {}, 6 * 28 * 28 + 6 * 14 * 14 + 16 * 10 * 10 + 16 * 5 * 5 + 120 + 84 + 10],
    ['lenet5', {}, 'params', { layer: 'conv1' }, 6 * 1 * 5 * 5 + 6],
    ['lenet5', {}, 'params', { layer: 'conv2' }, 16 * 6 * 5 * 5 + 16],
    ['lenet5', {}, 'params', { layer: 'fc1' }, 400 * 120 + 120],
    ['lenet5', {}, 'params', { layer: 'fc2' }, 120 * 84 + 84],
    ['lenet5', {}, 'params', { layer: 'fc3' }, 84 * 10 + 10],
    ['lenet5', {}, 'params', {}, 61_706],
    ['lenet5', {}, 'totalSpace', {}, 8_094 + 61_706],
    ['lenet5', { paramBits: 32 }, 'totalSpaceBytes', {}, (8_094 + 61_706) * 4],
    ['lenet5', {}, 'macs', {}, 416_520],
    // seed 001's operation counts: 2n or n + 1 per output, h w − 1 per max-pool output
    ['lenet5', {}, 'ops', { layer: 'conv1' }, 6 * 28 * 28 * (2 * 1 * 5 * 5)],
    ['lenet5', {}, 'ops', { layer: 'conv1', profile: 'seed001-fma' }, 6 * 28 * 28 * (1 * 5 * 5 + 1)],
    ['lenet5', {}, 'ops', { layer: 'pool1' }, 6 * 14 * 14 * (2 * 2 - 1)],
    ['lenet5', {}, 'ops', {}, 2 * 416_520 + 6 * 14 * 14 * 3 + 16 * 5 * 5 * 3],
    ['lenet5', {}, 'ops', { profile: 'seed001-fma' }, 416_520 + (4_704 + 1_600 + 120 + 84 + 10) + 6 * 14 * 14 * 3 + 16 * 5 * 5 * 3],
    // seed 002: Lab 1
    ['mlp-lab', {}, 'params', {}, 235_146],
    ['mlp-lab', {}, 'macs', { batch: 64 }, 15_024_128],
    ['mlp-lab', {}, 'macs', { batch: 128 }, 30_048_256],
    ['mlp-lab', {}, 'weightBytes', { layer: 'fc1' }, 784 * 256 * 4],
    ['mlp-lab', {}, 'weightBytes', { layer: 'fc1', in: 'KiB' }, 784],
    ['mlp-lab', {}, 'weightBytes', { layer: 'fc2' }, 131_072],
    ['mlp-lab', {}, 'weightBytes', { layer: 'fc3' }, 5_120],
    ['mlp-lab', {}, 'activationBytesWithInput', { batch: 64 }, 64 * (784 + 256 + 128 + 10) * 4],
    [{ mlp: [784, 128, 128, 10] }, {}, 'params', {}, 118_282],
    [{ mlp: [784, 1024, 128, 10] }, {}, 'params', {}, 936_330],
    [{ mlp: [784, 128, 10] }, {}, 'params', {}, 101_770],
    [{ mlp: [784, 128, 128, 128, 10] }, {}, 'params', {}, 134_794],
    ['simple-cnn', {}, 'macs', { batch: 32 }, 595_200],
    ['simple-cnn-1conv', {}, 'params', {}, 15_536],
    ['simple-cnn-3conv', {}, 'macs', { batch: 32 }, 557_952],
    [resnet18, {}, 'params', {}, 11_689_512],
    [resnet18, {}, 'macs', {}, 1_814_073_344],
    [resnet18, {}, 'weightBytes', { layer: 'conv1' }, 64 * 3 * 7 * 7 * 4],
    [resnet18, {}, 'activationBytes', { layer: 'conv1', batch: 64 }, 64 * 64 * 112 * 112 * 4],
    [resnet18, {}, 'weightBytes', { layer: 'layer4.0.conv2' }, 9_437_184],
    [resnet18, {}, 'activationBytes', { layer: 'layer4.0.conv2', batch: 64 }, 6_422_528],
    ['bert-base-cased-qa', {}, 'params', {}, 107_721_218],
    ['bert-base-cased-qa', { profile: 'thop' }, 'compute', {}, 10_881_662_976],
    ['bert-base-cased-qa', { profile: 'thop' }, 'compute', { batch: 8 }, 87_053_303_808],
    ['bert-base-cased-qa', { profile: 'thop' }, 'compute', { batch: 16 }, 174_106_607_616],
    ['bert-base-cased-qa', { profile: 'thop' }, 'compute', { batch: 32 }, 348_213_215_232],
    ['bert-base-cased-qa', {}, 'moduleMacs', {}, 10_871_832_576],
    ['bert-base-cased-qa', {}, 'matmulMacs', {}, 12 * 2 * 12 * 128 * 128 * 64],
    ['bert-base-cased-qa', {}, 'gemms', { block: 'encoder.layer.0' }, 6 + 2],
    ['bert-base-cased-qa', {}, 'heads', { layer: 'encoder.layer.0.attention.self' }, 12],
    ['bert-base-cased-qa', {}, 'embedDim', { layer: 'encoder.layer.0.attention.self' }, 768],
    // seeds 003, 004: AlexNet, bias ignored, input among the activations
    ['alexnet-grouped', lectures, 'params', { layer: 'conv1' }, 96 * 3 * 11 * 11],
    ['alexnet-grouped', lectures, 'params', { layer: 'fc1' }, 4096 * 256 * 6 * 6],
    ['alexnet-grouped', lectures, 'params', {}, 60_954_656],
    ['alexnet-grouped', lectures, 'paramBytes', {}, 60_954_656 * 4],
    ['alexnet-grouped', lectures, 'paramBytes', { paramBits: 8 }, 60_954_656],
    ['alexnet-grouped', lectures, 'activations', {}, 932_264],
    ['alexnet-grouped', lectures, 'peakActivations', {}, 150_528 + 290_400],
    ['alexnet-grouped', lectures, 'macs', { layer: 'conv2' }, (256 * 96 * 5 * 5 * 27 * 27) / 2],
    ['alexnet-grouped', lectures, 'macs', {}, 724_406_816],
    ['alexnet-grouped', lectures, 'flops', {}, 2 * 724_406_816],
    ['alexnet-grouped', lectures, 'outputSize', { layer: 'conv1' }, Math.floor((224 + 2 * 2 - 11) / 4) + 1],
    ['alexnet-grouped', lectures, 'outputSize', { layer: 'pool5' }, Math.floor((13 - 3) / 2) + 1],
  ] as const)('%j %j: %s %j = %d', (model, given, name, props, expected) => {
    expect(value(model as ProblemModel, given as Given, name, props)).toBe(expected);
  });

  it('converts units: 243,818,624 B is 243.818624 MB', () => {
    expect(value('alexnet-grouped', lectures, 'paramBytes', { in: 'MB' })).toBeCloseTo(243_818_624 / 1e6, 12);
  });

  it('receptive field of L stacked 3 x 3 convolutions is L(k - 1) + 1', () => {
    const stack = (L: number): ProblemModel => ({
      name: `stack-${L}`,
      input: [1, 32, 32],
      layers: Array.from({ length: L }, () => ({ type: 'Conv2d', out_channels: 1, kernel_size: 3, padding: 1 })),
    });
    expect([2, 3].map((L) => value(stack(L), {}, 'receptiveField'))).toEqual([2 * (3 - 1) + 1, 3 * (3 - 1) + 1]);
  });
});

describe('cost-model answers', () => {
  const roof: Given = { peakFlopsPerS: 4608e9, bandwidthBytesPerS: 96e9 };
  it.each([
    // [op, W, Q, bound]
    ['op1', 57.8e6, 24.5e6, 'memory-bound'],
    ['op4', 236e6, 3.7e6, 'compute-bound'],
  ] as const)("the lecture's %s on a roof of 4,608 GFLOP/s and 96 GB/s", (_op, W, Q, bound) => {
    const props = { opFlops: W, opBytes: Q };
    expect(value('lenet5', roof, 'intensity', props)).toBeCloseTo(W / Q, 9);
    expect(value('lenet5', roof, 'rooflineLatencyMs', { ...props, in: 'us' })).toBeCloseTo(Math.max(W / 4608e9, Q / 96e9) * 1e6, 6);
    expect(answerVerdict(ctxOf('lenet5', roof), 'bound', 'test', props)).toBe(bound);
  });

  it('latency and throughput from the operation count: ops / S and S / ops', () => {
    const ops = 2 * 416_520 + 4_728;
    expect(value('lenet5', { speedOpsPerS: 1e9 }, 'opsLatencyMs')).toBeCloseTo((ops / 1e9) * 1e3, 12);
    expect(value('lenet5', { speedOpsPerS: 1e9 }, 'opsThroughput')).toBeCloseTo(1e9 / ops, 9);
  });

  it('energy: weights from SRAM instead of DRAM change only the weight term', () => {
    const given: Given = { ...lectures, hardware: 'horowitz-45nm', weightsIn: 'dram' };
    const dram = value('alexnet-grouped', given, 'weightEnergyPj');
    const sram = value('alexnet-grouped', given, 'weightEnergyPj', { weightsIn: 'sram' });
    expect(dram).toBeCloseTo(60_954_656 * 640, 3);
    expect(sram).toBeCloseTo(60_954_656 * 5, 3);
    expect(value('alexnet-grouped', given, 'macEnergyPj', { weightsIn: 'sram' })).toBeCloseTo(724_406_816 * (3.7 + 0.9), 3);
  });
});

describe('figure tables', () => {
  it('cells are the answers under the row props; measured cells are data', () => {
    const ctx = solve(resolveModel('mlp-lab', BUILT_IN_MODELS), {}, undefined, {
      tables: {
        t: {
          caption: 'c',
          rowHeader: 'Batch',
          columns: [{ of: 'macs' }, { measured: 'time' }],
          rows: [{ key: 'b64', label: '64', batch: 64, expect: { macs: 15_024_128 } }, { key: 'b1', label: '1' }],
        },
      },
      measurements: { time: { title: 'Time', unit: 'ms', source: 'lab', values: { b64: 0.17 } } },
    });
    const table = solveTable(ctx, 't', 'test');
    expect(table.rows.map((r) => r.cells.map((c) => (c.kind === 'figure' ? c.figure.value : c.value)))).toEqual([
      [64 * 234_752, 0.17],
      [234_752, undefined],
    ]);
  });

  it("a row's model that is not a model is one line naming the row and the field", () => {
    const ctx = solve(resolveModel('mlp-lab', BUILT_IN_MODELS), {}, undefined, {
      tables: { t: { caption: 'c', rowHeader: 'Model', columns: [{ of: 'params' }], rows: [{ key: 'bad', label: 'bad', model: { mlp: 'wide' } }] } },
    });
    let message = '';
    try {
      solveTable(ctx, 't', 'test');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('test: <FigureTable id="t"> row "bad": model.mlp: Invalid input: expected array, received string');
    expect(message).not.toContain('\n');
  });
});

describe('bad props are errors that list what is allowed', () => {
  it.each([
    [{ layr: 'conv1' }, "unknown prop 'layr'; allowed: of, expect, title, layer"],
    [{ layer: 'conv9' }, 'no such layer in lenet5; layers: conv1, relu1, pool1'],
    [{ profile: 'tohp' }, 'profile'],
    [{ batch: 0 }, 'batch'],
    [{ in: 'MB' }, 'a figure in MACs converts to no other unit'],
  ])('%j', (props, message) => {
    expect(() => answerFigure(ctxOf('lenet5'), 'macs', 'problems/x.mdx', props)).toThrow(message);
  });

  it('an answer about one layer needs `layer`, a whole-model one refuses it', () => {
    expect(() => answerFigure(ctxOf('lenet5'), 'outputSize', 'f', {})).toThrow('name it with `layer="..."`');
    expect(() => answerFigure(ctxOf('lenet5'), 'sramBytes', 'f', { layer: 'conv1' })).toThrow('takes no `layer`');
  });
});
