/**
 * Broken problems, each with the exact message, file, line and column that `workbook check`
 * prints, and that the build prints before building anything. All of them sit in one course, so
 * the same run also proves that every error of a run is reported, not the first only.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCourse, formatDiagnostic } from '../../src/workbook/check/index.ts';
import { lineOf, writeCourse } from '../helpers/course.ts';
import { failedBuild } from '../helpers/site.ts';

const root = resolve(import.meta.dirname, '../..');
const bin = join(root, 'src/cli/workbook.js');

/** A problem that builds; each broken one changes one thing. */
const problem = (edit: (text: string) => string = (t) => t) =>
  edit(`---
title: "HW2: a tiny CNN"
source: "HW2"
set: hw2
order: 1
topics: [parameters]
difficulty: core
hardware: stm32f746ng
model:
  name: tiny-cnn
  input: [1, 28, 28]
  layers:
    - { type: Conv2d, name: conv1, in_channels: 1, out_channels: "$c", kernel_size: 3 }
    - { type: ReLU }
    - { type: Flatten }
    - { type: Linear, name: fc1, in_features: "$f", out_features: 10 }
given:
  paramBits: 8
params:
  c: { default: 8, choices: [4, 8, 16] }
  f: { derived: "c * 676" }
---

<Answer of="params" expect={54170} />
<Answer of="fitsInFlash" expect={true} />
`);

const conv1Args = 'in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode';

/** [file, its text, the text on the line the error is at, the message]. */
const BROKEN: readonly (readonly [string, string, string, string])[] = [
  ['problems/hw2/typo-answer.mdx', problem((t) => t.replace('<Answer of="params"', '<Answer of="paramByte"')), 'of="paramByte"', 'paramByte: unknown answer; did you mean paramBytes?'],
  [
    'problems/hw2/layer-argument.mdx',
    problem((t) => t.replace('out_channels: "$c"', 'out_channel: "$c"')),
    'out_channel:',
    `tiny-cnn > conv1: Conv2d: unknown argument 'out_channel'; did you mean out_channels?; allowed: ${conv1Args}`,
  ],
  ['problems/hw2/unknown-param.mdx', problem((t) => t.replace('in_features: "$f"', 'in_features: "$ff"')), '"$ff"', '"$ff": unknown parameter; did you mean f?; params: c, f'],
  ['problems/hw2/wrong-expect.mdx', problem((t) => t.replace('expect={54170}', 'expect={54000}')), 'expect={54000}', '<Answer of="params" expect={54000}>: the author expects 54000 but the engine computes 54170'],
  ['problems/hw2/wrong-yes-no.mdx', problem((t) => t.replace('expect={true}', 'expect={false}')), 'expect={false}', '<Answer of="fitsInFlash" expect={false}>: the author expects no but the engine answers yes'],
  [
    'problems/hw2/impossible-constraint.mdx',
    problem((t) => t.replace('  f: { derived: "c * 676" }\n', '  f: { derived: "c * 676" }\nconstraints:\n  - "c > 100"\n')),
    '"c > 100"',
    "the default values break the constraint 'c > 100'",
  ],
  ['problems/hw2/hardware-id.mdx', problem((t) => t.replace('hardware: stm32f746ng', 'hardware: stm32f764ng')), 'stm32f764ng', expect.stringMatching(/^hardware: unknown hardware profile 'stm32f764ng'; did you mean stm32f746ng\?; built in: /) as unknown as string],
  ['problems/hw2/layer-type.mdx', problem((t) => t.replace('{ type: ReLU }', '{ type: Relu }')), 'Relu', "tiny-cnn > 1: unknown layer type 'Relu'; did you mean ReLU?"],
  ['problems/hw2/component.mdx', problem((t) => `${t}<Anwser of="macs" />\n`), '<Anwser', expect.stringMatching(/^<Anwser>: unknown component; did you mean Answer\?; components: /) as unknown as string],
  ['problems/hw2/field.mdx', problem((t) => t.replace('difficulty: core', 'dificulty: core')), 'dificulty', expect.stringMatching(/^dificulty: unknown field; did you mean difficulty\?; allowed: title, /) as unknown as string],
];

const COURSE_FILE = `title: A course of my own
sets:
  hw2:
    title: "Homework 2"
  hw22:
    title: "Homework 22"
`;

