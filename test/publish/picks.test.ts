/**
 * Answers picked rather than typed, in the answer key and the LMS exports: a yes/no answer is a
 * Moodle `truefalse` and a Canvas `true_false_question` whose right answer is the engine's
 * decision; a `<Choice>` is a single-answer Moodle `multichoice` and a Canvas
 * `multiple_choice_question` whose one 100 % option is the engine's pick, for every variant.
 * Exports are parsed back with fast-xml-parser (the QTI package unzipped, read through its
 * manifest); the engine's side is computed here with answerDecision and choiceAnswer.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { loadProblems } from '../../src/cli/problems.ts';
import { answerDecision, answerVerdict, choiceAnswer } from '../../src/workbook/answers.ts';
import { variantOf } from '../../src/workbook/variants/index.ts';
import { documentOf, entryPick, keyEntries, problemSet, solveProblem, type SetProblem } from '../../src/publish/sets.ts';
import { lmsGroups } from '../../src/publish/lms.ts';
import { moodleXml } from '../../src/publish/moodle.ts';
import { qtiPackage } from '../../src/publish/qti.ts';
import { keyCsv, keyJson, studentKeys } from '../../src/publish/handouts.ts';
import { OWN_COURSE, writeCourse } from '../helpers/course.ts';
import { lmsSeed } from '../../src/publish/secret.ts';

const SECRET = 'picks-test-secret-0123456789';
process.env.WORKBOOK_SECRET = SECRET;

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, textNodeName: '#text' });
const textOf = (n: any): string => (typeof n === 'string' ? n : n?.['#text'] ?? '');
const list = <T,>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await run(argv, { out: () => {}, err: (t) => (err += t + '\n') });
  return { code, err };
}

/** The engine's answer for an exported question: 'yes'/'no' or the choice's label, by the question's idnumber parts. */
function enginePick(p: SetProblem, seed: number, question: string, of: string, title: string, domain: 'practice' | 'graded' = 'practice'): string {
  const ctx = seed === 0 ? solveProblem(p).ctx : variantOf(p, seed, { domain }).ctx;
  const asked = documentOf(p).asked.filter((a) => (a.kind === 'answer' ? a.answer : a.choice).question === question && (a.kind === 'answer' ? a.answer : a.choice).of === of);
  for (const a of asked) {
    if (a.kind === 'choice') {
      const r = choiceAnswer(ctx, a.choice.of, a.choice.pick, a.choice.options, p.file);
      if (!a.choice.title || title.includes(a.choice.title)) return r.labels[r.index]!;
    } else if (a.answer.of === 'bound') {
      // A word answer: the engine's verdict, memory- or compute-bound.
      if (!a.answer.title || title.includes(a.answer.title)) return answerVerdict(ctx, a.answer.of, p.file, a.answer.select)!;
    } else if (!a.answer.title || title.includes(a.answer.title)) {
      return answerDecision(ctx, a.answer.of, p.file, a.answer.select).yes ? 'yes' : 'no';
    }
  }
  throw new Error(`no asked ${of} in ${p.id} (${question}) for '${title}'`);
}

/** Moodle: each truefalse/multichoice question's 100 % answer, as 'yes'/'no' or the label. */
function moodlePicks(xml: string) {
  const questions: any[] = parser.parse(xml).quiz.question;
  return questions
    .filter((q) => q['@_type'] === 'truefalse' || q['@_type'] === 'multichoice')
    .map((q) => {
      const answers: any[] = list(q.answer);
      const right = answers.filter((a) => a['@_fraction'] === '100');
      const label = (a: any) => textOf(a.text).replace(/<\/?p>/g, '');
      const [problem, question, of, seed] = textOf(q.idnumber).split('#');
      return {
        type: q['@_type'] as string,
        name: textOf(q.name.text),
        problem: problem!,
        question: question!,
        of: of!,
        seed: Number(seed),
        rightCount: right.length,
        others: answers.filter((a) => a['@_fraction'] === '0').map((a) => ({ label: label(a), feedback: textOf(a.feedback.text) })),
        single: textOf(q.single),
        pick: q['@_type'] === 'truefalse' ? (label(right[0]) === 'true' ? 'yes' : 'no') : label(right[0]),
        labels: answers.map(label),
      };
    });
}

