/**
 * Seeded mutations of the example course, as a careless author or editor would make them:
 * frontmatter (lines dropped or doubled, keys misspelt, values replaced, indentation, aliases,
 * nesting, fences), body (tags unclosed or misspelt, answer names, code, stray `<` and `{`),
 * props (`expect` values, quotes, unknown props), the course file (duplicate sets and units,
 * lines, aliases) and encodings (invalid UTF-8, control characters, a BOM, CRLF, truncation,
 * Latin-1). Used by test/workbook/authoring-fuzz.test.ts and `npm run fuzz:authoring`.
 *
 * Each problem mutant is put in a set of its own (`set: m<i>`), so mutants never collide with
 * each other's order and many share one course: one check and one build for all of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export const ROOT = join(import.meta.dirname, '../..');

export type Family = 'frontmatter' | 'body' | 'props' | 'course file' | 'chapter' | 'encoding';

export interface Mutant {
  readonly id: number;
  readonly family: Family;
  /** The operator, e.g. `fm-duplicate-line`, and what it did. */
  readonly operator: string;
  readonly detail: string;
  /** The example file it was made from. */
  readonly from: string;
  /** Where it goes in the mutants' course. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

interface Rng {
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

function rngOf(seed: number): Rng {
  const g = xoroshiro128plus(seed);
  const int = (n: number) => (n <= 1 ? 0 : uniformInt(g, 0, n - 1));
  return { int, pick: (items) => items[int(items.length)]! };
}

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.mdx') ? [join(dir, e.name)] : []));

export const EXAMPLE_PROBLEMS = files(join(ROOT, 'problems')).sort().map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));
export const EXAMPLE_COURSE = readFileSync(join(ROOT, 'content/course.yaml'), 'utf8');
export const EXAMPLE_CHAPTERS = files(join(ROOT, 'content/chapters')).sort().map((p) => ({ path: relative(ROOT, p), text: readFileSync(p, 'utf8') }));

type TextOp = (text: string, r: Rng) => [string, string] | undefined;
type ByteOp = (text: string, r: Rng) => [Uint8Array, string] | undefined;

/** The frontmatter's lines: [first, last) indices into text.split('\n'). */
function frontmatterLines(lines: readonly string[]): [number, number] {
  const end = lines.indexOf('---', 1);
  return [1, end < 0 ? 1 : end];
}

const GARBAGE = ['', '-1', '0', '1e999', '.nan', '.inf', 'null', '"x"', '[1, 2', '{', '!foo x', '*nope', '&a', '0x10', 'true', '"$zz"', '[]', '{}', '9007199254740993', "'", '|'];

const frontmatterOps: Record<string, TextOp> = {
  'fm-delete-line': (t, r) => {
    const lines = t.split('\n');
    const [a, b] = frontmatterLines(lines);
    if (b <= a) return undefined;
    const i = a + r.int(b - a);
    return [[...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'), `line ${i + 1} '${lines[i]}' deleted`];
  },
  'fm-duplicate-line': (t, r) => {
    const lines = t.split('\n');
    const [a, b] = frontmatterLines(lines);
    const i = a + r.int(b - a);
    return [[...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join('\n'), `line ${i + 1} '${lines[i]}' doubled`];
  },
  'fm-typo-key': (t, r) => {
    const lines = t.split('\n');
    const [a, b] = frontmatterLines(lines);
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l, i]) => i >= a && i < b && /^\s*[A-Za-z_]\w*:/.test(l));
    if (candidates.length === 0) return undefined;
    const [line, i] = r.pick(candidates);
    const key = /^\s*([A-Za-z_]\w*):/.exec(line)![1]!;
    const k = r.int(key.length);
    const typo = r.int(2) === 0 ? key.slice(0, k) + key.slice(k + 1) : key.slice(0, k) + key[k] + key.slice(k);
    if (!typo) return undefined;
    lines[i] = line.replace(`${key}:`, `${typo}:`);
    return [lines.join('\n'), `key '${key}' -> '${typo}' at line ${i + 1}`];
  },
  'fm-value-garbage': (t, r) => {
    const lines = t.split('\n');
    const [a, b] = frontmatterLines(lines);
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l, i]) => i >= a && i < b && /^\s*[A-Za-z_]\w*: \S/.test(l));
    if (candidates.length === 0) return undefined;
    const [line, i] = r.pick(candidates);
    const value = r.pick(GARBAGE);
    lines[i] = line.replace(/: .*$/, `: ${value}`);
    return [lines.join('\n'), `line ${i + 1} '${line.trim()}' -> '${lines[i]!.trim()}'`];
  },
  'fm-indent': (t, r) => {
    const lines = t.split('\n');
    const [a, b] = frontmatterLines(lines);
    const i = a + r.int(b - a);
    lines[i] = r.int(2) === 0 ? `  ${lines[i]}` : lines[i]!.replace(/^ {1,2}/, '');
    return [lines.join('\n'), `indentation of line ${i + 1}`];
  },
  'fm-alias-bomb': (t) => {
    const bomb = ['bomb0: &b0 ["x","x","x","x","x","x","x","x","x"]', ...[1, 2, 3, 4, 5, 6].map((k) => `bomb${k}: &b${k} [${Array(9).fill(`*b${k - 1}`).join(',')}]`)].join('\n');
    return [t.replace('---\n', `---\n${bomb}\n`), 'an alias bomb after the opening ---'];
  },
  'fm-deep': (t, r) => {
    const n = 60 + r.int(200);
    return [t.replace('---\n', `---\ndeep: ${'['.repeat(n)}${']'.repeat(n)}\n`), `a list nested ${n} deep`];
  },
  'fm-fence': (t, r) => {
    const lines = t.split('\n');
    const end = lines.indexOf('---', 1);
    const choice = r.int(3);
    if (choice === 0) lines.splice(end, 1);
    else if (choice === 1) lines[0] = '--- x';
    else lines.splice(0, 1);
    return [lines.join('\n'), ['closing --- deleted', "opening '--- x'", 'opening --- deleted'][choice]!];
  },
};

