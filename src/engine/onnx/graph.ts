/**
 * An ONNX file as the importer reads it: decoded with @bufbuild/protobuf from ONNX's own schema
 * (proto/onnx.proto), then reduced to what counting needs: nodes with their attributes, every
 * initializer's dims (never its bytes: a file's weights may be external or stripped), the values
 * of small constants (shapes, scales, clip bounds), and the tensor shapes the file declares.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, TensorProto_DataLocation, TensorProto_DataType, type AttributeProto, type TensorProto, type TypeProto } from './proto/onnx_pb.ts';

export interface OnnxNode {
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, AttributeProto>;
}

/** A dimension as the file declares it: a size, or a symbol such as `batch_size`. */
export type Dim = number | string;

export interface Initializer {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: number;
  /** Stored outside the file (weights moved to an external data file, possibly not shipped). */
  readonly external: boolean;
  readonly tensor: TensorProto;
}

export interface OnnxGraph {
  readonly irVersion: number;
  /** The default domain's opset. */
  readonly opset: number;
  readonly producer: string;
  readonly graphName: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, Initializer>;
  /** The graph's inputs that are not initializers, with their declared dims (batch first). */
  readonly inputs: readonly { readonly name: string; readonly dims: readonly Dim[] }[];
  readonly outputs: readonly string[];
  /** Declared dims of inputs, outputs and value_info, by tensor name. */
  readonly shapes: ReadonlyMap<string, readonly Dim[]>;
}

/** A file that is not a readable ONNX model: the message says why. */
export class OnnxFormatError extends Error {}

const safe = (v: bigint | number, what: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new OnnxFormatError(`${what} ${v} is beyond exact integers`);
  return n;
};

function dimsOf(type: TypeProto | undefined): Dim[] | undefined {
  if (type?.value.case !== 'tensorType' || !type.value.value.shape) return undefined;
  return type.value.value.shape.dim.map((d, i) =>
    d.value.case === 'dimValue' ? safe(d.value.value, `dimension ${i}`) : d.value.case === 'dimParam' ? d.value.value : `?${i}`,
  );
}

export function decodeOnnx(bytes: Uint8Array): OnnxGraph {
  let proto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch (error) {
    throw new OnnxFormatError(`not an ONNX model (the protobuf decoder says: ${(error as Error).message})`);
  }
  const graph = proto.graph;
  if (!graph || graph.node.length === 0) throw new OnnxFormatError('not an ONNX model: it has no graph nodes');
  const opsetEntry = proto.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  const initializers = new Map<string, Initializer>();
  for (const t of graph.initializer) {
    initializers.set(t.name, {
      name: t.name,
      dims: t.dims.map((d, i) => safe(d, `${t.name} dimension ${i}`)),
      dataType: t.dataType,
      external: t.dataLocation === TensorProto_DataLocation.EXTERNAL,
      tensor: t,
    });
  }
  const shapes = new Map<string, readonly Dim[]>();
  for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) {
    const dims = dimsOf(v.type);
    if (dims) shapes.set(v.name, dims);
  }
  const nodes: OnnxNode[] = graph.node.map((n, index) => ({
    index,
    name: n.name,
    opType: n.opType,
    domain: n.domain,
    inputs: n.input,
    outputs: n.output,
    attrs: new Map(n.attribute.map((a) => [a.name, a])),
  }));
  return {
    irVersion: Number(proto.irVersion),
    opset: opsetEntry ? Number(opsetEntry.version) : 0,
    producer: [proto.producerName, proto.producerVersion].filter(Boolean).join(' '),
    graphName: graph.name,
    nodes,
    initializers,
    inputs: graph.input.filter((v) => !initializers.has(v.name)).map((v) => ({ name: v.name, dims: dimsOf(v.type) ?? [] })),
    outputs: graph.output.map((v) => v.name),
    shapes,
  };
}

/** The most elements of a tensor whose values the importer reads (shapes, scales, bounds: never weights). */
export const MAX_CONSTANT_ELEMENTS = 4096;

/**
 * The values of a small inline tensor (a Constant's value, a shape initializer), as numbers;
 * undefined for large, external or non-numeric tensors, whose bytes are never read.
 */
export function tensorValues(t: TensorProto): number[] | undefined {
  const count = t.dims.reduce((acc, d) => acc * Number(d), 1);
  if (count > MAX_CONSTANT_ELEMENTS || t.dataLocation === TensorProto_DataLocation.EXTERNAL) return undefined;
  const T = TensorProto_DataType;
  if (t.rawData.length > 0) {
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const read = (size: number, get: (offset: number) => number): number[] | undefined =>
      t.rawData.byteLength === count * size ? Array.from({ length: count }, (_, i) => get(i * size)) : undefined;
    switch (t.dataType) {
      case T.FLOAT: return read(4, (o) => view.getFloat32(o, true));
      case T.DOUBLE: return read(8, (o) => view.getFloat64(o, true));
      case T.INT64: return read(8, (o) => Number(view.getBigInt64(o, true)));
      case T.INT32: return read(4, (o) => view.getInt32(o, true));
      case T.INT8: return read(1, (o) => view.getInt8(o));
      case T.UINT8: case T.BOOL: return read(1, (o) => view.getUint8(o));
      default: return undefined;
    }
  }
  switch (t.dataType) {
    case T.FLOAT: return t.floatData.length === count ? [...t.floatData] : undefined;
    case T.DOUBLE: return t.doubleData.length === count ? [...t.doubleData] : undefined;
    case T.INT64: return t.int64Data.length === count ? t.int64Data.map(Number) : undefined;
    case T.INT32: case T.INT8: case T.UINT8: case T.BOOL: return t.int32Data.length === count ? [...t.int32Data] : undefined;
    default: return undefined;
  }
}
