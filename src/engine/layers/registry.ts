/**
 * The table of layer kinds. A kind is defined in its own file and listed here; the mapped type
 * makes a kind that is declared in `LayerArgs` but missing from the table a compile error.
 */
import type { LayerKind } from './kind.ts';
import { linear, type LinearArgs } from './linear.ts';
import { conv1d, conv2d, type Conv1dArgs, type Conv2dArgs } from './conv.ts';
import {
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  avgPool1d,
  avgPool2d,
  maxPool1d,
  maxPool2d,
  type AdaptiveAvgPool1dArgs,
  type AdaptiveAvgPool2dArgs,
  type AvgPool1dArgs,
  type AvgPool2dArgs,
  type MaxPool1dArgs,
  type MaxPool2dArgs,
} from './pool.ts';
import { batchNorm1d, batchNorm2d, groupNorm, layerNorm, type BatchNormArgs, type GroupNormArgs, type LayerNormArgs } from './norm.ts';
import { dropout, flatten, type DropoutArgs, type FlattenArgs } from './reshape.ts';
import { embedding, type EmbeddingArgs } from './embedding.ts';
import { narrow, select, type NarrowArgs, type SelectArgs } from './select.ts';
import { multiheadAttention, type MultiheadAttentionArgs } from './attention.ts';
import { addJoin, concat, mulJoin, type AddArgs, type ConcatArgs } from './join.ts';
import { identity, stochasticDepth, type IdentityArgs, type StochasticDepthArgs } from './identity.ts';
import { prelu, type PReLUArgs } from './prelu.ts';
import { convTranspose1d, convTranspose2d, type ConvTranspose1dArgs, type ConvTranspose2dArgs } from './conv-transpose.ts';
import { upsample, type UpsampleArgs } from './upsample.ts';
import { gru, lstm, type GRUArgs, type LSTMArgs } from './recurrent.ts';
import { permute, reshape, type PermuteArgs, type ReshapeArgs } from './view.ts';
import { matMul, type MatMulArgs } from './matmul.ts';
import { elementwise, type ElementwiseArgs } from './elementwise.ts';
import { classToken, type ClassTokenArgs } from './class-token.ts';
import { zeroPad2d, type ZeroPad2dArgs } from './pad.ts';
import { rmsNorm, type RMSNormArgs } from './rms-norm.ts';
import { causalSelfAttention, type CausalSelfAttentionArgs } from './causal-attention.ts';
import { gatedMlp, type GatedMLPArgs } from './gated-mlp.ts';
import { mixtureOfExperts, type MixtureOfExpertsArgs } from './moe.ts';
import { lmHead, type LMHeadArgs } from './lm-head.ts';
import {
  gelu,
  hardsigmoid,
  hardswish,
  leakyReLU,
  relu,
  relu6,
  sigmoid,
  silu,
  softmax,
  tanh,
  type GeluArgs,
  type InplaceArgs,
  type LeakyReLUArgs,
  type SoftmaxArgs,
} from './activation.ts';

