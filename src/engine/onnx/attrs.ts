/**
 * Reading an ONNX node's attributes and inputs: integers, lists, strings, floats, and whether an
 * input is a parameter (an initializer), a constant (values known before running) or an
 * activation. Small helpers, shared by the op table and the patterns.
 */
import type { OnnxNode } from './graph.ts';

export function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attrs.get(name);
  return a === undefined ? fallback : Number(a.i);
}

export function attrInts(node: OnnxNode, name: string): number[] | undefined {
  const a = node.attrs.get(name);
  return a === undefined ? undefined : a.ints.map(Number);
}

export function attrFloat(node: OnnxNode, name: string, fallback: number): number {
  const a = node.attrs.get(name);
  return a === undefined ? fallback : a.f;
}

export function attrString(node: OnnxNode, name: string, fallback: string): string {
  const a = node.attrs.get(name);
  return a === undefined ? fallback : new TextDecoder().decode(a.s);
}

/** `3` when every entry is 3, the list otherwise: PyTorch's int-or-tuple, as a model would write it. */
export function intOrTuple(values: readonly number[]): number | number[] {
  return values.every((v) => v === values[0]) ? values[0]! : [...values];
}

/** The layer name for a node: its own name (or op and position), limited to characters that read safely in tables and TeX. */
export function nodeName(node: OnnxNode): string {
  const raw = node.name || `${node.opType}_${node.index}`;
  return raw.replace(/[^A-Za-z0-9_./:-]/g, '_');
}

/** The common leading path of node names: `/encoder/layer.0/attention/self/query` for its MatMul and Add. */
export function commonName(nodes: readonly OnnxNode[]): string {
  const names = nodes.map(nodeName);
  let prefix = names[0]!;
  for (const n of names) while (!n.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const cut = prefix.lastIndexOf('/');
  const trimmed = cut > 0 ? prefix.slice(0, cut) : prefix;
  return trimmed.length > 1 ? trimmed : names[names.length - 1]!;
}
