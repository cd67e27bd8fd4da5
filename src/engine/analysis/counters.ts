/**
 * The counting rules of the tools students run (thop, ptflops, torchprofile, fvcore, torchinfo,
 * calflops, DeepSpeed's profiler, torchvision's weight metadata), read from each tool's source.
 * A tool's count of a layer is `scale` × the layer's standard MACs (its conv, linear and matmul
 * multiply-accumulates, without bias) plus terms, each a coefficient times a quantity of the layer
 * (its outputs, its input elements, ...) under a named rule. Summed over the model by rule, the
 * terms are the difference from the standard count, each with its derivation.
 *
 * Where a rule depends on how the reference implementation calls a layer, the layer says so:
 * `layer.functional` (thop's and torchinfo's module hooks never see a functional call), a `dot`
 * work's `module` (attention's torch.matmul), an activation work's `fn` (the torch.nn.functional
 * that ptflops and calflops patch). A new layer kind is counted by every tool through its `work`.
 *
 * MultiheadAttention is counted as Hugging Face's BERT writes attention (query, key, value and
 * output nn.Linear modules, torch.matmul for the scores and values, F.softmax): the zoo's BERT.
 * PyTorch's own nn.MultiheadAttention has hooks of its own in thop 2.x and ptflops, which these
 * rules do not reproduce.
 */
import type { LayerReport } from './analyze.ts';
import type { ActivationFn, Work } from '../layers/kind.ts';
import type { Layer } from '../model/define.ts';
import { add, div, floor, mul, num, sub, type Expr } from '../math/expr.ts';
import { elementsExpr } from '../shape.ts';

export const COUNTER_IDS = ['thop', 'thop-0.0.31', 'ptflops', 'ptflops-aten', 'torchprofile', 'fvcore', 'torchinfo', 'calflops', 'deepspeed', 'torchvision'] as const;
export type CounterId = (typeof COUNTER_IDS)[number];

/** One term of a tool's count of a layer beyond `scale` × its standard MACs, per sample. */
export interface Term {
  /** The rule, as the difference lists it: `BatchNorm: 4 per element`. */
  readonly rule: string;
  readonly coefficient: number;
  readonly quantity: Expr;
  /** What the quantity counts, in the plural: `elements`, `outputs`, `MACs`. */
  readonly of: string;
}

export interface CounterRules {
  /** Units of the tool's count per standard MAC: 2 for tools that count FLOPs. */
  readonly scale: 1 | 2;
  terms(r: LayerReport): Term[];
}

const term = (rule: string, coefficient: number, quantity: Expr, of: string): Term => ({ rule, coefficient, quantity, of });

const dotMacs = (w: Extract<Work, { op: 'dot' }>): Expr => mul(w.outputs, w.length);
const isConv = (layer: Layer) => layer.type.startsWith('Conv');
const normName = (layer: Layer) => (layer.type.startsWith('BatchNorm') ? 'BatchNorm' : layer.type);
/** Elements of the layer's (first) input, as the pooling rules count them. */
const inputElements = (layer: Layer): Expr => elementsExpr(layer.inputShape, []);

/** A functional call's dot products, which module hooks never see. */
function unseenFunctional(r: LayerReport, scale = 1): Term[] {
  return r.work.flatMap((w) => (w.op === 'dot' ? [term(`${r.layer.type} called as a function: not seen`, -scale, dotMacs(w), 'MACs')] : []));
}

const unseenMatmul = (w: Extract<Work, { op: 'dot' }>, scale = 1) => term('matmuls outside modules (torch.matmul in attention): not seen', -scale, dotMacs(w), 'MACs');

/** thop 2.x (ultralytics-thop, thop/vision/basic_hooks.py): forward hooks on leaf modules. */
const thop: CounterRules = {
  scale: 1,
  terms(r) {
    if (r.layer.functional) return unseenFunctional(r);
    const out: Term[] = [];
    for (const w of r.work) {
      if (w.op === 'dot' && !w.module) out.push(unseenMatmul(w));
      // count_normalization: calculate_norm = 2 per input element, doubled when affine.
      else if (w.op === 'norm') out.push(term(`${normName(r.layer)}: ${w.affine ? 4 : 2} per element`, w.affine ? 4 : 2, w.outputs, 'elements'));
      // count_avgpool, count_adap_avgpool: one add per pooled input, one divide per output.
      else if (w.op === 'avgpool') out.push(term('average pooling: 1 per pooled input + 1 per output', 1, add(w.adaptive ? adaptivePooledInputs(r.layer) : mul(w.outputs, w.window), w.outputs), 'ops'));
      // count_softmax: n exps, n − 1 adds, n divides per row; F.softmax (attention) is not a module.
      else if (w.op === 'softmax' && w.module) out.push(term('Softmax: 3n − 1 per row of n', 1, mul(div(w.outputs, w.length), sub(mul(num(3), w.length), num(1))), 'ops'));
    }
    return out;
  },
};