/** Each layer type (PyTorch's class name) and its normalized arguments. */
export interface LayerArgs {
  Linear: LinearArgs;
  Conv1d: Conv1dArgs;
  Conv2d: Conv2dArgs;
  MaxPool1d: MaxPool1dArgs;
  MaxPool2d: MaxPool2dArgs;
  AvgPool1d: AvgPool1dArgs;
  AvgPool2d: AvgPool2dArgs;
  AdaptiveAvgPool1d: AdaptiveAvgPool1dArgs;
  AdaptiveAvgPool2d: AdaptiveAvgPool2dArgs;
  BatchNorm1d: BatchNormArgs;
  BatchNorm2d: BatchNormArgs;
  LayerNorm: LayerNormArgs;
  GroupNorm: GroupNormArgs;
  ReLU: InplaceArgs;
  ReLU6: InplaceArgs;
  Sigmoid: Record<string, never>;
  Tanh: Record<string, never>;
  GELU: GeluArgs;
  SiLU: InplaceArgs;
  Hardswish: InplaceArgs;
  Hardsigmoid: InplaceArgs;
  LeakyReLU: LeakyReLUArgs;
  PReLU: PReLUArgs;
  Softmax: SoftmaxArgs;
  Flatten: FlattenArgs;
  Dropout: DropoutArgs;
  Select: SelectArgs;
  Narrow: NarrowArgs;
  Embedding: EmbeddingArgs;
  MultiheadAttention: MultiheadAttentionArgs;
  Add: AddArgs;
  Mul: AddArgs;
  Concat: ConcatArgs;
  Identity: IdentityArgs;
  StochasticDepth: StochasticDepthArgs;
  ConvTranspose1d: ConvTranspose1dArgs;
  ConvTranspose2d: ConvTranspose2dArgs;
  Upsample: UpsampleArgs;
  ZeroPad2d: ZeroPad2dArgs;
  LSTM: LSTMArgs;
  GRU: GRUArgs;
  Reshape: ReshapeArgs;
  Permute: PermuteArgs;
  MatMul: MatMulArgs;
  Elementwise: ElementwiseArgs;
  ClassToken: ClassTokenArgs;
  // Decoder-only language models (the Hugging Face config importer, src/engine/hf/)
  RMSNorm: RMSNormArgs;
  CausalSelfAttention: CausalSelfAttentionArgs;
  GatedMLP: GatedMLPArgs;
  MixtureOfExperts: MixtureOfExpertsArgs;
  LMHead: LMHeadArgs;
}

export type LayerType = keyof LayerArgs;

export const LAYER_KINDS: { readonly [K in LayerType]: LayerKind<LayerArgs[K]> } = {
  Linear: linear,
  Conv1d: conv1d,
  Conv2d: conv2d,
  MaxPool1d: maxPool1d,
  MaxPool2d: maxPool2d,
  AvgPool1d: avgPool1d,
  AvgPool2d: avgPool2d,
  AdaptiveAvgPool1d: adaptiveAvgPool1d,
  AdaptiveAvgPool2d: adaptiveAvgPool2d,
  BatchNorm1d: batchNorm1d,
  BatchNorm2d: batchNorm2d,
  LayerNorm: layerNorm,
  GroupNorm: groupNorm,
  ReLU: relu,
  ReLU6: relu6,
  Sigmoid: sigmoid as LayerKind<Record<string, never>>,
  Tanh: tanh as LayerKind<Record<string, never>>,
  GELU: gelu,
  SiLU: silu,
  Hardswish: hardswish,
  Hardsigmoid: hardsigmoid,
  LeakyReLU: leakyReLU,
  PReLU: prelu,
  Softmax: softmax,
  Flatten: flatten,
  Dropout: dropout,
  Select: select,
  Narrow: narrow,
  Embedding: embedding,
  MultiheadAttention: multiheadAttention,
  Add: addJoin,
  Mul: mulJoin,
  Concat: concat,
  Identity: identity,
  StochasticDepth: stochasticDepth,
  ConvTranspose1d: convTranspose1d,
  ConvTranspose2d: convTranspose2d,
  Upsample: upsample,
  ZeroPad2d: zeroPad2d,
  LSTM: lstm,
  GRU: gru,
  Reshape: reshape,
  Permute: permute,
  MatMul: matMul,
  Elementwise: elementwise,
  ClassToken: classToken,
  RMSNorm: rmsNorm,
  CausalSelfAttention: causalSelfAttention,
  GatedMLP: gatedMlp,
  MixtureOfExperts: mixtureOfExperts,
  LMHead: lmHead,
};

export const LAYER_TYPES = Object.keys(LAYER_KINDS) as LayerType[];

export function isLayerType(type: string): type is LayerType {
  return Object.hasOwn(LAYER_KINDS, type);
}
