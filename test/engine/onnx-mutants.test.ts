/**
 * Real ONNX files (PyTorch's exports in test/fixtures/onnx/) mutated as a careless exporter, a
 * broken download or a hostile file would: truncated, bytes flipped, attributes of the wrong type,
 * out of range or of the wrong length, dims negative or past 2^53 elements, names given twice,
 * opsets twice or out of range, element types ONNX does not define, subgraphs nested past the
 * decoder's depth, bytes past the size limit. Seeded by fast-check, like test/engine/fuzz.test.ts.
 *
 * Every case ends in one of two outcomes, never a crash (a TypeError, a RangeError such as a stack
 * overflow), a hang or a message of several lines:
 * - one located error (a ModelError naming the file and the model); for a mutation that makes
 *   the file invalid, always this, and for one of a node, the message names the node, its op and
 *   the attribute with its value;
 * - or, for a mutation that may leave a valid file (a byte flip in a name, a cut after the graph),
 *   an analysis; a cut file that imports has its figures unchanged.
 *
 * WORKBOOK_FUZZ_SEED sets the seed (default 16) and WORKBOOK_FUZZ_RUNS the cases per family; the
 * case counts and times are printed (test/support/fuzz-tally.ts; `npm run fuzz` tabulates them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, ModelError } from '../../src/engine/index.ts';
import { oneLine } from '../../src/engine/errors.ts';
import { nodeName } from '../../src/engine/onnx/attrs.ts';
import { importOnnx } from '../../src/engine/onnx/index.ts';
import {
  AttributeProto_AttributeType as A,
  GraphProtoSchema,
  ModelProtoSchema,
  TensorProto_DataType as T,
  type AttributeProto,
  type ModelProto,
} from '../../src/engine/onnx/proto/onnx_pb.ts';
import { attributeValueText } from '../../src/engine/onnx/schema.ts';
import { FuzzTally } from '../support/fuzz-tally.ts';

const RUNS = Number(process.env.WORKBOOK_FUZZ_RUNS ?? 0) || undefined;
const SEED = Number(process.env.WORKBOOK_FUZZ_SEED ?? 16);
const runs = (n: number) => ({ seed: SEED, numRuns: RUNS ?? n, endOnFailure: true });
const TIMEOUT = Math.max(300_000, (RUNS ?? 0) * 400);
/** A case that takes longer than this is a hang (the slowest file imports in well under a second). */
const HANG_MS = 30_000;
const FILE = 'mutant.onnx';

const fixtures = join(import.meta.dirname, '../fixtures/onnx');
const BASES = [join(fixtures, 'pytorch'), fixtures].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.onnx'))
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) })),
);

interface Figures {
  readonly params: number;
  readonly macs: number;
  readonly activations: number;
  readonly buffers: number;
}
type Outcome = { readonly kind: 'error'; readonly message: string } | { readonly kind: 'ok'; readonly figures: Figures };

function outcomeOf(bytes: Uint8Array): Outcome {
  const started = performance.now();
  try {
    const report = analyze(importOnnx(bytes, { name: 'net', file: FILE }).model);
    const t = report.totals;
    return { kind: 'ok', figures: { params: t.params.value, macs: t.macs.value, activations: t.activationsWithoutInput.value, buffers: t.buffers.value } };
  } catch (error) {
    // A crash of the importer is the finding: its name and message say which.
    if (!(error instanceof ModelError)) throw new Error(`not a located error: ${(error as Error).name}: ${(error as Error).message}`);
    expect(error.message).toMatch(new RegExp(`^${FILE}: net(:| >)`));
    // NaN only as the file's own value quoted (`momentum = NaN`), never as a figure.
    expect(error.message, error.message).not.toMatch(/\n|undefined|(?<!= )NaN|\[object Object\]/);
    return { kind: 'error', message: error.message };
  } finally {
    expect(performance.now() - started, 'a hang').toBeLessThan(HANG_MS);
  }
}

const BASE_FIGURES = BASES.map((b) => {
  const o = outcomeOf(b.bytes);
  if (o.kind !== 'ok') throw new Error(`${b.name} does not import: ${o.message}`);
  return o.figures;
});

// ---- the tally npm run fuzz prints ---------------------------------------------------------------

const tally = new FuzzTally('onnx-mutants', SEED);
function tried(family: string, bytes: Uint8Array): Outcome {
  const started = performance.now();
  const outcome = outcomeOf(bytes);
  tally.count(outcome.kind === 'error', performance.now() - started, family);
  return outcome;
}

// ---- mutations -------------------------------------------------------------------------------------

