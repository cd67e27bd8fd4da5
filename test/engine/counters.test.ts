/**
 * The tools' counts of the zoo: each tool's published figures (README tables, test expectations,
 * torchvision's weight metadata) at the tool's printed precision, the exact integers its rules
 * give, and its difference from the standard count term by term (the terms add up).
 */
import { describe, expect, it } from 'vitest';
import {
  calflopsNumber,
  cleverFormat,
  COUNTER_IDS,
  defineModel,
  fvcoreSize,
  profileTotals,
  ptflopsMacs,
  torchinfoSizes,
  ZOO_IDS,
  zooModel,
  type ProfileId,
} from '../../src/engine/index.ts';

const totals = (id: string, profile: ProfileId, batch = 1) => profileTotals(defineModel(zooModel(id)), profile, { batch });
const count = (id: string, profile: ProfileId, batch = 1) => totals(id, profile, batch).compute.value;

// Element counts the rules multiply (from the torchvision definitions, checked below).
const RESNET50_BN_ELEMENTS = 11_113_984;
const RESNET50_RELU_ELEMENTS = 9_608_704;
const RESNET50_POOL_INPUTS = 64 * 112 * 112 + 2048 * 7 * 7; // maxpool + avgpool inputs
const MOBILENET_V2_BN_ELEMENTS = 6_678_112;
const BERT_LAYERNORM_ELEMENTS = 25 * 128 * 768;
const BERT_ATTENTION_MATMULS = 12 * 2 * 12 * 128 * 128 * 64;

/** Published figures: [model, profile, printed value, decimals, divisor, where]. */
const PUBLISHED: readonly [string, ProfileId, number, number, number, string][] = [
  // pytorch-OpCounter README (thop 0.0.31, benchmark/evaluate_famous_models.py: '%.2f' of ops / 1000³).
  ['alexnet', 'thop-0.0.31', 0.77, 2, 1e9, 'pytorch-OpCounter README'],
  ['vgg16', 'thop-0.0.31', 15.61, 2, 1e9, 'pytorch-OpCounter README'],
  ['resnet18', 'thop-0.0.31', 1.82, 2, 1e9, 'pytorch-OpCounter README'],
  ['resnet50', 'thop-0.0.31', 4.14, 2, 1e9, 'pytorch-OpCounter README'],
  ['mobilenet-v2', 'thop-0.0.31', 0.33, 2, 1e9, 'pytorch-OpCounter README'],
  // ptflops README benchmark (torchvision 0.16): MACs(G) with the pytorch and aten backends.
  ['alexnet', 'ptflops', 0.72, 2, 1e9, 'ptflops README'],
  ['vgg16', 'ptflops', 15.52, 2, 1e9, 'ptflops README'],
  ['resnet18', 'ptflops', 1.83, 2, 1e9, 'ptflops README'],
  ['resnet50', 'ptflops', 4.13, 2, 1e9, 'ptflops README'],
  ['mobilenet-v2', 'ptflops', 0.32, 2, 1e9, 'ptflops README'],
  ['alexnet', 'ptflops-aten', 0.71, 2, 1e9, 'ptflops README'],
  ['vgg16', 'ptflops-aten', 15.48, 2, 1e9, 'ptflops README'],
  ['resnet18', 'ptflops-aten', 1.81, 2, 1e9, 'ptflops README'],
  ['resnet50', 'ptflops-aten', 4.09, 2, 1e9, 'ptflops README'],
  // torchprofile tests/test_models.py: expected GMACs.
  ['resnet18', 'torchprofile', 1.817, 3, 1e9, 'torchprofile tests/test_models.py'],
  ['mobilenet-v2', 'torchprofile', 0.3075, 4, 1e9, 'torchprofile tests/test_models.py'],
  // calflops README benchmark: FLOPs(G) and the totals to six significant digits.
  ['alexnet', 'calflops', 1.43, 2, 1e9, 'calflops README'],
  ['vgg16', 'calflops', 30.97, 2, 1e9, 'calflops README'],
  ['resnet18', 'calflops', 3.64, 2, 1e9, 'calflops README'],
  ['resnet50', 'calflops', 8.21, 2, 1e9, 'calflops README'],
  // calflops README, BERT table: hfl/chinese-roberta-wwm-ext is BERT-base with its pooler (another vocabulary), (1, 128).
  ['bert-base-uncased', 'calflops', 22.363, 3, 1e9, 'calflops README (BERT table)'],
  // torchvision's weight metadata, "_ops" (GFLOPS).
  ['alexnet', 'torchvision', 0.714, 3, 1e9, 'torchvision AlexNet_Weights meta'],
  ['vgg16', 'torchvision', 15.47, 2, 1e9, 'torchvision VGG16_Weights meta'],
  ['resnet18', 'torchvision', 1.814, 3, 1e9, 'torchvision ResNet18_Weights meta'],
  ['resnet50', 'torchvision', 4.089, 3, 1e9, 'torchvision ResNet50_Weights meta'],
  ['mobilenet-v2', 'torchvision', 0.301, 3, 1e9, 'torchvision MobileNet_V2_Weights meta'],
];

