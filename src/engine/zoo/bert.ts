/**
 * BERT-base (Devlin et al., NAACL 2019), module for module as Hugging Face transformers writes it
 * (transformers/models/bert/modeling_bert.py): `embeddings` (word, position and token-type
 * embeddings summed, LayerNorm, dropout), `encoder.layer.0`–`11` (post-LayerNorm: self-attention
 * and its output projection, residual, LayerNorm; `intermediate` dense + GELU, `dense` back to the
 * hidden size, residual, LayerNorm), then a head:
 *
 * - `bert-base-uncased`: BertModel with its pooler: `pooler.dense` + Tanh on the first token
 *   (`hidden_states[:, 0]`, a Select layer);
 * - `bert-base-cased-qa`: BertForQuestionAnswering (no pooler), `qa_outputs` = Linear(768, 2):
 *   start and end logits per token, as Lab 1 (seed 002, part 4) profiles it.
 *
 * One MultiheadAttention layer, `attention.self`, with `implementation: 'BertSelfAttention'`,
 * stands for BertSelfAttention's query, key and value Linears, its score and weighted-value
 * matmuls (torch.matmul, eager attention), and BertSelfOutput's dense projection.
 * The input is `seq` token ids; the sequence length is an option (default 128, at most 512).
 */
import { dropout, embedding, functional, gelu, layerNorm, linear, model, multiheadAttention, named, parallel, repeat, residual, select, sequential, tanh } from '../model/builder.ts';
import { ModelError } from '../errors.ts';
import type { LayerDef, ModelDef } from '../model/define.ts';

export interface BertConfig {
  readonly vocabSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
}

/** bert-base-cased's config.json. */
export const BERT_BASE_CASED: BertConfig = {
  vocabSize: 28_996,
  hidden: 768,
  layers: 12,
  heads: 12,
  intermediate: 3072,
  maxPositions: 512,
  typeVocabSize: 2,
};

/** bert-base-uncased's config.json: the same but a 30,522-word vocabulary. */
export const BERT_BASE_UNCASED: BertConfig = { ...BERT_BASE_CASED, vocabSize: 30_522 };

/** The sequence length the course uses (Lab 1 profiles BERT at 128 tokens). */
export const BERT_DEFAULT_SEQ = 128;

export type BertHead = 'pooler' | 'qa';

/** A BERT encoder on `seq` token ids with the given head. */
export function bertDef(name: string, config: BertConfig, seq: number, head: BertHead, meta: { description?: string; source?: string } = {}): ModelDef {
  const { hidden, heads, intermediate } = config;
  const heads_: LayerDef[] =
    head === 'pooler'
      ? [sequential('pooler', [named('first_token', functional(select(1, 0))), named('dense', linear(hidden)), named('activation', tanh())])]
      : [named('qa_outputs', linear(2))];
  return model(
    name,
    [seq],
    [
      // BertEmbeddings: word + position + token-type embeddings, summed, then LayerNorm and dropout
      parallel(
        [
          named('word_embeddings', embedding(config.vocabSize, hidden)),
          // position_ids is a buffer of shape 1 × L: one lookup for the batch, broadcast in the sum
          named('position_embeddings', embedding(config.maxPositions, hidden, { indices: 'positions' })),
          named('token_type_embeddings', embedding(config.typeVocabSize, hidden)),
        ],
        'add',
        { name: 'embeddings', after: [named('LayerNorm', layerNorm(hidden)), named('dropout', dropout(0.1))] },
      ),
      // BertEncoder: `layers` BertLayers
      sequential('encoder', [
        repeat(
          config.layers,
          [
            sequential(undefined, [
              // BertAttention: self-attention and its output projection, dropout, residual, LayerNorm
              residual([named('self', multiheadAttention(heads, { implementation: 'BertSelfAttention' })), named('dropout', dropout(0.1))], {
                name: 'attention',
                after: [named('LayerNorm', layerNorm(hidden))],
              }),
              // BertIntermediate (dense + GELU) and BertOutput (dense, dropout, residual, LayerNorm). The
              // GELU is transformers' GELUActivation, a module no tool has a rule for, which calls the
              // nn.functional.gelu it kept when built: no hook and no patched functional sees it.
              residual(
                [named('intermediate', linear(intermediate)), named('act', functional(gelu(), 'bound')), named('dense', linear(hidden)), named('dropout', dropout(0.1))],
                { name: 'output', after: [named('LayerNorm', layerNorm(hidden))] },
              ),
            ]),
          ],
          { name: 'layer' },
        ),
      ]),
      ...heads_,
    ],
    meta,
  );
}

/** Checks a sequence length against the position embeddings. */
export function checkSeq(id: string, config: BertConfig, seq: number): void {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > config.maxPositions) {
    throw new ModelError(id, [], `sequence length ${seq} is not allowed; allowed: an integer from 1 to ${config.maxPositions} (the position embeddings)`);
  }
}

export function bertBaseUncased(seq: number = BERT_DEFAULT_SEQ): ModelDef {
  checkSeq('bert-base-uncased', BERT_BASE_UNCASED, seq);
  return bertDef('bert-base-uncased', BERT_BASE_UNCASED, seq, 'pooler', {
    description: `BERT-base-uncased (BertModel with its pooler): 12 encoder layers of 768, 12 heads, ${seq} tokens.`,
    source: 'Hugging Face transformers, models/bert/modeling_bert.py (BertModel); Devlin et al. 2019',
  });
}

export function bertBaseCasedQa(seq: number = BERT_DEFAULT_SEQ): ModelDef {
  checkSeq('bert-base-cased-qa', BERT_BASE_CASED, seq);
  return bertDef('bert-base-cased-qa', BERT_BASE_CASED, seq, 'qa', {
    description: `BERT-base-cased with the question-answering head (no pooler), ${seq} tokens.`,
    source: 'Seed 002: Lab 1 report, part 4 (Hugging Face BertForQuestionAnswering)',
  });
}
