/**
 * Which model pages the edition publishes. A model page prints hundreds of a model's numbers
 * (parameters, MACs, bytes per layer), and some are answers of problems, or equal them by
 * coincidence (VGG-16's first convolution holds 7,168 bytes, HW1 Q2's SRAM answer); the student
 * edition promises no answer anywhere in its output, so it publishes no model figures at all:
 * the models index lists the models, and their pages are in the solutions edition.
 */
import { ZOO_IDS } from '../engine/index.ts';
import { currentEdition } from './edition.ts';

/** Ids whose figures this edition leaves out: none in the solutions edition, all in the student one. */
export function hiddenModels(): Set<string> {
  return currentEdition() === 'student' ? new Set(ZOO_IDS) : new Set();
}