/**
 * The inputs an adaptive average pool adds up: output j of a dimension of size I pooled to O
 * spans [⌊j I/O⌋, ⌈(j + 1) I/O⌉), so the windows overlap when O does not divide I; when it does,
 * they are the input elements.
 */
function adaptivePooledInputs(layer: Layer): Expr {
  const dims = layer.inputShape.length - 1;
  const sizes: number[] = [];
  let divides = true;
  for (let d = 1; d <= dims; d++) {
    const i = layer.inputShape[d]!;
    const o = layer.outputShape[d]!;
    if (i % o !== 0) divides = false;
    let total = 0;
    for (let j = 0; j < o; j++) total += Math.ceil(((j + 1) * i) / o) - Math.floor((j * i) / o);
    sizes.push(total);
  }
  return divides ? inputElements(layer) : mul(num(layer.inputShape[0]!), ...sizes.map((s) => num(s)));
}

/** ∏⌊in/out⌋ of an adaptive pool, as thop 0.0.31's count_adap_avgpool computes its kernel. */
function adaptiveKernel(layer: Layer): Expr {
  const dims = layer.inputShape.length - 1;
  const factors: Expr[] = [];
  for (let d = 1; d <= dims; d++) {
    const inSize = layer.inputShape[d]!;
    const outSize = layer.outputShape[d]!;
    factors.push(inSize % outSize === 0 ? num(inSize / outSize) : floor(div(num(inSize), num(outSize))));
  }
  return factors.length === 1 ? factors[0]! : mul(...factors);
}

/** thop 0.0.31 (2019, thop/count_hooks.py): the version behind the pytorch-OpCounter README table. */
const thop0031: CounterRules = {
  scale: 1,
  terms(r) {
    if (r.layer.functional) return unseenFunctional(r);
    const out: Term[] = [];
    for (const w of r.work) {
      if (w.op === 'dot') {
        if (!w.module) out.push(unseenMatmul(w));
        // count_convNd: outputs × (c_i/g · k + 1 with a bias).
        else if (isConv(r.layer)) {
          if (w.bias) out.push(term('Conv bias: 1 per output', 1, w.outputs, 'outputs'));
        }
        // count_linear: outputs × (2n − 1): n multiplies and n − 1 adds, bias or not.
        else out.push(term('Linear: 2n − 1 per output, not n', 1, mul(w.outputs, sub(w.length, num(1))), 'ops'));
      } else if (w.op === 'norm' && r.layer.type.startsWith('BatchNorm')) {
        // count_bn: 4 per input element (subtract, divide, γ, β), affine or not; no rule for LayerNorm.
        out.push(term('BatchNorm: 4 per element', 4, w.outputs, 'elements'));
      } else if (w.op === 'avgpool') {
        const kernel = w.adaptive ? adaptiveKernel(r.layer) : w.window;
        out.push(term('average pooling: ∏k + 1 per output', 1, mul(w.outputs, add(kernel, num(1))), 'ops'));
      }
    }
    return out;
  },
};

/** The functionals ptflops patches (pytorch_ops.py, FUNCTIONAL_MAPPING as patch_functional installs it). */
const PTFLOPS_PATCHED: ReadonlySet<ActivationFn> = new Set(['relu', 'relu6', 'gelu', 'silu', 'elu']);
/** The activation modules with a ptflops hook (MODULES_MAPPING). */
const PTFLOPS_MODULES: ReadonlySet<string> = new Set(['ReLU', 'ReLU6', 'GELU', 'ELU', 'LeakyReLU', 'PReLU']);
/** A functional call of nn.ReLU6 is F.relu6, not the hardtanh its module runs. */
const calledFn = (layer: Layer, fn: ActivationFn): ActivationFn | undefined =>
  layer.functional === 'bound' ? undefined : layer.functional && fn === 'hardtanh' ? 'relu6' : fn;