/** One course holding every broken problem, the good one, and a course file naming a set no problem has. */
const files: Record<string, string> = {
  'problems/hw2/good.mdx': problem(),
  'content/course.yaml': COURSE_FILE,
  // Each its own order in the set (two with one order are an error of their own).
  ...Object.fromEntries(BROKEN.map(([file, text], i) => [file, text.replace('order: 1', `order: ${i + 2}`)])),
};
const expected = [
  ...BROKEN.map(([file, text, at, message]) => ({ file, ...lineOf(text, at), message })),
  { file: 'content/course.yaml', ...lineOf(COURSE_FILE, 'hw22:'), message: "sets.hw22: no problem has set 'hw22'; did you mean hw2?" },
];
const course = writeCourse(files);

describe('workbook check', () => {
  const result = checkCourse({ root: course, seeds: 3 });

  it.each(expected.map((e) => [e.file, e] as const))('%s: the message, at its line and column', (_file, e) => {
    expect(result.diagnostics.filter((d) => d.file === e.file)).toEqual([{ file: e.file, line: e.line, column: e.column, message: e.message }]);
  });

  it('reports every error of the run, and no other', () => {
    expect(result.diagnostics).toHaveLength(expected.length);
    expect(result.problems).toBe(BROKEN.length + 1);
  });

  it('prints them as file:line:column: message and exits 1; a clean course exits 0', () => {
    const r = spawnSync(process.execPath, [bin, 'check', '--course', course], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    for (const d of result.diagnostics) expect(lines).toContain(formatDiagnostic(d));
    expect(lines.at(-1)).toBe(`${expected.length} errors in the course`);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+|\*\*\*\*/);

    const good = writeCourse({ 'problems/hw2/good.mdx': problem() });
    const ok = spawnSync(process.execPath, [bin, 'check', '--course', good], { encoding: 'utf8', timeout: 60_000 });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/^1 problem checked in \d+\.\d s: no errors\n$/);
    expect(ok.status).toBe(0);
  });
});

describe('the build', () => {
  let build: { code: number; output: string };
  const out = join(course, 'dist');
  beforeAll(async () => {
    // A previous build's output, which a failed build must leave as it was.
    mkdirSync(out);
    writeFileSync(join(out, 'index.html'), 'previous build');
    build = await failedBuild({ courseDir: course, outDir: out });
  }, 180_000);

  it('fails with the same messages, every one, before building anything', () => {
    expect(build.code).toBe(1);
    const lines = build.output.split('\n');
    for (const d of result().diagnostics) expect(lines).toContain(formatDiagnostic(d));
    expect(build.output).toContain(`${expected.length} errors in the course`);
    // No stack trace, no framework hint, no masked field.
    expect(build.output).not.toMatch(/\bat .*\.(ts|js|mjs):\d+|Hint:|\*\*\*\*/);
  });

  it('leaves the previous output as it was, and no partial folder', () => {
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('previous build');
    expect(readdirSync(course).filter((f) => f.startsWith('dist.'))).toEqual([]);
  });
});

describe('a build that fails after the check', () => {
  // A chapter's own code (chapters may compute; problems may not), which throws when its page renders.
  const late = writeCourse({
    'problems/hw2/q.mdx': problem(),
    'content/course.yaml': 'title: Late\nunits:\n  - { id: u1, title: Reading, summary: The reading., chapters: [intro], sets: [hw2] }\n',
    'content/chapters/intro.mdx': '---\ntitle: Intro\nsummary: The start.\ntopics: [parameters]\n---\n\nText {(() => { throw new Error("thrown by the chapter") })()}.\n',
  });
  const out = join(late, 'dist');

  it('publishes nothing: the previous output stays, the partial folder is removed', async () => {
    expect(checkCourse({ root: late, seeds: 1 }).diagnostics).toEqual([]);
    mkdirSync(out);
    writeFileSync(join(out, 'index.html'), 'previous build');
    const build = await failedBuild({ courseDir: late, outDir: out });
    expect(build.code).not.toBe(0);
    expect(build.output).toContain('thrown by the chapter');
    expect(readdirSync(out)).toEqual(['index.html']);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('previous build');
    expect(readdirSync(late).filter((f) => f.startsWith('dist.'))).toEqual([]);
  }, 180_000);
});

function result() {
  return checkCourse({ root: course, seeds: 3 });
}
