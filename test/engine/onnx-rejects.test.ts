/**
 * The ONNX files issue 26 found accepted in silence or refused in misleading words, each made the
 * way a careless exporter would, and the exact located message each now gets: the file, the
 * model, the node, its op, the attribute or tensor, and the value.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/engine/index.ts';
import { importOnnx, SUPPORTED_OPS } from '../../src/engine/onnx/index.ts';
import { CONSTANT_OPS } from '../../src/engine/onnx/constants.ts';
import { opAttributes, SCHEMA_OPS } from '../../src/engine/onnx/schema.ts';
import { create } from '@bufbuild/protobuf';
import { AttributeProto_AttributeType, AttributeProtoSchema, TensorProto_DataType } from '../../src/engine/onnx/proto/onnx_pb.ts';
import { mutateOnnx, onnxBytes, onnxErrorOf, smallCnn, type NodeSpec } from '../helpers/onnx.ts';

const CONV = 'net.onnx: net > /conv: Conv node (inputs: x, w, b): ';
const conv = (attrs: NodeSpec['attrs']) => smallCnn({ conv: attrs });
const reshape = (target: number[]) =>
  onnxBytes({ inputs: { x: [1, 4, 6] }, output: 'y', constants: { s: { dims: [target.length], values: target } }, nodes: [{ op: 'Reshape', name: '/reshape', inputs: ['x', 's'], outputs: ['y'] }] });

/** A LayerNorm as exporters decompose it, with the attributes of its two ReduceMean nodes. */
const layerNorm = (mean: NodeSpec['attrs'] = { axes: [-1] }, variance: NodeSpec['attrs'] = { axes: [-1] }) =>
  onnxBytes({
    inputs: { x: [1, 4, 8] },
    output: 'y',
    weights: { gamma: [8], beta: [8] },
    constants: { two: { dims: [], values: [2] }, eps: { dims: [], values: [1e-5] } },
    nodes: [
      { op: 'ReduceMean', name: '/ln/mean', inputs: ['x'], outputs: ['m'], attrs: mean },
      { op: 'Sub', name: '/ln/sub', inputs: ['x', 'm'], outputs: ['d'] },
      { op: 'Pow', name: '/ln/pow', inputs: ['d', 'two'], outputs: ['p'] },
      { op: 'ReduceMean', name: '/ln/var', inputs: ['p'], outputs: ['v'], attrs: variance },
      { op: 'Add', name: '/ln/add', inputs: ['v', 'eps'], outputs: ['ve'] },
      { op: 'Sqrt', name: '/ln/sqrt', inputs: ['ve'], outputs: ['s'] },
      { op: 'Div', name: '/ln/div', inputs: ['d', 's'], outputs: ['n'] },
      { op: 'Mul', name: '/ln/mul', inputs: ['n', 'gamma'], outputs: ['g'] },
      { op: 'Add', name: '/ln/add_1', inputs: ['g', 'beta'], outputs: ['y'] },
    ],
  });

const inputDims = (dims: bigint[]) =>
  mutateOnnx(smallCnn(), (m) => {
    const t = m.graph!.input[0]!.type!.value;
    if (t.case === 'tensorType') dims.forEach((d, i) => (t.value.shape!.dim[i]!.value = { case: 'dimValue', value: d }));
  });

describe('the unmutated files import (the cases below differ from them by one mistake)', () => {
  it('the small CNN: 4·27 + 4 + 64·10 + 10 parameters', () => {
    const report = analyze(importOnnx(smallCnn()).model);
    expect(report.totals.params.value).toBe(4 * 27 + 4 + 64 * 10 + 10);
    expect(report.totals.macs.value).toBe(4 * 27 * 8 * 8 + 64 * 10);
  });

  it('the decomposed LayerNorm is one LayerNorm of 2 · 8 parameters', () => {
    const model = importOnnx(layerNorm()).model;
    expect(model.layers.map((l) => l.type)).toEqual(['LayerNorm']);
    expect(analyze(model).totals.params.value).toBe(2 * 8);
  });
});