const patched = (set: ReadonlySet<ActivationFn>, layer: Layer, fn: ActivationFn): ActivationFn | undefined => {
  const called = calledFn(layer, fn);
  return called !== undefined && set.has(called) ? called : undefined;
};

/**
 * ptflops, pytorch backend (pytorch_ops.py): module hooks, plus patched functionals and
 * torch.matmul. A module whose forward calls a patched functional (nn.ReLU, the pooling modules)
 * is counted by both.
 */
const ptflops: CounterRules = {
  scale: 1,
  terms(r) {
    const layer = r.layer;
    const out: Term[] = [];
    for (const w of r.work) {
      switch (w.op) {
        case 'dot':
          // F.linear and F.conv2d are not patched; torch.matmul is (prod(A) × B's last dim = the MACs).
          if (layer.functional) out.push(term(`${layer.type} called as a function (not patched): not seen`, -1, dotMacs(w), 'MACs'));
          else if (w.module && w.bias) out.push(term('bias: 1 per output (Conv, Linear)', 1, w.outputs, 'outputs'));
          break;
        case 'norm':
          if (!layer.functional) out.push(term(`${normName(layer)}: ${w.affine ? 2 : 1} per element`, w.affine ? 2 : 1, w.outputs, 'elements'));
          break;
        case 'activation':
          if (!layer.functional && PTFLOPS_MODULES.has(layer.type)) out.push(term(`${layer.type} module: 1 per element`, 1, w.outputs, 'elements'));
          if (patched(PTFLOPS_PATCHED, layer, w.fn)) out.push(term(`F.${patched(PTFLOPS_PATCHED, layer, w.fn)} (patched): 1 per element`, 1, w.outputs, 'elements'));
          break;
        case 'maxpool':
        case 'avgpool':
          if (!layer.functional) out.push(term('pooling module: 1 per input element', 1, inputElements(layer), 'input elements'));
          if (layer.functional !== 'bound') out.push(term('F.*pool* (patched): 1 per input element', 1, inputElements(layer), 'input elements'));
          break;
        case 'softmax':
          // nn.Softmax has no hook; its F.softmax is patched, as is attention's.
          out.push(term('F.softmax (patched): 1 per element', 1, w.outputs, 'elements'));
          break;
        case 'add':
          break;
      }
    }
    return out;
  },
};

/** ptflops, aten backend (aten_ops.py): aten.convolution, mm, matmul, addmm, bmm; bias adds counted. */
const ptflopsAten: CounterRules = {
  scale: 1,
  terms: (r) => r.work.flatMap((w) => (w.op === 'dot' && w.bias ? [term('bias: 1 per output (aten.convolution, aten.addmm)', 1, w.outputs, 'outputs')] : [])),
};

/** torchprofile (handlers.py): traced aten ops; MACs of conv, linear, matmul; norms and average pools. */
const torchprofile: CounterRules = {
  scale: 1,
  terms(r) {
    const out: Term[] = [];
    for (const w of r.work) {
      // _norm: output elements when affine; _avg_pool_or_mean: output elements.
      if (w.op === 'norm' && w.affine) out.push(term(`${normName(r.layer)} (affine): 1 per element`, 1, w.outputs, 'elements'));
      else if (w.op === 'avgpool') out.push(term('average pooling: 1 per output', 1, w.outputs, 'outputs'));
    }
    return out;
  },
};

/** fvcore (nn/flop_count.py, jit_handles.py): traced aten ops, one flop per multiply-add. */
const fvcore: CounterRules = {
  scale: 1,
  terms(r) {
    const out: Term[] = [];
    for (const w of r.work) {
      if (w.op === 'norm') {
        // batchnorm_flop_jit in eval: 1 per element, 2 when affine; norm_flop_counter: 4, 5 when affine.
        const perElement = r.layer.type.startsWith('BatchNorm') ? (w.affine ? 2 : 1) : w.affine ? 5 : 4;
        out.push(term(`${normName(r.layer)}: ${perElement} per element`, perElement, w.outputs, 'elements'));
      } else if (w.op === 'avgpool' && r.layer.type === 'AdaptiveAvgPool2d') {
        // elementwise_flop_counter(1, 0): one per input element. avg_pool2d and max pooling have no handle.
        out.push(term('adaptive_avg_pool2d: 1 per input element', 1, inputElements(r.layer), 'input elements'));
      }
    }
    return out;
  },
};

