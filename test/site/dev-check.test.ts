/**
 * The dev server's errors (src/site/dev-check.ts): a problem page whose problem has a mistake
 * throws the check's located messages (what Astro's overlay shows: the report as the message,
 * the first error's file, line and column, the line itself), with no stack into the generator.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locatedError, problemErrors } from '../../src/site/dev-check.ts';
import { bumpCourseGeneration, courseGeneration } from '../../src/workbook/course-generation.ts';
import { courseSets } from '../../src/workbook/course.ts';
import { benchProblem } from '../bench/course.ts';
import { lineOf, writeCourse } from '../helpers/course.ts';

const before = process.env.WORKBOOK_COURSE_DIR;
const GENERATION = Symbol.for('efficiency-workbook.course-generation');
afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[GENERATION];
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

describe('workbook dev reads the course once per save (course-generation.ts)', () => {
  const broken = benchProblem(1).replace('<Answer of="params" />', '<Answer of="paramByte" />');

  it('has no count outside the dev server: every call reads the files', () => {
    expect(courseGeneration()).toBeUndefined();
    const dir = writeCourse({ 'problems/hw1/q1.mdx': broken });
    process.env.WORKBOOK_COURSE_DIR = dir;
    expect(() => problemErrors('problems/hw1/q1.mdx')).toThrow(/paramByte: unknown answer/);
    writeFileSync(join(dir, 'problems/hw1/q1.mdx'), benchProblem(1));
    expect(() => problemErrors('problems/hw1/q1.mdx')).not.toThrow();
  });

  it("keeps a problem's check and the course's sets until a save bumps the count", () => {
    bumpCourseGeneration();
    expect(courseGeneration()).toBe(0);
    const dir = writeCourse({ 'problems/hw1/q1.mdx': broken });
    process.env.WORKBOOK_COURSE_DIR = dir;
    expect(() => problemErrors('problems/hw1/q1.mdx')).toThrow(/paramByte: unknown answer/);
    expect(courseSets().map((s) => s.id)).toEqual(['hw2']);
    // Written without the watcher seeing it: what was read stands (the page asks many times per request).
    writeFileSync(join(dir, 'problems/hw1/q1.mdx'), benchProblem(1));
    writeFileSync(join(dir, 'problems/hw1/q2.mdx'), benchProblem(2).replace('set: hw3', 'set: lab1'));
    expect(() => problemErrors('problems/hw1/q1.mdx')).toThrow(/paramByte: unknown answer/);
    expect(courseSets().map((s) => s.id)).toEqual(['hw2']);
    // The watcher's bump: both read again.
    bumpCourseGeneration();
    expect(courseGeneration()).toBe(1);
    expect(() => problemErrors('problems/hw1/q1.mdx')).not.toThrow();
    expect(courseSets().map((s) => s.id)).toEqual(['hw2', 'lab1']);
  });
});
