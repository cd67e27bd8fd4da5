/**
 * ViT-B/16 (Dosovitskiy et al., ICLR 2021), module for module as torchvision writes it
 * (torchvision/models/vision_transformer.py, `vit_b_16`: patch 16, 12 layers, 12 heads, hidden 768,
 * MLP 3072, dropout 0):
 *
 * - `conv_proj`: Conv2d(3, 768, 16, stride 16): 14 × 14 patches; `_process_input` then reshapes
 *   to 768 × 196 and permutes to 196 tokens × 768 (tensor methods, no modules);
 * - `class_token` (an nn.Parameter of VisionTransformer, 1 × 1 × 768) put before the tokens by
 *   torch.cat: 197 tokens;
 * - `encoder`: `input + self.pos_embedding` (an nn.Parameter, 1 × 197 × 768), dropout, the 12
 *   EncoderBlocks (`layers.encoder_layer_i`), then `ln`. An EncoderBlock: ln_1 (LayerNorm, eps
 *   1e-6), `self_attention` = nn.MultiheadAttention(768, 12, batch_first=True) called as
 *   (x, x, x) with need_weights=False, dropout, residual; ln_2, `mlp` (torchvision.ops.MLP:
 *   Linear 768→3072, GELU, Dropout, Linear 3072→768, Dropout), residual;
 * - `x[:, 0]` (the class token), then `heads.head` = Linear(768, 1000).
 *
 * 86,567,656 parameters (ViT_B_16_Weights.IMAGENET1K_V1's num_params).
 */
import { classToken, conv2d, dropout, functional, gelu, layerNorm, learnedAdd, linear, model, multiheadAttention, named, permute, repeat, reshape, residual, select, sequential } from '../model/builder.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

const HIDDEN = 768;
const MLP = 3072;
const HEADS = 12;
const LAYERS = 12;
const PATCH = 16;
const IMAGE = 224;

/** partial(nn.LayerNorm, eps=1e-6), torchvision's norm_layer for ViT. */
const ln = (name: string): LayerDef => named(name, layerNorm(HIDDEN, { eps: 1e-6 }));

/** EncoderBlock: pre-LayerNorm attention and MLP, each with its residual. */
const encoderBlock: LayerDef = sequential(undefined, [
  residual([ln('ln_1'), named('self_attention', multiheadAttention(HEADS, { batch_first: true, need_weights: false })), named('dropout', dropout(0))]),
  residual([ln('ln_2'), sequential('mlp', [linear(MLP), gelu(), dropout(0), linear(HIDDEN), dropout(0)])]),
]);

export function vitB16(): ModelDef {
  const side = IMAGE / PATCH;
  const tokens = side * side + 1;
  return model(
    'vit-b-16',
    [3, IMAGE, IMAGE],
    [
      named('conv_proj', conv2d(HIDDEN, PATCH, { stride: PATCH })),
      // _process_input: x.reshape(n, hidden_dim, n_h * n_w).permute(0, 2, 1)
      functional(reshape([HIDDEN, side * side])),
      functional(permute([0, 2, 1])),
      named('class_token', classToken()),
      sequential('encoder', [
        named('pos_embedding', learnedAdd([tokens, HIDDEN])),
        named('dropout', dropout(0)),
        sequential('layers', [repeat(LAYERS, [encoderBlock])]),
        ln('ln'),
      ]),
      // x[:, 0]: the class token
      functional(select(1, 0)),
      sequential('heads', [named('head', linear(1000))]),
    ],
    {
      description: 'ViT-B/16 (torchvision vit_b_16): 16×16 patches of a 224×224 image, a class token, 12 encoder layers of 768, 12 heads.',
      source: 'torchvision/models/vision_transformer.py (vit_b_16); Dosovitskiy et al. 2021',
    },
  );
}

export const vitB16Def = vitB16();
