/**
 * Model definitions: what a user writes (JSON, or the TypeScript builder) and the validated,
 * shape-checked model the analyzer works on.
 *
 * JSON form: `{"name": "lenet5", "input": [1, 32, 32], "layers": [{"type": "Linear", "out_features": 120}]}`
 * Each layer is `{"type": <PyTorch class name>, "name"?: str, ...PyTorch's argument names}`.
 */
import { z } from 'zod';
import { LayerError, ModelError } from '../errors.ts';
import { LAYER_KINDS, LAYER_TYPES, isLayerType, type LayerArgs, type LayerType } from '../layers/registry.ts';
import type { LayerKind } from '../layers/kind.ts';
import type { Shape } from '../shape.ts';

/** A layer as written: its type, an optional name, and PyTorch's arguments. */
export interface LayerDef {
  readonly type: string;
  readonly name?: string;
  readonly [arg: string]: unknown;
}

export interface ModelDef {
  readonly name: string;
  /** Per-sample input shape, without the batch: [C, H, W] or [F]. */
  readonly input: readonly number[];
  readonly layers: readonly LayerDef[];
  readonly description?: string;
  /** Where the definition comes from (a paper, torchvision, the course handout). */
  readonly source?: string;
}

/** A validated layer with its shapes resolved. */
export interface Layer<K extends LayerType = LayerType> {
  readonly type: K;
  readonly name: string;
  /** Names from the top of the model down to this layer. */
  readonly path: readonly string[];
  readonly args: LayerArgs[K];
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly label: string;
}

export interface Model {
  readonly name: string;
  readonly input: Shape;
  readonly layers: readonly Layer[];
  readonly outputShape: Shape;
  readonly description?: string;
  readonly source?: string;
}

const modelDefSchema = z.strictObject({
  name: z.string().min(1),
  input: z.array(z.number().int().positive()).min(1),
  layers: z.array(z.looseObject({ type: z.string(), name: z.string().min(1).optional() })).min(1),
  description: z.string().optional(),
  source: z.string().optional(),
});

/** Validates a definition, resolves every layer's shapes, and returns the model or a `ModelError`. */
export function defineModel(def: ModelDef, options: { file?: string } = {}): Model {
  const modelName = typeof def?.name === 'string' && def.name ? def.name : '(unnamed model)';
  const fail = (path: string[], detail: string): never => {
    throw new ModelError(modelName, path, detail, options.file);
  };

  const top = modelDefSchema.safeParse(def);
  if (!top.success) fail([], describeIssues(top.error, ['name', 'input', 'layers', 'description', 'source']));

  const layers: Layer[] = [];
  let shape: Shape = def.input;
  def.layers.forEach((layerDef, index) => {
    const name = layerDef.name ?? String(index);
    const path = [name];
    if (!isLayerType(layerDef.type)) {
      fail(path, `unknown layer type '${layerDef.type}'; allowed: ${LAYER_TYPES.join(', ')}`);
    }
    const type = layerDef.type as LayerType;
    const kind = LAYER_KINDS[type] as LayerKind<unknown>;
    const { type: _type, name: _name, ...rawArgs } = layerDef;
    const parsed = kind.schema.safeParse(rawArgs);
    if (!parsed.success) fail(path, `${type}: ${describeIssues(parsed.error, allowedKeys(kind.schema))}`);
    const args = parsed.data;
    let outputShape: Shape;
    try {
      outputShape = kind.outputShape(args, shape);
    } catch (error) {
      if (error instanceof LayerError) return fail(path, `${type}: ${error.message}`);
      throw error;
    }
    layers.push({
      type,
      name,
      path,
      args: args as LayerArgs[LayerType],
      inputShape: shape,
      outputShape,
      label: kind.label(args, shape),
    } as Layer);
    shape = outputShape;
  });

  const names = new Set<string>();
  for (const layer of layers) {
    if (names.has(layer.name)) fail(layer.path as string[], `the name '${layer.name}' is used by two layers`);
    names.add(layer.name);
  }

  return {
    name: def.name,
    input: def.input,
    layers,
    outputShape: shape,
    ...(def.description ? { description: def.description } : {}),
    ...(def.source ? { source: def.source } : {}),
  };
}

function allowedKeys(schema: z.ZodType): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** One sentence per zod issue, naming the argument and, for unknown ones, what is allowed. */
export function describeIssues(error: z.ZodError, allowed: readonly string[]): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((k) => `'${k}'`).join(', ');
        return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${keys}; allowed: ${allowed.join(', ') || 'none'}`;
      }
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      return `${where}${issue.message}`;
    })
    .join('; ');
}
