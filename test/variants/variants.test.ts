/**
 * Variants of the shipped problems: seed 0 is the homework as written; other seeds fill the
 * templates, never repeat a homework answer, and are solved by the same engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProblemFile, loadProblems, PROJECT_ROOT } from '../../src/cli/problems.ts';
import { displayValue } from '../../src/workbook/grading/precision.ts';
import { problemSchema } from '../../src/workbook/problem.ts';
import { figuresAsked } from '../../src/publish/document.ts';
import { askedFigure, canonicalAnswerValues, instantiate, isRandomized, shownValues, variantOf, type ProblemSpec } from '../../src/workbook/variants/index.ts';

const problems = loadProblems();
const q1 = problems.find((p) => p.id === 'hw1/q1')!;
const q2 = problems.find((p) => p.id === 'hw1/q2')!;
const seeds = fc.integer({ min: 1, max: 0xffffffff });

describe('the shipped problems', () => {
  it('HW1 Q1 and Q2 are randomized and ask for the answers their MDX shows', () => {
    expect(isRandomized(q1.data) && isRandomized(q2.data)).toBe(true);
    expect(q1.answers.map((a) => a.of)).toEqual(['weights', 'biases', 'params', 'paramBytes', 'macs', 'sramBytes']);
    expect(q2.answers.map((a) => a.of)).toEqual(['params', 'paramBytes', 'macs', 'cycles', 'latencyMs', 'sramBytes']);
  });

  it.each([
    [q1, { n0: 120, h1: 256, h2: 256, n3: 10 }, [120, 256, 256, 10], { paramBits: 8, activationBits: 8 }],
    [q2, { n0: 1280, h1: 512, h2: 512, n3: 32, f: 80, k: 4 }, [1280, 512, 512, 32], { paramBits: 32, activationBits: 32, clockMHz: 80, cyclesPerMac: 4 }],
  ])('seed 0 of %s is the homework: its defaults, widths and givens', (p, values, widths, given) => {
    const v = variantOf(p, 0);
    expect(v.values).toEqual(values);
    expect(v.canonical).toBe(true);
    expect(v.given).toEqual(given);
    expect([v.ctx.model.input[0], ...v.ctx.model.layers.map((l) => l.outputShape[0])]).toEqual(widths);
    expect(p.data.model).toEqual({ name: `mlp-${p.id.replace('/', '-')}`, mlp: widths });
  });

  it('a variant shows the values its model uses, not the helpers its constraints use', () => {
    const alexnet = problems.find((p) => p.id === 'lectures/alexnet-macs')!;
    if (!isRandomized(alexnet.data)) throw new Error('lectures/alexnet-macs is not randomized');
    const v = variantOf(alexnet, 1);
    expect(Object.keys(v.values)).toEqual(expect.arrayContaining(['w3', 'homework']));
    expect(Object.keys(shownValues(alexnet.data.variation, v.values))).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'f1', 'f2']);
    if (!isRandomized(q2.data)) throw new Error('hw1/q2 is not randomized');
    expect(shownValues(q2.data.variation, variantOf(q2, 0).values)).toEqual({ n0: 1280, h1: 512, h2: 512, n3: 32, f: 80, k: 4 });
  });

  it('seed 0 answers are the reference numbers (HW1, REFERENCE.md)', () => {
    const answers = (p: ProblemSpec) => p.answers.map((a) => askedFigure(variantOf(p, 0).ctx, a, p.file).value);
    expect(answers(q1)).toEqual([98_816, 522, 99_338, 99_338, 98_816, 512]);
    expect(answers(q2)).toEqual([934_944, 3_739_776, 933_888, 3_735_552, 3_735_552 / 80_000, 4 * (1280 + 512)]);
  });

  it('a variant is solved from its values: Q1 params = n0 h1 + h1 h2 + h2 n3 + h1 + h2 + n3', () => {
    fc.assert(fc.property(seeds, (seed) => {
      const v = variantOf(q1, seed);
      const { n0, h1, h2, n3 } = v.values as Record<'n0' | 'h1' | 'h2' | 'n3', number>;
      expect(v.ctx.report.totals.params.value).toBe(n0 * h1 + h1 * h2 + h2 * n3 + h1 + h2 + n3);
      expect(v.ctx.report.totals.sramBytes.value).toBe(Math.max(n0 + h1, h1 + h2, h2 + n3) * 8 / 8);
    }), { numRuns: 300 });
  });

  it('a variant with other widths drops the homework network’s name', () => {
    const v = variantOf(q1, 1);
    expect(v.canonical).toBe(false);
    expect(v.ctx.model.name).toBe(`mlp-${v.values.n0}-${v.values.h1}-${v.values.h2}-${v.values.n3}`);
  });

  it.each([q1, q2])('no other seed of %s repeats one of its homework answers, even as displayed', (p) => {
    const homework = [...canonicalAnswerValues(p)];
    fc.assert(fc.property(seeds, (seed) => {
      const v = variantOf(p, seed);
      for (const a of p.answers) {
        const f = askedFigure(v.ctx, a, p.file);
        expect(homework.includes(f.value)).toBe(false);
        expect(homework.some((h) => displayValue(h, f.unit) === displayValue(f.value, f.unit))).toBe(false);
      }
    }), { numRuns: 500 });
  });

  it.each(['notes/lenet-space', 'lectures/alexnet-macs'])('no seed of %s repeats a homework answer of one layer either', (id) => {
    const p = problems.find((x) => x.id === id)!;
    const perLayer = p.answers.filter((a) => a.select?.layer !== undefined);
    expect(perLayer.length).toBeGreaterThan(3);
    const homework = new Map(perLayer.map((a) => [a, askedFigure(variantOf(p, 0).ctx, a, p.file).value]));
    fc.assert(fc.property(seeds, (seed) => {
      const v = variantOf(p, seed);
      const all = [...canonicalAnswerValues(p)];
      for (const a of perLayer) {
        const f = askedFigure(v.ctx, a, p.file);
        expect(all.includes(f.value), `${id} seed ${seed}: ${a.of} of ${a.select!.layer} = ${f.value}, the homework's ${homework.get(a)}`).toBe(false);
      }
    }), { numRuns: 60 });
  });

  it('is the same for the same (problem, seed), whatever was sampled before', () => {
    const first = variantOf(q2, 4242).values;
    for (let s = 1; s < 50; s++) variantOf(q2, s);
    expect(variantOf(q2, 4242).values).toEqual(first);
  });
});

describe('templates', () => {
  const base = { title: 't', source: 's', set: 'hw1', order: 1, topics: ['a'], difficulty: 'core' };

  it('fills "$name" in an MLP, in givens and in a full definition', () => {
    const data = problemSchema.parse({
      ...base,
      model: { name: 'net', input: ['$c', 8], layers: [{ type: 'Linear', out_features: '$o' }] },
      given: { batch: '$n' },
      params: { c: { default: 4, choices: [4, 6] }, o: { default: 3, min: 1, max: 9 }, n: { default: 2, choices: [2] } },
    });
    expect(data.model).toEqual({ name: 'net', input: [4, 8], layers: [{ type: 'Linear', out_features: 3 }] });
    expect(data.given).toEqual({ batch: 2 });
    expect(instantiate(data.variation!, { c: 6, o: 9, n: 2 }).model).toEqual({ name: 'net', input: [6, 8], layers: [{ type: 'Linear', out_features: 9 }] });
  });

  it.each([
    ['an undeclared parameter', { model: { mlp: ['$n0', 10] }, params: { h: { default: 1, choices: [1] } } }, /uses "\$n0", not among the params \(h\)/],
    ['a reference without params', { model: { mlp: ['$n0', 10] } }, /uses "\$n0" but declares no `params`/],
    ['constraints without params', { model: { mlp: [3, 10] }, constraints: ['1 < 2'] }, /`constraints` without `params`/],
    ['a malformed reference', { model: { mlp: ['n0', 10] } }, /mlp\.0/],
    ['a bad space', { model: { mlp: [3, 10] }, params: { h: { default: 2, choices: [1] } } }, /params\.h: the default 2 is not among the choices 1/],
    ['a value invalid where it goes', { model: { mlp: [3, '$w'] }, params: { w: { default: 0, choices: [0, 1] } } }, /the default values: model: mlp\.1: Too small/i],
  ])('refuses %s, saying what is wrong', (_what, fields, message) => {
    const result = problemSchema.safeParse({ ...base, ...fields });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message);
  });
});

describe('figuresAsked', () => {
  it('reads <Answer> and <Value> in order, each figure once, with the props that select it', () => {
    const body = '<Answer of="params" expect={1} /> <Value of=\'biases\' /> <Answer title="x" of="params" />\n\n<Answer of="macs" layer="conv1" expect={5} /> <Value of="macs" layer="conv1" /> <Answer of="macs" in="MMAC" />';
    expect(figuresAsked(body, 'f.mdx')).toEqual([{ of: 'params' }, { of: 'biases' }, { of: 'macs', select: { layer: 'conv1' } }, { of: 'macs', select: { in: 'MMAC' } }]);
  });
  it('names the file, the line and the allowed answers for an unknown one', () => {
    expect(() => figuresAsked('\n<Value of="parms" />', 'problems/x.mdx')).toThrow(/^problems\/x\.mdx:2: <Value of="parms">: unknown answer; allowed: weights, biases, params/);
  });
});

describe('loadProblemFile', () => {
  it('names the file and field of a malformed problem', () => {
    expect(() => loadProblemFile(`${PROJECT_ROOT}test/variants/fixtures/bad-space.mdx`, PROJECT_ROOT)).toThrow(
      /test\/variants\/fixtures\/bad-space\.mdx: params: params\.n3: the default 10 is not among the choices 2, 4/,
    );
  });
});
