/**
 * Networks described in words, for problem statements: the phrase follows the handouts
 * ("120 inputs, two hidden layers with 256 units each, and 10 output classes").
 */
import { formatNumber } from '../engine/math/latex.ts';
import type { Model } from '../engine/model/define.ts';

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const count = (n: number) => WORDS[n] ?? String(n);

export function mlpPhrase(widths: readonly number[]): string {
  const inputs = widths[0]!;
  const outputs = widths[widths.length - 1]!;
  const hidden = widths.slice(1, -1);
  const layers = `${count(hidden.length)} hidden layer${hidden.length === 1 ? '' : 's'}`;
  let hiddenPart: string;
  if (hidden.length === 0) hiddenPart = 'no hidden layer';
  else if (hidden.every((h) => h === hidden[0])) hiddenPart = `${layers} with ${formatNumber(hidden[0]!)} units${hidden.length > 1 ? ' each' : ''}`;
  else hiddenPart = `${layers} of ${hidden.slice(0, -1).map(formatNumber).join(', ')} and ${formatNumber(hidden[hidden.length - 1]!)} units`;
  return `${formatNumber(inputs)} inputs, ${hiddenPart}, and ${formatNumber(outputs)} outputs`;
}

const ACTIVATIONS = new Set(['ReLU', 'Sigmoid', 'Tanh']);

/** An MLP's widths (inputs, then each Linear's outputs), or undefined for other networks. */
export function mlpWidths(model: Model): number[] | undefined {
  const linears = model.layers.filter((l) => l.type === 'Linear');
  const isMlp = model.input.length === 1 && linears.length === model.layers.filter((l) => !ACTIVATIONS.has(l.type)).length;
  return isMlp ? [model.input[0]!, ...linears.map((l) => l.outputShape[0]!)] : undefined;
}
