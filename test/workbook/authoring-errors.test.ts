/**
 * Issue 26's authoring cases and issue 25's broken courses, each a regression test asserting the
 * exact diagnostics `workbook check` reports (file, line, column, message) and no other. Before
 * these fixes each passed `check` and then broke or fooled the build, or was reported at the
 * wrong place (an MDX error at the `model:` line, a YAML error at 2:1), or hid other errors.
 * The build runs the same check as its first step (site/build-guard.ts); the last test builds
 * one broken course to show it prints the same lines and publishes nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCourse, formatDiagnostic, type Diagnostic } from '../../src/workbook/check/index.ts';
import { MAX_SOURCE_BYTES } from '../../src/workbook/check/text.ts';
import { MAX_YAML_BYTES, MAX_YAML_DEPTH, MAX_YAML_NODES } from '../../src/workbook/check/yaml.ts';
import { lineOf, OWN_COURSE, writeCourse } from '../helpers/course.ts';
import { failedBuild } from '../helpers/site.ts';

const Q1 = 'problems/hw2/q1.mdx';
const PROBLEM = OWN_COURSE[Q1]!;
const COURSE = OWN_COURSE['content/course.yaml']!;
const LITERAL = 'a prop is a literal (a number, a string, true or false, or lists and objects of these); expressions are not read';

/** A few hundred bytes of YAML, millions of values once its aliases are expanded. */
const BOMB = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`), `g: [${Array(9).fill('*f').join(',')}]`].join('\n');
/** Its seven keys and values, expanded: a = a list of 9 (10 values), each next a list of 9 of the previous. */
const BOMB_VALUES = 7 + [10, 91, 820, 7381, 66430, 597871, 5380840].reduce((sum, n) => sum + n, 0);
const bombMessage = (prefix: string) => new RegExp(`^${prefix}aliases expand to more than ${MAX_YAML_NODES} values \\((\\d+)\\); write the values out, or use fewer aliases$`);

const CHAPTERED = `${COURSE}units:\n  - { id: u1, title: Reading, summary: The reading., chapters: [intro], sets: [hw2] }\n`;

interface Case {
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  /** Files that are not text: a named pipe, a link to nowhere. */
  readonly setup?: (dir: string) => void;
  /** [file, text the position is read from, the needle at the position, message]. */
  readonly expected: readonly (readonly [string, string, string, string | RegExp])[];
}

const at = (file: string, text: string, needle: string, message: string | RegExp) => [file, text, needle, message] as const;
const edit = (from: string, to: string) => PROBLEM.replace(from, to);

const cases: Record<string, () => Case> = {
  'an alias bomb in a frontmatter: refused at the alias, no stack trace': () => {
    const text = edit('order: 1\n', `order: 1\n${BOMB}\n`);
    return { files: { [Q1]: text }, expected: [at(Q1, text, '*d,*d', bombMessage('frontmatter: '))] };
  },
  'an alias bomb in the course file: at its line and column': () => {
    const text = `${COURSE}${BOMB}\n`;
    return { files: { 'content/course.yaml': text }, expected: [at('content/course.yaml', text, '*d,*d', bombMessage(''))] };
  },
  'an unclosed <Question>: at the tag, not at model:': () => {
    const text = edit('</Question>\n\n<Question label="b">', '\n<Question label="b">');
    return { files: { [Q1]: text }, expected: [at(Q1, text, '<Question label="a">', 'the MDX does not parse: Expected a closing tag for `<Question>`')] };
  },
  'a prop the checker cannot read: at the prop': () => {
    const text = edit('<Answer of="latencyMs" />', '<Answer of="latencyMs" layer={conv} />');
    return { files: { [Q1]: text }, expected: [at(Q1, text, 'layer={conv}', `<Answer of="latencyMs"> layer={conv}: ${LITERAL}`)] };
  },
  'an unknown YAML tag and a duplicate key: each at its own place': () => {
    const text = edit('order: 1\n', 'order: 1\nsummary: !foo x\ndifficulty: core\n');
    const second = text.indexOf('difficulty: core', text.indexOf('difficulty: core') + 1);
    const line = text.slice(0, second).split('\n').length;
    return {
      files: { [Q1]: text },
      expected: [at(Q1, text, '!foo', 'frontmatter: Unresolved tag: !foo'), [Q1, text, `@${line}:1`, "frontmatter: duplicate key 'difficulty': a key may appear once in a map"]],
    };
  },
  "<Choice> options that are not layer ids or options: at the tag, not at model:": () => {
    const text = edit('<Answer of="latencyMs" />', '<Answer of="latencyMs" />\n<Choice of="params" options={[1, 2]} pick="max" />');
    return { files: { [Q1]: text }, expected: [at(Q1, text, '<Choice of="params" options={[1', '<Choice of="params" options>: a list of layer ids or of { label, ...props } objects, written as literals')] };
  },
  '<GemmTable> of a block the model does not have, <Question> without a label, a prop <Network> does not take: each at its place': () => {
    const text = edit('<Answer of="latencyMs" />', '<Answer of="latencyMs" />\n<GemmTable block="encoder" />\n<Network layer="fc1" />').replace('<Question label="a">', '<Question>');
    return {
      files: { [Q1]: text },
      expected: [
        at(Q1, text, '<Question>', '<Question> needs a non-empty label, e.g. <Question label="a">'),
        // The component's own message (GemmTable.astro reads the block with the same gemmsOf).
        at(Q1, text, 'block="encoder"', '<GemmTable block="encoder">: block="encoder": no layer of tiny-cnn is inside it; layers: conv1, 1, 2, fc1'),
        at(Q1, text, 'layer="fc1"', "<Network>: unknown prop 'layer'; props: inline"),
      ],
    };
  },
  '<Given> with a misspelt prop: at the prop, with the nearest': () => {
    const text = edit('<Answer of="latencyMs" />', '<Answer of="latencyMs" />\n<Given name="batch" nown="sequence" />');
    return { files: { [Q1]: text }, expected: [at(Q1, text, 'nown=', "<Given>: unknown prop 'nown'; did you mean noun?; props: name, noun, plural")] };
  },
  'expect={NaN}': () => {
    const text = edit('expect={54170}', 'expect={NaN}');
    return { files: { [Q1]: text }, expected: [at(Q1, text, 'expect={NaN}', `<Answer of="params"> expect={NaN}: ${LITERAL}`)] };
  },
  'expect={1/0}': () => {
    const text = edit('expect={54170}', 'expect={1/0}');
    return { files: { [Q1]: text }, expected: [at(Q1, text, 'expect={1/0}', `<Answer of="params"> expect={1/0}: ${LITERAL}`)] };
  },
  'expect={1e999}, a literal past the largest number': () => {
    const text = edit('expect={54170}', 'expect={1e999}');
    return { files: { [Q1]: text }, expected: [at(Q1, text, 'expect={1e999}', '<Answer of="params"> expect={1e999}: not a finite number')] };
  },
  'an expect that throws': () => {
    const text = edit('expect={54170}', 'expect={(() => { throw new Error("x") })()}');
    return { files: { [Q1]: text }, expected: [at(Q1, text, 'expect={', `<Answer of="params"> expect={(() => { throw new Error("x") })()}: ${LITERAL}`)] };
  },
  '{process.exit(0)} in a problem': () => {
    const text = edit('A network of', '{process.exit(0)} A network of');
    return { files: { [Q1]: text }, expected: [at(Q1, text, '{process.exit(0)}', "{process.exit(0)}: a problem's text runs no code; write \\{ for a brace, or $...$ for math")] };
  },
  'an expression that never returns, in a problem': () => {
    const text = edit('A network of', '{(() => { while (true) {} })()} A network of');
    return { files: { [Q1]: text }, expected: [at(Q1, text, '{(() =>', "{(() => { while (true) {} })()}: a problem's text runs no code; write \\{ for a brace, or $...$ for math")] };
  },
  'invalid UTF-8: at the byte': () => {
    const cut = PROBLEM.indexOf('A network of');
    const bytes = Buffer.concat([Buffer.from(PROBLEM.slice(0, cut)), Buffer.from([0xc3, 0x28]), Buffer.from(PROBLEM.slice(cut))]);
    return { files: { [Q1]: bytes }, expected: [at(Q1, PROBLEM, 'A network of', `byte 0xC3 at offset ${Buffer.byteLength(PROBLEM.slice(0, cut))} is not UTF-8; save the file as UTF-8`)] };
  },
  'a NUL byte: at the byte': () => {
    const text = edit('A network of', 'A net\u0000work of');
    return { files: { [Q1]: text }, expected: [at(Q1, text, '\u0000', 'control character U+0000 (NUL); a text file holds no control characters but tab and newline')] };
  },
  'a byte-order mark: allowed': () => ({ files: { [Q1]: `\uFEFF${PROBLEM}` }, expected: [] }),
  'CRLF line ends: allowed': () => ({ files: { [Q1]: PROBLEM.replace(/\n/g, '\r\n') }, expected: [] }),
  'two problems of a set with the same order: at the second': () => {
    const text = edit('title: "HW2 Q1', 'title: "HW2 Q2');
    return { files: { 'problems/hw2/q2.mdx': text }, expected: [['problems/hw2/q2.mdx', text, '@5:8', "order: 1 is also the order of problems/hw2/q1.mdx in set 'hw2'; each problem of a set has its own"]] };
  },
  'a duplicate set key in the course file': () => {
    const text = COURSE.replace('topics:', '  hw2:\n    title: again\ntopics:');
    const line = text.split('\n').lastIndexOf('  hw2:') + 1;
    return { files: { 'content/course.yaml': text }, expected: [['content/course.yaml', text, `@${line}:3`, "duplicate key 'hw2': a key may appear once in a map"]] };
  },
  'a duplicate unit id in the course file': () => {
    const text = `${COURSE}units:\n  - { id: u1, title: A, summary: a, sets: [hw2] }\n  - { id: u1, title: B, summary: b }\n`;
    return { files: { 'content/course.yaml': text }, expected: [at('content/course.yaml', text, 'u1, title: B', "units[1].id: 'u1' is the id of an earlier unit; each unit has its own")] };
  },
  'nesting past the limit: at the list that is too deep': () => {
    const deep = `${'['.repeat(MAX_YAML_DEPTH + 5)}${']'.repeat(MAX_YAML_DEPTH + 5)}`;
    const text = edit('order: 1\n', `order: 1\nsummary: ${deep}\n`);
    // The map is level 1: the list opened at column 10 + 63 is level 65.
    return { files: { [Q1]: text }, expected: [[Q1, text, `@${lineOf(text, 'summary:').line}:${10 + MAX_YAML_DEPTH - 1}`, `frontmatter: nested more than ${MAX_YAML_DEPTH} levels deep`]] };
  },
  'a frontmatter past 1 MiB: refused before it is parsed': () => {
    const summary = `summary: "${'x'.repeat(MAX_YAML_BYTES)}"`;
    const text = edit('order: 1\n', `order: 1\n${summary}\n`);
    const bytes = Buffer.byteLength(text.slice(4, text.indexOf('\n---\n', 4) + 1));
    return { files: { [Q1]: text }, expected: [[Q1, text, '@2:1', `frontmatter: ${bytes} bytes of YAML; the limit is ${MAX_YAML_BYTES}`]] };
  },
  'a file past 4 MiB: refused before it is read': () => {
    const text = `${PROBLEM}\n${'Text. '.repeat(Math.ceil(MAX_SOURCE_BYTES / 6))}\n`;
    return { files: { [Q1]: text }, expected: [[Q1, text, '', `${Buffer.byteLength(text)} bytes; the limit for a course's text file is ${MAX_SOURCE_BYTES}`]] };
  },
  'a named pipe as a problem: refused, not waited on': () => ({
    files: {},
    setup: (dir) => execFileSync('mkfifo', [join(dir, 'problems/hw2/pipe.mdx')]),
    expected: [['problems/hw2/pipe.mdx', '', '', 'not a regular file']],
  }),
  'a link to nowhere as a problem': () => ({
    files: {},
    setup: (dir) => symlinkSync(join(dir, 'nowhere.mdx'), join(dir, 'problems/hw2/gone.mdx')),
    expected: [['problems/hw2/gone.mdx', '', '', 'cannot be read: ENOENT']],
  }),
  // Issue 25's table of broken courses.
  'a chapter without topics: at its frontmatter': () => ({
    files: { 'content/course.yaml': CHAPTERED, 'content/chapters/intro.mdx': '---\ntitle: Intro\nsummary: The start.\n---\n\nText.\n' },
    expected: [['content/chapters/intro.mdx', '', '@2:1', 'topics: required (array)']],
  }),
  'a component a chapter is not given: at the tag, with the nearest': () => {
    const text = '---\ntitle: Intro\nsummary: The start.\ntopics: [parameters]\n---\n\nText.\n\n<LayerFormula layer={{ type: "Linear", out_features: 3 }} input={[4]} />\n';
    return { files: { 'content/course.yaml': CHAPTERED, 'content/chapters/intro.mdx': text }, expected: [at('content/chapters/intro.mdx', text, '<LayerFormula', '<LayerFormula>: unknown component; did you mean LayerFormulas?; components: ContextMemoryChart, DecodeBatchChart, Example, LayerFormulas, LlmCalculators')] };
  },
  'several errors in one file, frontmatter and body, in one run': () => {
    const text = edit('difficulty: core', 'difficulty: hard').replace('set: hw2', 'set: hw2\ntopic: [x]').replace('<Answer of="latencyMs" />', '<Answer of="latencyMS" />').replace('<Answer of="fitsInFlash" expect={true} />', '<Answer of="fitsInFlash" expct={true} />');
    return {
      files: { [Q1]: text },
      expected: [
        at(Q1, text, 'topic: [x]', 'topic: unknown field; did you mean topics?; allowed: title, source, set, order, topics, difficulty, model, given, hardware, summary, tables, measurements, params, constraints'),
        at(Q1, text, 'difficulty: hard', "difficulty: 'hard' is not allowed; allowed: warm-up, core, challenge"),
        at(Q1, text, 'of="latencyMS"', 'latencyMS: unknown answer; did you mean latencyMs?'),
        at(Q1, text, 'expct', `<Answer of="fitsInFlash">: unknown prop 'expct'; did you mean expect?`),
      ],
    };
  },
  'a YAML syntax error does not hide the body': () => {
    const text = edit('order: 1', 'order: [1').replace('<Answer of="latencyMs" />', '<Answer of="latencyMs" layr="conv1" />');
    return {
      files: { [Q1]: text },
      expected: [
        // Where the parser finds the sequence unclosed: the line after it.
        [Q1, text, '@6:1', 'frontmatter: Flow sequence in block collection must be sufficiently indented and end with a ]'],
        at(Q1, text, 'layr=', `<Answer of="latencyMs">: unknown prop 'layr'; did you mean layer?`),
      ],
    };
  },
  'a set declared and used by a problem with other errors: no false "no problem has set"': () => {
    const text = edit('difficulty: core', 'difficulty: hard').replace('set: hw2', 'set: quiz1');
    const course = COURSE.replace('sets:\n', 'sets:\n  quiz1:\n    title: Quiz 1\n');
    return {
      files: { [Q1]: text, 'content/course.yaml': course.replace('  hw2:\n    title: "Homework 2: a tiny CNN"\n    description: "Convolutions on a microcontroller."\n', '') },
      expected: [at(Q1, text, 'difficulty: hard', "difficulty: 'hard' is not allowed; allowed: warm-up, core, challenge")],
    };
  },
};