const base = fc.nat(BASES.length - 1);
const decode = (i: number): ModelProto => fromBinary(ModelProtoSchema, BASES[i]!.bytes);
const encode = (m: ModelProto): Uint8Array => toBinary(ModelProtoSchema, m);
const pick = <X,>(xs: readonly X[], k: number): X => xs[k % xs.length]!;

/** Spatial lists whose length the node's rank fixes, on ops the importer always translates. */
const SPATIAL = new Set(['kernel_shape', 'strides', 'dilations', 'pads', 'output_padding']);
const SPATIAL_OPS = new Set(['Conv', 'ConvTranspose', 'MaxPool', 'AveragePool']);
const AT_LEAST_ONE = new Set(['kernel_shape', 'strides', 'dilations', 'group', 'hidden_size', 'num_outputs', 'output_shape']);
const NOT_NEGATIVE = new Set(['pads', 'output_padding', 'perm']);
const FLAGS = new Set(['ceil_mode', 'count_include_pad', 'storage_order', 'transA', 'transB', 'keepdims', 'allowzero', 'training_mode', 'layout', 'linear_before_reset', 'input_forget', 'noop_with_empty_axes', 'exclude_outside', 'antialias', 'saturate']);
const ENUMS = new Set(['auto_pad', 'mode', 'direction', 'approximate', 'coordinate_transformation_mode', 'nearest_mode']);
const REQUIRED: Readonly<Record<string, string>> = { Concat: 'axis', Cast: 'to', MaxPool: 'kernel_shape', AveragePool: 'kernel_shape' };

const attr = (name: string, value: Partial<AttributeProto>): AttributeProto => ({ ...create(ModelProtoSchema).graph, $typeName: 'onnx.AttributeProto', name, refAttrName: '', docString: '', type: A.UNDEFINED, f: 0, i: 0n, s: new Uint8Array(), floats: [], ints: [], strings: [], tensors: [], graphs: [], sparseTensors: [], typeProtos: [], ...value }) as AttributeProto;

/** An invalid value for an attribute, by its type and name: the `k`-th of the ways it can be wrong. */
function invalid(a: AttributeProto, op: string, k: number): { attribute: AttributeProto; arity: boolean } {
  const name = a.name;
  const ways: (() => { attribute: AttributeProto; arity: boolean })[] = [];
  const as = (value: Partial<AttributeProto>, arity = false) => () => ({ attribute: attr(name, value), arity });
  switch (a.type) {
    case A.INTS:
      ways.push(as({ type: A.INT, i: a.ints[0] ?? 1n }), as({ type: A.FLOATS, floats: a.ints.map((v) => Number(v) + 0.5) }), as({ type: A.STRING, s: new TextEncoder().encode('3x3') }));
      if (AT_LEAST_ONE.has(name)) ways.push(as({ type: A.INTS, ints: a.ints.map(() => 0n) }), as({ type: A.INTS, ints: a.ints.map(() => -3n) }));
      if (NOT_NEGATIVE.has(name)) ways.push(as({ type: A.INTS, ints: a.ints.map(() => -1n) }));
      if (SPATIAL.has(name) && SPATIAL_OPS.has(op)) ways.push(as({ type: A.INTS, ints: [...a.ints, 1n] }, true));
      ways.push(as({ type: A.INTS, ints: [2n ** 62n] }));
      break;
    case A.INT:
      ways.push(as({ type: A.FLOAT, f: 2.5 }), as({ type: A.STRING, s: new TextEncoder().encode('x') }), as({ type: A.INTS, ints: [a.i, a.i] }));
      if (FLAGS.has(name)) ways.push(as({ type: A.INT, i: 7n }), as({ type: A.INT, i: -1n }));
      if (AT_LEAST_ONE.has(name)) ways.push(as({ type: A.INT, i: 0n }), as({ type: A.INT, i: -2n }));
      break;
    case A.FLOAT:
      ways.push(as({ type: A.STRING, s: new TextEncoder().encode('x') }), as({ type: A.INTS, ints: [1n] }), as({ type: A.FLOAT, f: Number.NaN }), as({ type: A.FLOAT, f: Number.POSITIVE_INFINITY }));
      break;
    case A.STRING:
      ways.push(as({ type: A.INT, i: 7n }));
      if (ENUMS.has(name)) ways.push(as({ type: A.STRING, s: new TextEncoder().encode('WEIRD') }));
      break;
    default:
      ways.push(as({ type: A.UNDEFINED }));
  }
  return pick(ways, k)();
}

/** Nodes with attributes, of ops the importer reads: where an attribute mutation lands. */
function attributed(m: ModelProto): { index: number; op: string; attrs: AttributeProto[] }[] {
  return m.graph!.node.flatMap((n, index) => (n.attribute.length > 0 && n.domain === '' ? [{ index, op: n.opType, attrs: n.attribute }] : []));
}

