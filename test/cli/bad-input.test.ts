/**
 * The CLI on bad files and flags: exit codes (0 success, 1 a file or model error, 2 usage) and
 * one-line messages that name the file, never a stack trace. Most cases run the command's own
 * `run` in process; a few are spawned as a user runs them. A seeded fast-check property throws
 * random command lines at it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { MODEL_LIMITS } from '../../src/engine/index.ts';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'workbook-bad-'));

function file(name: string, content: string | Uint8Array | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content));
  return path;
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { out: (t) => (stdout += t + '\n'), err: (t) => (stderr += t + '\n') });
  return { code, stdout, stderr };
}

function spawned(args: string[]) {
  const r = spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'src/cli/workbook.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The message: the first line of stderr, and no stack trace anywhere. */
function message(stderr: string): string {
  expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+|\[object Object\]/);
  return stderr.split('\n')[0]!;
}

const lenet = { name: 'tiny', input: [1, 8, 8], layers: [{ type: 'Conv2d', out_channels: 2, kernel_size: 3 }, { type: 'Flatten' }, { type: 'Linear', out_features: 3 }] };

describe('workbook on bad files', () => {
  it.each([
    ['a UTF-8 byte-order mark', () => file('bom.json', '\uFEFF' + JSON.stringify(lenet)), 0, /^$/],
    ['a model name with a newline', () => file('newline.json', { ...lenet, name: 'two\nlines' }), 1, /^workbook: .*newline\.json: two\\nlines: name: a model's name has no line breaks/],
    ['a layer name with a newline', () => file('layer-newline.json', { ...lenet, layers: [{ type: 'ReLU', name: 'a\nb' }] }), 1, /^workbook: .*: tiny > 0: name "a\\nb" is not a name/],
    ['a layer name of 100 KB', () => file('long-name.json', { ...lenet, layers: [{ type: 'ReLU', name: 'n'.repeat(100_000) }] }), 1, /^workbook: .*: tiny > 0: name "n{59}… \(100,002 characters\) is not a name; allowed: .*at most 200 characters/],
    ['a type with a newline', () => file('type.json', { ...lenet, layers: [{ type: 'Conv\n2d' }] }), 1, /^workbook: .*: tiny > 0: unknown layer type 'Conv\\n2d'/],
    ['binary bytes', () => file('binary.json', new Uint8Array([0x7b, 0x00, 0xff, 0xfe, 0x01])), 1, /^workbook: .*binary\.json: not a text file/],
    ['not JSON', () => file('broken.json', '{"name": '), 1, /^workbook: .*broken\.json: not valid JSON/],
    ['JSON that is not a model', () => file('array.json', '[1, 2]'), 1, /^workbook: .*array\.json: \(unnamed model\): a model definition is an object/],
    ['a Repeat of 10^9', () => file('repeat.json', { ...lenet, layers: [{ type: 'Repeat', times: 1e9, layers: [{ type: 'ReLU' }] }] }), 1, /Repeat: times 1000000000 is above the limit of 100,000 copies/],
    ['blocks 1,300 deep', () => {
      let layer: object = { type: 'ReLU' };
      for (let i = 0; i < 1300; i++) layer = { type: 'Sequential', layers: [layer] };
      return file('deep.json', { ...lenet, layers: [layer] });
    }, 1, /blocks nest more than 100 deep here; the limit is 100$/],
    ['an int-or-tuple argument of the wrong kind', () => file('kernel.json', { ...lenet, layers: [{ type: 'Conv2d', out_channels: 2, kernel_size: 'x' }] }), 1, /kernel_size: got "x"; allowed: a number, or a list of 2 numbers$/],
    ['2^32 channels not divisible by groups', () => file('groups.json', { name: 'g', input: [2 ** 32, 1, 1], layers: [{ type: 'Conv2d', out_channels: 2 ** 32 - 2, kernel_size: 1, groups: 7 }] }), 1, /allowed groups: 1, 2$/],
  ])('%s', async (_name, make, code, pattern) => {
    const r = await cli(['analyze', make()]);
    expect([r.code, message(r.stderr)]).toEqual([code, expect.stringMatching(pattern)]);
    if (code === 0) expect(r.stdout).toMatch(/^tiny: input 1 x 1 x 8 x 8/);
  });

  it('a file over the size limit is refused before it is read', async () => {
    const path = file('huge.json', ' '.repeat(MODEL_LIMITS.fileBytes + 1));
    const r = await cli(['analyze', path]);
    expect([r.code, message(r.stderr)]).toEqual([1, `workbook: ${path}: the file is ${(MODEL_LIMITS.fileBytes + 1).toLocaleString('en-US')} bytes; the limit of a .json file is 16,777,216 bytes (16 MiB)`]);
  });

  it('errors of the analysis stage name the file too', async () => {
    const path = file('batch.json', lenet);
    const r = await cli(['analyze', path, '--batch', '100000000000000']);
    expect(r.code).toBe(1);
    expect(message(r.stderr)).toMatch(new RegExp(`^workbook: ${path.replace(/[.]/g, '\\.')}: tiny > 0: MACs: a product gives .*; from n \\(batch size\\) = 100,000,000,000,000`));
  });

  it('a hardware profile with a byte-order mark is read; one out of range is refused naming the field', async () => {
    const good = { id: 'b', name: 'B', kind: 'custom', clockMHz: { value: 80, source: 's' }, cyclesPerMac: { default: { value: 4, source: 's' } } };
    const ok = await cli(['analyze', file('tiny.json', lenet), '--hardware', file('board.json', '\uFEFF' + JSON.stringify(good))]);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    const bad = { ...good, cyclesPerMac: { default: { value: 1e300, source: 's' } } };
    const r = await cli(['analyze', file('tiny.json', lenet), '--hardware', file('extreme.json', bad)]);
    expect([r.code, message(r.stderr)]).toEqual([1, expect.stringMatching(/extreme\.json: hardware profile 'b': cyclesPerMac\.default\.value: Too big: at most 1,000,000,000$/)]);
  });

  it('a model of only ReLU, Flatten and Dropout on a roofline profile: no roofline, said why', async () => {
    const r = await cli(['analyze', file('idle.json', { name: 'idle', input: [4], layers: [{ type: 'ReLU' }, { type: 'Flatten' }, { type: 'Dropout' }] }), '--hardware', 'nvidia-a100-sxm4-40gb']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/not computed\s+roofline \(compute, memory, bound\): no layer does work or moves data/);
  });
});

describe('workbook on bad flags', () => {
  it.each([
    [['analyze', 'lenet5', '--hardware', 'toString'], 1, /^workbook: unknown hardware 'toString'; built in: hw1-mcu/],
    [['analyze', 'lenet5', '--hardware', 'constructor'], 1, /^workbook: unknown hardware 'constructor'/],
    [['analyze', 'lenet5', '--hardware', '__proto__'], 1, /^workbook: unknown hardware '__proto__'/],
    [['analyze', 'lenet5', '--bits', '64', '--hardware', 'hw1-mcu'], 1, /^workbook: hardware profile: precision: no default precision for 64-bit values: .*8 \(int8\), 16 \(fp16\) and 32 \(fp32\)/],
    [['analyze', 'lenet5', '--bits', '2048'], 1, /^workbook: lenet5: paramBits must be at most 1024 bits, got 2048$/],
    [['analyze', 'lenet5', '--batch', '{}'], 2, /^workbook: --batch must be a positive integer, got '\{\}'$/],
    [['analyze', 'lenet5', '--nope'], 2, /^workbook: Unknown option '--nope'/],
    [['analyze', 'lenet5', '--clock-mhz', '1e-300', '--cycles-per-mac', '4'], 1, /clockMHz\.value: Too small/],
    [['models', 'extra'], 2, /^workbook: models takes no arguments, got extra$/],
  ] as const)('%j exits %i', async (args, code, pattern) => {
    const r = await cli([...args]);
    expect([r.code, message(r.stderr)]).toEqual([code, expect.stringMatching(pattern)]);
  });

  it('models --json lists the zoo as JSON', async () => {
    const r = await cli(['models', '--json']);
    expect(r.code).toBe(0);
    const models = JSON.parse(r.stdout) as { id: string; description: string; source: string }[];
    expect(models.map((m) => m.id)).toEqual(expect.arrayContaining(['lenet5', 'resnet50', 'bert-base-uncased']));
    expect(Object.keys(models[0]!)).toEqual(['id', 'description', 'source']);
  });

  it('answers --help prints the usage and exits 0', async () => {
    const r = await cli(['answers', '--help']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^usage: workbook answers \(<problem>/);
  });

  it('answers takes an absolute path to a problem', async () => {
    const r = await cli(['answers', join(root, 'problems/hw1/q1.mdx'), '--seeds', '0', '--json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout).problem).toBe('hw1/q1');
  });

  it('answers refuses a binary roster', async () => {
    const roster = file('roster.csv', new Uint8Array([0x69, 0x64, 0x0a, 0x00, 0x01, 0xff, 0x0a]));
    const r = await cli(['answers', 'hw1/q1', '--roster', roster]);
    expect([r.code, message(r.stderr)]).toEqual([1, `workbook answers: ${roster}:2: not UTF-8 (save the roster as UTF-8 text)`]);
  });
});

describe('spawned as a user runs it', () => {
  it('a bad file: exit 1, one line on stderr, nothing on stdout', () => {
    const r = spawned(['analyze', file('spawn-newline.json', { ...lenet, layers: [{ type: 'ReLU', name: 'x\ny' }] })]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(message(r.stderr)).toMatch(/spawn-newline\.json: tiny > 0: name "x\\ny" is not a name/);
  });

  it('answers --help: exit 0', () => {
    const r = spawned(['answers', '--help']);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});

describe('random command lines', () => {
  const token = fc.constantFrom(
    'analyze', 'models', 'answers', 'lenet5', 'mlp-hw1-q1', 'nope', 'x.json', '--json', '--csv', '--profiles', '--batch', '--bits', '--seq', '--hardware',
    '--clock-mhz', '--cycles-per-mac', '--weights-in', '-h', '--help', '--', '0', '1', '8', '64', '-1', '1e3', '2.5', 'NaN', '{}', 'toString', '__proto__',
    'hw1-mcu', 'nvidia-a100-sxm4-40gb', 'dram', 'sram', 'a\nb', '\u0000', '9007199254740993',
  );
  it('every one exits 0, 1 or 2 with a one-line message, never an internal error or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (args) => {
        // `answers` reads every problem file; those runs are tested above, here only the analyze side.
        fc.pre(args[0] !== 'answers');
        const r = await cli(args);
        expect([0, 1, 2]).toContain(r.code);
        if (r.code !== 0) expect(message(r.stderr)).toMatch(/^workbook: \S/);
        else expect(r.stdout.length).toBeGreaterThan(0);
      }),
      { seed: Number(process.env.WORKBOOK_FUZZ_SEED ?? 16), numRuns: Number(process.env.WORKBOOK_FUZZ_RUNS ?? 0) || 150 },
    );
  }, 300_000);
});
