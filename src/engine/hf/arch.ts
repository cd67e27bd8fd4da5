/**
 * A decoder-only language model's architecture, as the importer reads it from a Hugging Face
 * config.json: everything the engine's layer kinds need, whatever the model_type called it.
 */
export type Norm = 'rms' | 'layer';

export interface LlmArch {
  /** The config's `model_type`. */
  readonly modelType: string;
  readonly vocab: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** The MLP's (each expert's) intermediate size. */
  readonly intermediate: number;
  readonly activation: 'silu' | 'gelu' | 'gelu_tanh';
  /** Gated MLP (gate, up, down: 3 matrices) or plain (fc1, act, fc2 with biases: GPT-2, Phi). */
  readonly mlp: 'gated' | 'plain';
  readonly mlpBias: boolean;
  readonly norm: Norm;
  readonly qkvBias: boolean;
  readonly outBias: boolean;
  readonly fusedQkv: boolean;
  /** Attention and MLP side by side on one norm's output, summed into the residual (Phi). */
  readonly parallelBlock: boolean;
  readonly moe?: { readonly experts: number; readonly topK: number };
  /** Learned absolute positions (GPT-2's wpe) up to this many tokens; rotary otherwise. */
  readonly learnedPositions?: number;
  /** Positions the model was trained for (max_position_embeddings, n_positions). */
  readonly maxPositions?: number;
  /** Features per head that rotary embeddings turn, when not all (Phi's partial_rotary_factor). */
  readonly rotaryDim?: number;
  readonly slidingWindow: number | null;
  readonly tiedEmbeddings: boolean;
  readonly lmHeadBias: boolean;
}
