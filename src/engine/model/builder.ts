/**
 * The TypeScript builder: model definitions that read like PyTorch. Each function returns the
 * same plain `LayerDef` a JSON file holds, so a builder model and its JSON transcription are
 * the same `ModelDef` (a test checks it). The `in_*` sizes are left out, as in JSON: they are
 * inferred from the incoming shape (pass them in the options to have them checked).
 *
 *   model('lenet5', [1, 32, 32], [
 *     conv2d(6, 5), relu(), maxPool2d(2),
 *     conv2d(16, 5), relu(), maxPool2d(2),
 *     flatten(), linear(120), relu(), linear(84), relu(), linear(10),
 *   ])
 */
import type { LayerArgs } from '../layers/registry.ts';
import type { LayerDef, ModelDef } from './define.ts';

/** Options common to every layer: its name in the model (PyTorch's attribute name). */
interface Named {
  readonly name?: string;
}
type Options<K extends keyof LayerArgs> = Partial<LayerArgs[K]> & Named;

/** A layer definition without the keys whose value is undefined, so it equals its JSON form. */
function def(type: string, args: Record<string, unknown>): LayerDef {
  const out: Record<string, unknown> = { type };
  for (const [key, value] of Object.entries(args)) if (value !== undefined) out[key] = value;
  return out as LayerDef;
}

/** A whole model: name, per-sample input shape, layers. */
export function model(name: string, input: readonly number[], layers: readonly LayerDef[], meta: { description?: string; source?: string } = {}): ModelDef {
  return { name, input: [...input], layers: [...layers], ...(meta.description ? { description: meta.description } : {}), ...(meta.source ? { source: meta.source } : {}) };
}

/**
 * Marks a layer that the reference implementation calls as a function in `forward`
 * (`F.adaptive_avg_pool2d(x, 1)`, `torch.flatten(x, 1)`), not as a module: module hooks miss it.
 */
export const functional = (layer: LayerDef, how: true | 'bound' = true): LayerDef => ({ ...layer, functional: how });

/** Gives a layer or block its name, as `self.conv1 = ...` does. */
export const named = (name: string, layer: LayerDef): LayerDef => ({ ...layer, name });

// ---- layers (PyTorch's positional arguments, without in_*) ----------------------------------

export const linear = (out_features: number, options: Options<'Linear'> = {}) => def('Linear', { ...options, out_features });
export const conv1d = (out_channels: number, kernel_size: number | [number], options: Options<'Conv1d'> = {}) =>
  def('Conv1d', { out_channels, kernel_size, ...options });
export const conv2d = (out_channels: number, kernel_size: number | [number, number], options: Options<'Conv2d'> = {}) =>
  def('Conv2d', { out_channels, kernel_size, ...options });
export const maxPool1d = (kernel_size: number, stride?: number, options: Options<'MaxPool1d'> = {}) => def('MaxPool1d', { kernel_size, stride, ...options });
export const maxPool2d = (kernel_size: number | [number, number], stride?: number | [number, number], options: Options<'MaxPool2d'> = {}) =>
  def('MaxPool2d', { kernel_size, stride, ...options });
export const avgPool1d = (kernel_size: number, stride?: number, options: Options<'AvgPool1d'> = {}) => def('AvgPool1d', { kernel_size, stride, ...options });
export const avgPool2d = (kernel_size: number | [number, number], stride?: number | [number, number], options: Options<'AvgPool2d'> = {}) =>
  def('AvgPool2d', { kernel_size, stride, ...options });
export const adaptiveAvgPool1d = (output_size: number, options: Named = {}) => def('AdaptiveAvgPool1d', { output_size, ...options });
export const adaptiveAvgPool2d = (output_size: number | [number | null, number | null], options: Named = {}) => def('AdaptiveAvgPool2d', { output_size, ...options });
export const batchNorm1d = (options: Options<'BatchNorm1d'> = {}) => def('BatchNorm1d', { ...options });
export const batchNorm2d = (options: Options<'BatchNorm2d'> = {}) => def('BatchNorm2d', { ...options });
export const layerNorm = (normalized_shape?: number | number[], options: Options<'LayerNorm'> = {}) => def('LayerNorm', { normalized_shape, ...options });
export const groupNorm = (num_groups: number, options: Options<'GroupNorm'> = {}) => def('GroupNorm', { num_groups, ...options });
export const relu = (options: Options<'ReLU'> = {}) => def('ReLU', { ...options });
export const relu6 = (options: Options<'ReLU6'> = {}) => def('ReLU6', { ...options });
export const sigmoid = (options: Named = {}) => def('Sigmoid', { ...options });
export const tanh = (options: Named = {}) => def('Tanh', { ...options });
export const gelu = (options: Options<'GELU'> = {}) => def('GELU', { ...options });
export const silu = (options: Options<'SiLU'> = {}) => def('SiLU', { ...options });
export const hardswish = (options: Options<'Hardswish'> = {}) => def('Hardswish', { ...options });
export const hardsigmoid = (options: Options<'Hardsigmoid'> = {}) => def('Hardsigmoid', { ...options });
export const leakyReLU = (negative_slope?: number, options: Options<'LeakyReLU'> = {}) => def('LeakyReLU', { negative_slope, ...options });
export const prelu = (num_parameters?: number, options: Options<'PReLU'> = {}) => def('PReLU', { num_parameters, ...options });
export const identity = (options: Named = {}) => def('Identity', { ...options });
/** torchvision.ops.StochasticDepth(p, mode): the identity at inference. */
export const stochasticDepth = (p: number, mode: 'row' | 'batch' = 'row', options: Named = {}) => def('StochasticDepth', { p, mode, ...options });
export const convTranspose1d = (out_channels: number, kernel_size: number | [number], options: Options<'ConvTranspose1d'> = {}) =>
  def('ConvTranspose1d', { out_channels, kernel_size, ...options });
