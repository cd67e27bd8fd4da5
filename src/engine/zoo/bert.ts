/**
 * BERT-base-cased with the question-answering head (BertForQuestionAnswering: no pooler), as
 * the lab profiles it: sequence 128. Post-LayerNorm encoder layers, Hugging Face's module names.
 */
import { dropout, embedding, gelu, layerNorm, linear, model, multiheadAttention, named, parallel, repeat, residual, sequential } from '../model/builder.ts';
import type { ModelDef } from '../model/define.ts';

export interface BertConfig {
  readonly vocabSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
}

export const BERT_BASE_CASED: BertConfig = {
  vocabSize: 28_996,
  hidden: 768,
  layers: 12,
  heads: 12,
  intermediate: 3072,
  maxPositions: 512,
  typeVocabSize: 2,
};

/** A BERT encoder with a QA head (2 logits per token), input `seq` token ids. */
export function bertQaDef(name: string, config: BertConfig, seq: number, meta: { description?: string; source?: string } = {}): ModelDef {
  const { hidden, heads, intermediate } = config;
  return model(
    name,
    [seq],
    [
      // word + position + token-type embeddings, summed, then LayerNorm and dropout
      parallel(
        [
          named('word_embeddings', embedding(config.vocabSize, hidden)),
          named('position_embeddings', embedding(config.maxPositions, hidden)),
          named('token_type_embeddings', embedding(config.typeVocabSize, hidden)),
        ],
        'add',
        { name: 'embeddings', after: [named('LayerNorm', layerNorm(hidden)), named('dropout', dropout(0.1))] },
      ),
      sequential('encoder', [
        repeat(
          config.layers,
          [
            sequential(undefined, [
              residual([named('self', multiheadAttention(heads)), named('dropout', dropout(0.1))], {
                name: 'attention',
                after: [named('LayerNorm', layerNorm(hidden))],
              }),
              residual(
                [named('intermediate', linear(intermediate)), named('act', gelu()), named('dense', linear(hidden)), named('dropout', dropout(0.1))],
                { name: 'output', after: [named('LayerNorm', layerNorm(hidden))] },
              ),
            ]),
          ],
          { name: 'layer' },
        ),
      ]),
      named('qa_outputs', linear(2)),
    ],
    meta,
  );
}

export const bertBaseCasedQa: ModelDef = bertQaDef('bert-base-cased-qa', BERT_BASE_CASED, 128, {
  description: 'BERT-base-cased with the question-answering head (no pooler), 128 tokens.',
  source: 'Seed 002: Lab 1 report, part 4 (Hugging Face BertForQuestionAnswering)',
});
