/**
 * LSTM and GRU nodes, and the transposes around them. ONNX's recurrent ops read X as
 * [seq, batch, features] and write Y as [seq, directions, batch, hidden]; PyTorch exports a
 * batch-first nn.LSTM as Transpose, LSTM, then Squeeze (or Transpose and Reshape when
 * bidirectional) and a Transpose back. The engine counts per sample, so those moves of the batch
 * are followed here as layouts of the same per-sample tensor (L, features), and each LSTM or GRU
 * node becomes one engine layer: PyTorch exports a stacked nn.LSTM as one node per layer.
 */
import { attrInt, attrInts, attrString } from './attrs.ts';
import type { OnnxNode } from './graph.ts';
import type { Translator } from './translate.ts';

/**
 * Where the batch is, for tensors where it is not first: `time-major` [seq, batch, f];
 * `rnn-y` a recurrent output [seq, dirs, batch, h]; `rnn-y-sbdh` that transposed to [seq, batch, dirs, h].
 */
export type Layout = 'time-major' | 'rnn-y' | 'rnn-y-sbdh';

/** Handles recurrent nodes and the layout moves around them; true when it took the node. */
export function recurrent(t: Translator, node: OnnxNode): boolean {
  if (node.opType === 'LSTM' || node.opType === 'GRU') {
    rnn(t, node);
    return true;
  }
  const x = node.inputs[0];
  if (!x || !t.isActivation(x)) return false;
  const layout = t.layouts.get(x);
  const out = node.outputs[0]!;
  const perm = node.opType === 'Transpose' ? attrInts(node, 'perm')?.join(',') : undefined;
  if (!layout) {
    // Batch-first (L, f) to time-major, when what reads it is a recurrent node.
    const readers = t.readers(out);
    const recurrentReaders = readers.filter((r) => (r.opType === 'LSTM' || r.opType === 'GRU') && r.inputs[0] === out);
    if (perm === '1,0,2' && recurrentReaders.length > 0 && readers.every((r) => recurrentReaders.includes(r) || r.opType === 'Shape')) {
      t.aliasOf(out, x, 'time-major');
      return true;
    }
    return false;
  }
  if (layout === 'time-major' && perm === '1,0,2') return (t.aliasOf(out, x, undefined), true);
  if (layout === 'rnn-y' && perm === '0,2,1,3') return (t.aliasOf(out, x, 'rnn-y-sbdh'), true);
  if (layout === 'rnn-y' && node.opType === 'Squeeze') {
    const axes = t.graph.opset >= 13 ? (node.inputs[1] ? t.need(node, node.inputs[1], 'axes').values : undefined) : attrInts(node, 'axes');
    if (axes?.length === 1 && (axes[0] === 1 || axes[0] === -3)) return (t.aliasOf(out, x, 'time-major'), true);
  }
  if (layout === 'rnn-y-sbdh' && node.opType === 'Reshape') {
    const target = t.need(node, node.inputs[1], 'target shape').values;
    if (target.length === 3 && target[1] !== undefined && (target[1] === 0 || target[1] === t.batch) && target[2] === -1) return (t.aliasOf(out, x, 'time-major'), true);
  }
  t.fail(node, `reads '${x}', a recurrent layer's ${layout === 'time-major' ? '[seq, batch, features]' : '[seq, directions, batch, hidden]'} tensor, in a way the importer does not follow; it follows PyTorch's export (Squeeze, or Transpose and Reshape, then a Transpose back to batch first)`);
}

function rnn(t: Translator, node: OnnxNode): void {
  const gates = node.opType === 'LSTM' ? 4 : 3;
  const x = t.activation(node, 0);
  if (attrInt(node, 'layout', 0) !== 0) t.fail(node, 'layout 1 (batch first); the importer reads the default layout 0, as PyTorch exports it');
  if (t.layouts.get(x) !== 'time-major') {
    t.fail(node, `reads '${x}' as [seq, batch, features], but it is batch first; export a batch_first=True layer (PyTorch transposes before it) or feed it the transposed tensor`);
  }
  const w = t.param(node, node.inputs[1], 'input weights W');
  const r = t.param(node, node.inputs[2], 'recurrent weights R');
  const hasBias = Boolean(node.inputs[3]);
  const biasDims = hasBias ? t.param(node, node.inputs[3], 'biases B') : undefined;
  if (node.inputs[7]) t.fail(node, 'has peephole weights P, which PyTorch\'s LSTM has not');
  const direction = attrString(node, 'direction', 'forward');
  const dirs = direction === 'bidirectional' ? 2 : 1;
  const hidden = attrInt(node, 'hidden_size', r[2] ?? 0);
  if (w.length !== 3 || w[0] !== dirs || w[1] !== gates * hidden || r.length !== 3 || r[0] !== dirs || r[1] !== gates * hidden || r[2] !== hidden) {
    t.fail(node, `weights W ${w.join('×')} and R ${r.join('×')} do not fit ${dirs} direction(s) of ${gates} gates × hidden size ${hidden}`);
  }
  // B is [directions, 2 · gates · hidden]: the input's and the recurrent biases.
  if (biasDims && (biasDims.length !== 2 || biasDims[0] !== dirs || biasDims[1] !== 2 * gates * hidden)) {
    t.fail(node, `biases B ${biasDims.join('×') || '()'} do not fit ${dirs} direction(s) of 2 × ${gates} gates × hidden size ${hidden} (${dirs}×${2 * gates * hidden})`);
  }
  for (const [i, what] of [[1, 'last hidden state Y_h'], [2, 'last cell state Y_c']] as const) {
    const o = node.outputs[i];
    if (o && t.readers(o).length > 0) t.fail(node, `its ${what} is read by another node; the importer counts recurrent layers whose sequence output Y is what follows`);
  }
  const y = node.outputs[0];
  if (!y) t.fail(node, 'its sequence output Y is not used');
  t.emit(node, {
    type: node.opType,
    args: { input_size: w[2], hidden_size: hidden, bidirectional: dirs === 2, bias: hasBias },
    inputs: [x],
  });
  t.layouts.set(y, 'rnn-y');
}
