/**
 * A malformed problem stops the build with a message naming the file and what is wrong,
 * rather than publishing a wrong or partial page.
 */
import { describe, expect, it } from 'vitest';
import { ROOT, failedBuild } from '../helpers/site.ts';

const fixture = (name: string) => `${ROOT}test/fixtures/problems/${name}`;

describe('malformed problems fail the build', () => {
  it.each([
    ['bad-expect', ['hw1/q.mdx', 'expect={99330}', 'the author expects 99330 but the engine computes 99338']],
    ['unknown-model', ['hw1/q.mdx', 'resnet-9000', 'unknown model id; allowed: mlp-hw1-q1']],
    ['bad-frontmatter', ['hw1/q.mdx', 'topic', 'difficulty']],
    ['unknown-answer', ['hw1/q.mdx', '<Answer of="parameterz">', 'allowed: weights, biases, params']],
  ] as const)('%s', async (name, expected) => {
    const { code, output } = await failedBuild({ problemsDir: fixture(name) });
    expect(code).not.toBe(0);
    for (const text of expected) expect(output).toContain(text);
  }, 120_000);
});
