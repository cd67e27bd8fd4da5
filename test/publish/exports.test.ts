/**
 * `workbook export moodle|qti`: every exported file is parsed back (fast-xml-parser; the QTI
 * package unzipped with fflate and read through its manifest), each question's right answer is
 * the engine's figure for that variant, and grading with the exported tolerance takes a right
 * answer (also as displayed, rounded) and refuses a common mistake, whose hint is the feedback.
 *
 * No official QTI 1.2 XSD could be found through the project's search, so the QTI files are
 * checked against the structure Canvas documents for its QTI 1.2 import: questestinterop >
 * assessment > section > question groups (selection_number 1) > items with question_type
 * numerical_question, a response_str with render_fib, and resprocessing that sets SCORE to 100.
 */
import { existsSync, mkdtempSync, readFileSync, mkdirSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { loadProblems, PROJECT_ROOT } from '../../src/cli/problems.ts';
import { answerFigure } from '../../src/workbook/answers.ts';
import { displayNumber } from '../../src/workbook/grading/precision.ts';
import { mistakenFigures } from '../../src/workbook/grading/mistakes.ts';
import { variantOf } from '../../src/workbook/variants/index.ts';
import { documentOf, problemSet } from '../../src/publish/sets.ts';
import { lmsSeed } from '../../src/publish/secret.ts';

// The exports draw graded variants, keyed by the course secret.
const SECRET = 'exports-test-secret-0123456789';
process.env.WORKBOOK_SECRET = SECRET;
/** Variant i of a problem in the bank: its graded seed. */
const bankSeed = (problemId: string, i: number) => lmsSeed(SECRET, 'hw1', i, problemId);

const dir = mkdtempSync(join(tmpdir(), 'workbook-export-'));
const VARIANTS = 4;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

/** Every element named `name` anywhere under `node` (fast-xml-parser objects, arrays kept). */
function all(node: unknown, name: string): any[] {
  const found: any[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if (k === name) found.push(...(Array.isArray(v) ? v : [v]));
        walk(v);
      }
    }
  };
  walk(node);
  return found;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, textNodeName: '#text' });
const textOf = (n: any): string => (typeof n === 'string' ? n : n?.['#text'] ?? '');

const problems = loadProblems();
const hw1 = problemSet('hw1', problems);
const byId = new Map(problems.map((p) => [p.id, p]));

/** The engine's figure and mistakes for an exported question's id `problem#question#answer#variant`. */
function engineFor(problemId: string, of: string, variant: number, index: number) {
  const p = byId.get(problemId)!;
  const ctx = variantOf(p, bankSeed(problemId, variant), { domain: 'graded' }).ctx;
  const asked = documentOf(p).answers.filter((a) => a.of === of)[index]!;
  return { figure: answerFigure(ctx, of, p.file, asked.select), mistakes: Object.keys(asked.select).length ? [] : mistakenFigures(ctx, asked.of, p.file) };
}

