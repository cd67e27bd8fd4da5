/**
 * The `workbook` command, spawned as a user runs it: exit codes, the JSON shape and values,
 * and error messages. Run under Node 22 (the project's) and the Node on the PATH (20 here).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'src/cli/workbook.js');
const nodes = [['project node', join(root, 'node_modules/.bin/node')], ['PATH node', 'node']] as const;

function workbook(args: string[], node: string = nodes[0][1]) {
  const r = spawnSync(node, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'workbook-cli-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe.each(nodes)('under %s', (_label, node) => {
  it('lists the built-in models', () => {
    const r = workbook(['models'], node);
    expect(r.code).toBe(0);
    for (const id of ['mlp-hw1-q1', 'mlp-hw1-q2', 'mlp-lab', 'lenet5', 'alexnet-grouped', 'bert-base-cased-qa']) expect(r.stdout).toContain(id);
  });

  it('prints a per-layer table and the totals', () => {
    const r = workbook(['analyze', 'lenet5'], node);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/conv1\s+Conv2d\s+1 x 6 x 28 x 28\s+156\s+117,600\s+4,704/);
    expect(r.stdout).toMatch(/MACs\s+416,520/);
  });
});

describe('analyze --json', () => {
  it('has the documented shape and the whole-batch values', () => {
    const r = workbook(['analyze', 'alexnet-grouped', '--json', '--batch', '2', '--bits', '8']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ model: 'alexnet-grouped', batch: 2 });
    expect(Object.keys(report.totals)).toEqual(
      expect.arrayContaining(['params', 'weights', 'biases', 'macs', 'flops', 'activations', 'inputActivations', 'peakActivations', 'peakLiveActivations', 'paramBytes']),
    );
    for (const layer of report.layers) {
      expect(Object.keys(layer)).toEqual(expect.arrayContaining(['name', 'kind', 'inputShape', 'outputShape', 'params', 'macs', 'activations']));
    }
    const conv1 = report.layers[0];
    expect(conv1).toMatchObject({ name: 'conv1', kind: 'Conv2d', inputShape: [2, 3, 224, 224], outputShape: [2, 96, 55, 55], params: 96 * 3 * 11 * 11 + 96, macs: 2 * 96 * 55 * 55 * 3 * 11 * 11, activations: 2 * 96 * 55 * 55 });
    // params: every trainable parameter, with biases; activations: whole batch, input excluded.
    expect(report.totals.params).toBe(60_954_656 + (96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000));
    expect(report.totals.macs).toBe(2 * 724_406_816);
    expect(report.totals.activations).toBe(2 * (932_264 - 3 * 224 * 224));
    expect(report.totals.inputActivations).toBe(2 * 3 * 224 * 224);
    expect(report.totals.peakActivations).toBe(2 * 440_928);
    expect(report.totals.paramBytes).toBe(report.totals.params * 8 / 8);
  });

  it('counts activation functions, dropout and flatten as adding nothing', () => {
    const report = JSON.parse(workbook(['analyze', 'alexnet-grouped', '--json']).stdout);
    for (const layer of report.layers.filter((l: { kind: string }) => ['ReLU', 'Dropout', 'Flatten'].includes(l.kind))) {
      expect(layer.activations).toBe(0);
    }
  });

  it('with --profiles, shows the thop count of BERT', () => {
    const report = JSON.parse(workbook(['analyze', 'bert-base-cased-qa', '--json', '--profiles']).stdout);
    expect(report.totals.params).toBe(107_721_218);
    expect(report.profiles.find((p: { id: string }) => p.id === 'thop').compute).toBe(10_881_662_976);
  });
});

describe('analyze a JSON file', () => {
  it('reads a user model and infers in_* sizes', () => {
    const path = file('tiny.json', { name: 'tiny', input: [1, 8, 8], layers: [{ type: 'Conv2d', out_channels: 2, kernel_size: 3 }, { type: 'Flatten' }, { type: 'Linear', out_features: 4 }] });
    const r = workbook(['analyze', path, '--csv']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'name,kind,inputShape,outputShape,params,macs,activations',
      `0,Conv2d,1x1x8x8,1x2x6x6,${2 * 1 * 3 * 3 + 2},${2 * 6 * 6 * 1 * 3 * 3},${2 * 6 * 6}`,
      '1,Flatten,1x2x6x6,1x72,0,0,0',
      `2,Linear,1x72,1x4,${72 * 4 + 4},${72 * 4},4`,
      '',
    ]);
  });
});

describe('errors exit non-zero with the message', () => {
  it.each([
    ['an unknown model', ['analyze', 'resnet1000'], 1, /^workbook: unknown model 'resnet1000'; allowed: mlp-hw1-q1, .*, a \.json or an \.onnx file/],
    ['a missing file', ['analyze', join(dir, 'missing.json')], 1, /missing\.json: cannot read the file \(ENOENT\)/],
    ['invalid JSON', ['analyze', file('broken.json', '{"name": ')], 1, /broken\.json: not valid JSON/],
    ['a bad layer', ['analyze', file('bad.json', { name: 'bad', input: [6, 8, 8], layers: [{ type: 'Sequential', name: 'layer2', layers: [{ type: 'Conv2d', name: 'conv1', out_channels: 16, kernel_size: 3, groups: 4 }] }] })], 1, /bad\.json: bad > layer2 > conv1: Conv2d: in_channels 6 is not divisible by groups 4; allowed groups: 1, 2/],
    ['an unknown argument', ['analyze', file('arg.json', { name: 'arg', input: [4], layers: [{ type: 'Linear', out_feature: 2 }] })], 1, /arg > 0: Linear: .*unknown argument 'out_feature'; allowed: in_features, out_features, bias/],
    ['a bad batch', ['analyze', 'lenet5', '--batch', '0'], 2, /--batch must be a positive integer, got '0'/],
    ['an unknown flag', ['analyze', 'lenet5', '--fast'], 2, /Unknown option '--fast'/],
    ['an unknown command', ['summarize', 'lenet5'], 2, /unknown command 'summarize'; allowed: analyze, models/],
  ])('%s', (_name, args, code, pattern) => {
    const r = workbook(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(pattern);
    expect(r.stdout).toBe('');
  });
});