/** QTI: each true_false/multiple_choice item's scored option, as 'yes'/'no' or the label. */
function qtiPicks(zip: Uint8Array) {
  const files = Object.fromEntries(Object.entries(unzipSync(zip)).map(([k, v]) => [k, strFromU8(v)]));
  const manifest = parser.parse(files['imsmanifest.xml']!);
  const quiz = parser.parse(files[list(manifest.manifest.resources.resource)[0]['@_href']]!);
  const items: any[] = list(quiz.questestinterop.assessment.section.section).flatMap((s: any) => list(s.item));
  return items.flatMap((item) => {
    const fields: any[] = list(item.itemmetadata.qtimetadata.qtimetadatafield);
    const type = textOf(fields.find((f) => textOf(f.fieldlabel) === 'question_type')?.fieldentry);
    if (type !== 'true_false_question' && type !== 'multiple_choice_question') return [];
    const lid = item.presentation.response_lid;
    const labels = new Map(list(lid.render_choice.response_label).map((l: any) => [l['@_ident'] as string, textOf(l.material.mattext)]));
    const scoring = list(item.resprocessing.respcondition).filter((c: any) => c.setvar && textOf(c.setvar) === '100');
    const right = labels.get(textOf(scoring[0]?.conditionvar.varequal))!;
    const ids = textOf(fields.find((f) => textOf(f.fieldlabel) === 'original_answer_ids')?.fieldentry).split(',');
    const feedbacks = new Set(list(item.itemfeedback).map((f: any) => f['@_ident']));
    return [{
      type,
      title: item['@_title'] as string,
      rcardinality: lid['@_rcardinality'],
      scoringCount: scoring.length,
      labels: [...labels.values()],
      idsListed: ids.length === labels.size && ids.every((id) => labels.has(id)),
      feedbackPerOption: [...labels.keys()].every((id) => feedbacks.has(`${id}_fb`)),
      pick: type === 'true_false_question' ? (right === 'True' ? 'yes' : 'no') : right,
    }];
  });
}

