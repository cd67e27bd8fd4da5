/**
 * Invariants, checked on random models with fast-check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, totalEntries, defineModel, evaluate, type LayerDef, type ModelDef, type ModelReport } from '../../src/engine/index.ts';

/** Random valid conv stacks: odd kernels with padding k // 2 never outgrow their input. */
const convStack = fc
  .record({
    channels: fc.integer({ min: 1, max: 8 }),
    size: fc.integer({ min: 1, max: 24 }),
    convs: fc.array(
      fc.record({
        out: fc.integer({ min: 1, max: 8 }),
        k: fc.constantFrom(1, 3, 5),
        s: fc.integer({ min: 1, max: 2 }),
        bias: fc.boolean(),
        bn: fc.boolean(),
        residual: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    classes: fc.integer({ min: 1, max: 10 }),
  })
  .map(({ channels, size, convs, classes }): ModelDef => {
    const layers: LayerDef[] = [];
    let c = channels;
    for (const conv of convs) {
      const body: LayerDef[] = [{ type: 'Conv2d', out_channels: conv.out, kernel_size: conv.k, stride: conv.s, padding: (conv.k - 1) / 2, bias: conv.bias }];
      if (conv.bn) body.push({ type: 'BatchNorm2d' });
      body.push({ type: 'ReLU' });
      // A residual needs matching shapes: identity when they match, else a 1x1 projection.
      if (conv.residual) {
        const project = conv.out !== c || conv.s !== 1;
        layers.push({ type: 'Residual', layers: body, ...(project ? { shortcut: [{ type: 'Conv2d', out_channels: conv.out, kernel_size: 1, stride: conv.s }] } : {}) });
      } else layers.push(...body);
      c = conv.out;
    }
    layers.push({ type: 'Flatten' }, { type: 'Linear', out_features: classes });
    return { name: 'random', input: [channels, size, size], layers };
  });

const batchSize = fc.integer({ min: 1, max: 64 });

function everyFigure(report: ModelReport) {
  const figures = report.layers.flatMap((r) => [r.weights, r.biases, r.normParams, r.buffers, r.params, r.paramBytes, r.macs, r.flops, r.ops, r.activations, r.inputActivations, ...r.outputSizes]);
  figures.push(...totalEntries(report.totals).map(([, f]) => f), ...Object.values(report.training).filter((f) => typeof f === 'object'));
  return figures;
}

describe('invariants', () => {
  it('parameters do not depend on the batch; MACs and activations are linear in it', () => {
    fc.assert(
      fc.property(convStack, batchSize, (def, n) => {
        const model = defineModel(def);
        const one = analyze(model).totals;
        const many = analyze(model, { batch: n }).totals;
        expect(many.params.value).toBe(one.params.value);
        expect(many.paramBytes.value).toBe(one.paramBytes.value);
        expect(many.macs.value).toBe(n * one.macs.value);
        expect(many.activations.value).toBe(n * one.activations.value);
        expect(many.peakLiveActivations.value).toBe(n * one.peakLiveActivations.value);
      }),
    );
  });

  it('peak <= total: the largest layer, and the live set, never exceed all activations with the input', () => {
    fc.assert(
      fc.property(convStack, (def) => {
        const t = analyze(defineModel(def)).totals;
        expect(t.peakActivations.value).toBeLessThanOrEqual(t.activationsWithInput.value);
        expect(t.peakLiveActivations.value).toBeLessThanOrEqual(t.activationsWithInput.value);
      }),
    );
  });

  it('every figure is a finite, non-negative number that its derivation recomputes', () => {
    fc.assert(
      fc.property(convStack, batchSize, (def, n) => {
        for (const f of everyFigure(analyze(defineModel(def), { batch: n }))) {
          expect(Number.isFinite(f.value) && f.value >= 0).toBe(true);
          expect(evaluate(f.expr)).toBe(f.value);
        }
      }),
    );
  });

  it('output sizes follow floor((h + 2p - d(k - 1) - 1) / s) + 1', () => {
    const arb = fc.record({
      h: fc.integer({ min: 1, max: 64 }),
      k: fc.integer({ min: 1, max: 7 }),
      s: fc.integer({ min: 1, max: 4 }),
      p: fc.integer({ min: 0, max: 3 }),
      d: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(arb, ({ h, k, s, p, d }) => {
        fc.pre(d * (k - 1) + 1 <= h + 2 * p);
        const model = defineModel({ name: 'c', input: [1, h, h], layers: [{ type: 'Conv2d', out_channels: 1, kernel_size: k, stride: s, padding: p, dilation: d }] });
        const out = Math.floor((h + 2 * p - d * (k - 1) - 1) / s) + 1;
        expect(model.outputShape).toEqual([1, out, out]);
      }),
    );
  });

  it('depthwise convolution equals grouped with g = c, and c single-channel convolutions', () => {
    const arb = fc.record({ c: fc.integer({ min: 1, max: 32 }), h: fc.integer({ min: 3, max: 20 }), k: fc.constantFrom(1, 3, 5), s: fc.integer({ min: 1, max: 2 }) });
    fc.assert(
      fc.property(arb, ({ c, h, k, s }) => {
        const conv = (channels: number, groups: number) =>
          analyze(defineModel({ name: 'd', input: [channels, h, h], layers: [{ type: 'Conv2d', out_channels: channels, kernel_size: k, stride: s, padding: (k - 1) / 2, groups, bias: false }] })).totals;
        const depthwise = conv(c, c);
        const single = conv(1, 1);
        const hOut = Math.floor((h - 1) / s) + 1;
        expect(depthwise.weights.value).toBe((c * c * k * k) / c);
        expect(depthwise.macs.value).toBe((c * hOut * hOut * c * k * k) / c);
        expect(depthwise.macs.value).toBe(c * single.macs.value);
        expect(depthwise.weights.value).toBe(c * single.weights.value);
      }),
    );
  });

  it('a 1x1 convolution on a 1x1 input equals a Linear layer', () => {
    const arb = fc.record({ cIn: fc.integer({ min: 1, max: 512 }), cOut: fc.integer({ min: 1, max: 512 }), bias: fc.boolean(), n: batchSize });
    fc.assert(
      fc.property(arb, ({ cIn, cOut, bias, n }) => {
        const conv = analyze(defineModel({ name: 'c', input: [cIn, 1, 1], layers: [{ type: 'Conv2d', out_channels: cOut, kernel_size: 1, bias }] }), { batch: n }).totals;
        const fc1 = analyze(defineModel({ name: 'l', input: [cIn], layers: [{ type: 'Linear', out_features: cOut, bias }] }), { batch: n }).totals;
        for (const key of ['weights', 'biases', 'params', 'macs', 'activations', 'ops'] as const) {
          expect(conv[key].value).toBe(fc1[key].value);
        }
      }),
    );
  });
});