describe('attributes out of their schema: the node, the op, the attribute and its value', () => {
  it('every op the importer translates or folds has its schema (an op added without one would go unchecked)', () => {
    expect([...SUPPORTED_OPS, ...CONSTANT_OPS, 'Expand'].filter((op) => !SCHEMA_OPS.has(op))).toEqual([]);
  });

  it('the schema follows the file\'s opset: Split\'s split is an attribute to opset 12, an input from 13', () => {
    expect(opAttributes('Split', 12)).toEqual(new Map([['axis', false], ['split', false]]));
    expect(opAttributes('Split', 13)).toEqual(new Map([['axis', false]]));
    expect(opAttributes('Split', 18)).toEqual(new Map([['axis', false], ['num_outputs', false]]));
    expect(opAttributes('Concat', 17)).toEqual(new Map([['axis', true]]));
  });

  it.each([
    ['kernel_shape [0, 0]', conv({ kernel_shape: [0, 0] }), `${CONV}attribute kernel_shape = [0, 0] holds 0; each entry is at least 1`],
    ['kernel_shape [-3, -3]', conv({ kernel_shape: [-3, -3] }), `${CONV}attribute kernel_shape = [-3, -3] holds -3; each entry is at least 1`],
    ['kernel_shape [2^40, 2^40]', conv({ kernel_shape: [2 ** 40, 2 ** 40] }), `${CONV}attribute kernel_shape = [1099511627776, 1099511627776] differs from the kernel of its weight 'w' (4×3×3×3): 3×3`],
    ['kernel_shape a string', conv({ kernel_shape: '3x3' }), `${CONV}attribute kernel_shape = '3x3' is a string (STRING); Conv's kernel_shape is a list of integers (INTS)`],
    ['kernel_shape floats', conv({ kernel_shape: { floats: [3, 3] } }), `${CONV}attribute kernel_shape = [3, 3] is a list of numbers (FLOATS); Conv's kernel_shape is a list of integers (INTS)`],
    ['kernel_shape of the wrong length', conv({ kernel_shape: [3, 3, 3] }), `${CONV}attribute kernel_shape = [3, 3, 3] differs from the kernel of its weight 'w' (4×3×3×3): 3×3`],
    ["auto_pad 'WEIRD'", conv({ auto_pad: 'WEIRD' }), `${CONV}attribute auto_pad = 'WEIRD' is not one of 'NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'`],
    ['auto_pad 7', conv({ auto_pad: 7 }), `${CONV}attribute auto_pad = 7 is an integer (INT); Conv's auto_pad is a string (STRING)`],
    ['strides a bare integer', conv({ strides: 2 }), `${CONV}attribute strides = 2 is an integer (INT); Conv's strides is a list of integers (INTS)`],
    ['strides of one entry', conv({ strides: [2] }), `${CONV}attribute strides = [2] has 1 entry; over 2 spatial dimensions it has 2`],
    ['pads of two entries', conv({ pads: [1, 1] }), `${CONV}attribute pads = [1, 1] has 2 entries; over 2 spatial dimensions it has 4`],
    ['group 2.5', conv({ group: 2.5 }), `${CONV}attribute group = 2.5 is a number (FLOAT); Conv's group is an integer (INT)`],
    ['group 0', conv({ group: 0 }), `${CONV}attribute group = 0 is below 1; it is at least 1`],
    ['an attribute Conv has not', conv({ kernel_shape: [3, 3], kernal: 3 }), `${CONV}attribute kernal = 3 is not one of Conv's at opset 17 (auto_pad, dilations, group, kernel_shape, pads, strides)`],
    ['MaxPool ceil_mode 7', smallCnn({ pool: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 7 } }), 'net.onnx: net > /pool: MaxPool node (inputs: r): attribute ceil_mode = 7 is not one of 0, 1'],
    ["Gemm beta 'x'", smallCnn({ gemm: { transB: 1, beta: 'x' } }), "net.onnx: net > /fc: Gemm node (inputs: f, fw, fb): attribute beta = 'x' is a string (STRING); Gemm's beta is a number (FLOAT)"],
    ['ReduceMean axes [99] inside a decomposed LayerNorm', layerNorm({ axes: [99] }), 'net.onnx: net > /ln/mean: ReduceMean node (inputs: x): axes 99 is out of range; the engine works per sample (allowed: 1 to 2 or −1 to −2)'],
    ['ReduceMean keepdims 7 inside a decomposed LayerNorm', layerNorm(undefined, { axes: [-1], keepdims: 7 }), 'net.onnx: net > /ln/var: ReduceMean node (inputs: p): attribute keepdims = 7 is not one of 0, 1'],
    ['Gelu before opset 20', onnxBytes({ inputs: { x: [1, 4] }, output: 'y', nodes: [{ op: 'Gelu', name: '/gelu', inputs: ['x'], outputs: ['y'] }] }), 'net.onnx: net > /gelu: Gelu node (inputs: x): Gelu is an op of opset 20 and later; this file imports opset 17'],
    [
      'an attribute given twice',
      mutateOnnx(smallCnn(), (m) => m.graph!.node[0]!.attribute.push({ ...m.graph!.node[0]!.attribute[0]! })),
      `${CONV}attribute kernel_shape is given twice`,
    ],
    [
      'an attribute of no type',
      mutateOnnx(smallCnn(), (m) => (m.graph!.node[0]!.attribute[0]!.type = AttributeProto_AttributeType.UNDEFINED)),
      `${CONV}attribute kernel_shape has no type (UNDEFINED); Conv's kernel_shape is a list of integers (INTS)`,
    ],
  ])('%s', (_name, bytes, message) => {
    expect(onnxErrorOf(bytes)).toBe(message);
  });
});

