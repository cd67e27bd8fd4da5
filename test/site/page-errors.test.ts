/**
 * Issue 26: code in a course's MDX that throws while its page renders is one located line from
 * the build, `file:line:column: message`, with no stack trace and nothing published, and the
 * same line from `workbook check` whenever check can see it (a problem's code, a chapter
 * component's literal props). Chapters may compute (problems may not), so a chapter's
 * expression, declaration or a component given computed props is the build's to find: it is
 * named at the expression's or the element's place (src/site/mdx-locate.ts, page-error.ts).
 * One build per case: the first error stops a build.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCourse, formatDiagnostic } from '../../src/workbook/check/index.ts';
import { lineOf, writeCourse } from '../helpers/course.ts';
import { failedBuild } from '../helpers/site.ts';

const CHAPTER = 'content/chapters/intro.mdx';
const Q1 = 'problems/hw1/q1.mdx';
const COURSE = 'title: Errors\nsets:\n  hw1: { title: Homework 1 }\nunits:\n  - { id: u1, title: Reading, summary: The reading., chapters: [intro], sets: [hw1] }\n';
const problem = (body: string) =>
  `---\ntitle: "Q1"\nsource: "a test"\nset: hw1\norder: 1\ntopics: [parameters]\ndifficulty: core\nmodel: { mlp: [4, 3, 2] }\n---\n\n${body}\n`;
const chapter = (body: string) => `---\ntitle: Intro\nsummary: The start.\ntopics: [parameters]\n---\n\nSome text.\n\n${body}\n`;
const GOOD_PROBLEM = problem(`<Answer of="params" expect={${4 * 3 + 3 + 3 * 2 + 2}} />`);

function course(files: Record<string, string>): string {
  return writeCourse({ 'content/course.yaml': COURSE, [Q1]: GOOD_PROBLEM, [CHAPTER]: chapter('More text.'), ...files });
}

/** Builds a course expected to fail; the output's lines, and asserts nothing was published. */
async function failing(dir: string): Promise<string> {
  const out = join(dir, 'dist');
  // The course's own content cache, as `workbook build --course` gives it: the shared one may hold
  // an earlier test's course with the same chapter, and its path.
  const build = await failedBuild({ courseDir: dir, outDir: out, variants: 1, env: { WORKBOOK_CACHE_DIR: join(dir, '.astro', 'cache') } });
  expect(build.code).toBe(1);
  // No stack trace through compiled chunks, no framework hint.
  expect(build.output).not.toMatch(/\n\s+at .*:\d+:\d+|Hint:|Stack trace|\.prerender/);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(dir).filter((f) => f.startsWith('dist'))).toEqual([]);
  expect(build.output).not.toContain(`${dir}/content`);
  return build.output;
}

const at = (text: string, needle: string, message: string) => formatDiagnostic({ file: CHAPTER, ...lineOf(text, needle), message });

describe('a chapter whose code throws: one located line from the build, nothing published', () => {
  it('an {expression} in the text: at the expression', async () => {
    const text = chapter('Here is {(() => { throw new Error("thrown by the chapter") })()}.');
    const dir = course({ [CHAPTER]: text });
    expect(checkCourse({ root: dir, seeds: 1 }).diagnostics).toEqual([]);
    const output = await failing(dir);
    expect(output.split('\n')).toContain(at(text, '{(() =>', '{(() => { throw new Error("thrown by t...} threw: thrown by the chapter'));
  }, 180_000);

  it("a component's prop that throws: at the prop", async () => {
    const text = chapter('<Example model={nets.small} of="params" />');
    const dir = course({ [CHAPTER]: text });
    expect(checkCourse({ root: dir, seeds: 1 }).diagnostics).toEqual([]);
    const output = await failing(dir);
    expect(output.split('\n')).toContain(at(text, 'model={nets', '<Example> model={nets.small} threw: nets is not defined'));
  }, 180_000);

  it('a declared value that throws: at the value', async () => {
    const text = chapter('export const net = JSON.parse("{ not json")\n\n<Example model={net} of="params" />');
    const dir = course({ [CHAPTER]: text });
    const output = await failing(dir);
    expect(output.split('\n')).toContain(at(text, 'JSON.parse', `const net threw: Expected property name or '}' in JSON at position 2 (line 1 column 3)`));
  }, 180_000);

  it("a component given computed props it cannot use: at the element, with check's message for the same props written out", async () => {
    // Written out, check computes the element as the page would and reports it before any build.
    const literal = chapter('<LayerFormulas layer={{ type: "Linear", out_features: -3 }} input={[784]} />');
    const message = '<LayerFormulas layer={{ type: "Linear" }}>: Linear: out_features: Too small: expected number to be >0';
    expect(checkCourse({ root: course({ [CHAPTER]: literal }), seeds: 1 }).diagnostics).toEqual([{ file: CHAPTER, ...lineOf(literal, '<LayerFormulas'), message }]);
    // Computed, the build computes it, and names the same element with the same message.
    const computed = chapter('export const fc = { type: "Linear", out_features: -3 }\n\n<LayerFormulas layer={fc} input={[784]} />');
    const dir = course({ [CHAPTER]: computed });
    expect(checkCourse({ root: dir, seeds: 1 }).diagnostics).toEqual([]);
    const output = await failing(dir);
    expect(output.split('\n')).toContain(at(computed, '<LayerFormulas', message));
  }, 180_000);
});