/** Layer types whose mult-adds torchinfo counts as (weights + biases) × output positions. */
const TORCHINFO_POSITIONAL = /^(Conv|Linear$|MultiheadAttention$)/;

/**
 * torchinfo (layer_info.py, calculate_macs): from each leaf module's parameters. Conv and Linear:
 * parameters × output positions (MACs plus a bias per output); any other module with parameters
 * (norms, embeddings): batch × its parameters. Modules only: no matmuls, no functional calls.
 */
const torchinfo: CounterRules = {
  scale: 1,
  terms(r) {
    if (r.layer.functional) return unseenFunctional(r);
    const out: Term[] = [];
    for (const w of r.work) {
      if (w.op !== 'dot') continue;
      if (!w.module) out.push(unseenMatmul(w));
      else if (w.bias) out.push(term('bias: 1 per output (Conv, Linear)', 1, w.outputs, 'outputs'));
    }
    if (!TORCHINFO_POSITIONAL.test(r.layer.type)) {
      const params = add(r.counts.weights, r.counts.biases, r.counts.normParams ?? num(0));
      if (params.value !== 0) out.push(term(`${normName(r.layer)}: its parameters, once per sample`, 1, params, 'parameters'));
    }
    return out;
  },
};

/** The functionals calflops and DeepSpeed patch (pytorch_ops.py / profiler.py, _patch_functionals). */
const CALFLOPS_PATCHED: ReadonlySet<ActivationFn> = new Set(['relu', 'relu6', 'gelu', 'silu', 'elu', 'leaky_relu']);

/**
 * calflops and DeepSpeed's flops profiler (the first is a copy of the second): patched
 * torch.nn.functional and torch.matmul, FLOPs = 2 × MACs plus elementwise work.
 */
const calflops: CounterRules = {
  scale: 2,
  terms(r) {
    const layer = r.layer;
    const out: Term[] = [];
    for (const w of r.work) {
      switch (w.op) {
        case 'dot':
          // _conv_flops_compute adds the bias; _linear_flops_compute leaves it out.
          if (w.bias && isConv(layer)) out.push(term('Conv bias: 1 per output', 1, w.outputs, 'outputs'));
          break;
        case 'norm': {
          // _batch_norm_flops_compute in eval: 1 per element, 2 when affine; layer and group norm: 4, 5 when affine.
          const perElement = layer.type.startsWith('BatchNorm') ? (w.affine ? 2 : 1) : w.affine ? 5 : 4;
          out.push(term(`${normName(layer)}: ${perElement} per element`, perElement, w.outputs, 'elements'));
          break;
        }
        case 'activation':
          // nn.ReLU6 runs F.hardtanh, which is not patched.
          if (patched(CALFLOPS_PATCHED, layer, w.fn)) out.push(term(`F.${patched(CALFLOPS_PATCHED, layer, w.fn)}: 1 per element`, 1, w.outputs, 'elements'));
          break;
        case 'maxpool':
        case 'avgpool':
          out.push(term('pooling: 1 per input element', 1, inputElements(layer), 'input elements'));
          break;
        case 'softmax':
          out.push(term('softmax: 1 per element', 1, w.outputs, 'elements'));
          break;
        case 'add':
          break;
      }
    }
    return out;
  },
};

/** torchvision's `_ops` ("GFLOPS"): conv and linear MACs, nothing else. */
const torchvision: CounterRules = { scale: 1, terms: () => [] };

export const COUNTER_RULES: { readonly [K in CounterId]: CounterRules } = {
  thop,
  'thop-0.0.31': thop0031,
  ptflops,
  'ptflops-aten': ptflopsAten,
  torchprofile,
  fvcore,
  torchinfo,
  calflops,
  deepspeed: calflops,
  torchvision,
};

/** A layer's count under a tool: scale × MACs + its terms, per sample. */
export function counterCompute(rules: CounterRules, r: LayerReport): Expr {
  const terms = rules.terms(r);
  let e: Expr = rules.scale === 1 ? r.counts.macs : mul(num(2), r.counts.macs);
  const nonZero = terms.filter((t) => t.quantity.value !== 0);
  if (nonZero.length === 0) return e;
  for (const t of nonZero) {
    const part = t.coefficient === 1 || t.coefficient === -1 ? t.quantity : mul(num(Math.abs(t.coefficient)), t.quantity);
    e = e.value === 0 && t.coefficient > 0 ? part : t.coefficient > 0 ? add(e, part) : sub(e, part);
  }
  return e;
}