describe('Reshape targets', () => {
  it.each([
    ['two -1', [1, -1, -1], 'its target shape [1, -1, -1] has more than one -1; one dimension at most is inferred'],
    ['[0, 0, 0, 0] past the input\'s rank (it said "received undefined")', [0, 0, 0, 0], 'its target shape [0, 0, 0, 0] has 0 (copy the input\'s) at dimension 3, but the input 1×4×6 has 3 dimensions'],
    ['-2', [1, -2, 12], 'its target shape [1, -2, 12] has -2 at dimension 1; a target dimension is a positive size, 0 (the input\'s) or -1 (the rest)'],
  ])('%s', (_name, target, detail) => {
    expect(onnxErrorOf(reshape(target))).toBe(`net.onnx: net > /reshape: Reshape node (inputs: x, s): ${detail}`);
  });
});

describe('tensors, names and opsets', () => {
  const T = TensorProto_DataType;
  it.each([
    ['an initializer of data_type 999', mutateOnnx(smallCnn(), (m) => (m.graph!.initializer[0]!.dataType = 999)), "the initializer 'w' has data_type 999, which is no ONNX element type (1 FLOAT to 26 INT2, TensorProto.DataType)"],
    ['an initializer of strings', mutateOnnx(smallCnn(), (m) => (m.graph!.initializer[0]!.dataType = T.STRING)), "the initializer 'w' holds strings (data_type STRING); the importer counts numeric tensors"],
    [
      'an input of strings',
      mutateOnnx(smallCnn(), (m) => {
        const t = m.graph!.input[0]!.type!.value;
        if (t.case === 'tensorType') t.value.elemType = T.STRING;
      }),
      "the graph input 'x' holds strings (elem_type STRING); the importer counts numeric tensors",
    ],
    ['an initializer stored twice', mutateOnnx(smallCnn(), (m) => m.graph!.initializer.push({ ...m.graph!.initializer[1]! })), "the initializer 'b' is stored twice; each tensor has one name"],
    ['a graph input declared twice', mutateOnnx(smallCnn(), (m) => m.graph!.input.push({ ...m.graph!.input[0]! })), "the graph input 'x' is declared twice; each input has one name"],
    ['a tensor made by two nodes', mutateOnnx(smallCnn(), (m) => (m.graph!.node[1]!.output[0] = 'c')), "the tensor 'c' is made twice: by node '/conv' (Conv) and by node '/relu' (Relu); each tensor has one producer"],
    ['two default-domain opsets', mutateOnnx(smallCnn(), (m) => m.opsetImport.push({ ...m.opsetImport[0]!, version: 13n })), 'opset_import lists the default domain (ai.onnx) twice (versions 17 and 13); a model imports each domain once'],
    ['an input dim of -1 (it said "padded input -1")', inputDims([1n, 3n, -1n, 8n]), "input 'x' has dimension 2 of -1 (shape 1×3×-1×8); a dimension is a positive whole number (an open one is a name, such as batch_size)"],
    ['an input of 2^60 elements', inputDims([1n, 3n, 2n ** 30n, 2n ** 30n]), "input 'x' has shape 1×3×1073741824×1073741824, 3.459e+18 elements, beyond exact integer range (9,007,199,254,740,991)"],
    ['an initializer dim of -4', mutateOnnx(smallCnn(), (m) => (m.graph!.initializer[0]!.dims[0] = -4n)), "the initializer 'w' has dimension 0 of -4 (shape -4×3×3×3); a dimension is a whole number"],
  ])('%s', (_name, bytes, detail) => {
    expect(onnxErrorOf(bytes)).toBe(`net.onnx: net: ${detail}`);
  });

  it('a bias one larger than the output channels (it was counted as 4 in silence)', () => {
    expect(onnxErrorOf(mutateOnnx(smallCnn(), (m) => (m.graph!.initializer[1]!.dims = [5n])))).toBe(
      `${CONV}its bias 'b' has shape 5, 5 elements; a convolution of 4 output channels has 4`,
    );
  });

  it('a GRU whose recurrent weights R have 3 directions for W\'s 2 (found by the mutation suite: counted as 2)', () => {
    const bytes = mutateOnnx(new Uint8Array(readFileSync(join(import.meta.dirname, '../fixtures/onnx/gru_bidirectional.onnx'))), (m) => (m.graph!.initializer.find((t) => t.name === 'onnx::GRU_200')!.dims[0] = 3n));
    expect(onnxErrorOf(bytes)).toBe(
      'net.onnx: net > /rnn/GRU: GRU node (inputs: /rnn/Transpose_output_0, onnx::GRU_199, onnx::GRU_200, onnx::GRU_198, /rnn/ConstantOfShape_output_0): weights W 2×60×10 and R 3×60×20 do not fit 2 direction(s) of 3 gates × hidden size 20',
    );
  });

  it('a Constant whose tensor is of no element type', () => {
    const bytes = mutateOnnx(
      onnxBytes({ inputs: { x: [1, 4, 6] }, output: 'y', nodes: [{ op: 'Constant', name: '/c', inputs: [], outputs: ['s'], attrs: { value_ints: [1, 24] } }, { op: 'Reshape', name: '/reshape', inputs: ['x', 's'], outputs: ['y'] }] }),
      (m) => (m.graph!.node[0]!.attribute = [create(AttributeProtoSchema, { name: 'value', type: AttributeProto_AttributeType.TENSOR, t: { dims: [2n], dataType: 999, int64Data: [1n, 24n] } })]),
    );
    expect(onnxErrorOf(bytes)).toBe('net.onnx: net > /c: Constant node (inputs: none): attribute value = a tensor (data_type 999, shape 2) is of no ONNX element type (data_type 1 FLOAT to 26 INT2)');
  });

  it('a weight with no dims names the weight (it said "a -2-d convolution")', () => {
    expect(onnxErrorOf(mutateOnnx(smallCnn(), (m) => (m.graph!.initializer[0]!.dims = [])))).toBe(
      `${CONV}its weight 'w' has shape () (no dimensions); a convolution's weight has 3 dimensions (1-d) or 4 (2-d)`,
    );
  });
});