describe('chapter components with literal props: check computes them as the page does', () => {
  it.each([
    ['<Example model={{ mlp: [784, 0, 10] }} of="params" />', '<Example of="params">: model.mlp[1]: Too small: expected number to be >0'],
    ['<Example model={{ mlp: [784, 10] }} of="parms" />', '<Example of="parms">: <Answer of="parms">: unknown answer; allowed: '],
    ['<Example model={{ mlp: [784, 10] }} of="params" given={{ paramBits: 3.5 }} />', '<Example of="params">: given.paramBits: Invalid input: expected int, received number'],
    ['<Example of="params" />', '<Example of="params">: model is missing: a built-in id, widths ({{ mlp: [784, 100, 10] }}) or a definition'],
    ['<LayerFormulas layer={{ type: "Linear", out_features: 10 }} />', '<LayerFormulas layer={{ type: "Linear" }}>: input is missing: the example\'s input shape per sample, e.g. input={[784]}'],
    ['<LlmCalculators model="llama-2-7b" hardware="nvidia-a100" />', '<LlmCalculators model="llama-2-7b" hardware="nvidia-a100">: unknown hardware profile; did you mean nvidia-a100-sxm4-40gb?'],
  ])('%s', (element, message) => {
    const text = chapter(element);
    const diagnostics = checkCourse({ root: course({ [CHAPTER]: text }), seeds: 1 }).diagnostics;
    expect(diagnostics).toHaveLength(1);
    expect({ ...diagnostics[0], message: diagnostics[0]!.message.slice(0, message.length) }).toEqual({ file: CHAPTER, ...lineOf(text, element.slice(0, 8)), message });
  });

  it("the example course's chapters check clean (elements with computed props are the build's)", () => {
    const dir = course({ [CHAPTER]: chapter('<Example model={{ mlp: [784, 100, 10] }} of="macs" />\n\n<LayerFormulas layer={{ type: "ReLU" }} input={[100]} />\n\n<LlmCalculators model="llama-2-7b" hardware="nvidia-a100-sxm4-80gb" given={{ context: 1024 }} />') });
    expect(checkCourse({ root: dir, seeds: 1 }).diagnostics).toEqual([]);
  });
});

describe('a problem whose code would throw: check refuses it, and the build prints the same lines', () => {
  it('an {expression} that throws and expect={1/0}: each at its place, in check and in the build', async () => {
    const text = problem('Text {(() => { throw new Error("boom") })()}.\n\n<Answer of="params" expect={1/0} />');
    const dir = course({ [Q1]: text });
    const { diagnostics } = checkCourse({ root: dir, seeds: 1 });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      formatDiagnostic({ file: Q1, ...lineOf(text, '{(() =>'), message: `{(() => { throw new Error("boom") })()}: a problem's text runs no code; write \\{ for a brace, or $...$ for math` }),
      formatDiagnostic({ file: Q1, ...lineOf(text, 'expect={1/0}'), message: '<Answer of="params"> expect={1/0}: a prop is a literal (a number, a string, true or false, or lists and objects of these); expressions are not read' }),
    ]);
    const output = await failing(dir);
    for (const d of diagnostics) expect(output.split('\n')).toContain(formatDiagnostic(d));
    expect(output).toContain('2 errors in the course');
  }, 180_000);
});
