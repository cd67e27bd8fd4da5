/** A term of a tool's count beyond its scale × the standard MACs (each tool's file, llm.ts). */
import type { Work } from '../../layers/kind.ts';
import { mul, type Expr } from '../../math/expr.ts';

/** One term of a tool's count of a layer beyond `scale` × its standard MACs, per sample. */
export interface Term {
  /** The rule, as the difference lists it: `BatchNorm: 4 per element`. */
  readonly rule: string;
  readonly coefficient: number;
  readonly quantity: Expr;
  /** What the quantity counts, in the plural: `elements`, `outputs`, `MACs`. */
  readonly of: string;
  /**
   * Not multiplied by the batch: a lookup shared by every sample (torchinfo's position
   * embeddings), or a module hook's count, which ptflops divides by the batch.
   */
  readonly once?: boolean;
}

export const term = (rule: string, coefficient: number, quantity: Expr, of: string): Term => ({ rule, coefficient, quantity, of });
/** A term counted once for the whole batch, not per sample. */
export const onceTerm = (rule: string, coefficient: number, quantity: Expr, of: string): Term => ({ rule, coefficient, quantity, of, once: true });

export const dotMacs = (w: Extract<Work, { op: 'dot' }>): Expr => mul(w.outputs, w.length);