describe("the tools' published figures, at their printed precision", () => {
  it.each(PUBLISHED)('%s under %s prints %s', (model, profile, printed, decimals, divisor) => {
    expect(Number((count(model, profile) / divisor).toFixed(decimals))).toBe(printed);
  });

  it("calflops' totals to six significant digits (its README's Total columns)", () => {
    const six = (x: number) => Number(x.toPrecision(6));
    expect(six(count('alexnet', 'calflops'))).toBe(1_429_740_000);
    expect(six(count('vgg16', 'calflops'))).toBe(30_973_800_000);
    expect(six(count('resnet18', 'calflops'))).toBe(3_636_250_000);
    expect(six(count('resnet50', 'calflops'))).toBe(8_211_110_000);
    // Its MACs column is the standard count.
    expect(six(count('resnet50', 'standard'))).toBe(4_089_180_000);
    expect(six(count('vgg16', 'standard'))).toBe(15_470_300_000);
  });

  it("torchinfo's resnet50 summary at batch 2 (tests/test_output/resnet50.out)", () => {
    const t = totals('resnet50', 'torchinfo', 2);
    expect(t.headline).toEqual([
      'Total params: 25,557,032',
      'Total mult-adds (G): 8.18',
      'Input size (MB): 1.20',
      'Forward/backward pass size (MB): 355.66',
      'Params size (MB): 102.23',
      'Estimated Total Size (MB): 459.10',
    ]);
  });

  it("the thop count of BERT-base-cased QA that the lab printed (REFERENCE.md)", () => {
    expect(count('bert-base-cased-qa', 'thop')).toBe(10_881_662_976);
  });

  it("torchvision's MobileNetV2 pools with F.adaptive_avg_pool2d, which thop does not see", () => {
    expect(count('mobilenet-v2', 'thop')).toBe(327_486_720);
    // The pool as a module would add 1280 × (49 + 1).
    expect(count('mobilenet-v2', 'thop') + 1280 * (49 + 1)).toBe(327_550_720);
  });
});

