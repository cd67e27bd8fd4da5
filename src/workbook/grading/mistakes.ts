/**
 * Common mistakes, each computed by the engine under the mistaken assumption: the problem is
 * solved again with biases left out, bits taken for bytes, the batch forgotten, and so on, and the
 * figure the student was asked for is read off that solution. A submitted value that matches a
 * mistaken figure (but not the right one) gets the hint for that mistake.
 */
import type { Figure } from '../../engine/math/derivation.ts';
import { importOfModel, isLanguageModel } from '../../engine/hf/from-model.ts';
import { ANSWER_KINDS, answerFigure, solve, type AnswerName, type ProblemContext } from '../answers.ts';

export const MISTAKE_IDS = [
  'biases-forgotten',
  'bits-for-bytes',
  'bytes-per-value-forgotten',
  'batch-forgotten',
  'flops-for-macs',
  'macs-for-flops',
  'cycles-per-mac-forgotten',
  'sram-one-layer',
  'sram-wrong-pair',
  'heads-for-kv-heads',
  'k-or-v-forgotten',
  'hidden-over-heads-for-head-dim',
  'kv-bits-for-bytes',
  'tied-output-counted-twice',
  'final-context-every-step',
] as const;
export type MistakeId = (typeof MISTAKE_IDS)[number];

export interface MistakenFigure {
  readonly id: MistakeId;
  /** In the unit of the figure asked for. */
  readonly value: number;
  readonly message: string;
}

const lower = (name: AnswerName) => ANSWER_KINDS[name].title.toLowerCase();

/** Each mistake's figure for `name`, where the mistake changes it; the first listed wins a tie. */
export function mistakenFigures(ctx: ProblemContext, name: AnswerName, file = 'problem'): MistakenFigure[] {
  const right = answerFigure(ctx, name, file);
  const out: MistakenFigure[] = [];
  const add = (id: MistakeId, value: number | undefined, message: string) => {
    if (value === undefined || !Number.isFinite(value) || value === right.value) return;
    if (out.some((m) => m.value === value)) return;
    out.push({ id, value, message });
  };
  /** The figure `name` when the problem is solved under other assumptions. */
  const resolved = (change: Parameters<typeof solveChanged>[1]): number | undefined => {
    try {
      return answerFigure(solveChanged(ctx, change), name, file).value;
    } catch {
      return undefined; // the mistaken assumption has no such figure; no hint
    }
  };
  const { given } = ctx;
  const paramBits = ctx.report.paramBits;
  const activationBits = ctx.report.activationBits;

  add('biases-forgotten', resolved({ conventions: { biasInParams: false } }), `Not quite: that is the ${lower(name)} without biases. Every neuron of a hidden or output layer has a bias too.`);
  add(
    'bits-for-bytes',
    resolved({ given: { paramBits: paramBits * 8, activationBits: activationBits * 8 } }),
    'Not quite: that is the size in bits, not bytes. There are 8 bits in a byte.',
  );
  if (paramBits !== 8 || activationBits !== 8) {
    add(
      'bytes-per-value-forgotten',
      resolved({ given: { paramBits: 8, activationBits: 8 } }),
      `Not quite: that is the number of values, as if each took one byte. Each takes ${paramBits === activationBits ? paramBits : `${paramBits} or ${activationBits}`} bits.`,
    );
  }
  if (ctx.report.batch > 1) {
    add('batch-forgotten', resolved({ given: { batch: 1 } }), `Not quite: that is for one sample; the batch holds ${ctx.report.batch}.`);
  }
  if (name === 'macs') add('flops-for-macs', ctx.report.totals.flops.value, 'Not quite: that is the FLOPs count (a MAC is a multiply and an add, 2 FLOPs). The question asks for MACs.');
  if (name === 'flops') add('macs-for-flops', ctx.report.totals.macs.value, 'Not quite: that is the MAC count. Each MAC is 2 FLOPs, a multiply and an add.');
  if ((name === 'latencyMs' || name === 'cycles') && given.cyclesPerMac !== undefined && given.cyclesPerMac !== 1) {
    add('cycles-per-mac-forgotten', resolved({ given: { cyclesPerMac: 1 } }), `Not quite: that is at one cycle per MAC; each MAC takes ${given.cyclesPerMac} cycles.`);
  }
  if (name === 'sramBytes' || name === 'peakActivations') {
    for (const m of sramMistakes(ctx, right)) add(m.id, m.value, m.message);
  }
  if (isLanguageModel(ctx.model)) {
    for (const m of llmMistakes(ctx, name, right, file)) add(m.id, m.value, m.message);
  }
  return out;
}

