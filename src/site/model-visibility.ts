/**
 * Which model pages the edition publishes. A model page prints hundreds of a model's numbers
 * (parameters, MACs, bytes per layer), and some are answers of problems, or equal them by
 * coincidence (VGG-16's first convolution holds 7,168 bytes, HW1 Q2's SRAM answer); the student
 * edition promises no answer anywhere in its output, so it publishes no model figures at all. It
 * shows what is no answer: a model's input and output, how many layers of which kinds, and each
 * layer's definition (the models index, and an outline page per model, so links never 404).
 */
import { defineModel, zooEntry, ZOO_IDS, type Model } from '../engine/index.ts';
import { currentEdition } from './edition.ts';

/**
 * Ids whose figures this edition leaves out: none in the solutions edition, all in the student
 * one (the built-in models' and, given, the course's own models' ids).
 */
export function hiddenModels(ids: Iterable<string> = ZOO_IDS): Set<string> {
  return currentEdition() === 'student' ? new Set(ids) : new Set();
}

/**
 * The zoo id of a problem's model, when it is a zoo model: named by its id, or written inline
 * (HW1's `{ name: mlp-hw1-q1, mlp: [...] }`) with the same layers and shapes. A variant with other
 * widths is not the zoo model and gets no link.
 */
export function zooIdOf(model: Model): string | undefined {
  const entry = zooEntry(model.name);
  if (!entry) return undefined;
  const zoo = defineModel(entry.def);
  const same =
    zoo.layers.length === model.layers.length &&
    zoo.layers.every((l, i) => {
      const m = model.layers[i]!;
      return l.id === m.id && l.type === m.type && l.label === m.label && l.outputShape.join() === m.outputShape.join();
    });
  return same ? entry.id : undefined;
}

export interface Architecture {
  /** Layers as the model lists them (leaves: a residual block's convolutions count one by one). */
  readonly layers: number;
  /** How many layers of each kind, in order of first appearance: `[['Conv2d', 5], ['ReLU', 7], ...]`. */
  readonly kinds: readonly (readonly [string, number])[];
}

/** What a model is made of, without a figure computed from it. */
export function architectureOf(model: Model): Architecture {
  const kinds = new Map<string, number>();
  for (const l of model.layers) kinds.set(l.type, (kinds.get(l.type) ?? 0) + 1);
  return { layers: model.layers.length, kinds: [...kinds] };
}

/** `5 Conv2d, 3 Linear, 7 ReLU`: the kinds of an architecture in words. */
export function kindsText(a: Architecture): string {
  return a.kinds.map(([type, n]) => `${n} ${type}`).join(', ');
}