describe('the exact integers the rules give', () => {
  const resnet50 = 4_089_184_256;
  const cases: readonly [string, ProfileId, number][] = [
    ['resnet50', 'thop', resnet50 + 4 * RESNET50_BN_ELEMENTS + (2048 * 49 + 2048)],
    ['resnet50', 'thop-0.0.31', resnet50 + 4 * RESNET50_BN_ELEMENTS + 2048 * (49 + 1) + 1000 * (2048 - 1)],
    ['resnet50', 'ptflops', resnet50 + 1000 + 2 * RESNET50_BN_ELEMENTS + 2 * RESNET50_RELU_ELEMENTS + 2 * RESNET50_POOL_INPUTS],
    ['resnet50', 'ptflops-aten', resnet50 + 1000],
    ['resnet50', 'torchprofile', resnet50 + RESNET50_BN_ELEMENTS + 2048],
    ['resnet50', 'fvcore', resnet50 + 2 * RESNET50_BN_ELEMENTS + 2048 * 7 * 7],
    ['resnet50', 'torchinfo', resnet50 + 1000 + 53_120],
    ['resnet50', 'calflops', 2 * resnet50 + 2 * RESNET50_BN_ELEMENTS + RESNET50_RELU_ELEMENTS + RESNET50_POOL_INPUTS],
    ['resnet50', 'deepspeed', 2 * resnet50 + 2 * RESNET50_BN_ELEMENTS + RESNET50_RELU_ELEMENTS + RESNET50_POOL_INPUTS],
    ['resnet50', 'torchvision', resnet50],
    ['mobilenet-v2', 'thop', 300_774_272 + 4 * MOBILENET_V2_BN_ELEMENTS],
    ['mobilenet-v2', 'torchprofile', 300_774_272 + MOBILENET_V2_BN_ELEMENTS + 1280],
    // nn.ReLU6 runs F.hardtanh: calflops does not count it; the functional pool it does, per input.
    ['mobilenet-v2', 'calflops', 2 * 300_774_272 + 2 * MOBILENET_V2_BN_ELEMENTS + 1280 * 7 * 7],
    ['bert-base-cased-qa', 'thop', 10_871_832_576 + 4 * BERT_LAYERNORM_ELEMENTS],
    ['bert-base-cased-qa', 'torchprofile', 10_871_832_576 + BERT_ATTENTION_MATMULS + BERT_LAYERNORM_ELEMENTS],
    ['bert-base-cased-qa', 'fvcore', 10_871_832_576 + BERT_ATTENTION_MATMULS + 5 * BERT_LAYERNORM_ELEMENTS],
  ];
  it.each(cases)('%s under %s', (model, profile, expected) => {
    expect(count(model, profile)).toBe(expected);
  });

  it('scale with the batch', () => {
    expect(count('resnet50', 'ptflops', 4)).toBe(4 * count('resnet50', 'ptflops'));
  });
});

describe("each tool's difference from the standard count, term by term", () => {
  const cases = ZOO_IDS.flatMap((model) => COUNTER_IDS.map((tool) => [model, tool] as const));
  it.each(cases)('%s under %s: the terms add up to the difference', (model, tool) => {
    const t = totals(model, tool, 2);
    expect(t.terms.reduce((acc, term) => acc + term.value, 0)).toBe(t.compute.value - t.standard.value);
    for (const term of t.terms) expect(term.value).toBe(term.coefficient * term.quantity.value);
  });

  it('name the rules with their derivation', () => {
    const texts = totals('resnet50', 'thop').terms.map((t) => t.text);
    expect(texts).toContain(`+ BatchNorm: 4 per element: 4 × 11,113,984 elements = ${(4 * RESNET50_BN_ELEMENTS).toLocaleString('en-US')}`);
    expect(totals('bert-base-cased-qa', 'thop').terms.map((t) => t.text)).toContain(
      `− matmuls outside modules (torch.matmul in attention): not seen: ${BERT_ATTENTION_MATMULS.toLocaleString('en-US')} MACs`,
    );
  });
});

describe("the tools' number formats", () => {
  it.each([
    [cleverFormat(4_133_742_592), '4.134G'],
    [cleverFormat(25_557_032), '25.557M'],
    [ptflopsMacs(4_132_436_968), '4.13 GMac'],
    [ptflopsMacs(320_300_008), '320.3 MMac'],
    [calflopsNumber(8_211_108_352), '8.21 G'],
    [fvcoreSize(4_111_512_576), '4.112G'],
    [fvcoreSize(1_000_000_000), '1G'],
  ])('%s', (got, expected) => {
    expect(got).toBe(expected);
  });

  it("torchinfo's sizes add up", () => {
    const report = totals('resnet50', 'torchinfo').report;
    const s = torchinfoSizes(report);
    expect(s.inputBytes).toBe(3 * 224 * 224 * 4);
    expect(s.paramBytes).toBe(25_557_032 * 4);
    expect(s.totalBytes).toBe(s.inputBytes + s.forwardBackwardBytes + s.paramBytes);
  });
});

