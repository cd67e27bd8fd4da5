/**
 * The table of layer kinds. A kind is defined in its own file and listed here; the mapped type
 * makes a kind that is declared in `LayerArgs` but missing from the table a compile error.
 */
import type { LayerKind } from './kind.ts';
import { linear, type LinearArgs } from './linear.ts';
import {
  gelu,
  hardswish,
  relu,
  relu6,
  sigmoid,
  silu,
  softmax,
  tanh,
  type GeluArgs,
  type InplaceArgs,
  type SoftmaxArgs,
} from './activation.ts';

/** Each layer type (PyTorch's class name) and its normalized arguments. */
export interface LayerArgs {
  Linear: LinearArgs;
  ReLU: InplaceArgs;
  ReLU6: InplaceArgs;
  Sigmoid: Record<string, never>;
  Tanh: Record<string, never>;
  GELU: GeluArgs;
  SiLU: InplaceArgs;
  Hardswish: InplaceArgs;
  Softmax: SoftmaxArgs;
}

export type LayerType = keyof LayerArgs;

export const LAYER_KINDS: { readonly [K in LayerType]: LayerKind<LayerArgs[K]> } = {
  Linear: linear,
  ReLU: relu,
  ReLU6: relu6,
  Sigmoid: sigmoid as LayerKind<Record<string, never>>,
  Tanh: tanh as LayerKind<Record<string, never>>,
  GELU: gelu,
  SiLU: silu,
  Hardswish: hardswish,
  Softmax: softmax,
};

export const LAYER_TYPES = Object.keys(LAYER_KINDS) as LayerType[];

export function isLayerType(type: string): type is LayerType {
  return Object.hasOwn(LAYER_KINDS, type);
}
