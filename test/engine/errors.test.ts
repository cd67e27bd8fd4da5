/**
 * Bad input: every error names the model, the layer's path and what is wrong, with the allowed
 * values. Never a silent zero or a NaN.
 */
import { describe, expect, it } from 'vitest';
import { analyze, defineModel, ModelError, type LayerDef, type ModelDef } from '../../src/engine/index.ts';

const conv = (args: Record<string, unknown>): LayerDef => ({ type: 'Conv2d', ...args });

/** A ResNet-like model whose layer2.0.conv1 is `bad`. */
const nested = (bad: LayerDef): ModelDef => ({
  name: 'resnet18',
  input: [64, 56, 56],
  layers: [
    {
      type: 'Sequential',
      name: 'layer2',
      layers: [{ type: 'Residual', layers: [{ ...bad, name: 'conv1' }, { type: 'BatchNorm2d', name: 'bn1' }] }],
    },
  ],
});

function messageOf(def: ModelDef, options: Parameters<typeof analyze>[1] = {}, file?: string): string {
  try {
    analyze(defineModel(def, file ? { file } : {}), options);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return (error as Error).message;
  }
  throw new Error('expected a ModelError');
}

const single = (input: number[], layers: LayerDef[]): ModelDef => ({ name: 'm', input, layers });

describe.each([
  ['non-positive size', single([1, 8, 8], [conv({ out_channels: 0, kernel_size: 3 })]), /^m > 0: Conv2d: out_channels: .*(>0|positive)/i],
  ['non-integer size', single([10], [{ type: 'Linear', out_features: 1.5 }]), /^m > 0: Linear: out_features: .*int/i],
  ['kernel larger than the padded input', single([1, 5, 5], [conv({ out_channels: 1, kernel_size: 9, padding: 1 })]), /^m > 0: Conv2d: kernel 9 is larger than the padded input 7 \(5 \+ 2×1\)/],
  ['channels not divisible by groups', single([6, 8, 8], [conv({ out_channels: 16, kernel_size: 3, groups: 4 })]), /in_channels 6 is not divisible by groups 4; allowed groups: 1, 2$/],
  ['Linear in_features mismatch', single([16, 5, 5], [{ type: 'Flatten' }, { type: 'Linear', in_features: 100, out_features: 10 }]), /^m > 1: Linear: in_features is 100 but the incoming shape 400 has 400 features/],
  ['Linear after a conv without Flatten', single([16, 5, 5], [{ type: 'Linear', in_features: 400, out_features: 10 }]), /a Flatten before this layer gives 400/],
  ['Add of mismatched shapes', single([64, 8, 8], [{ type: 'Residual', name: 'block', layers: [conv({ out_channels: 128, kernel_size: 1 })] }]), /^m > block > add: Add: Add needs inputs of one shape, got 128×8×8, 64×8×8/],
  ['Concat of mismatched shapes', single([16, 8, 8], [{ type: 'Parallel', name: 'mix', join: 'concat', branches: [[conv({ out_channels: 8, kernel_size: 1 })], [conv({ out_channels: 8, kernel_size: 3 })]] }]), /^m > mix > cat: Concat: Concat along dim 1 needs inputs that agree in every other dimension, got 8×8×8, 8×6×6/],
  ['unknown layer type', single([10], [{ type: 'Conv3d' }]), /^m > 0: unknown layer type 'Conv3d'; allowed: Linear, Conv1d, Conv2d, .*Sequential, Residual, Parallel, Repeat$/],
  ['unknown argument', single([1, 8, 8], [conv({ out_channels: 1, kernel: 3 })]), /unknown argument 'kernel'; allowed: in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode/],
  ['unknown padding word', single([1, 8, 8], [conv({ out_channels: 1, kernel_size: 3, padding: 'full' })]), /^m > 0: Conv2d: padding: /],
  ["padding 'same' with stride", single([1, 8, 8], [conv({ out_channels: 1, kernel_size: 3, padding: 'same', stride: 2 })]), /padding='same' needs stride 1/],
  ['pool padding over half the kernel', single([1, 8, 8], [{ type: 'MaxPool2d', kernel_size: 2, padding: 2 }]), /padding 2 is more than half the kernel size 2; allowed: 0 to 1/],
  ['conv on a flat input', single([100], [conv({ out_channels: 1, kernel_size: 3 })]), /Conv2d needs an input of shape C×H×W \(per sample\), got 100/],
  ['heads not dividing the embedding', single([10, 100], [{ type: 'MultiheadAttention', num_heads: 3 }]), /embed_dim 100 is not divisible by num_heads 3; allowed num_heads: 1, 2, 4, 5, 10, 20, 25, 50/],
  ['groups not dividing channels (GroupNorm)', single([6, 4, 4], [{ type: 'GroupNorm', num_groups: 4 }]), /6 channels are not divisible by num_groups 4; allowed num_groups: 1, 2, 3, 6/],
  ['LayerNorm shape mismatch', single([128, 768], [{ type: 'LayerNorm', normalized_shape: 512 }]), /normalized_shape 512 does not match the last dimensions of the input 128×768/],
  ['Flatten of the batch', single([4, 4], [{ type: 'Flatten', start_dim: 0 }]), /start_dim 0 is out of range .*allowed: 1 to 2/],
  ['Select dim of the batch', single([128, 768], [{ type: 'Select', dim: 0, index: 0 }]), /^m > 0: Select: dim 0 is out of range for the input 128×768 with batch \(rank 3\); allowed: 1 to 2/],
  ['Select index out of range', single([128, 768], [{ type: 'Select', dim: 1, index: 128 }]), /^m > 0: Select: index 128 is out of range for dim 1 of size 128; allowed: -128 to 127$/],
  ['Select of a flat input', single([768], [{ type: 'Select', dim: 1, index: 0 }]), /^m > 0: Select: selecting from 768 leaves no dimension per sample/],
  ['Narrow of the batch', single([128, 768], [{ type: 'Narrow', dim: 0, start: 0, length: 1 }]), /^m > 0: Narrow: dim 0 is out of range for the input 128×768 with batch \(rank 3\); allowed: 1 to 2/],
  ['Narrow past the end', single([197, 768], [{ type: 'Narrow', dim: 1, start: 1, length: 197 }]), /^m > 0: Narrow: start 1 \+ length 197 runs past dim 1 of size 197; allowed: a length up to 196$/],
  ['Narrow start out of range', single([10], [{ type: 'Narrow', dim: 1, start: -11, length: 1 }]), /^m > 0: Narrow: start -11 is out of range for dim 1 of size 10; allowed: -10 to 9$/],
  ['Softmax dim out of range', single([10], [{ type: 'Softmax', dim: 3 }]), /dim 3 is out of range/],
  ['a join written as a layer', single([10], [{ type: 'Add' }]), /^m > 0: Add joins branches; write it as a Residual block or a Parallel block/],
  ['block with an unknown field', single([10], [{ type: 'Repeat', name: 'r', times: 2, layer: [] }]), /^m > r: Repeat: .*unknown argument 'layer'; allowed: name, times, start, layers/],
  ['block with zero repetitions', single([10], [{ type: 'Repeat', times: 0, layers: [{ type: 'ReLU' }] }]), /^m > 0: Repeat: times: /],
  ['a name with a dot', single([10], [{ type: 'ReLU', name: 'a.b' }]), /not a name; allowed: a non-empty string of at most 200 characters, without dots or line breaks/],
  ['two layers with one name', single([10], [{ type: 'ReLU', name: 'act' }, { type: 'ReLU', name: 'act' }]), /^m > act: the name 'act' is used by two layers/],
  ['a nested layer', nested(conv({ out_channels: 64, kernel_size: 3, groups: 5 })), /^resnet18 > layer2\.0 > conv1: Conv2d: in_channels 64 is not divisible by groups 5; allowed groups: 1, 2, 4, 8, 16, 32, 64$/],
  ['counts beyond exact integers', single([134_217_728], [{ type: 'Linear', out_features: 134_217_728, name: 'huge' }]), /^m > huge: a product gives .* beyond exact integer range .*; from c_o \(output features\) = 134,217,728/],
  ['a bad model', { name: 'm', input: [0, 3], layers: [] } as ModelDef, /^m: input\.0: .*; layers: /],
])('%s', (_name, def, pattern) => {
  it('is a ModelError naming the model, the layer path and the problem', () => {
    expect(messageOf(def)).toMatch(pattern);
  });
});