describe('limits before work', () => {
  const chain = (n: number) =>
    onnxBytes({ inputs: { x: [1, 4] }, output: `t${n - 1}`, nodes: Array.from({ length: n }, (_, i) => ({ op: 'Relu', name: `r${i}`, inputs: [i ? `t${i - 1}` : 'x'], outputs: [`t${i}`] })) });

  it('a chain of 200,001 Relu nodes is refused before any is translated', () => {
    expect(onnxErrorOf(chain(200_001))).toBe('net.onnx: net: 200,001 nodes in the graph; the limit is 200,000 layers');
  });

  it('a Concat of 150,000 inputs analyzes (its shape broadcast and receptive field overflowed a spread: "Maximum call stack size exceeded")', () => {
    const n = 150_000;
    const bytes = onnxBytes({ inputs: { x: [1, 1, 4] }, output: 'y', nodes: [{ op: 'Relu', name: '/relu', inputs: ['x'], outputs: ['a'] }, { op: 'Concat', name: '/cat', inputs: Array.from({ length: n }, () => 'a'), outputs: ['y'], attrs: { axis: 1 } }] });
    const report = analyze(importOnnx(bytes).model);
    expect(report.layers.map((r) => r.layer.outputShape)).toEqual([[1, 4], [n, 4]]);
    expect(report.receptiveField?.value).toBe(1);
  });

  it('bytes past the size limit are refused before they are decoded', () => {
    const bytes = new Uint8Array(256 * 1024 * 1024 + 1);
    expect(onnxErrorOf(bytes)).toBe(
      'net.onnx: net: the file is 268,435,457 bytes; the limit of a .onnx file is 268,435,456 bytes (256 MiB); the importer reads no weights: save the model with external data (onnx.save_model(m, path, save_as_external_data=True)) and give it the .onnx file',
    );
  });
});
