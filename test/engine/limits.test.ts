/**
 * The defects the fuzzing of issue 16 found, one test each: every one was an uncaught exception,
 * a number that lied, a hang or an unhelpful error; each is now a valid figure or one clear error.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  compareProfiles,
  costSummary,
  defineModel,
  evaluate,
  hardwareProfile,
  HardwareError,
  ModelError,
  parseHardwareProfile,
  type AnalyzeOptions,
  type LayerDef,
  type ModelDef,
} from '../../src/engine/index.ts';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

const model = (input: number[], layers: LayerDef[], name = 'm'): ModelDef => ({ name, input, layers });
const linear = model([10], [{ type: 'Linear', out_features: 2 }]);

describe('uncaught exceptions are clear errors', () => {
  it('--bits other than 8, 16 or 32 with a hardware profile', () => {
    const e = errorOf(() => costSummary(analyze(defineModel(linear), { paramBits: 64 }), hardwareProfile('hw1-mcu')));
    expect(e).toBeInstanceOf(HardwareError);
    expect(e.message).toMatch(/^hardware profile: precision: no default precision for 64-bit values/);
  });

  it('a model of only ReLU, Flatten and Dropout on a roofline profile: the roofline is omitted, with the reason', () => {
    const cost = costSummary(analyze(defineModel(model([10], [{ type: 'ReLU' }, { type: 'Flatten' }, { type: 'Dropout' }]))), hardwareProfile('nvidia-a100-sxm4-40gb'));
    expect(cost.latencyMs).toBeUndefined();
    expect(cost.omitted.map((o) => o.quantity)).toEqual(expect.arrayContaining(['latency', 'roofline (compute, memory, bound)']));
    expect(cost.omitted.find((o) => o.quantity === 'latency')!.reason).toMatch(/no layer does work or moves data/);
  });

  it('a window over a dimension near 2^53', () => {
    const e = errorOf(() => defineModel(model([1, 2 ** 53 - 1], [{ type: 'Conv1d', out_channels: 1, kernel_size: 3, padding: 2 }])));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toMatch(/^m > 0: Conv1d: a sum gives 9,007,199,254,740,996, beyond exact integer range .*; from l_i \(input length\) = 9,007,199,254,740,991, p \(padding\) = 2/);
  });

  it('cycles beyond 2^53 on a microcontroller: a HardwareError naming the figure', () => {
    // 2^50 MACs (a 1×1 convolution over 64 channels of 2^44 positions): fine; × 16 cycles per MAC is 2^54.
    const big = model([64, 2 ** 44], [{ type: 'Conv1d', out_channels: 1, kernel_size: 1, bias: false }]);
    const board = parseHardwareProfile({ id: 'slow', name: 'Slow', kind: 'custom', clockMHz: { value: 1, source: 's' }, cyclesPerMac: { default: { value: 16, source: 's' } } });
    const report = analyze(defineModel(big), { paramBits: 8 });
    expect(report.totals.macs.value).toBe(2 ** 50);
    const e = errorOf(() => costSummary(report, board));
    expect(e).toBeInstanceOf(HardwareError);
    expect(e.message).toMatch(/^hardware profile 'slow': m: a product gives 18,014,398,509,481,984, beyond exact integer range .*; from .*k \(cycles per MAC\) = 16/);
  });

  it('1e300 cycles per MAC is refused with the profile', () => {
    const e = errorOf(() => parseHardwareProfile({ id: 'x', name: 'X', kind: 'custom', cyclesPerMac: { default: { value: 1e300, source: 's' } } }, { file: 'x.json' }));
    expect(e.message).toBe("x.json: hardware profile 'x': cyclesPerMac.default.value: Too big: at most 1,000,000,000");
  });
});

describe('numbers that lied are exact or errors', () => {
  it('activation memory beyond 2^53 at 12 bits (the fractional b/8 = 1.5 skipped the check) names the figure', () => {
    // 6,004,799,503,160,662 elements × 12 / 8 passes 2^53 − 1; it printed as exact, exit 0.
    const e = errorOf(() => analyze(defineModel(model([6_004_799_503_160_662], [{ type: 'ReLU' }])), { paramBits: 12 }));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toBe(
      'm: activation memory (SRAM) gives 9,007,199,254,740,992, beyond exact integer range (9,007,199,254,740,991); from c_i = 6,004,799,503,160,662, b_a (bits per activation) = 12: reduce one of them',
    );
  });

  it('adaptive pooling 7 → 3 counts 49 operations per channel, not 49.00000000000001', () => {
    const pool = defineModel(model([1, 7, 7], [{ type: 'AdaptiveAvgPool2d', output_size: 3 }]));
    const seed = analyze(pool).totals.ops;
    expect(seed.value).toBe(7 * 7);
    expect(evaluate(seed.expr)).toBe(7 * 7);
    const thop = compareProfiles(pool).find((p) => p.profile.id === 'thop')!;
    expect(thop.compute.value).toBe(7 * 7 + 3 * 3);
  });

  it.each([
    [{ flopsPerMac: -1 }, /^m: conventions\.flopsPerMac: got -1; allowed: a whole number from 1 to 64$/],
    [{ flopsPerMac: 1.5 }, /conventions\.flopsPerMac: got 1\.5/],
    [{ bytesPerKilobyte: 1000.5 }, /conventions\.bytesPerKilobyte: got 1000\.5; allowed: 1000 or 1024$/],
    [{ operations: 'fast' }, /conventions\.operations: got "fast"; allowed: 'non-pipelined' or 'fused-multiply-add'$/],
    [{ flopsPerMacs: 2 }, /unknown convention "flopsPerMacs"; allowed: biasInParams, /],
  ])('conventions %j are refused', (conventions, pattern) => {
    const e = errorOf(() => analyze(defineModel(linear), { conventions } as AnalyzeOptions));
    expect(e).toBeInstanceOf(ModelError);
    expect(e.message).toMatch(pattern);
  });

  it.each([
    [{ batch: {} }, /^m: batch must be a positive integer, got \{\}$/],
    [{ paramBits: [8] }, /^m: paramBits must be a positive integer, got \[8\]$/],
    [{ layerPrecision: { Linear: 8 } }, /^m: layerPrecision\["Linear"\] must be an object with weightBits and\/or biasBits, got 8$/],
  ])('options %j are quoted, not [object Object]', (options, pattern) => {
    expect(errorOf(() => analyze(defineModel(linear), options as AnalyzeOptions)).message).toMatch(pattern);
  });
});

describe('hangs and blow-ups are limits', () => {
  it('a Repeat of 10^9 copies', () => {
    expect(errorOf(() => defineModel(model([4], [{ type: 'Repeat', times: 1e9, layers: [{ type: 'ReLU' }] }]))).message).toBe(
      'm > 0: Repeat: times 1000000000 is above the limit of 100,000 copies',
    );
  });

  it('Repeats of Repeats past 200,000 layers', () => {
    const nested = { type: 'Repeat', times: 1000, layers: [{ type: 'Repeat', times: 1000, layers: [{ type: 'ReLU' }] }] };
    expect(errorOf(() => defineModel(model([4], [nested]))).message).toBe('m: 1,000,000 layers with every Repeat expanded; the limit is 200,000');
  });

  it('Sequential nested 1,300 deep', () => {
    let layer: LayerDef = { type: 'ReLU' };
    for (let i = 0; i < 1300; i++) layer = { type: 'Sequential', layers: [layer] };
    expect(errorOf(() => defineModel(model([4], [layer]))).message).toMatch(/: blocks nest more than 100 deep here; the limit is 100$/);
  });

  it('evaluate() of a receptive field over 3,000 chained convolutions', () => {
    const convs = Array.from({ length: 3000 }, (): LayerDef => ({ type: 'Conv1d', out_channels: 1, kernel_size: 1 }));
    const convs3 = convs.map((c, i) => (i % 1000 === 0 ? { ...c, kernel_size: 3, padding: 1 } : c));
    const rf = analyze(defineModel(model([1, 16], convs3))).receptiveField!;
    expect(rf.value).toBe(1 + 3 * (3 - 1));
    expect(evaluate(rf.expr)).toBe(rf.value);
  });

  it.each([
    ['GroupNorm', model([2 ** 32, 1], [{ type: 'GroupNorm', num_groups: 3 }]), /4294967296 channels are not divisible by num_groups 3; allowed num_groups: 1, 2, 4, .*, …, 2147483648, 4294967296$/],
    ['Conv2d', model([2 ** 32, 1, 1], [{ type: 'Conv2d', out_channels: 2 ** 32, kernel_size: 1, groups: 3 }]), /allowed groups: 1, 2, 4, .*, …, 2147483648, 4294967296$/],
  ])('%s on 2^32 channels lists its divisors briefly', (_kind, def, pattern) => {
    expect(errorOf(() => defineModel(def)).message).toMatch(pattern);
  });
});

describe('errors that help', () => {
  it('a bit-width overflow names the bits, not the batch', () => {
    const e = errorOf(() => analyze(defineModel(model([2 ** 47], [{ type: 'ReLU' }])), { paramBits: 2 ** 10, activationBits: 2 ** 10 }));
    expect(e.message).toMatch(/from c_i = 140,737,488,355,328, b_a \(bits per activation\) = 1,024: reduce one of them$/);
    expect(e.message).not.toMatch(/batch/);
  });

  it('an int-or-tuple argument says what it allows and what it got', () => {
    expect(errorOf(() => defineModel(model([1, 8, 8], [{ type: 'Conv2d', out_channels: 1, kernel_size: 'x' }]))).message).toBe(
      'm > 0: Conv2d: kernel_size: got "x"; allowed: a number, or a list of 2 numbers',
    );
    expect(errorOf(() => defineModel(model([1, 8, 8], [{ type: 'MaxPool2d', kernel_size: { h: 2 } }]))).message).toBe(
      'm > 0: MaxPool2d: kernel_size: got {"h":2}; allowed: a number, or a list',
    );
  });

  it('names with a newline or of 100 KB are refused, quoted on one line and cut', () => {
    const e = errorOf(() => defineModel(model([4], [{ type: 'ReLU', name: `a\n${'b'.repeat(100_000)}` }])));
    expect(e.message).toMatch(/^m > 0: name "a\\nb+… \(100,005 characters\) is not a name/);
    expect(e.message.length).toBeLessThan(300);
    expect(errorOf(() => defineModel(model([4], [{ type: 'ReLU' }], 'line\nbreak'))).message).toBe("line\\nbreak: name: a model's name has no line breaks or control characters");
  });

  it("hardwareProfile('toString') and friends are unknown", () => {
    for (const id of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(errorOf(() => hardwareProfile(id)).message).toMatch(new RegExp(`unknown hardware profile '${id}'`));
    }
  });
});