/** The body's start: the offset after the frontmatter. */
const bodyStart = (t: string) => {
  const end = t.indexOf('\n---\n', 4);
  return end < 0 ? 0 : end + 5;
};
const inBody = (t: string, r: Rng) => bodyStart(t) + r.int(Math.max(1, t.length - bodyStart(t)));

const bodyOps: Record<string, TextOp> = {
  'body-drop-closing': (t, r) => {
    const closings = [...t.slice(bodyStart(t)).matchAll(/<\/[A-Z]\w*>/g)];
    if (closings.length === 0) return undefined;
    const m = r.pick(closings);
    const at = bodyStart(t) + m.index;
    return [t.slice(0, at) + t.slice(at + m[0].length), `${m[0]} deleted`];
  },
  'body-rename-component': (t, r) => {
    const tags = [...t.slice(bodyStart(t)).matchAll(/<([A-Z]\w*)/g)];
    if (tags.length === 0) return undefined;
    const m = r.pick(tags);
    const at = bodyStart(t) + m.index + 1 + r.int(m[1]!.length);
    return [t.slice(0, at) + t.slice(at + 1), `<${m[1]}> misspelt`];
  },
  'body-typo-answer': (t, r) => {
    const ofs = [...t.slice(bodyStart(t)).matchAll(/of="(\w+)"/g)];
    if (ofs.length === 0) return undefined;
    const m = r.pick(ofs);
    const name = m[1]!;
    const k = r.int(name.length);
    const typo = name.slice(0, k) + (name[k] === name[k]!.toUpperCase() ? name[k]!.toLowerCase() : name[k]!.toUpperCase()) + name.slice(k + 1);
    const at = bodyStart(t) + m.index;
    return [t.slice(0, at) + `of="${typo}"` + t.slice(at + m[0].length), `of="${name}" -> of="${typo}"`];
  },
  'body-code': (t, r) => {
    const code = r.pick(['{1 + 1}', '{process.exit(0)}', '{(() => { while (true) {} })()}', 'import x from "y"\n', 'export const a = 1\n', '{/* a comment */}']);
    const at = inBody(t, r);
    const lineStart = t.lastIndexOf('\n', at - 1) + 1;
    const where = code.endsWith('\n') ? lineStart : at;
    return [t.slice(0, where) + code + t.slice(where), `'${code.trim()}' inserted`];
  },
  'body-stray': (t, r) => {
    const c = r.pick(['<', '{', '}', '</', '<3', '&', '\\', '$', '`']);
    const at = inBody(t, r);
    return [t.slice(0, at) + c + t.slice(at), `'${c}' inserted at offset ${at}`];
  },
};