describe('workbook export moodle', () => {
  let quiz: any;
  beforeAll(async () => {
    const result = await cli('export', 'moodle', '--set', 'hw1', '--variants', String(VARIANTS), '--out', join(dir, 'quiz.xml'));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    quiz = parser.parse(readFileSync(join(dir, 'quiz.xml'), 'utf8'));
  });

  it('has a category per problem, a sub-category per answer, and N numerical variants in each', () => {
    const questions: any[] = quiz.quiz.question;
    const categories = questions.filter((q) => q['@_type'] === 'category').map((q) => textOf(q.category.text));
    const answers = hw1.problems.reduce((n, p) => n + documentOf(p).answers.length, 0);
    // hw1: q1 asks 6 answers, q2 asks 6; both are randomized.
    expect(answers).toBe(6 + 6);
    expect(categories).toHaveLength(hw1.problems.length + answers);
    expect(categories[0]).toBe('$course$/top/Homework 1: fully connected networks/HW1 Q1: a small fully connected network at 8 bits');
    expect(categories[1]).toBe(`${categories[0]}/(a) Weights`);
    expect(questions.filter((q) => q['@_type'] === 'numerical')).toHaveLength(answers * VARIANTS);
  });

  it("gives each question the engine's figure, the precision rule's tolerance, units, the derivation and the mistakes' hints", () => {
    const numerical = quiz.quiz.question.filter((q: any) => q['@_type'] === 'numerical');
    const seen = new Map<string, number>();
    for (const q of numerical) {
      const [problemId, , of, seedText] = textOf(q.idnumber).split('#') as [string, string, string, string];
      const key = `${problemId}#${of}#${seedText}`;
      const index = seen.get(key) ?? 0;
      seen.set(key, index + 1);
      const { figure, mistakes } = engineFor(problemId, of, Number(seedText), index);
      const answers: any[] = Array.isArray(q.answer) ? q.answer : [q.answer];
      const right = answers.find((a) => a['@_fraction'] === '100');
      expect(Number(textOf(right.text)), q.name.text).toBe(figure.value);
      const tolerance = Number(textOf(right.tolerance));
      /** Moodle's numerical grading: the first answer whose value ± tolerance holds the response. */
      const grade = (response: number) => answers.find((a) => textOf(a.text) === '*' || Math.abs(response - Number(textOf(a.text))) <= Number(textOf(a.tolerance)));
      expect(grade(figure.value)['@_fraction']).toBe('100');
      // The value as displayed (46.7 for 46.6944 ms) is right too.
      expect(grade(Number(displayNumber(figure.value, figure.unit).replace(/,/g, '')))['@_fraction']).toBe('100');
      for (const m of mistakes) {
        const verdict = grade(m.value);
        expect(verdict['@_fraction'], `${q.name.text}: ${m.id}`).toBe('0');
        expect(textOf(verdict.feedback.text)).toContain(m.message.replace(/&/g, '&amp;').replace(/</g, '&lt;').slice(0, 20));
      }
      expect(grade(figure.value * 3 + 1)['@_fraction']).toBe('0');
      // Half a unit of the third significant digit: 0.05 ms for 46.7 ms, 0.5 ms for 123 ms.
      if (figure.unit === 'ms') expect(tolerance).toBeCloseTo(0.5 * 10 ** (Math.floor(Math.log10(figure.value)) - 2), 6);
      // Units: the figure's own first, with multiplier 1 (plain counts have none).
      if (q.units) expect(q.units.unit[0].multiplier).toBe('1');
      // The answer as the key shows it, then its derivation.
      expect(textOf(q.generalfeedback.text)).toMatch(/^<p>Answer: [^<]+<\/p><p>Derivation:<\/p><p>\\\[\\begin\{aligned\}/);
    }
    // The statements' own math goes to MathJax as \( ... \).
    expect(numerical.filter((q: any) => textOf(q.questiontext.text).includes('\\(|W_i| = n_{i-1} \\, n_i\\)'))).toHaveLength(4 * VARIANTS);
    // A common mistake is exported: HW1 Q1's parameters without biases.
    const params = numerical.find((q: any) => textOf(q.idnumber) === 'hw1/q1#a#params#1');
    const p = byId.get('hw1/q1')!;
    const ctx = variantOf(p, bankSeed('hw1/q1', 1), { domain: 'graded' }).ctx;
    const weights = answerFigure(ctx, 'weights', p.file).value;
    const hint = params.answer.find((a: any) => Number(textOf(a.text)) === weights);
    expect(hint['@_fraction']).toBe('0');
    expect(textOf(hint.feedback.text)).toContain('without biases');
  });

  it('converts a latency typed in seconds or microseconds with its unit multipliers', () => {
    const latency = quiz.quiz.question.find((q: any) => textOf(q.idnumber) === 'hw1/q2#b#latencyMs#1');
    const units = Object.fromEntries(latency.units.unit.map((u: any) => [u.unit_name, Number(u.multiplier)]));
    expect(units).toMatchObject({ ms: 1, s: 0.001, us: 1000 });
    const figure = engineFor('hw1/q2', 'latencyMs', 1, 0).figure.value;
    // Moodle divides a response by its unit's multiplier: 0.0xyz s / 0.001 is xy.z ms.
    expect(Math.abs((figure / 1000) / units.s! - figure)).toBeLessThan(1e-9);
  });
});

describe('workbook export qti', () => {
  let files: Record<string, string>;
  let manifest: any;
  let quiz: any;
  beforeAll(async () => {
    const result = await cli('export', 'qti', '--set', 'hw1', '--variants', String(VARIANTS), '--out', join(dir, 'quiz.zip'));
    expect(result.code).toBe(0);
    files = Object.fromEntries(Object.entries(unzipSync(readFileSync(join(dir, 'quiz.zip')))).map(([k, v]) => [k, strFromU8(v)]));
    manifest = parser.parse(files['imsmanifest.xml']!);
    const href = manifest.manifest.resources.resource['@_href'];
    quiz = parser.parse(files[href]!);
  });

  it('is a package whose manifest lists its QTI 1.2 assessment, and every file is well-formed XML', () => {
    const resource = manifest.manifest.resources.resource;
    expect(resource['@_type']).toBe('imsqti_xmlv1p2');
    expect(Object.keys(files).sort()).toEqual(['imsmanifest.xml', resource['@_href']].sort());
    expect(resource.file['@_href']).toBe(resource['@_href']);
    expect(quiz.questestinterop['@_xmlns']).toBe('http://www.imsglobal.org/xsd/ims_qtiasiv1p2');
  });

  it('has the structure Canvas imports: question groups picking 1 of N numerical_question items', () => {
    const assessment = quiz.questestinterop.assessment;
    expect(assessment['@_title']).toBe(hw1.title);
    const groups: any[] = assessment.section.section;
    expect(groups).toHaveLength(12);
    const idents = new Set<string>();
    for (const g of groups) {
      expect(g.selection_ordering.selection.selection_number).toBe('1');
      expect(g.item).toHaveLength(VARIANTS);
      for (const item of g.item) {
        expect(item['@_ident']).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
        idents.add(item['@_ident']);
        const fields = Object.fromEntries(item.itemmetadata.qtimetadata.qtimetadatafield.map((f: any) => [f.fieldlabel, f.fieldentry]));
        expect(fields).toMatchObject({ question_type: 'numerical_question', points_possible: '1.0' });
        expect(item.presentation.response_str['@_ident']).toBe('response1');
        expect(item.presentation.response_str.render_fib['@_fibtype']).toBe('Decimal');
        expect(item.resprocessing.outcomes.decvar['@_varname']).toBe('SCORE');
        const feedback = new Set(item.itemfeedback.map((f: any) => f['@_ident']));
        for (const c of item.resprocessing.respcondition) if (c.displayfeedback) expect(feedback.has(c.displayfeedback['@_linkrefid'])).toBe(true);
      }
    }
    expect(idents.size).toBe(12 * VARIANTS);
  });

  it("scores the engine's figure 100 and a common mistake 0, with the mistakes' hints in the wrong-answer feedback", () => {
    const items = all(quiz, 'item');
    for (const item of items) {
      const scoring = item.resprocessing.respcondition.find((c: any) => c.setvar);
      const cond = scoring.conditionvar;
      /** Canvas's reading: an exact value, or an exact value or a range. */
      const accepts = (x: number) => {
        const exact = cond.varequal ?? cond.or?.varequal;
        if (Math.abs(Number(textOf(exact)) - x) <= 1e-12 * Math.abs(x)) return true;
        const range = cond.or?.and;
        return range ? x >= Number(textOf(range.vargte)) && x <= Number(textOf(range.varlte)) : false;
      };
      const title: string = item['@_title'];
      const variant = Number(/variant (\d+)$/.exec(title)![1]);
      const m = /^(hw1\/q\d) \((\w)\) /.exec(title)!;
      const p = byId.get(m[1]!)!;
      const ctx = variantOf(p, bankSeed(m[1]!, variant), { domain: 'graded' }).ctx;
      const asked = documentOf(p).answers.filter((a) => a.question === m[2]);
      const figures = asked.map((a) => ({ a, f: answerFigure(ctx, a.of, p.file, a.select) }));
      const exact = Number(textOf(cond.varequal ?? cond.or?.varequal));
      // Written without an exponent, to 16 significant digits.
      const mine = figures.find(({ f }) => Math.abs(f.value - exact) <= 1e-12 * Math.abs(f.value));
      expect(mine, title).toBeDefined();
      expect(accepts(mine!.f.value)).toBe(true);
      expect(accepts(Number(displayNumber(mine!.f.value, mine!.f.unit).replace(/,/g, '')))).toBe(true);
      const incorrect = item.itemfeedback.find((f: any) => f['@_ident'] === 'general_incorrect_fb');
      for (const mistake of mistakenFigures(ctx, mine!.a.of, p.file)) {
        if (Object.keys(mine!.a.select).length) continue;
        expect(accepts(mistake.value), `${title}: ${mistake.id}`).toBe(false);
        expect(textOf(incorrect.flow_mat.material.mattext)).toContain(`${displayNumber(mistake.value, mine!.f.unit)}`);
      }
    }
  });
});

describe('bad input: a one-line error, a non-zero exit, no file', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown set', ['--set', 'hw9', '--variants', '3'], /^workbook export: unknown set 'hw9'; sets: hw1, notes, lab1, lectures, lectures-cost, llm\n$/],
    ['N = 0', ['--set', 'hw1', '--variants', '0'], /^workbook export: --variants must be a whole number from 1 to 1000, got '0'\n$/],
    ['N absurdly large', ['--set', 'hw1', '--variants', '1000000'], /^workbook export: --variants must be a whole number from 1 to 1000, got '1000000'\n$/],
    ['N not a number', ['--set', 'hw1', '--variants', 'ten'], /^workbook export: --variants must be a whole number from 1 to 1000, got 'ten'\n$/],
    ['no N', ['--set', 'hw1'], /^workbook export: --variants N is required/],
  ];
  for (const format of ['moodle', 'qti']) {
    for (const [what, args, message] of cases) {
      it(`${format}: ${what}`, async () => {
        const out = join(dir, `bad-${format}-${what.replace(/\W/g, '-')}`);
        const result = await cli('export', format, ...args, '--out', out);
        expect(result.code).not.toBe(0);
        expect(result.err).toMatch(message);
        expect(result.err.trim().split('\n')).toHaveLength(1);
        expect(existsSync(out)).toBe(false);
      });
    }
  }

  it('an empty set (a set the course file lists and no problem names)', async () => {
    // A course of HW1's problems whose course file also lists a second homework, still empty.
    const root = mkdtempSync(join(tmpdir(), 'workbook-course-'));
    mkdirSync(join(root, 'problems'));
    mkdirSync(join(root, 'content'));
    cpSync(join(PROJECT_ROOT, 'problems/hw1'), join(root, 'problems/hw1'), { recursive: true });
    writeFileSync(join(root, 'content/course.yaml'), 'title: A course\nsets:\n  hw1: { title: Homework 1 }\n  hw2: { title: Homework 2 }\n');
    const out = join(dir, 'empty.xml');
    const { runExport } = await import('../../src/cli/publish.ts');
    let err = '';
    const code = runExport(['moodle', '--set', 'hw2', '--variants', '2', '--out', out], { out: () => {}, err: (t) => (err += t + '\n') }, root);
    expect(err).toBe("workbook export: set 'hw2' has no problems (a problem joins it with `set: hw2` in its frontmatter)\n");
    expect(code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  const rosters: [string, string, RegExp][] = [
    ['a repeated id', 'id\nalice\nbob\nAlice \n', /^workbook handouts: .*roster\.csv:4: student id 'Alice' repeats 'alice' of line 2; each student once\n$/],
    ['an empty id', 'id,name\nalice,A\n,B\n', /^workbook handouts: .*roster\.csv:3: no id on this row\n$/],
    ['no student', 'id\n', /^workbook handouts: .*roster\.csv: needs a header row and at least one student\n$/],
  ];
  for (const [what, text, message] of rosters) {
    it(`handouts: a roster with ${what}`, async () => {
      const roster = join(dir, 'roster.csv');
      writeFileSync(roster, text);
      const out = join(dir, `handouts-${what.replace(/\W/g, '-')}`);
      const result = await cli('handouts', '--set', 'hw1', '--roster', roster, '--out', out);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(message);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('handouts: an unknown set', async () => {
    const roster = join(dir, 'roster-ok.csv');
    writeFileSync(roster, 'id\nalice\n');
    const result = await cli('handouts', '--set', 'hw9', '--roster', roster, '--out', join(dir, 'h9'));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^workbook handouts: unknown set 'hw9'; sets: /);
    expect(existsSync(join(dir, 'h9'))).toBe(false);
  });
});
