/**
 * Split and Slice of activations, as views: each piece of an axis is a `Narrow` (torch.narrow,
 * `x[:, a:b]`), free as PyTorch's `torch.split` and slicing are (no copy, no MACs).
 */
import { attrInt, attrInts, nodeName } from './attrs.ts';
import type { OnnxNode } from './graph.ts';
import type { Emit, Translator } from './translate.ts';

/** Consecutive pieces [offset, offset + size) of one axis: a Narrow each (an Identity when whole). */
function pieces(t: Translator, node: OnnxNode, x: string, onnxAxis: number, parts: readonly { offset: number; size: number; output: string }[]): Emit[] {
  const shape = t.shape(node, x);
  const axis = t.axis(node, onnxAxis, shape.length);
  const extent = shape[axis - 1]!;
  return parts.map(({ offset, size, output }, i) => {
    if (size < 1 || offset < 0 || offset + size > extent) t.fail(node, `the piece [${offset}, ${offset + size}) is outside axis ${axis} of size ${extent}`);
    const name = parts.length === 1 ? nodeName(node) : `${nodeName(node)}_${i}`;
    if (size === extent) return { type: 'Identity', args: {}, inputs: [x], output, name };
    return { type: 'Narrow', args: { dim: axis, start: offset, length: size }, inputs: [x], output, name };
  });
}

/** Split: sizes from the `split` attribute (opset 11-12) or input (13+), `num_outputs` (18+), or equal parts. */
export function split(t: Translator, node: OnnxNode): Emit[] {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const onnxAxis = attrInt(node, 'axis', 0);
  const extent = shape[t.axis(node, onnxAxis, shape.length) - 1]!;
  const n = node.outputs.length;
  const given = t.graph.opset >= 13 ? (node.inputs[1] ? t.need(node, node.inputs[1], 'split').values : undefined) : attrInts(node, 'split');
  let sizes: number[];
  if (given) sizes = [...given];
  else if (node.attrs.has('num_outputs')) {
    // Opset 18: parts of ⌈d/k⌉, the last one smaller when k does not divide d.
    const k = attrInt(node, 'num_outputs', n);
    const part = Math.ceil(extent / k);
    sizes = Array.from({ length: k }, (_, i) => Math.min(part, extent - i * part));
  } else {
    if (extent % n !== 0) t.fail(node, `splits an axis of size ${extent} into ${n} equal parts`);
    sizes = new Array<number>(n).fill(extent / n);
  }
  if (sizes.length !== n) t.fail(node, `${sizes.length} split sizes (${sizes.join(', ')}) for ${n} outputs`);
  const total = sizes.reduce((acc, s) => acc + s, 0);
  if (total !== extent) t.fail(node, `split sizes ${sizes.join(' + ')} = ${total}, but the axis has size ${extent}`);
  let offset = 0;
  const parts = sizes.map((size, i) => ({ offset: (offset += size) - size, size, output: node.outputs[i]! }));
  return pieces(t, node, x, onnxAxis, parts);
}

/** Slice of an activation along one axis, step 1 (x[:, 4:8]): a piece, as Split makes. */
export function slice(t: Translator, node: OnnxNode): Emit[] {
  const x = t.activation(node);
  const shape = t.shape(node, x);
  const starts = t.need(node, node.inputs[1], 'starts').values;
  const ends = t.need(node, node.inputs[2], 'ends').values;
  const axes = node.inputs[3] ? t.need(node, node.inputs[3], 'axes').values : starts.map((_, i) => i);
  const steps = node.inputs[4] ? t.need(node, node.inputs[4], 'steps').values : starts.map(() => 1);
  const cut = axes.flatMap((onnxAxis, i) => {
    const extent = shape[t.axis(node, onnxAxis, shape.length) - 1]!;
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + extent : v, 0), extent);
    const [start, end] = [clamp(starts[i]!), clamp(ends[i]!)];
    if (steps[i] !== 1) t.fail(node, `a slice with step ${steps[i]}; the engine takes consecutive elements (step 1)`);
    return start === 0 && end === extent ? [] : [{ onnxAxis, start, end }];
  });
  if (cut.length === 0) return [{ type: 'Identity', args: {}, inputs: [x] }];
  if (cut.length > 1) t.fail(node, `slices ${cut.length} axes at once; the engine takes a piece of one axis`);
  const { onnxAxis, start, end } = cut[0]!;
  return pieces(t, node, x, onnxAxis, [{ offset: start, size: end - start, output: node.outputs[0]! }]);
}
