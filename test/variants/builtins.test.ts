/**
 * The built-ins a problem names (builtins.ts): its spec carries just those, the practice page
 * embeds the spec as JSON, and a variant made from the embedded spec is the build's variant.
 */
import { describe, expect, it } from 'vitest';
import { answerFigure } from '../../src/workbook/answers.ts';
import { BUILT_IN_HARDWARE, BUILT_IN_MODELS, builtInsFor } from '../../src/workbook/builtins.ts';
import { modelDefOf, resolveModel } from '../../src/workbook/models.ts';
import { problemSchema } from '../../src/workbook/problem.ts';
import { figuresAsked } from '../../src/publish/document.ts';
import { variantOf, type ProblemSpec } from '../../src/workbook/variants/index.ts';

const base = { title: 't', source: 's', set: 'lectures-cost', order: 1, topics: ['a'], difficulty: 'core' };
const file = 'problems/test/lenet-cost.mdx';

/** A randomized LeNet-5 problem on the roofline of three chips, as its page would ask it. */
const data = problemSchema.parse({
  ...base,
  model: 'lenet5',
  given: { batch: '$b', hardware: 'raspberry-pi-4' },
  params: { b: { default: 1, min: 1, max: 64 } },
});
const body = [
  '<Answer of="macs" />',
  '<Answer of="memoryTimeMs" />',
  '<Answer of="memoryTimeMs" hardware="nvidia-a100-sxm4-40gb" />',
  "<Value of=\"memoryTimeMs\" hardware={'ryzen-9-5950x'} />",
].join('\n');
const spec: ProblemSpec = { id: 'test/lenet-cost', file, data, answers: figuresAsked(body, file), ...builtInsFor(data, body, file) };

describe('builtInsFor', () => {
  it('picks the zoo model the problem names and the hardware of its given and its answers, no others', () => {
    expect(Object.keys(spec.models)).toEqual(['lenet5']);
    expect(spec.models['lenet5']).toBe(BUILT_IN_MODELS['lenet5']);
    expect(Object.keys(spec.hardwareProfiles).sort()).toEqual(['nvidia-a100-sxm4-40gb', 'raspberry-pi-4', 'ryzen-9-5950x']);
    expect(spec.hardwareProfiles['raspberry-pi-4']).toBe(BUILT_IN_HARDWARE['raspberry-pi-4']);
  });

  it('picks nothing for an MLP by its widths', () => {
    const mlp = problemSchema.parse({ ...base, model: { mlp: ['$n', 10] }, params: { n: { default: 8, min: 2, max: 9 } } });
    expect(builtInsFor(mlp, '<Answer of="params" />', file)).toEqual({ models: {}, hardwareProfiles: {} });
  });

  it('names the file and lists the built-in ids for an unknown model or hardware profile', () => {
    const bad = problemSchema.parse({ ...base, model: 'lenet6' });
    expect(() => builtInsFor(bad, '', file)).toThrow(/^problems\/test\/lenet-cost\.mdx: lenet6: unknown model id; allowed: .*\blenet5\b.*\bresnet18\b/);
    expect(() => builtInsFor(data, '<Answer of="memoryTimeMs" hardware="raspberry-pi-3" />', file)).toThrow(
      /^problems\/test\/lenet-cost\.mdx: .*unknown hardware profile 'raspberry-pi-3'; built in: .*\braspberry-pi-4\b/,
    );
  });
});

describe('models resolve against the registry passed in', () => {
  it('an unknown id lists the ids of that registry', () => {
    expect(() => modelDefOf('lenet6', BUILT_IN_MODELS)).toThrow(/lenet6: unknown model id; allowed: mlp-hw1-q1, .*lenet5/);
    expect(() => modelDefOf('resnet18', spec.models)).toThrow(/resnet18: unknown model id; allowed: lenet5$/);
    expect(() => resolveModel('lenet5', {})).toThrow(/lenet5: unknown model id; allowed: none \(no built-in models were passed\)/);
  });
});

describe('a variant from the spec as the practice page embeds it', () => {
  const embedded = JSON.parse(JSON.stringify(spec)) as ProblemSpec;

  it.each([0, 1, 2, 3, 77, 4242])('seed %i equals the build variant, roofline answers included', (seed) => {
    const built = variantOf(spec, seed);
    const browser = variantOf(embedded, seed);
    expect(browser.values).toEqual(built.values);
    const asked = [['macs', {}], ['memoryTimeMs', {}], ['memoryTimeMs', { hardware: 'nvidia-a100-sxm4-40gb' }], ['memoryTimeMs', { hardware: 'ryzen-9-5950x' }]] as const;
    const figures = (v: typeof built) => asked.map(([name, props]) => answerFigure(v.ctx, name, file, props).value);
    expect(figures(browser)).toEqual(figures(built));
    expect(answerFigure(browser.ctx, 'memoryTimeMs', file).value).toBeGreaterThan(0);
  });
});