const EXPECTS = ['NaN', '1/0', '1e999', '-0', '"54170"', '0', '1.5', 'true', '{}', '[]', 'undefined', 'Infinity', '1_000', '0x10', '.5', '-1e-9'];

const propOps: Record<string, TextOp> = {
  'prop-expect': (t, r) => {
    const expects = [...t.matchAll(/expect=\{[^}]*\}/g)];
    const value = r.pick(EXPECTS);
    if (expects.length > 0) {
      const m = r.pick(expects);
      return [t.slice(0, m.index) + `expect={${value}}` + t.slice(m.index + m[0].length), `${m[0]} -> expect={${value}}`];
    }
    const answers = [...t.matchAll(/<Answer of="\w+"/g)];
    if (answers.length === 0) return undefined;
    const m = r.pick(answers);
    const end = m.index + m[0].length;
    return [t.slice(0, end) + ` expect={${value}}` + t.slice(end), `expect={${value}} added`];
  },
  'prop-quote': (t, r) => {
    const props = [...t.slice(bodyStart(t)).matchAll(/ \w+="[^"]*"/g)];
    if (props.length === 0) return undefined;
    const m = r.pick(props);
    const at = bodyStart(t) + m.index + m[0].indexOf('"') + (r.int(2) === 0 ? 0 : m[0].length - m[0].indexOf('"') - 1);
    return [t.slice(0, at) + t.slice(at + 1), `a quote of '${m[0].trim()}' deleted`];
  },
  'prop-unknown': (t, r) => {
    const tags = [...t.slice(bodyStart(t)).matchAll(/<(Answer|Value|Choice|Given|Network|FigureTable) /g)];
    if (tags.length === 0) return undefined;
    const m = r.pick(tags);
    const prop = r.pick(['layr="conv1"', 'foo="bar"', 'expct={1}', 'hardware="nope"', 'profile="thopp"', 'in="MiB"', 'layer="nope"', 'name="zz"']);
    const at = bodyStart(t) + m.index + m[0].length;
    return [t.slice(0, at) + prop + ' ' + t.slice(at), `${prop} added to <${m[1]}>`];
  },
};

