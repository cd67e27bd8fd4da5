/**
 * Shape arithmetic on constants: what an exporter computes from `Shape` and small constant
 * tensors (a Reshape's target, an LSTM's zero initial state). Evaluated while importing; it makes
 * no layer. Values are never a weight's: only small tensors whose values are known.
 */
import { attrInts } from './attrs.ts';
import { tensorValues, type OnnxNode } from './graph.ts';

/** A tensor whose values are known without running the model: a shape, a scale, a bound. */
export interface Const {
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

/** Ops evaluated when every input is a constant. */
export const CONSTANT_OPS = new Set(['Shape', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Cast', 'Slice', 'Add', 'Sub', 'Mul', 'Div', 'Identity', 'Reshape', 'ConstantOfShape', 'Expand', 'Floor', 'Ceil', 'Sqrt']);

export function evaluate(node: OnnxNode, inputs: readonly (Const | undefined)[], opset: number): Const | undefined {
  const [a, b] = inputs;
  switch (node.opType) {
    case 'Identity':
    case 'Cast':
      return a;
    case 'Floor':
      return a && { dims: a.dims, values: a.values.map(Math.floor) };
    case 'Ceil':
      return a && { dims: a.dims, values: a.values.map(Math.ceil) };
    case 'Sqrt':
      return a && { dims: a.dims, values: a.values.map(Math.sqrt) };
    case 'Add': case 'Sub': case 'Mul': case 'Div': {
      if (!a || !b) return undefined;
      const f = { Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y, Mul: (x: number, y: number) => x * y, Div: (x: number, y: number) => x / y }[node.opType]!;
      if (a.values.length === b.values.length) return { dims: a.dims, values: a.values.map((x, i) => f(x, b.values[i]!)) };
      if (b.values.length === 1) return { dims: a.dims, values: a.values.map((x) => f(x, b.values[0]!)) };
      if (a.values.length === 1) return { dims: b.dims, values: b.values.map((y) => f(a.values[0]!, y)) };
      return undefined;
    }
    case 'Gather': {
      if (!a || !b || a.dims.length !== 1) return undefined;
      const values = b.values.map((i) => a.values[i < 0 ? i + a.values.length : i]!);
      return values.some((v) => v === undefined) ? undefined : { dims: b.dims, values };
    }
    case 'Unsqueeze': {
      if (!a) return undefined;
      const axes = opset >= 13 ? b?.values : attrInts(node, 'axes');
      return axes ? { dims: unsqueezeDims(a.dims, axes), values: a.values } : undefined;
    }
    case 'Squeeze':
      return a && { dims: a.dims.filter((d) => d !== 1), values: a.values };
    case 'Reshape':
      return a && b ? { dims: b.values, values: a.values } : undefined;
    case 'Concat':
      return inputs.every((c) => c && c.dims.length <= 1) ? { dims: [inputs.reduce((n, c) => n + c!.values.length, 0)], values: inputs.flatMap((c) => c!.values) } : undefined;
    case 'Expand': {
      // A constant broadcast to a shape (recurrent layers' zero initial states).
      if (!a || !b) return undefined;
      const rank = Math.max(a.dims.length, b.values.length);
      const dims = Array.from({ length: rank }, (_, i) => {
        const x = a.dims[i - (rank - a.dims.length)] ?? 1;
        const y = b.values[i - (rank - b.values.length)] ?? 1;
        return x === 1 ? y : x;
      });
      const count = dims.reduce((n, d) => n * d, 1);
      if (count > 4096) return undefined;
      if (a.values.length !== 1 && a.values.length !== count) return a.values.every((v) => v === a.values[0]) ? { dims, values: new Array<number>(count).fill(a.values[0]!) } : undefined;
      return { dims, values: a.values.length === 1 ? new Array<number>(count).fill(a.values[0]!) : a.values };
    }
    case 'ConstantOfShape': {
      if (!a) return undefined;
      const t = node.attrs.get('value')?.t;
      const fill = t ? (tensorValues(t)?.[0] ?? 0) : 0;
      const count = a.values.reduce((n, d) => n * d, 1);
      return count <= 4096 ? { dims: a.values, values: new Array<number>(count).fill(fill) } : undefined;
    }
    case 'Slice': {
      if (!a || a.dims.length !== 1) return undefined;
      const starts = opset >= 10 ? inputs[1]?.values : attrInts(node, 'starts');
      const ends = opset >= 10 ? inputs[2]?.values : attrInts(node, 'ends');
      const steps = inputs[4]?.values ?? [1];
      if (!starts || !ends || steps[0] !== 1) return undefined;
      const n = a.values.length;
      const clamp = (v: number) => Math.max(0, Math.min(n, v < 0 ? v + n : v));
      const values = a.values.slice(clamp(starts[0]!), clamp(ends[0]!));
      return { dims: [values.length], values };
    }
    default:
      return undefined;
  }
}

function unsqueezeDims(dims: readonly number[], axes: readonly number[]): number[] {
  const rank = dims.length + axes.length;
  const at = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : dims[j++]!);
  return out;
}

