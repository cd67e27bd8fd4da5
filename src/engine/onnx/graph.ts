/**
 * An ONNX file as the importer reads it: decoded with @bufbuild/protobuf from ONNX's own schema
 * (proto/onnx.proto), then reduced to what counting needs: nodes with their attributes, every
 * initializer's dims (never its bytes: a file's weights may be external or stripped), the values
 * of small constants (shapes, scales, clip bounds), and the tensor shapes the file declares.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { tensorDimsProblem } from '../model/rules.ts';
import { ModelProtoSchema, TensorProto_DataLocation, TensorProto_DataType, type AttributeProto, type TensorProto, type TypeProto } from './proto/onnx_pb.ts';

export interface OnnxNode {
  readonly index: number;
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, AttributeProto>;
  /** The attributes as the file lists them (a name given twice is there twice). */
  readonly attributeList: readonly AttributeProto[];
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
  if (!Number.isSafeInteger(n)) throw new OnnxFormatError(`${what} ${v}, beyond exact integers (${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')})`);
  return n;
};

function dimsOf(type: TypeProto | undefined, name: string): Dim[] | undefined {
  if (type?.value.case !== 'tensorType' || !type.value.value.shape) return undefined;
  return type.value.value.shape.dim.map((d, i) =>
    d.value.case === 'dimValue' ? safe(d.value.value, `the tensor '${name}' has dimension ${i} of`) : d.value.case === 'dimParam' ? d.value.value : `?${i}`,
  );
}

const DATA_TYPE_NAMES = Object.fromEntries(Object.entries(TensorProto_DataType).filter(([, v]) => typeof v === 'number').map(([k, v]) => [v, k])) as Record<number, string>;

/** Why a tensor's element type is refused: one ONNX does not define, or strings (nothing a layer counts). */
function elementTypeProblem(dataType: number, what: string, field: string): string | undefined {
  if (dataType === TensorProto_DataType.STRING) return `${what} holds strings (${field} STRING); the importer counts numeric tensors`;
  if (dataType === TensorProto_DataType.UNDEFINED || DATA_TYPE_NAMES[dataType] === undefined) {
    return `${what} has ${field} ${dataType}, which is no ONNX element type (1 FLOAT to 26 INT2, TensorProto.DataType)`;
  }
  return undefined;
}

/**
 * The nodes of the main graph, counted from the wire without decoding them (ModelProto.graph is
 * field 7, GraphProto.node field 1): a file past the layer limit is refused in a tenth of the time
 * decoding it takes. Undefined when the bytes are not well-formed; the decoder then says why.
 */
export function countGraphNodes(bytes: Uint8Array): number | undefined {
  try {
    const model = new BinaryReader(bytes);
    let nodes = 0;
    while (model.pos < model.len) {
      const [field, wire] = model.tag();
      if (field !== 7 || wire !== WireType.LengthDelimited) {
        model.skip(wire, field);
        continue;
      }
      const graph = new BinaryReader(model.bytes());
      while (graph.pos < graph.len) {
        const [f, w] = graph.tag();
        if (f === 1 && w === WireType.LengthDelimited) nodes++;
        graph.skip(w, f);
      }
    }
    return nodes;
  } catch {
    return undefined;
  }
}

export function decodeOnnx(bytes: Uint8Array): OnnxGraph {
  let proto;
  try {
    proto = fromBinary(ModelProtoSchema, bytes);
  } catch (error) {
    const message = (error as Error).message;
    // The decoder stops at 100 nested messages (a graph in a node's attribute in a graph...): the depth limit of a file.
    if (/maximum recursion depth/.test(message)) throw new OnnxFormatError('its messages nest more than 100 deep (subgraphs inside subgraphs); the limit is 100, as in protobuf\'s own decoders');
    throw new OnnxFormatError(`not an ONNX model (the protobuf decoder says: ${message})`);
  }
  const graph = proto.graph;
  if (!graph || graph.node.length === 0) throw new OnnxFormatError('not an ONNX model: it has no graph nodes');
  const opsets = new Map<string, bigint>();
  for (const o of proto.opsetImport) {
    const domain = o.domain === 'ai.onnx' ? '' : o.domain;
    const before = opsets.get(domain);
    if (before !== undefined) throw new OnnxFormatError(`opset_import lists the ${domain ? `domain '${domain}'` : 'default domain (ai.onnx)'} twice (versions ${before} and ${o.version}); a model imports each domain once`);
    opsets.set(domain, o.version);
  }
  const initializers = new Map<string, Initializer>();
  for (const t of graph.initializer) {
    if (initializers.has(t.name)) throw new OnnxFormatError(`the initializer '${t.name}' is stored twice; each tensor has one name`);
    const typeProblem = elementTypeProblem(t.dataType, `the initializer '${t.name}'`, 'data_type');
    if (typeProblem) throw new OnnxFormatError(typeProblem);
    const dimsProblem = tensorDimsProblem(t.dims.map(Number), `the initializer '${t.name}'`, true);
    if (dimsProblem) throw new OnnxFormatError(dimsProblem);
    initializers.set(t.name, {
      name: t.name,
      dims: t.dims.map((d, i) => safe(d, `the initializer '${t.name}' has dimension ${i} of`)),
      dataType: t.dataType,
      external: t.dataLocation === TensorProto_DataLocation.EXTERNAL,
      tensor: t,
    });
  }
  const inputNames = new Set<string>();
  for (const v of graph.input) {
    if (inputNames.has(v.name)) throw new OnnxFormatError(`the graph input '${v.name}' is declared twice; each input has one name`);
    inputNames.add(v.name);
    const elem = v.type?.value.case === 'tensorType' ? v.type.value.value.elemType : undefined;
    const typeProblem = elem === undefined || elem === TensorProto_DataType.UNDEFINED ? undefined : elementTypeProblem(elem, `the graph input '${v.name}'`, 'elem_type');
    if (typeProblem) throw new OnnxFormatError(typeProblem);
  }
  const producers = new Map<string, string>();
  for (const n of graph.node) {
    for (const out of n.output) {
      if (!out) continue;
      const where = `'${n.name || n.opType}' (${n.opType})`;
      const earlier = producers.get(out) ?? (inputNames.has(out) ? 'a graph input' : initializers.has(out) ? 'an initializer' : undefined);
      if (earlier) throw new OnnxFormatError(`the tensor '${out}' is made twice: by ${earlier} and by node ${where}; each tensor has one producer`);
      producers.set(out, `node ${where}`);
    }
  }
  const shapes = new Map<string, readonly Dim[]>();
  for (const v of [...graph.input, ...graph.output, ...graph.valueInfo]) {
    const dims = dimsOf(v.type, v.name);
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
    attributeList: n.attribute,
  }));
  const opset = opsets.get('');
  return {
    irVersion: Number(proto.irVersion),
    opset: opset === undefined ? 0 : safe(opset, 'opset version'),
    producer: [proto.producerName, proto.producerVersion].filter(Boolean).join(' '),
    graphName: graph.name,
    nodes,
    initializers,
    inputs: graph.input.filter((v) => !initializers.has(v.name)).map((v) => ({ name: v.name, dims: dimsOf(v.type, v.name) ?? [] })),
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
