/**
 * Two walks over a model's graph: the live activation memory at each step of execution, and the
 * receptive field along each tensor while the layers are convolutional.
 */
import type { LayerKind } from '../layers/kind.ts';
import { add, addAll, maxAll, mul, num, ref, sub, variable, type Expr } from '../math/expr.ts';
import type { Layer, Model } from '../model/define.ts';
import { elementCount } from '../shape.ts';

/** The live activations at each step, per sample, and their values, made when first read. */
export class LiveSteps {
  readonly #model: Model;
  #exprs: Expr[] | undefined = undefined;
  #values: readonly number[] | undefined = undefined;

  constructor(model: Model) {
    this.#model = model;
  }

  get exprs(): Expr[] {
    return (this.#exprs ??= liveSteps(this.#model));
  }

  get values(): readonly number[] {
    return (this.#values ??= this.exprs.map((e) => e.value));
  }
}

/**
 * The live activation memory at each step, per sample, as expressions: a storage (a tensor and the in-place
 * results and views that share it) lives from the step that makes it to the last step that reads
 * it; the model input from the start; the model output to the end. Linear in the graph's size.
 */
function liveSteps(model: Model): Expr[] {
  const steps = model.layers.length;
  const tensors = model.tensors;
  // Indexed by storage (a tensor id): a storage is born with the first tensor that uses it.
  const birth = new Int32Array(tensors.length).fill(-1);
  const lastUse = new Int32Array(tensors.length);
  // Storages by step of birth, in order of first use (a counting sort): born at `step` are
  // byBirth[first[step]] to byBirth[first[step + 1] - 1].
  const first = new Int32Array(steps + 1);
  let storages = 0;
  for (const t of tensors) {
    const made = Math.max(t.producer, 0);
    if (birth[t.storage] === -1) {
      birth[t.storage] = made;
      first[made + 1]!++;
      storages++;
    }
    lastUse[t.storage] = Math.max(lastUse[t.storage]!, made);
  }
  for (let step = 1; step <= steps; step++) first[step]! += first[step - 1]!;
  const byBirth = new Int32Array(storages);
  const filled = first.slice(0, steps);
  // A storage's first tensor is its own (storage = id; later tensors share earlier storages).
  for (const t of tensors) if (t.id === t.storage) byBirth[filled[birth[t.id]!]!++] = t.id;
  for (const layer of model.layers) {
    for (const input of layer.inputs) {
      const s = tensors[input]!.storage;
      lastUse[s] = Math.max(lastUse[s]!, layer.index);
    }
  }
  lastUse[tensors[model.output]!.storage] = steps - 1;

  // The live storages (live[0] to live[count - 1]) in order of birth; each one's size, written once.
  const live = new Int32Array(storages);
  let count = 0;
  const sizeOf = new Array<Expr>(tensors.length);
  const out = new Array<Expr>(steps);
  for (let step = 0; step < steps; step++) {
    for (let i = first[step]!; i < first[step + 1]!; i++) {
      const s = byBirth[i]!;
      live[count++] = s;
      sizeOf[s] = num(elementCount(tensors[s]!.shape));
    }
    const sizes = new Array<Expr>(count);
    for (let i = 0; i < count; i++) sizes[i] = sizeOf[live[i]!]!;
    out[step] = addAll(sizes);
    let kept = 0;
    for (let i = 0; i < count; i++) if (lastUse[live[i]!]! > step) live[kept++] = live[i]!;
    count = kept;
  }
  return out;
}

/**
 * Receptive fields along each tensor, while the layers are convolutional:
 * r = r_prev + (k − 1) d j_prev and j = j_prev s (j: the jump, input pixels between neighbours).
 * Stacked k × k convolutions of stride 1 give the lectures' L(k − 1) + 1.
 */
export class ReceptiveFields {
  /** Per tensor: per spatial dimension, the receptive field and the jump; undefined once mixed. */
  private readonly byTensor: ({ r: Expr[]; j: Expr[] } | undefined)[];

  constructor(model: Model) {
    this.byTensor = new Array(model.tensors.length);
    const dims = model.input.length - 1;
    if (dims === 1 || dims === 2) this.byTensor[0] = { r: Array(dims).fill(num(1)), j: Array(dims).fill(num(1)) };
  }

  visit(layer: Layer, kind: LayerKind<unknown>): Expr[] | undefined {
    const inputs = layer.inputs;
    let out: { r: Expr[]; j: Expr[] } | undefined;
    let all = inputs.length > 0;
    for (let i = 0; i < inputs.length && all; i++) all = this.byTensor[inputs[i]!] !== undefined;
    if (all) {
      const first = this.byTensor[inputs[0]!]!;
      const dims = first.r.length;
      if (kind.window) {
        const w = kind.window(layer.args, layer.inputShape);
        const r = new Array<Expr>(dims);
        const j = new Array<Expr>(dims);
        for (let d = 0; d < dims; d++) {
          const rPrev = first.r[d]!;
          const jPrev = first.j[d]!;
          const k = variable('k', w.kernel[d]!, 'kernel size');
          const grow = w.dilation[d] === 1 ? sub(k, num(1)) : mul(sub(k, num(1)), variable('d', w.dilation[d]!, 'dilation'));
          const prev = rPrev.value === 1 && rPrev.kind === 'num' ? num(1) : ref('r_{\\ell-1}', rPrev);
          const jump = jPrev.value === 1 ? grow : mul(grow, ref('j_{\\ell-1}', jPrev));
          r[d] = add(prev, jump);
          j[d] = w.stride[d] === 1 ? jPrev : mul(jPrev.value === 1 ? num(1) : ref('j_{\\ell-1}', jPrev), variable('s', w.stride[d]!, 'stride'));
        }
        out = { r, j };
      } else if (kind.positionwise) {
        // A join's output sees the union of its inputs' fields: the largest.
        if (inputs.length === 1) out = first;
        else {
          const ins = inputs.map((t) => this.byTensor[t]!);
          out = { r: first.r.map((_, d) => maxAll(ins.map((x) => x.r[d]!))), j: first.j.map((_, d) => maxAll(ins.map((x) => x.j[d]!))) };
        }
      }
    }
    this.byTensor[layer.output] = out;
    return kind.window || (kind.positionwise && out && inputs.length > 1) ? out?.r : undefined;
  }
}
