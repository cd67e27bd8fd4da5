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
  headline,
  profileTotals,
  ptflopsMacs,
  torchinfoSizes,
  ZOO_IDS,
  zooModel,
  type ProfileId,
} from '../../src/engine/index.ts';

import { EFFICIENTNET_B0_ROWS, MOBILENET_V3_SMALL_ROWS, PUBLISHED as ZOO_PUBLISHED, type InvertedResidualRow } from './published.ts';

const totals = (id: string, profile: ProfileId, batch = 1) => profileTotals(defineModel(zooModel(id)), profile, { batch });
const count = (id: string, profile: ProfileId, batch = 1) => totals(id, profile, batch).compute.value;

// Element counts the rules multiply (from the torchvision definitions, checked below).
const RESNET50_BN_ELEMENTS = 11_113_984;
const RESNET50_RELU_ELEMENTS = 9_608_704;
const RESNET50_POOL_INPUTS = 64 * 112 * 112 + 2048 * 7 * 7; // maxpool + avgpool inputs
const MOBILENET_V2_BN_ELEMENTS = 6_678_112;
const BERT_LAYERNORM_ELEMENTS = 25 * 128 * 768;
const BERT_ATTENTION_MATMULS = 12 * 2 * 12 * 128 * 128 * 64;
// ViT-B/16 on 197 tokens of 768 (196 patches and the class token), 12 heads of 64.
const VIT_STANDARD = 768 * 14 * 14 * 3 * 16 * 16 + 12 * (4 * 197 * 768 * 768 + 2 * 12 * 197 * 197 * 64 + 2 * 197 * 768 * 3072) + 768 * 1000;
const VIT_ATTENTION_MATMULS = 2 * 12 * 197 * 197 * 64; // per layer
const VIT_CONV_BIAS = 768 * 14 * 14;
const VIT_MHA_BIAS = 3 * 197 * 768 + 197 * 768; // in_proj and out_proj, per layer
const VIT_MLP_BIAS = 197 * 3072 + 197 * 768; // per layer
const VIT_LAYERNORM_ELEMENTS = (2 * 12 + 1) * 197 * 768;
const VIT_GELU_ELEMENTS = 197 * 3072; // per layer
// ptflops' multihead_attention_counter_hook beyond the MACs: q scaling, in_proj bias, out_proj bias, softmax.
const VIT_MHA_HOOK_EXTRA = 197 * 768 + 3 * 197 * 768 + 197 * 768 + 12 * 197 * 197;

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
  ['efficientnet-b0', 'ptflops', 0.41, 2, 1e9, 'ptflops README'],
  ['alexnet', 'ptflops-aten', 0.71, 2, 1e9, 'ptflops README'],
  ['vgg16', 'ptflops-aten', 15.48, 2, 1e9, 'ptflops README'],
  ['resnet18', 'ptflops-aten', 1.81, 2, 1e9, 'ptflops README'],
  ['resnet50', 'ptflops-aten', 4.09, 2, 1e9, 'ptflops README'],
  // vit_b_16 (nn.MultiheadAttention with need_weights=False): "17.61 (wrong)" and 16.86.
  ['vit-b-16', 'ptflops', 17.61, 2, 1e9, 'ptflops README'],
  ['vit-b-16', 'ptflops-aten', 16.86, 2, 1e9, 'ptflops README'],
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
  // torchprofile tests/test_models.py: BertModel(BertConfig()) on (1, 128) token ids, 11.177 GMACs.
  ['bert-base-uncased', 'torchprofile', 11.177, 3, 1e9, 'torchprofile tests/test_models.py'],
  // torchvision's weight metadata, "_ops" (GFLOPS).
  ['alexnet', 'torchvision', 0.714, 3, 1e9, 'torchvision AlexNet_Weights meta'],
  ['vgg16', 'torchvision', 15.47, 2, 1e9, 'torchvision VGG16_Weights meta'],
  ['resnet18', 'torchvision', 1.814, 3, 1e9, 'torchvision ResNet18_Weights meta'],
  ['resnet50', 'torchvision', 4.089, 3, 1e9, 'torchvision ResNet50_Weights meta'],
  ['mobilenet-v2', 'torchvision', 0.301, 3, 1e9, 'torchvision MobileNet_V2_Weights meta'],
  ['vit-b-16', 'torchvision', 17.564, 3, 1e9, 'torchvision ViT_B_16_Weights meta'],
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

  it("calflops' BERT table and example (README: MACs 11.174 G; prints MACs:11.17 GMACs)", () => {
    // hfl/chinese-roberta-wwm-ext is BERT-base with its pooler: the same MACs, another vocabulary.
    const t = totals('bert-base-uncased', 'calflops');
    expect(Number((t.standard.value / 1e9).toFixed(3))).toBe(11.174);
    expect(t.headline[0]).toBe('FLOPs: 22.36 GFLOPS');
    expect(t.headline[1]).toBe('MACs: 11.17 GMACs');
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

  it("torchinfo 1.8.0's BERT summary (TylerYep/torchinfo tests/test_output/bert.out)", () => {
    // test_bert: summary(BertModel(BertConfig()), input_size=[(2, 512)] * 3, dtypes=[torch.int] * 3):
    // bert-base-uncased at 512 tokens, batch 2, given three int32 tensors. Written by torchinfo
    // before #318 (November 2024), when a Linear counted batch × its parameters: the whole model's
    // parameters twice, but the position embeddings' (a 1 × 512 lookup) once.
    const t = profileTotals(defineModel(zooModel('bert-base-uncased', { seq: 512 })), 'torchinfo-1.8.0', { batch: 2 });
    expect(t.compute.value).toBe(2 * 109_482_240 - 512 * 768);
    expect(headline('torchinfo-1.8.0', t.compute.value, t.report, { tensors: 3, bytesPerElement: 4 })).toEqual([
      'Total params: 109,482,240',
      'Total mult-adds (M): 218.57',
      'Input size (MB): 0.01',
      'Forward/backward pass size (MB): 852.50',
      'Params size (MB): 437.93',
      'Estimated Total Size (MB): 1290.45',
    ]);
  });

  // tests/fixtures/models.py LSTMNet: Embedding(20, 300), LSTM(300, 512, num_layers=2), Linear(512, 20),
  // summary(input_size=(1, 100), dtypes=[torch.long]): 100 ids through a batch_first=False LSTM, so
  // torchinfo's first two dimensions multiply to 100; here, one sample of 100 steps.
  const lstmNet = () =>
    defineModel({
      name: 'LSTMNet',
      input: [100],
      layers: [
        { type: 'Embedding', name: 'embedding', num_embeddings: 20, embedding_dim: 300 },
        { type: 'LSTM', name: 'encoder', hidden_size: 512, num_layers: 2 },
        { type: 'Linear', name: 'decoder', out_features: 20 },
      ],
    });
  it("torchinfo's LSTMNet summary (tests/test_output/lstm.out, main branch)", () => {
    const t = profileTotals(lstmNet(), 'torchinfo');
    expect(t.compute.value).toBe(6_000 + 100 * 3_768_320 + 100 * 10_260);
    expect(t.headline).toEqual([
      'Total params: 3,784,580',
      'Total mult-adds (M): 377.86',
      'Input size: 856',
      'Forward/backward pass size (kB): 665.60',
      'Params size (MB): 15.14',
      'Estimated Total Size (MB): 15.80',
    ]);
  });
  it("torchinfo 1.8.0's LSTMNet summary (lstm.out before #318, at 38ab72b^)", () => {
    const t = profileTotals(lstmNet(), 'torchinfo-1.8.0');
    expect(t.compute.value).toBe(6_000 + 100 * 3_768_320 + 10_260);
    expect(t.headline).toEqual([
      'Total params: 3,784,580',
      'Total mult-adds (M): 376.85',
      'Input size (MB): 0.00',
      'Forward/backward pass size (MB): 0.67',
      'Params size (MB): 15.14',
      'Estimated Total Size (MB): 15.80',
    ]);
  });

  it("torchinfo's Linear summary (tests/test_output/linear.out: nn.Linear(8, 64) on (32, 16, 8))", () => {
    const t = profileTotals(defineModel({ name: 'linear', input: [16, 8], layers: [{ type: 'Linear', out_features: 64 }] }), 'torchinfo', { batch: 32 });
    expect(t.compute.value).toBe(32 * 16 * (8 * 64 + 64));
    expect(t.headline).toEqual([
      'Total params: 576',
      'Total mult-adds (k): 294.91',
      'Input size (kB): 16.44',
      'Forward/backward pass size (kB): 262.14',
      'Params size (kB): 2.30',
      'Estimated Total Size (kB): 280.89',
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

/**
 * What the rules multiply in an inverted-residual net on 224×224 (stride-2 stem to 112×112), from
 * its table: BatchNorm elements (after every conv), and each squeeze-and-excitation's input
 * (C × H × W: its pool's inputs and the s * x product's outputs) and channels (the pool's outputs).
 */
function invertedResidualElements(stem: number, rows: readonly InvertedResidualRow[], last: number) {
  let size = 112;
  let bn = stem * size * size;
  let seInputs = 0;
  let seChannels = 0;
  for (const r of rows) {
    if (r.exp !== r.inp) bn += r.exp * size * size;
    size = r.s === 2 ? size / 2 : size;
    bn += r.exp * size * size;
    if (r.se) {
      seInputs += r.exp * size * size;
      seChannels += r.exp;
    }
    bn += r.out * size * size;
  }
  bn += last * size * size;
  return { bn, seInputs, seChannels, lastPoolInputs: last * size * size, last };
}
const standardOf = (id: string) => ZOO_PUBLISHED.find((p) => p.id === id && p.profile === 'standard')!.macs;

describe('MobileNetV3-Small and EfficientNet-B0 (torchvision 0.16: every pool a module)', () => {
  const nets = [
    ['mobilenet-v3-small', invertedResidualElements(16, MOBILENET_V3_SMALL_ROWS, 576)],
    ['efficientnet-b0', invertedResidualElements(32, EFFICIENTNET_B0_ROWS, 1280)],
  ] as const;
  it.each(nets)('%s under thop: BatchNorm 4 per element, each adaptive pool 1 per input + 1 per output', (id, e) => {
    expect(count(id, 'thop')).toBe(standardOf(id) + 4 * e.bn + (e.seInputs + e.seChannels) + (e.lastPoolInputs + e.last));
  });
  it.each(nets)('%s under torchprofile: affine BatchNorm 1 per element, pools 1 per output, s * x 1 per output', (id, e) => {
    expect(count(id, 'torchprofile')).toBe(standardOf(id) + e.bn + (e.seChannels + e.last) + e.seInputs);
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
    // ViT-B/16: nn.MultiheadAttention's hook (q scaling, in_proj bias, out_proj bias, softmax per score);
    // Linear and conv biases; LayerNorm 1 per element (no `affine` attribute); nn.GELU and the F.gelu inside it.
    ['vit-b-16', 'ptflops', VIT_STANDARD + 12 * VIT_MHA_HOOK_EXTRA + VIT_CONV_BIAS + 12 * VIT_MLP_BIAS + 1000 + VIT_LAYERNORM_ELEMENTS + 2 * 12 * VIT_GELU_ELEMENTS],
    // aten.addmm and aten.convolution with their biases; SDPA's flash kernel has no handle.
    ['vit-b-16', 'ptflops-aten', VIT_STANDARD - 12 * VIT_ATTENTION_MATMULS + VIT_CONV_BIAS + 12 * (VIT_MHA_BIAS + VIT_MLP_BIAS) + 1000],
    // aten::scaled_dot_product_attention has a handler (the matmuls); affine LayerNorms 1 per element.
    ['vit-b-16', 'torchprofile', VIT_STANDARD + VIT_LAYERNORM_ELEMENTS],
    // No SDPA handle; LayerNorm 5 per element.
    ['vit-b-16', 'fvcore', VIT_STANDARD - 12 * VIT_ATTENTION_MATMULS + 5 * VIT_LAYERNORM_ELEMENTS],
    ['vit-b-16', 'torchvision', VIT_STANDARD],
  ];
  it.each(cases)('%s under %s', (model, profile, expected) => {
    expect(count(model, profile)).toBe(expected);
  });

  it('scale with the batch', () => {
    for (const tool of ['thop', 'ptflops-aten', 'torchprofile', 'fvcore', 'calflops'] as const) expect(count('resnet50', tool, 4)).toBe(4 * count('resnet50', tool));
  });

  it("ptflops at batch 4: its hooks averaged over the batch, its patched functionals (F.relu in nn.ReLU, the F.*pool* in the pools) for all 4", () => {
    // get_flops_pytorch: compute_average_flops_cost() (hooks ÷ batch) + sum(torch_functional_flops).
    expect(count('resnet50', 'ptflops', 4)).toBe(count('resnet50', 'ptflops') + (4 - 1) * (RESNET50_RELU_ELEMENTS + RESNET50_POOL_INPUTS));
    const t = totals('resnet50', 'ptflops', 4);
    expect(t.terms.map((x) => x.text)).toContain(`− module hooks averaged over the batch: their MACs once, not n times: ${(3 * 4_089_184_256).toLocaleString('en-US')} MACs`);
  });
});

describe("each tool's difference from the standard count, term by term", () => {
  const cases = ZOO_IDS.flatMap((model) => COUNTER_IDS.map((tool) => [model, tool] as const));
  it.each(cases)('%s under %s: the terms add up to the difference', (model, tool) => {
    const t = totals(model, tool, 2);
    expect(t.terms.reduce((acc, term) => acc + term.value, 0)).toBe(t.compute.value - t.standard.value);
    for (const term of t.terms) expect(term.value).toBe(term.coefficient * term.quantity.value);
  });

  it("ViT-B/16 under ptflops prints the README's figures, with SDPA's terms named", () => {
    // ptflops' Params(M) 86.57 and its two MACs columns, as get_model_complexity_info prints them.
    expect(totals('vit-b-16', 'ptflops').headline.join(' ')).toContain(ptflopsMacs(count('vit-b-16', 'ptflops')));
    expect(ptflopsMacs(count('vit-b-16', 'ptflops'))).toBe('17.61 GMac');
    expect(ptflopsMacs(count('vit-b-16', 'ptflops-aten'))).toBe('16.86 GMac');
    expect((totals('vit-b-16', 'standard').report.totals.params.value / 1e6).toFixed(2)).toBe('86.57');
    const aten = totals('vit-b-16', 'ptflops-aten').terms.map((t) => t.text);
    expect(aten.some((t) => t.includes('aten._scaled_dot_product_flash_attention_for_cpu') && t.includes((12 * VIT_ATTENTION_MATMULS).toLocaleString('en-US')))).toBe(true);
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
    // sys.getsizeof of the input's storage: its bytes and the storage object's 56.
    expect(s.inputBytes).toBe(3 * 224 * 224 * 4 + 56);
    expect(s.paramBytes).toBe(25_557_032 * 4);
    expect(s.totalBytes).toBe(s.inputBytes + s.forwardBackwardBytes + s.paramBytes);
  });
});

describe("PyTorch's nn.MultiheadAttention, as each tool counts it", () => {
  // Self-attention on L = 10 tokens of E = 64 in h = 4 heads of d = 16, one sample.
  const [L, E, h, d] = [10, 64, 4, 16];
  const standard = 4 * L * E * E + 2 * h * L * L * d;
  const mha = (extra: Record<string, unknown> = {}) => defineModel({ name: 'mha', input: [L, E], layers: [{ type: 'MultiheadAttention', num_heads: h, ...extra }] });
  const cases: readonly [ProfileId, Record<string, unknown>, number][] = [
    ['standard', {}, standard],
    // count_multihead_attention: E (2 L E + L (kdim + vdim)) + 2 L L E, then calculate_softmax(h L, L).
    ['thop', {}, E * (2 * L * E + L * (E + E)) + 2 * L * L * E + h * L * (L + (L - 1) + L)],
    // Only leaves are hooked, and out_proj, the leaf, never runs its forward.
    ['thop-0.0.31', {}, 0],
    // multihead_attention_counter_hook: q scaling, QW KW VW, in_proj bias, per head QKᵀ + softmax + AV,
    // out projection with a bias, divided by ptflops' batch counter, the (L, 1, E) input's first
    // dimension L; then the patched torch.bmm (twice) and F.softmax inside the functional.
    ['ptflops', {}, (L * E + 3 * L * E * E + 3 * L * E + h * (L * L * d + L * L + L * L * d) + L * E * (E + 1)) / L + (h * L * d * L + h * L * L * d) + h * L * L],
    ['ptflops', { bias: false }, (L * E + 3 * L * E * E + h * (L * L * d + L * L + L * L * d) + L * E * (E + 1)) / L + (h * L * d * L + h * L * L * d) + h * L * L],
    // batch_first: the batch counter reads the batch, 1.
    ['ptflops', { batch_first: true }, L * E + 3 * L * E * E + 3 * L * E + h * (L * L * d + L * L + L * L * d) + L * E * (E + 1) + (h * L * d * L + h * L * L * d) + h * L * L],
    // aten.addmm (in_proj, out_proj: MACs + bias) and aten.bmm.
    ['ptflops-aten', {}, standard + 3 * L * E + L * E],
    // aten::linear, aten::bmm, aten::mul (q * scale, L E), aten::mean (weights averaged over heads, L × L).
    ['torchprofile', {}, standard + L * E + L * L],
    ['fvcore', {}, standard],
    // Not a leaf, and its leaf child never runs.
    ['torchinfo', {}, 0],
    ['torchinfo-1.8.0', {}, 0],
    // F.linear (2 per MAC, no bias) and F.softmax; torch.bmm is not patched.
    ['calflops', {}, 2 * (3 * L * E * E + L * E * E) + h * L * L],
    ['deepspeed', {}, 2 * standard + h * L * L],
    ['torchvision', {}, standard],
  ];
  it.each(cases)('%s %j', (tool, extra, expected) => {
    expect(profileTotals(mha(extra), tool).compute.value).toBe(expected);
  });

  // need_weights=False (torchvision's ViT): F.scaled_dot_product_attention for scores, softmax and values.
  const sdpa: readonly [ProfileId, number][] = [
    ['standard', standard],
    // From the shapes: the key's length stands for the weights'.
    ['thop', E * (2 * L * E + L * (E + E)) + 2 * L * L * E + h * L * (L + (L - 1) + L)],
    ['thop-0.0.31', 0],
    // The hook alone, over the batch counter L: SDPA is not patched, so no bmm or softmax again.
    ['ptflops', (L * E + 3 * L * E * E + 3 * L * E + h * (L * L * d + L * L + L * L * d) + L * E * (E + 1)) / L],
    // aten.addmm with bias; the flash-attention kernel has no handle.
    ['ptflops-aten', 4 * L * E * E + 3 * L * E + L * E],
    // aten::linear and aten::scaled_dot_product_attention's handler: b h L L (d + d).
    ['torchprofile', 4 * L * E * E + h * L * L * (d + d)],
    ['fvcore', 4 * L * E * E],
    ['torchinfo', 0],
    ['torchinfo-1.8.0', 0],
    // calflops: F.linear only, SDPA and the softmax inside it are not patched. DeepSpeed patches
    // F.scaled_dot_product_attention (torch >= 2.0): its two matmuls, 2 per MAC, and no softmax.
    ['calflops', 2 * 4 * L * E * E],
    ['deepspeed', 2 * standard],
    ['torchvision', standard],
  ];
  it.each(sdpa)('%s with need_weights=False', (tool, expected) => {
    expect(profileTotals(mha({ need_weights: false }), tool).compute.value).toBe(expected);
  });

  it.each(COUNTER_IDS)('%s: the terms add up to the difference, at batch 2 too', (tool) => {
    for (const [batch, extra] of [[1, {}], [2, {}], [1, { need_weights: false }], [2, { need_weights: false }]] as const) {
      const t = profileTotals(mha(extra), tool, { batch });
      expect(t.terms.reduce((acc, term) => acc + term.value, 0)).toBe(t.compute.value - t.standard.value);
    }
  });

  it('is the default; the zoo BERT says BertSelfAttention', () => {
    expect(mha().layers[0]!.args).toMatchObject({ implementation: 'nn.MultiheadAttention', need_weights: true });
    const bert = defineModel(zooModel('bert-base-cased-qa')).layers.find((l) => l.type === 'MultiheadAttention')!;
    expect(bert.args).toMatchObject({ implementation: 'BertSelfAttention' });
  });

  it('BertSelfAttention is four Linear modules and two torch.matmul calls', () => {
    const bert = defineModel({ name: 'b', input: [L, E], layers: [{ type: 'MultiheadAttention', num_heads: h, implementation: 'BertSelfAttention' }] });
    const at = (tool: ProfileId) => profileTotals(bert, tool).compute.value;
    expect(at('thop')).toBe(4 * L * E * E);
    expect(at('torchinfo')).toBe(4 * L * (E * E + E));
    expect(at('torchinfo-1.8.0')).toBe(4 * (E * E + E));
    expect(at('calflops')).toBe(2 * standard + h * L * L);
    expect(at('ptflops')).toBe(standard + 4 * L * E + h * L * L);
  });

  it('are rejected with another implementation', () => {
    expect(() => mha({ implementation: 'timm' })).toThrow(/implementation: .*nn\.MultiheadAttention.*BertSelfAttention/);
    expect(() => mha({ need_weights: 'no' })).toThrow(/need_weights/);
  });

  it('the tools print what they see', () => {
    const t = (tool: ProfileId) => profileTotals(mha(), tool);
    // calflops' MACs leave out the unpatched torch.bmm; thop 0.0.31 sums leaf parameters, not in_proj's.
    expect(t('calflops').headline[1]).toBe(`MACs: ${calflopsNumber(4 * L * E * E)}MACs`);
    expect(t('thop-0.0.31').headline[0]).toBe(`README table: Params(M) ${((4 * E * E + 4 * E - (3 * E * E + 3 * E)) / 1e6).toFixed(2)} | MACs(G) 0.00`);
    expect(t('torchinfo').report.totals.params.value).toBe(4 * E * E + 4 * E);
    // No output bytes: out_proj never runs, and the module is not a leaf.
    expect(torchinfoSizes(t('torchinfo').report).forwardBackwardBytes).toBe(0);
    expect(t('ptflops').terms.map((x) => x.text)).toContain(`+ torch.bmm (patched) in F.multi_head_attention_forward: the score and value matmuls again: ${(2 * h * L * L * d).toLocaleString('en-US')} MACs`);
  });
});

describe('position embeddings (a 1 × L lookup shared by the batch)', () => {
  it('count once per batch under torchinfo', () => {
    const m = defineModel({ name: 'p', input: [8], layers: [{ type: 'Embedding', num_embeddings: 16, embedding_dim: 4, indices: 'positions' }] });
    expect(profileTotals(m, 'torchinfo', { batch: 3 }).compute.value).toBe(16 * 4);
    expect(profileTotals(m, 'torchinfo-1.8.0', { batch: 3 }).terms.map((x) => x.value)).toEqual([16 * 4]);
    // The word embeddings beside them: batch × parameters.
    const words = defineModel({ name: 'w', input: [8], layers: [{ type: 'Embedding', num_embeddings: 16, embedding_dim: 4 }] });
    expect(profileTotals(words, 'torchinfo', { batch: 3 }).compute.value).toBe(3 * 16 * 4);
  });
  it('need L at most num_embeddings', () => {
    expect(() => defineModel({ name: 'p', input: [20], layers: [{ type: 'Embedding', num_embeddings: 16, embedding_dim: 4, indices: 'positions' }] })).toThrow(/indices "positions"/);
  });
});

describe('functional layers', () => {
  it('are marked where torchvision calls them as functions', () => {
    const layer = (model: string, id: string) => defineModel(zooModel(model)).layers.find((l) => l.id === id)!;
    expect(layer('mobilenet-v2', 'avgpool').functional).toBe(true);
    expect(layer('resnet50', 'avgpool').functional).toBe(false);
    expect(layer('resnet50', 'flatten').functional).toBe(true);
    // torchvision 0.16: MobileNetV3 and EfficientNet pool with an nn.AdaptiveAvgPool2d module (SE's too,
    // torchvision.ops.SqueezeExcitation) and flatten with torch.flatten in forward.
    for (const model of ['mobilenet-v3-small', 'efficientnet-b0']) {
      expect(layer(model, 'avgpool').functional).toBe(false);
      expect(layer(model, 'flatten').functional).toBe(true);
      expect(defineModel(zooModel(model)).layers.filter((l) => l.type === 'AdaptiveAvgPool2d' && l.functional)).toEqual([]);
    }
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

describe("PyTorch's nn.RMSNorm and transformers' RMSNorm, as each tool counts them", () => {
  // Read from the tools' sources (the recorded runs, on PyTorch 1.13, have no nn.RMSNorm): thop
  // registers nn.RMSNorm (≥ 2.4) with count_normalization, 2 per element doubled with γ; no other
  // tool has a hook, a patch or a handler for it. transformers' own module: torchprofile only.
  const norm = (implementation: string, affine = true) =>
    defineModel({ name: `rms-${implementation}`, input: [16, 64], layers: [{ type: 'RMSNorm', implementation, elementwise_affine: affine }] });
  const expected: Record<string, Partial<Record<(typeof COUNTER_IDS)[number], number>>> = {
    'nn.RMSNorm': { thop: 4 * 16 * 64, torchinfo: 64, 'torchinfo-1.8.0': 64 },
    transformers: { torchprofile: 16 + 2 * 16 * 64, torchinfo: 64, 'torchinfo-1.8.0': 64 },
  };
  it.each(Object.entries(expected))('%s on 16 tokens of 64', (implementation, counts) => {
    const model = norm(implementation);
    for (const tool of COUNTER_IDS) expect(profileTotals(model, tool, { batch: 1 }).compute.value, tool).toBe(counts[tool] ?? 0);
  });
  it('without γ: thop 2 per element, torchprofile one product per element', () => {
    expect(profileTotals(norm('nn.RMSNorm', false), 'thop', { batch: 1 }).compute.value).toBe(2 * 16 * 64);
    expect(profileTotals(norm('transformers', false), 'torchprofile', { batch: 1 }).compute.value).toBe(16 + 16 * 64);
    expect(profileTotals(norm('transformers', false), 'torchinfo', { batch: 1 }).compute.value).toBe(0);
  });
});