const where = (m: ModelProto, index: number) => {
  const n = m.graph!.node[index]!;
  // Names in messages are cut to 60 characters (ModelError).
  return `> ${oneLine(nodeName({ index, name: n.name, opType: n.opType } as never), 60)}: ${n.opType} node`;
};

describe('ONNX mutants: one located error or a valid analysis, never a crash, a hang or a lie', () => {
  it('truncated files: refused, or (cut after everything counting reads) the same figures', () => {
    fc.assert(
      fc.property(base, fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), (b, at) => {
        const bytes = BASES[b]!.bytes;
        const outcome = tried('truncations', bytes.subarray(0, Math.floor(at * bytes.length)));
        if (outcome.kind === 'ok') expect(outcome.figures).toEqual(BASE_FIGURES[b]);
      }),
      runs(100),
    );
  }, TIMEOUT);

  it('flipped bytes: a located error or an analysis', () => {
    fc.assert(
      fc.property(base, fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (b, flips) => {
        const bytes = new Uint8Array(BASES[b]!.bytes);
        for (const [at, mask] of flips) bytes[Math.floor(at * bytes.length)]! ^= mask;
        const outcome = tried('byte flips', bytes);
        // Accepted, the figures count what the file stores: every initializer of these exports is a parameter or a buffer.
        if (outcome.kind === 'ok') expect(outcome.figures.params + outcome.figures.buffers).toBe(importOnnx(bytes).initializerElements);
      }),
      runs(200),
    );
  }, TIMEOUT);

  it('an initializer one larger along a dim: refused, or counted as stored (never a bias of 65 counted as 64)', () => {
    fc.assert(
      fc.property(base, fc.nat(), fc.nat(), (b, initK, dimK) => {
        const m = decode(b);
        const init = pick(m.graph!.initializer, initK);
        if (init.dims.length === 0) return;
        const at = dimK % init.dims.length;
        init.dims[at] = init.dims[at]! + 1n;
        const bytes = encode(m);
        const outcome = tried('initializer sizes', bytes);
        if (outcome.kind === 'ok') expect(outcome.figures.params + outcome.figures.buffers).toBe(importOnnx(bytes).initializerElements);
      }),
      runs(150),
    );
  }, TIMEOUT);

  it('attributes of the wrong type, out of range or of the wrong length: the node, its op, the attribute and its value', () => {
    fc.assert(
      fc.property(base, fc.nat(), fc.nat(), fc.nat(), (b, nodeK, attrK, wayK) => {
        const m = decode(b);
        const node = pick(attributed(m), nodeK);
        const before = pick(node.attrs, attrK);
        const { attribute, arity } = invalid(before, node.op, wayK);
        m.graph!.node[node.index]!.attribute[node.attrs.indexOf(before)] = attribute;
        const outcome = tried('attribute values', encode(m));
        expect(outcome.kind, `${node.op} ${attribute.name} = ${attributeValueText(attribute)}`).toBe('error');
        const message = (outcome as { message: string }).message;
        expect(message, message).toContain(where(m, node.index));
        expect(message).toContain(arity || attribute.type === A.UNDEFINED ? `attribute ${attribute.name}` : `attribute ${attribute.name} = ${attributeValueText(attribute)}`);
      }),
      runs(300),
    );
  }, TIMEOUT);

  it('attributes an op has not, given twice, or required and missing: the node, its op and the attribute', () => {
    fc.assert(
      fc.property(base, fc.nat(), fc.nat(2), (b, nodeK, way) => {
        const m = decode(b);
        const nodes = attributed(m);
        let node = pick(nodes, nodeK);
        let name: string;
        if (way === 0) {
          name = 'kernal_shape';
          node.attrs.push(attr(name, { type: A.INTS, ints: [3n, 3n] }));
        } else if (way === 1) {
          name = node.attrs[0]!.name;
          node.attrs.push({ ...node.attrs[0]! });
        } else {
          const required = nodes.filter((n) => REQUIRED[n.op]);
          if (required.length === 0) return;
          node = pick(required, nodeK);
          name = REQUIRED[node.op]!;
          m.graph!.node[node.index]!.attribute = node.attrs.filter((a) => a.name !== name);
        }
        const outcome = tried('attribute names', encode(m));
        expect(outcome.kind).toBe('error');
        const message = (outcome as { message: string }).message;
        expect(message, message).toContain(where(m, node.index));
        expect(message).toContain(`attribute ${name}`);
      }),
      runs(100),
    );
  }, TIMEOUT);

  it('tensors, names and opsets a file may not have: refused, naming the tensor or the opset', () => {
    const kinds = ['initializer type', 'input type', 'input dim', 'initializer dim', 'input past 2^53', 'duplicate initializer', 'duplicate input', 'duplicate producer', 'duplicate opset', 'opset version'] as const;
    fc.assert(
      fc.property(base, fc.nat(kinds.length - 1), fc.nat(), (b, kindK, k) => {
        const m = decode(b);
        const g = m.graph!;
        const kind = kinds[kindK]!;
        const init = pick(g.initializer, k);
        const input = g.input.find((v) => !g.initializer.some((t) => t.name === v.name))!;
        const tensorType = input.type?.value.case === 'tensorType' ? input.type.value.value : undefined;
        let names: string;
        switch (kind) {
          case 'initializer type':
            init.dataType = pick([0, T.STRING, 27, 999], k);
            names = `initializer '${init.name}'`;
            break;
          case 'input type':
            tensorType!.elemType = pick([T.STRING, 27, 999], k);
            names = `input '${input.name}'`;
            break;
          case 'input dim': {
            const dims = tensorType!.shape!.dim;
            dims[k % dims.length]!.value = { case: 'dimValue', value: pick([-1n, 0n, -7n, 2n ** 60n], k) };
            names = `'${input.name}'`;
            break;
          }
          case 'initializer dim':
            init.dims = init.dims.length ? init.dims.map((d, i) => (i === k % init.dims.length ? -d - 1n : d)) : [-2n];
            names = `initializer '${init.name}'`;
            break;
          case 'input past 2^53': {
            // 2^54 elements per sample, in as many equal powers of two as the input has dims after the batch.
            const rest = tensorType!.shape!.dim.slice(1);
            for (const d of rest) d.value = { case: 'dimValue', value: 2n ** BigInt(Math.ceil(54 / rest.length)) };
            names = `'${input.name}'`;
            break;
          }
            break;
          case 'duplicate initializer':
            g.initializer.push({ ...init });
            names = `initializer '${init.name}'`;
            break;
          case 'duplicate input':
            g.input.push({ ...input });
            names = `input '${input.name}'`;
            break;
          case 'duplicate producer': {
            const [first, second] = [pick(g.node, k), pick(g.node, k + 1 + (k % Math.max(1, g.node.length - 1)))];
            if (first === second || !first.output[0]) return;
            second.output[0] = first.output[0];
            names = `tensor '${first.output[0]}'`;
            break;
          }
          case 'duplicate opset':
            m.opsetImport.push({ ...m.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')!, version: 13n });
            names = 'opset_import';
            break;
          case 'opset version':
            for (const o of m.opsetImport) if (o.domain === '' || o.domain === 'ai.onnx') o.version = pick([0n, 9n, 10n, 22n, 99n, 2n ** 40n], k);
            names = 'opset';
            break;
        }
        const outcome = tried(kind.startsWith('duplicate') ? 'duplicate names' : kind.startsWith('opset') || kind === 'duplicate opset' ? 'opsets' : kind.includes('type') ? 'element types' : 'dims', encode(m));
        expect(outcome.kind, kind).toBe('error');
        expect((outcome as { message: string }).message, (outcome as { message: string }).message).toContain(names);
      }),
      runs(200),
    );
  }, TIMEOUT);

  it('subgraphs nested past the decoder\'s depth, and bytes past the size limit: refused before any work', () => {
    fc.assert(
      fc.property(fc.integer({ min: 34, max: 60 }), (depth) => {
        // If nodes whose then_branch holds another If: 3 messages a level (graph, node, attribute).
        let graph = create(GraphProtoSchema, { name: 'leaf', node: [{ opType: 'Relu', input: ['x'], output: ['y'] }] });
        for (let i = 0; i < depth; i++) graph = create(GraphProtoSchema, { name: `g${i}`, node: [{ opType: 'If', input: ['c'], output: ['y'], attribute: [{ name: 'then_branch', type: A.GRAPH, g: graph }] }] });
        const m = create(ModelProtoSchema, { irVersion: 8n, opsetImport: [{ domain: '', version: 17n }], graph });
        const outcome = tried('depth', encode(m));
        expect(outcome).toEqual({ kind: 'error', message: `${FILE}: net: its messages nest more than 100 deep (subgraphs inside subgraphs); the limit is 100, as in protobuf's own decoders` });
      }),
      runs(5),
    );
    const outcome = tried('size', new Uint8Array(256 * 1024 * 1024 + 1));
    expect(outcome.kind === 'error' && outcome.message).toMatch(/^mutant\.onnx: net: the file is 268,435,457 bytes; the limit of a \.onnx file is 268,435,456 bytes/);
  }, TIMEOUT);
});
