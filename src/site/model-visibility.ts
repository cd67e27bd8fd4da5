/**
 * Which model pages the edition publishes. A model page prints hundreds of a model's numbers
 * (parameters, MACs, bytes per layer), and some are answers of problems, or equal them by
 * coincidence (VGG-16's first convolution holds 7,168 bytes, HW1 Q2's SRAM answer); the student
 * edition promises no answer anywhere in its output, so it publishes no model figures at all:
 * the models index lists the models, and their pages are in the solutions edition.
 */
import { defineModel, zooEntry, ZOO_IDS, type Model } from '../engine/index.ts';
import { currentEdition } from './edition.ts';

/** Ids whose figures this edition leaves out: none in the solutions edition, all in the student one. */
export function hiddenModels(): Set<string> {
  return currentEdition() === 'student' ? new Set(ZOO_IDS) : new Set();
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