export const convTranspose2d = (out_channels: number, kernel_size: number | [number, number], options: Options<'ConvTranspose2d'> = {}) =>
  def('ConvTranspose2d', { out_channels, kernel_size, ...options });
/** nn.ZeroPad2d(padding): an int, or (left, right, top, bottom). */
export const zeroPad2d = (padding: number | [number, number, number, number], options: Named = {}) => def('ZeroPad2d', { padding, ...options });
export const upsample = (options: Options<'Upsample'>) => def('Upsample', { ...options });
/** nn.LSTM(input_size, hidden_size, ...) without input_size: (L, H_in) -> (L, D·hidden_size). */
export const lstm = (hidden_size: number, options: Options<'LSTM'> = {}) => def('LSTM', { hidden_size, ...options });
export const gru = (hidden_size: number, options: Options<'GRU'> = {}) => def('GRU', { hidden_size, ...options });
export const softmax = (dim?: number, options: Named = {}) => def('Softmax', { dim, ...options });
export const flatten = (start_dim?: number, end_dim?: number, options: Named = {}) => def('Flatten', { start_dim, end_dim, ...options });
/** `x[:, index]` along `dim` (counting the batch): `select(1, 0)` takes the first token. */
export const select = (dim: number, index: number, options: Named = {}) => def('Select', { dim, index, ...options });
/** `x[:, start:start + length]` along `dim` (counting the batch): `narrow(1, 1, 196)` drops a class token. */
export const narrow = (dim: number, start: number, length: number, options: Named = {}) => def('Narrow', { dim, start, length, ...options });
export const dropout = (p?: number, options: Options<'Dropout'> = {}) => def('Dropout', { p, ...options });
export const embedding = (num_embeddings: number, embedding_dim: number, options: Options<'Embedding'> = {}) =>
  def('Embedding', { num_embeddings, embedding_dim, ...options });
/** Self-attention over (L, E); embed_dim is inferred from the input. */
export const multiheadAttention = (num_heads: number, options: Options<'MultiheadAttention'> = {}) => def('MultiheadAttention', { num_heads, ...options });

/** ViT's class token: `torch.cat([class_token.expand(n, -1, -1), x], dim=1)`, (L, E) -> (L + 1, E). */
export const classToken = (options: Options<'ClassToken'> = {}) => def('ClassToken', { ...options });
/** `x + θ` with θ a learned tensor of `shape` (ViT's position embedding). */
export const learnedAdd = (shape: number[], options: Named = {}) => def('Elementwise', { op: 'add', learned: shape, ...options });
export const reshape = (shape: number[], options: Named = {}) => def('Reshape', { shape, ...options });
/** torch.permute, `dims` counting the batch: `permute([0, 2, 1])`. */
export const permute = (dims: number[], options: Named = {}) => def('Permute', { dims, ...options });

// ---- blocks ------------------------------------------------------------------------------------

/**
 * A block of layers run in order, like nn.Sequential: `sequential('layer1', [...])`.
 * With an input shape, `sequential('lenet5', [1, 32, 32], [...])` is a whole model.
 */
export function sequential(name: string, input: readonly number[], layers: readonly LayerDef[]): ModelDef;
export function sequential(name: string | undefined, layers: readonly LayerDef[]): LayerDef;
export function sequential(layers: readonly LayerDef[]): LayerDef;
export function sequential(a: string | undefined | readonly LayerDef[], b?: readonly (number | LayerDef)[], c?: readonly LayerDef[]): LayerDef | ModelDef {
  if (Array.isArray(a)) return def('Sequential', { layers: [...a] });
  if (c !== undefined) return model(a as string, b as number[], c);
  return def('Sequential', { name: a, layers: [...(b as LayerDef[])] });
}

/** body(x) + shortcut(x) (or ⊙ with `join: 'mul'`), then `after`; no shortcut: the identity. */
export const residual = (
  layers: readonly LayerDef[],
  options: { shortcut?: readonly LayerDef[]; shortcut_name?: string; after?: readonly LayerDef[]; name?: string; join?: 'add' | 'mul' } = {},
) =>
  def('Residual', {
    name: options.name,
    layers: [...layers],
    shortcut: options.shortcut && [...options.shortcut],
    shortcut_name: options.shortcut_name,
    join: options.join,
    after: options.after && [...options.after],
  });

/** Branches on the same input, joined by add or concat (along `dim`, channels by default). */
export const parallel = (
  branches: readonly (readonly LayerDef[] | LayerDef)[],
  join: 'add' | 'concat' | 'mul',
  options: { dim?: number; after?: readonly LayerDef[]; name?: string } = {},
) => def('Parallel', { name: options.name, branches: branches.map((b) => (Array.isArray(b) ? [...b] : b)), join, dim: options.dim, after: options.after && [...options.after] });

/** `times` copies of `layers`, named start, start + 1, ... as PyTorch numbers them. */
export const repeat = (times: number, layers: readonly LayerDef[], options: { name?: string; start?: number } = {}) =>
  def('Repeat', { name: options.name, times, start: options.start, layers: [...layers] });
