/**
 * What a language model is and the precision it is taken at when nothing says otherwise. Kept
 * apart from the analysis so that code outside the language-model chunk (the answers' main
 * bundle) can ask without loading it.
 */
import type { Model } from '../model/define.ts';

/** Bits per weight and per cached key/value of a language model when nothing says otherwise (bf16/fp16, as they ship). */
export const LLM_DEFAULT_BITS = 16;

/** True when the model is a decoder-only language model made by the importer. */
export function isLanguageModel(model: Model): boolean {
  return model.layers.some((l) => l.type === 'CausalSelfAttention') && model.layers.some((l) => l.type === 'LMHead');
}