/**
 * A language model's classic slips. The cache's are proportional changes of the right figure (the
 * cache is 2 · L · h_kv · d_h · b / 8 bytes per token: each slip changes one factor); the others
 * re-solve the problem under the mistaken givens.
 */
function llmMistakes(ctx: ProblemContext, name: AnswerName, right: Figure, file: string): MistakenFigure[] {
  const arch = importOfModel(ctx.model).arch;
  const out: MistakenFigure[] = [];
  const kvBits = ctx.given.kvBits ?? 16;
  if (name === 'kvCacheBytesPerToken' || name === 'kvCacheBytes') {
    if (arch.kvHeads !== arch.heads) {
      out.push({ id: 'heads-for-kv-heads', value: (right.value / arch.kvHeads) * arch.heads, message: `Not quite: that counts all ${arch.heads} query heads. Only the ${arch.kvHeads} key-value heads are cached; query heads share them.` });
    }
    out.push({ id: 'k-or-v-forgotten', value: right.value / 2, message: 'Not quite: that caches the keys or the values only. Each token keeps both a key and a value vector per KV head and layer.' });
    if (arch.hidden / arch.heads !== arch.headDim) {
      out.push({ id: 'hidden-over-heads-for-head-dim', value: (right.value / arch.headDim) * (arch.hidden / arch.heads), message: `Not quite: that takes a head's size as hidden / heads = ${arch.hidden / arch.heads}. This config sets head_dim = ${arch.headDim}.` });
    }
    out.push({ id: 'kv-bits-for-bytes', value: right.value * 8, message: `Not quite: that is the size in bits. Each cached number takes ${kvBits} bits, ${kvBits / 8} bytes.` });
  }
  if (name === 'params' && arch.tiedEmbeddings) {
    out.push({ id: 'tied-output-counted-twice', value: right.value + arch.vocab * arch.hidden, message: 'Not quite: that counts the output layer as a matrix of its own. It is tied to the token embedding: one matrix, counted once.' });
  }
  const stepOf: Partial<Record<AnswerName, AnswerName>> = { generationBytes: 'decodeBytes', generationFlops: 'decodeFlops' };
  const step = stepOf[name];
  const { prompt, generate } = ctx.given;
  if (step && prompt !== undefined && generate !== undefined && generate > 1) {
    try {
      const { prompt: _p, generate: _g, ...rest } = ctx.given;
      const last = answerFigure(solve(ctx.model, { ...rest, context: prompt + generate }, ctx.report.conventions, { hardwareProfiles: ctx.hardwareProfiles }), step, file).value;
      out.push({ id: 'final-context-every-step', value: last * generate, message: `Not quite: that is ${generate} steps at the final context. The context grows by one token each step, from ${prompt + 1} to ${prompt + generate}.` });
    } catch {
      // no such figure at the final context: no hint
    }
  }
  return out;
}

type Change = { conventions?: { biasInParams?: boolean }; given?: Partial<ProblemContext['given']> };

function solveChanged(ctx: ProblemContext, change: Change): ProblemContext {
  return solve(ctx.model, { ...ctx.given, ...change.given }, { ...ctx.report.conventions, ...change.conventions }, { hardwareProfiles: ctx.hardwareProfiles });
}

/**
 * SRAM holds one layer's input and output at once; the engine's peak is the largest of those
 * pairs (its `max` expression's arguments). The wrong pairs are the other arguments; a single
 * layer's output alone is the other classic slip.
 */
function sramMistakes(ctx: ProblemContext, right: Figure): MistakenFigure[] {
  const peak = ctx.report.totals.peakActivations;
  // Elements to the figure's unit: 1 for peak activations, bytes per activation for SRAM.
  const perElement = right.value / peak.value;
  const out: MistakenFigure[] = [];
  const expr = peak.expr;
  const pairs = expr.kind === 'max' ? expr.args : [];
  const layers = ctx.report.layers.filter((r) => !r.inPlace);
  pairs.forEach((pair, i) => {
    if (pair.value === peak.value) return;
    const layer = layers[i]?.layer;
    out.push({
      id: 'sram-wrong-pair',
      value: pair.value * perElement,
      message: `Not quite: that is the input and output of ${layer ? layer.path.join('.') : 'another layer'}, which is not the largest pair. Check every consecutive pair of layers.`,
    });
  });
  const outputs = layers.map((r) => r.activations.value);
  if (outputs.length > 0) {
    const largest = Math.max(ctx.report.totals.inputActivations.value, ...outputs);
    out.push({
      id: 'sram-one-layer',
      value: largest * perElement,
      message: 'Not quite: that holds one layer’s values only. While a layer runs, its input and its output are both in memory.',
    });
  }
  return out;
}