describe('errors from analysis options and files', () => {
  const ok = single([10], [{ type: 'Linear', out_features: 2 }]);
  it.each([
    ['batch 0', { batch: 0 }, /^m: batch must be a positive integer, got 0/],
    ['fractional bits', { paramBits: 7.5 }, /^m: paramBits must be a positive integer, got 7.5/],
    ['unknown optimizer', { optimizer: 'rmsprop' as never }, /^m: unknown optimizer 'rmsprop'; allowed: sgd, sgd-momentum, adam/],
    ['batch beyond exact MACs', { batch: 2 ** 52 }, /^m > 0: MACs: a product gives .* beyond exact integer range .*; from n \(batch size\) = 4,503,599,627,370,496, /],
  ] as const)('%s', (_name, options, pattern) => {
    expect(messageOf(ok, options)).toMatch(pattern);
  });

  it('names the file when there is one', () => {
    expect(messageOf(single([10], [{ type: 'Conv3d' }]), {}, 'models/mine.json')).toMatch(/^models\/mine\.json: m > 0: unknown layer type/);
  });
  // analyze builds a layer's FLOPs only when they are read, but an overflow is reported as if every
  // figure were built layer by layer: here at the first layer (0), whose FLOPs (2 × MACs) are the
  // first figure to pass 2^53; not in the totals, and not at layer 2, whose MACs pass it.
  it('names the first layer where any figure fails, even one analyze builds only when read', () => {
    const def = single([1], [{ type: 'Linear', out_features: 1, bias: false }, { type: 'Linear', out_features: 1, bias: false }, { type: 'Linear', out_features: 4, bias: false }]);
    expect(messageOf(def, { batch: 2 ** 52 })).toMatch(/^m > 0: FLOPs: a product gives 9,007,199,254,740,992, beyond exact integer range/);
  });
});