describe('functional layers', () => {
  it('are marked where torchvision calls them as functions', () => {
    const layer = (model: string, id: string) => defineModel(zooModel(model)).layers.find((l) => l.id === id)!;
    expect(layer('mobilenet-v2', 'avgpool').functional).toBe(true);
    expect(layer('resnet50', 'avgpool').functional).toBe(false);
    expect(layer('resnet50', 'flatten').functional).toBe(true);
    expect(defineModel(zooModel('bert-base-cased-qa')).layers.find((l) => l.name === 'act')!.functional).toBe('bound');
  });

  it('are an error when not a boolean or "bound"', () => {
    expect(() => defineModel({ name: 'm', input: [4], layers: [{ type: 'ReLU', functional: 'yes' }] })).toThrow(/functional: expected true, false or "bound"/);
  });
});

describe('per-layer rules', () => {
  /** The tool's count of the last layer of a one-layer model on `input`. */
  const layerCount = (tool: ProfileId, input: number[], layer: Record<string, unknown>) => {
    const t = profileTotals(defineModel({ name: 'one', input, layers: [layer as { type: string }] }), tool);
    return t.layerCompute[t.layerCompute.length - 1]!.value;
  };
  it.each([
    // nn.ReLU runs F.relu, which ptflops patches: the module hook and the functional both count.
    ['ptflops', [8, 4, 4], { type: 'ReLU' }, 2 * 8 * 4 * 4],
    // nn.ReLU6 runs F.hardtanh, which neither ptflops nor calflops patches.
    ['ptflops', [8, 4, 4], { type: 'ReLU6' }, 8 * 4 * 4],
    ['calflops', [8, 4, 4], { type: 'ReLU6' }, 0],
    // Called as F.relu6 in forward, it is patched.
    ['calflops', [8, 4, 4], { type: 'ReLU6', functional: true }, 8 * 4 * 4],
    ['ptflops', [8, 4, 4], { type: 'MaxPool2d', kernel_size: 2 }, 2 * 8 * 4 * 4],
    ['ptflops', [8, 4, 4], { type: 'AdaptiveAvgPool2d', output_size: 1, functional: true }, 8 * 4 * 4],
    ['thop', [8, 4, 4], { type: 'AdaptiveAvgPool2d', output_size: 1, functional: true }, 0],
    ['thop', [8, 4, 4], { type: 'AdaptiveAvgPool2d', output_size: 1 }, 8 * 16 + 8],
    // Windows of 5 → 2 overlap: [0, 3) and [2, 5), 6 inputs pooled per channel and row.
    ['thop', [1, 5], { type: 'AdaptiveAvgPool1d', output_size: 2 }, 6 + 2],
    ['thop-0.0.31', [1, 5], { type: 'AdaptiveAvgPool1d', output_size: 2 }, 2 * (2 + 1)],
    ['thop-0.0.31', [10], { type: 'Linear', out_features: 4 }, 4 * (2 * 10 - 1)],
    ['thop-0.0.31', [8, 4, 4], { type: 'BatchNorm2d', affine: false }, 4 * 8 * 4 * 4],
    ['fvcore', [16, 8], { type: 'LayerNorm' }, 5 * 16 * 8],
    ['fvcore', [8, 4, 4], { type: 'MaxPool2d', kernel_size: 2 }, 0],
    ['torchprofile', [8, 4, 4], { type: 'BatchNorm2d', affine: false }, 0],
    ['torchinfo', [16], { type: 'Embedding', num_embeddings: 100, embedding_dim: 8 }, 100 * 8],
    ['torchinfo', [10], { type: 'Linear', out_features: 4 }, 4 * 10 + 4],
    ['calflops', [10], { type: 'Linear', out_features: 4 }, 2 * 4 * 10],
    ['calflops', [3, 6, 6], { type: 'Conv2d', out_channels: 2, kernel_size: 3 }, 2 * (2 * 4 * 4 * 3 * 9) + 2 * 4 * 4],
    ['ptflops-aten', [10], { type: 'Linear', out_features: 4, functional: true }, 4 * 10 + 4],
    ['ptflops', [10], { type: 'Linear', out_features: 4, functional: true }, 0],
  ] as const)('%s: %j on %j', (tool, input, layer, expected) => {
    expect(layerCount(tool, [...input], layer)).toBe(expected);
  });
});