const courseOps: Record<string, TextOp> = {
  'course-dup-set': (t, r) => {
    const sets = [...t.matchAll(/^ {2}([a-z0-9-]+):\n(?: {4}.*\n)+/gm)];
    if (sets.length === 0) return undefined;
    const m = r.pick(sets);
    const end = m.index + m[0].length;
    return [t.slice(0, end) + m[0] + t.slice(end), `set '${m[1]}' doubled`];
  },
  'course-dup-unit': (t, r) => {
    const ids = [...t.matchAll(/^ {2}- id: ([a-z0-9-]+)$/gm)];
    if (ids.length < 2) return undefined;
    const a = r.pick(ids);
    const b = ids.find((x) => x !== a)!;
    return [t.slice(0, b.index) + `  - id: ${a[1]}` + t.slice(b.index + b[0].length), `unit '${b[1]}' renamed '${a[1]}'`];
  },
  'course-delete-line': (t, r) => {
    const lines = t.split('\n');
    const i = r.int(lines.length);
    return [[...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'), `line ${i + 1} '${lines[i]}' deleted`];
  },
  'course-typo': (t, r) => {
    const words = [...t.matchAll(/\b(hw1|notes|lab1|lectures|lectures-cost|metrics|layers|hardware|parameters|sets|units|chapters|title|topics)\b/g)];
    const m = r.pick(words);
    const typo = m[1]!.slice(0, -1);
    return [t.slice(0, m.index) + typo + t.slice(m.index + m[0].length), `'${m[1]}' -> '${typo}' at offset ${m.index}`];
  },
  'course-alias-bomb': (t) => [`${t}\nb0: &b0 ["x","x","x","x","x","x","x","x","x"]\n${[1, 2, 3, 4, 5, 6].map((k) => `b${k}: &b${k} [${Array(9).fill(`*b${k - 1}`).join(',')}]`).join('\n')}\n`, 'an alias bomb at the end'],
  'course-value-garbage': (t, r) => {
    const lines = t.split('\n');
    const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[A-Za-z_]\w*: \S/.test(l));
    const [line, i] = r.pick(candidates);
    lines[i] = line.replace(/: .*$/, `: ${r.pick(GARBAGE)}`);
    return [lines.join('\n'), `line ${i + 1} '${line.trim()}' -> '${lines[i]!.trim()}'`];
  },
};

const chapterOps: Record<string, TextOp> = {
  'chapter-delete-fm-line': frontmatterOps['fm-delete-line']!,
  'chapter-value-garbage': frontmatterOps['fm-value-garbage']!,
  'chapter-drop-closing': bodyOps['body-drop-closing']!,
  'chapter-stray': bodyOps['body-stray']!,
  'chapter-rename-component': bodyOps['body-rename-component']!,
};

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

const encodingOps: Record<string, ByteOp> = {
  'enc-invalid-byte': (t, r) => {
    const bytes = utf8(t);
    const bad = r.pick([[0xff], [0xc3, 0x28], [0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]]);
    const at = r.int(bytes.length);
    return [new Uint8Array([...bytes.subarray(0, at), ...bad, ...bytes.subarray(at)]), `bytes ${bad.map((b) => b.toString(16)).join(' ')} at offset ${at}`];
  },
  'enc-control': (t, r) => {
    const c = r.pick(['\u0000', '\u0007', '\u001b', '\r', '\u000b', '\u000c', '\u007f']);
    let at = r.int(t.length);
    // A CR before a newline is a CRLF line end, which is allowed: a bare CR is the mutant.
    while (c === '\r' && t[at] === '\n') at++;
    return [utf8(t.slice(0, at) + c + t.slice(at)), `U+${c.charCodeAt(0).toString(16).padStart(4, '0')} at offset ${at}`];
  },
  'enc-bom': (t) => [utf8(`\uFEFF${t}`), 'a byte-order mark'],
  'enc-crlf': (t) => [utf8(t.replace(/\n/g, '\r\n')), 'CRLF line ends'],
  'enc-truncate': (t, r) => {
    const bytes = utf8(t);
    const at = r.int(bytes.length);
    return [bytes.subarray(0, at), `truncated at byte ${at} of ${bytes.length}`];
  },
  'enc-latin1': (t) => {
    if (!/[^\x00-\x7f]/.test(t)) return [new Uint8Array(Buffer.from(`${t}\nCafé.\n`, 'latin1')), "'Café' appended in Latin-1"];
    return [new Uint8Array(Buffer.from(t, 'latin1')), 'the file re-encoded as Latin-1'];
  },
};

const PROBLEM_FAMILIES: readonly [Family, Record<string, TextOp | ByteOp>, boolean][] = [
  ['frontmatter', frontmatterOps, false],
  ['body', bodyOps, false],
  ['props', propOps, false],
  ['encoding', encodingOps, true],
];

/** `count` problem mutants and `courseCount` course-file and chapter mutants, from `seed`. */
export function mutants(seed: number, count: number, courseCount: number): { problems: Mutant[]; courses: Mutant[] } {
  const r = rngOf(seed);
  const problems: Mutant[] = [];
  for (let id = 0; problems.length < count && id < count * 4; id++) {
    const source = r.pick(EXAMPLE_PROBLEMS);
    // A set of its own: the mutant's order never collides with another's.
    const text = source.text.replace(/^set: .*$/m, `set: m${id}`);
    const [family, ops, bytes] = r.pick(PROBLEM_FAMILIES);
    const name = r.pick(Object.keys(ops));
    const out = ops[name]!(text, r);
    if (!out) continue;
    const [result, detail] = out;
    const name0 = source.path.split('/').at(-1)!;
    problems.push({ id, family, operator: name, detail, from: source.path, path: `problems/m${id}/${name0}`, bytes: bytes ? (result as Uint8Array) : utf8(result as string) });
  }
  const courses: Mutant[] = [];
  for (let id = 0; courses.length < courseCount && id < courseCount * 4; id++) {
    const chapter = r.int(3) === 0;
    const source = chapter ? r.pick(EXAMPLE_CHAPTERS) : { path: 'content/course.yaml', text: EXAMPLE_COURSE };
    const encoding = r.int(5) === 0;
    const ops: Record<string, TextOp | ByteOp> = encoding ? encodingOps : chapter ? chapterOps : courseOps;
    const name = r.pick(Object.keys(ops));
    const out = ops[name]!(source.text, r);
    if (!out) continue;
    const [result, detail] = out;
    courses.push({ id, family: encoding ? 'encoding' : chapter ? 'chapter' : 'course file', operator: name, detail, from: source.path, path: source.path, bytes: typeof result === 'string' ? utf8(result) : result });
  }
  return { problems, courses };
}