describe('the example course: lectures-cost (roofline) exported', () => {
  const problems = loadProblems();
  const set = problemSet('lectures-cost', problems);
  const roofline = set.problems.find((p) => p.id === 'lectures/roofline')!;
  const dir = mkdtempSync(join(tmpdir(), 'workbook-picks-'));
  let moodle: ReturnType<typeof moodlePicks>;
  let qti: ReturnType<typeof qtiPicks>;

  beforeAll(async () => {
    const a = await cli('export', 'moodle', '--set', 'lectures-cost', '--variants', '2', '--out', join(dir, 'quiz.xml'));
    expect(a.err).toBe('');
    const b = await cli('export', 'qti', '--set', 'lectures-cost', '--variants', '2', '--out', join(dir, 'quiz.zip'));
    expect(b.err).toBe('');
    moodle = moodlePicks(readFileSync(join(dir, 'quiz.xml'), 'utf8'));
    qti = qtiPicks(readFileSync(join(dir, 'quiz.zip')));
  });

  it('the answer key has the yes/no answers and the choice, with the engine\'s picks', () => {
    const entries = keyEntries(roofline, solveProblem(roofline));
    const picks = entries.flatMap((e) => (entryPick(e) === undefined ? [] : [[e.question, e.title, entryPick(e)]]));
    // op1's intensity 57.8e6 / 24.5e6 FLOP/B is below the ridge 4608e9 / 96e9 = 48; op6's 231 / 1.3 = 177.7 is the largest.
    // The bound is a word answer too: the engine's verdict.
    expect(picks).toEqual([
      ['a', 'op1 is', 'memory-bound'],
      ['a', 'Is op1 compute-bound?', 'no'],
      ['b', 'Which operation reuses its data most (the highest operational intensity)?', 'op6'],
      ['c', 'Conv 1 is', 'compute-bound'],
      ['c', 'Linear 1 is', 'memory-bound'],
      ['c', 'Is Linear 1 memory-bound?', 'yes'],
    ]);
    // A figure with a word to go with it (the roofline's bound) shows the word too.
    expect(entries.filter((e) => e.answer.of === 'bound').map((e) => e.display)).toEqual([
      'memory-bound (2.36 FLOP/B)', 'compute-bound (111 FLOP/B)', 'memory-bound (0.500 FLOP/B)',
    ]);
    const choice = entries.find((e) => e.choice)!;
    expect(choice.display).toMatch(/^op6 \(/);
    expect(choice.figure.value).toBeCloseTo(231e6 / 1.3e6, 9);
  });

  it('Moodle: yes/no as truefalse, the choice as single-answer multichoice, one 100 % answer each, the engine\'s', () => {
    // Roofline: the choice, two yes/no answers and three bounds; latency: two bounds.
    expect(moodle.map((q) => q.type).sort()).toEqual([...Array(6).fill('multichoice'), 'truefalse', 'truefalse']);
    expect(moodle.filter((q) => q.of === 'bound').map((q) => q.problem).sort()).toEqual(['lectures/latency', 'lectures/latency', 'lectures/roofline', 'lectures/roofline', 'lectures/roofline']);
    for (const q of moodle) {
      const p = set.problems.find((x) => x.id === q.problem)!;
      expect(q.rightCount, q.name).toBe(1);
      expect(q.pick, q.name).toBe(enginePick(p, q.seed, q.question, q.of, q.name));
      if (q.of === 'bound') {
        expect(q.labels).toEqual(['memory-bound', 'compute-bound']);
        // The figure and the ridge point it is compared with, in the feedback.
        for (const o of q.others) expect(o.feedback).toMatch(/FLOP\/B against the ridge point [\d.,]+ FLOP\/B/);
      }
      for (const o of q.others) expect(o.feedback, `${q.name}: ${o.label}`).toMatch(/^<p>Incorrect/);
    }
    const choice = moodle.find((q) => q.type === 'multichoice' && q.of !== 'bound')!;
    expect(choice.single).toBe('true');
    expect(choice.labels).toEqual(['op1', 'op2', 'op3', 'op4', 'op5', 'op6']);
    expect(choice.others.find((o) => o.label === 'op5')!.feedback).toContain('op5 gives 132');
  });

  it('QTI: yes/no as true_false_question, the choice as multiple_choice_question, scored on the engine\'s option', () => {
    expect(qti.map((q) => q.type).sort()).toEqual([...Array(6).fill('multiple_choice_question'), 'true_false_question', 'true_false_question']);
    for (const q of qti) {
      expect(q.rcardinality).toBe('Single');
      expect(q.scoringCount, q.title).toBe(1);
      expect(q.idsListed && q.feedbackPerOption, q.title).toBe(true);
      const m = /^(lectures\/\w+) \((\w)\) /.exec(q.title)!;
      const bound = q.labels.includes('memory-bound');
      const of = bound ? 'bound' : q.type === 'multiple_choice_question' ? 'intensity' : q.title.includes('compute-bound') ? 'computeBound' : 'memoryBound';
      expect(q.pick, q.title).toBe(enginePick(set.problems.find((x) => x.id === m[1])!, 0, m[2]!, of, q.title));
    }
    expect(qti.find((q) => q.type === 'true_false_question')!.labels).toEqual(['True', 'False']);
  });
});

describe('a randomized course of one\'s own: every variant\'s pick is the engine\'s', () => {
  const root = writeCourse(OWN_COURSE);
  const problems = loadProblems(root);
  const set = problemSet('hw2', problems, root);
  const p = set.problems[0]!;
  const groups = lmsGroups(set, 3, SECRET);
  /** Variant i of the bank: its graded seed. */
  const bank = (i: number) => lmsSeed(SECRET, 'hw2', i, p.id);

  it('Moodle and QTI, variants 1 to 3', () => {
    const moodle = moodlePicks(moodleXml(set, groups));
    const qti = qtiPicks(qtiPackage(set, groups).zip);
    // One yes/no and two choices, three variants each.
    expect(moodle.map((q) => q.type).sort()).toEqual([...Array(6).fill('multichoice'), ...Array(3).fill('truefalse')]);
    expect(qti).toHaveLength(9);
    expect(new Set(moodle.map((q) => q.seed))).toEqual(new Set([1, 2, 3]));
    for (const q of moodle) expect(q.pick, q.name).toBe(enginePick(p, bank(q.seed), q.question, q.of, q.name, 'graded'));
    for (const q of qti) {
      const variant = Number(/variant (\d+)$/.exec(q.title)![1]);
      const of = q.type === 'true_false_question' ? 'fitsInFlash' : /multiply-accumulate/.test(q.title) ? 'macs' : 'paramBytes';
      expect(q.pick, q.title).toBe(enginePick(p, bank(variant), 'b', of, q.title, 'graded'));
    }
    // The decision holds on the figure: 'yes' is a non-negative flash margin.
    for (const q of moodle.filter((x) => x.type === 'truefalse')) {
      const { yes, figure } = answerDecision(variantOf(p, bank(q.seed), { domain: 'graded' }).ctx, 'fitsInFlash', p.file);
      expect(q.pick).toBe(yes ? 'yes' : 'no');
      expect(yes).toBe(figure.value >= 0);
    }
  });

  it('the handouts key (JSON and CSV) gives each student their picks', () => {
    const keys = studentKeys(set, [{ id: 'alice', line: 2 }, { id: 'bob', line: 3 }], SECRET);
    const json = JSON.parse(keyJson(set, keys));
    const csv = keyCsv(set, keys).trim().split('\n').map((r) => r.split(','));
    for (const [i, student] of ['alice', 'bob'].entries()) {
      const answers: any[] = json.students[i].problems[0].answers;
      const seed: number = json.students[i].problems[0].seed;
      const picks = answers.filter((a) => a.pick !== undefined);
      expect(picks.map((a) => a.of)).toEqual(['fitsInFlash', 'macs', 'paramBytes']);
      for (const a of picks) expect(a.pick, `${student} ${a.title}`).toBe(enginePick(p, seed, 'b', a.of, a.title, 'graded'));
      const row = csv[i + 1]!;
      expect(row[0]).toBe(student);
      for (const a of picks) expect(row).toContain(a.pick);
    }
    expect(csv[0]!.some((h) => /flash.* pick$/i.test(h))).toBe(true);
  });

  it("a roster's text cannot become a spreadsheet formula in key.csv", () => {
    const keys = studentKeys(set, [{ id: '=cmd', line: 2, name: '@SUM(A1)' }], SECRET);
    const row = keyCsv(set, keys).trim().split('\n')[1]!.split(',');
    expect(row.slice(0, 2)).toEqual(["'=cmd", "'@SUM(A1)"]);
  });
});
