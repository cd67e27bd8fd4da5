/**
 * ONNX files for tests, built with the same protobuf library the importer decodes with, and the
 * folder of PyTorch's exports (vendored from `shared/onnx/`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProto_AttributeType,
  ModelProtoSchema,
  TensorProto_DataLocation,
  TensorProto_DataType,
  type AttributeProtoSchema,
  type ModelProto,
  type NodeProtoSchema,
  type TensorProtoSchema,
  type ValueInfoProtoSchema,
} from '../../src/engine/onnx/proto/onnx_pb.ts';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { ModelError } from '../../src/engine/errors.ts';
import { importOnnx } from '../../src/engine/onnx/index.ts';

/**
 * PyTorch's ONNX exports with their `expected.json`, vendored from the course's `shared/onnx/` into
 * `test/fixtures/onnx/pytorch/` so that a fresh clone tests without anything beside it.
 * (`test/engine/onnx-fixtures.test.ts` checks the copy against `shared/onnx/` where that exists.)
 */
export function sharedOnnxDir(): string {
  return resolve(import.meta.dirname, '../fixtures/onnx/pytorch');
}

/** The course's own `shared/onnx/` beside the repository (CI) or beside its worktrees, if any. */
export function courseOnnxDir(): string | undefined {
  let dir = resolve(import.meta.dirname, '../..');
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, '..', 'shared', 'onnx');
    if (existsSync(join(candidate, 'expected.json'))) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

type Attr = number | number[] | string | { floats: number[] } | { float: number };

export interface NodeSpec {
  readonly op: string;
  readonly name?: string;
  readonly inputs: readonly string[];
  readonly outputs?: readonly string[];
  readonly attrs?: Readonly<Record<string, Attr>>;
}

function attribute(name: string, value: Attr): MessageInitShape<typeof AttributeProtoSchema> {
  const T = AttributeProto_AttributeType;
  if (typeof value === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: T.INTS, ints: value.map(BigInt) };
  if (typeof value === 'number') return Number.isInteger(value) ? { name, type: T.INT, i: BigInt(value) } : { name, type: T.FLOAT, f: value };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  return { name, type: T.FLOATS, floats: value.floats };
}

const valueInfo = (name: string, dims: readonly (number | string)[]): MessageInitShape<typeof ValueInfoProtoSchema> => ({
  name,
  type: {
    value: {
      case: 'tensorType',
      value: {
        elemType: TensorProto_DataType.FLOAT,
        shape: { dim: dims.map((d) => ({ value: typeof d === 'number' ? { case: 'dimValue' as const, value: BigInt(d) } : { case: 'dimParam' as const, value: d } })) },
      },
    },
  },
});

/**
 * An ONNX model: inputs with dims (batch first), nodes, weights by dims (stored external, without
 * bytes, as stripped exports are), and small constants by value (int64 when integer, else float).
 */
export function onnxBytes(spec: {
  readonly inputs: Readonly<Record<string, readonly (number | string)[]>>;
  readonly output: string;
  readonly nodes: readonly NodeSpec[];
  readonly weights?: Readonly<Record<string, readonly number[]>>;
  readonly constants?: Readonly<Record<string, { dims: readonly number[]; values: readonly number[] }>>;
  readonly opset?: number;
}): Uint8Array {
  const initializer: MessageInitShape<typeof TensorProtoSchema>[] = [
    ...Object.entries(spec.weights ?? {}).map(([name, dims]) => ({
      name,
      dims: dims.map(BigInt),
      dataType: TensorProto_DataType.FLOAT,
      dataLocation: TensorProto_DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: 'weights.bin' }],
    })),
    ...Object.entries(spec.constants ?? {}).map(([name, c]) =>
      c.values.every(Number.isInteger)
        ? { name, dims: c.dims.map(BigInt), dataType: TensorProto_DataType.INT64, int64Data: c.values.map(BigInt) }
        : { name, dims: c.dims.map(BigInt), dataType: TensorProto_DataType.FLOAT, floatData: [...c.values] },
    ),
  ];
  const node: MessageInitShape<typeof NodeProtoSchema>[] = spec.nodes.map((n, i) => ({
    name: n.name ?? `/${n.op}_${i}`,
    opType: n.op,
    input: [...n.inputs],
    output: [...(n.outputs ?? [`${n.name ?? `${n.op}_${i}`}_out`])],
    attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
  }));
  const model = create(ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'test',
    opsetImport: [{ domain: '', version: BigInt(spec.opset ?? 17) }],
    graph: {
      name: 'test-graph',
      node,
      initializer,
      input: Object.entries(spec.inputs).map(([name, dims]) => valueInfo(name, dims)),
      output: [valueInfo(spec.output, [])].map((v) => ({ ...v, type: undefined })),
    },
  });
  return toBinary(ModelProtoSchema, model);
}

/** The message of the located `ModelError` that importing `bytes` (as `net.onnx`) throws. */
export function onnxErrorOf(bytes: Uint8Array): string {
  try {
    importOnnx(bytes, { name: 'net', file: 'net.onnx' });
  } catch (error) {
    if (!(error instanceof ModelError)) throw error;
    return error.message;
  }
  throw new Error('expected the import to fail with a located ModelError');
}

/** The file decoded, changed by `edit` (a careless exporter's mistake), and encoded again. */
export function mutateOnnx(bytes: Uint8Array, edit: (model: ModelProto) => void): Uint8Array {
  const model = fromBinary(ModelProtoSchema, bytes);
  edit(model);
  return toBinary(ModelProtoSchema, model);
}

/** A small CNN as PyTorch exports it: Conv, Relu, MaxPool, Flatten, Gemm (weights stripped). */
export function smallCnn(attrs: { conv?: NodeSpec['attrs']; pool?: NodeSpec['attrs']; gemm?: NodeSpec['attrs'] } = {}, opset = 17): Uint8Array {
  return onnxBytes({
    inputs: { x: [1, 3, 8, 8] },
    output: 'y',
    opset,
    weights: { w: [4, 3, 3, 3], b: [4], fw: [10, 64], fb: [10] },
    nodes: [
      { op: 'Conv', name: '/conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: attrs.conv ?? { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] } },
      { op: 'Relu', name: '/relu', inputs: ['c'], outputs: ['r'] },
      { op: 'MaxPool', name: '/pool', inputs: ['r'], outputs: ['p'], attrs: attrs.pool ?? { kernel_shape: [2, 2], strides: [2, 2] } },
      { op: 'Flatten', name: '/flatten', inputs: ['p'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'Gemm', name: '/fc', inputs: ['f', 'fw', 'fb'], outputs: ['y'], attrs: attrs.gemm ?? { transB: 1, alpha: { float: 1 }, beta: { float: 1 } } },
    ],
  });
}
