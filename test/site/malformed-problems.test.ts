/**
 * A malformed problem stops the build with a message naming the file (and the line and column,
 * as `workbook check` prints them) and what is wrong, rather than publishing a wrong or partial page.
 */
import { describe, expect, it } from 'vitest';
import { ROOT, failedBuild } from '../helpers/site.ts';

const fixture = (name: string) => `${ROOT}test/fixtures/problems/${name}`;

describe('malformed problems fail the build', () => {
  it.each([
    ['bad-expect', ['hw1/q.mdx', 'expect={99330}', 'the author expects 99330 but the engine computes 99338']],
    ['unknown-model', ['hw1/q.mdx:8:8: model: unknown model \'resnet-9000\'', 'built in: mlp-hw1-q1']],
    ['bad-frontmatter', ['hw1/q.mdx', 'topic', 'difficulty']],
    ['unknown-answer', ['hw1/q.mdx:10:9: parameterz: unknown answer; answers: weights, biases, params']],
    ['unknown-prop', ['hw1/q.mdx:10:21: <Answer of="params">: unknown prop \'layr\'; did you mean layer?']],
    ['unknown-layer', ['hw1/q.mdx:10:21: <Answer of="params">: layer \'conv9\' is not in lenet5; did you mean conv1?']],
    ['layer-on-total', ['hw1/q.mdx', '<Answer of="peakActivations" layer="conv1">', 'takes no `layer`; answers with a layer: weights']],
    ['bad-table', ['hw1/q.mdx', '<FigureTable id="batch"> row "b64"', 'the author expects 15024000 but the engine computes 15024128']],
    ['missing-hardware', ['hw1/q.mdx', '<Answer of="memoryTimeMs">', 'needs `hardware`']],
    ['unknown-measurement', ['hw1/q.mdx', 'column measured "inference"', 'measurements: none']],
  ] as const)('%s', async (name, expected) => {
    const { code, output } = await failedBuild({ problemsDir: fixture(name) });
    expect(code).not.toBe(0);
    for (const text of expected) expect(output).toContain(text);
  }, 120_000);
});