function expectedOf(c: Case): Diagnostic[] {
  return c.expected.map(([file, text, needle, message]) => {
    const place = needle === '' ? {} : needle.startsWith('@') ? { line: Number(needle.slice(1).split(':')[0]), column: Number(needle.split(':')[1]) } : lineOf(text, needle);
    return { file, ...place, message: (typeof message === 'string' ? message : expect.stringMatching(message)) as string };
  });
}

function courseOf(c: Case): string {
  const dir = writeCourse({ ...OWN_COURSE });
  for (const [path, text] of Object.entries(c.files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  c.setup?.(dir);
  return dir;
}

describe('authoring mistakes, each at its place, every one in one run', () => {
  it.each(Object.keys(cases))('%s', (name) => {
    const c = cases[name]!();
    const { diagnostics } = checkCourse({ root: courseOf(c), seeds: 1 });
    expect(diagnostics).toEqual(expectedOf(c));
  });

  it('the bomb is measured, not expanded: its count is the bomb\'s values and the file\'s few others', () => {
    // b..g: each 1 + 9 × the previous.
    expect([10, 91, 820, 7381, 66430, 597871, 5380840].every((n, i, all) => i === 0 || n === 1 + 9 * all[i - 1]!)).toBe(true);
    for (const name of ['an alias bomb in a frontmatter: refused at the alias, no stack trace', 'an alias bomb in the course file: at its line and column']) {
      const started = performance.now();
      const [d] = checkCourse({ root: courseOf(cases[name]!()), seeds: 0 }).diagnostics;
      const n = Number(/\((\d+)\)/.exec(d!.message)![1]);
      expect(n - BOMB_VALUES).toBeGreaterThan(0);
      expect(n - BOMB_VALUES).toBeLessThan(100);
      // Measured in the time of its source (milliseconds), not of millions of values.
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });
});

describe('the build prints the same and publishes nothing', () => {
  it('one broken course: every line of check, no stack trace, the previous output kept', async () => {
    const c = cases['several errors in one file, frontmatter and body, in one run']!();
    const dir = courseOf({ files: { ...c.files, ...cases['a chapter without topics: at its frontmatter']!().files }, expected: [] });
    const { diagnostics } = checkCourse({ root: dir, seeds: 1 });
    expect(diagnostics).toHaveLength(5);
    const out = join(dir, 'dist');
    mkdirSync(out);
    writeFileSync(join(out, 'index.html'), 'previous build');
    const build = await failedBuild({ courseDir: dir, outDir: out });
    expect(build.code).toBe(1);
    const lines = build.output.split('\n');
    for (const d of diagnostics) expect(lines).toContain(formatDiagnostic(d));
    expect(build.output).toContain('5 errors in the course');
    expect(build.output).not.toMatch(/\bat .*\.(ts|js|mjs):\d+|InvalidContentEntryDataError/);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toBe('previous build');
    expect(readdirSync(dir).filter((f) => f.startsWith('dist.'))).toEqual([]);
  }, 180_000);
});
