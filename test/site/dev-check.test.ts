/**
 * The dev server's errors (src/site/dev-check.ts): a problem page whose problem has a mistake
 * throws the check's located messages (what Astro's overlay shows: the report as the message,
 * the first error's file, line and column, the line itself), with no stack into the generator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { locatedError, problemErrors } from '../../src/site/dev-check.ts';
import { benchProblem } from '../bench/course.ts';
import { lineOf, writeCourse } from '../helpers/course.ts';

const before = process.env.WORKBOOK_COURSE_DIR;
afterEach(() => {
  if (before === undefined) delete process.env.WORKBOOK_COURSE_DIR;
  else process.env.WORKBOOK_COURSE_DIR = before;
});

describe('problemErrors: a problem page in workbook dev', () => {
  it('throws every mistake of the problem, located, the first with its line', () => {
    const text = benchProblem(1).replace('<Answer of="params" />', '<Answer of="paramByte" />').replace('<Given name="paramBits" />', '<Given name="paramBit" />');
    const dir = writeCourse({ 'problems/hw1/q1.mdx': text });
    process.env.WORKBOOK_COURSE_DIR = dir;
    const given = lineOf(text, '<Given name="paramBit" />');
    const answer = lineOf(text, 'paramByte');
    let thrown: ReturnType<typeof locatedError> | undefined;
    try {
      problemErrors('problems/hw1/q1.mdx');
    } catch (error) {
      thrown = error as ReturnType<typeof locatedError>;
    }
    expect(thrown?.message).toMatch(new RegExp(`^problems/hw1/q1\\.mdx:${given.line}:\\d+: .*paramBit.*\\nproblems/hw1/q1\\.mdx:${answer.line}:\\d+: paramByte: unknown answer; did you mean paramBytes\\?\\n2 errors in the course$`));
    expect(thrown?.name).toBe('Authoring error');
    expect(thrown?.stack).toBe('');
    expect(thrown?.loc).toEqual({ file: `${dir}/problems/hw1/q1.mdx`, line: given.line, column: expect.any(Number) });
    expect(thrown?.frame).toContain(`> ${given.line} | `);
  });

  it('renders a problem without mistakes', () => {
    const dir = writeCourse({ 'problems/hw1/q1.mdx': benchProblem(1) });
    process.env.WORKBOOK_COURSE_DIR = dir;
    expect(() => problemErrors('problems/hw1/q1.mdx')).not.toThrow();
  });
});
