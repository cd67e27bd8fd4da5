/**
 * The LMS exports as the real importers read them, for every question of every set of the example
 * course. What the importers read was recorded by running them (test/fixtures/lms/, with their
 * commits): Canvas's QTI converter (instructure/QTIMigrationTool, with the flags Canvas runs it with)
 * followed by the rules of Canvas's item importer classes, and Moodle 4.5's `qformat_xml` import with
 * its question engine grading responses. This test applies those rules to the exported XML:
 *
 * - Canvas reads a numerical answer only inside `<or>` (exact: its `varequal`; margin: the `varlte`
 *   of an `<and>` beside it, minus the exact value) and scores exact − margin ≤ x ≤ exact + margin;
 *   a `vargt` lower bound would make it a "precision" answer instead, so none is written.
 * - Moodle tries a numerical question's answers in order; the first whose interval
 *   (answer ± tolerance, nominal) holds the response gives its fraction.
 *
 * For every numerical question: the right answer accepts the figure the key displays and the exact
 * value, and every listed mistake is graded wrong. Word, yes/no and choice answers are choices whose
 * one right option is the engine's. The answer as displayed is the same string in the key
 * (key.json, key.csv) and both exports' feedback. These rules are asserted on the exports as made
 * now (graded variants drawn from a course secret) and on the recorded run's exports.
 *
 * The recorded run drew variant i with seed i, before graded variants were keyed by the course
 * secret; test/fixtures/lms/variants.json holds the values of its variants 1 and 2, from which this
 * test rebuilds that run's exports exactly (lmsGroupsDrawn). The importers' records of those
 * variants, and the counts of the whole 20-variant runs, agree with what this test reads of them.
 */
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/cli/problems.ts';
import { lmsGroups, lmsGroupsDrawn, type LmsGroup, type LmsQuestion } from '../../src/publish/lms.ts';
import { moodleXml } from '../../src/publish/moodle.ts';
import { qtiPackage } from '../../src/publish/qti.ts';
import { courseSets, keyAnswerOf, problemSet } from '../../src/publish/sets.ts';
import { keyCsv, studentKeys } from '../../src/publish/handouts.ts';
import { displayNumber } from '../../src/workbook/grading/precision.ts';
import { recordedDraw } from '../helpers/lms-run.ts';

// Graded variants are keyed by a course secret (src/publish/secret.ts); any one serves the rules tested here.
const TEST_SECRET = 'lms-importers-test-secret-0123';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, textNodeName: '#text' });
const list = <T,>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const textOf = (n: any): string => (typeof n === 'string' ? n : n?.['#text'] ?? '');
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/lms/${name}.json`, import.meta.url), 'utf8'));
const canvasRun = fixture('canvas');
const moodleRun = fixture('moodle');

const asRun = recordedDraw('variants');

/** Moodle's nominal tolerance interval (question/type/numerical/question.php, PHP precision 14). */
function moodleInterval(answer: number, tolerance: number): [number, number] {
  const eps = 1e-14;
  const t = tolerance + eps * Math.max(Math.abs(tolerance), Math.abs(answer), eps);
  return [answer - t, answer + t];
}

/** The figure the key shows, as a student types it: `243.81862`, `545`, `99338`. */
const shownNumber = (q: LmsQuestion) => Number(displayNumber(q.entry.figure.value, q.entry.figure.unit).replace(/,/g, ''));

interface MoodleRead {
  readonly type: string;
  readonly defaultgrade: number;
  readonly answers: { text: string; fraction: number; tolerance: number; feedback: string }[];
  readonly generalfeedback: string;
}

function readMoodle(xml: string): Map<string, MoodleRead> {
  const out = new Map<string, MoodleRead>();
  for (const q of list<any>(parser.parse(xml).quiz.question)) {
    if (q['@_type'] === 'category') continue;
    out.set(textOf(q.name.text), {
      type: q['@_type'],
      defaultgrade: Number(q.defaultgrade),
      answers: list<any>(q.answer).map((a) => ({
        text: textOf(a.text).replace(/<\/?p>/g, ''),
        fraction: Number(a['@_fraction']) / 100,
        tolerance: Number(a.tolerance ?? 0),
        feedback: textOf(a.feedback?.text),
      })),
      generalfeedback: textOf(q.generalfeedback.text),
    });
  }
  return out;
}

interface CanvasRead {
  readonly type: string;
  readonly points: number;
  /** Numerical: the answers Canvas's importer finds. */
  readonly answers: { exact: number; margin: number }[];
  /** The 1.2 conditions a numerical question is scored on, by element name (no vargt, no bare varequal). */
  readonly scoredOn: string;
  readonly options: { label: string; weight: number }[];
  readonly feedback: string;
}

function readQti(zip: Uint8Array): Map<string, CanvasRead> {
  const files = unzipSync(zip);
  const manifest = parser.parse(strFromU8(files['imsmanifest.xml']!));
  const quiz = parser.parse(strFromU8(files[list<any>(manifest.manifest.resources.resource)[0]['@_href']]!));
  const out = new Map<string, CanvasRead>();
  for (const section of list<any>(quiz.questestinterop.assessment.section.section)) {
    for (const item of list<any>(section.item)) {
      const fields = new Map(list<any>(item.itemmetadata.qtimetadata.qtimetadatafield).map((f) => [textOf(f.fieldlabel), textOf(f.fieldentry)]));
      const conditions = list<any>(item.resprocessing.respcondition);
      const scoring = conditions.filter((c) => c.setvar && Number(textOf(c.setvar)) > 0);
      const answers: { exact: number; margin: number }[] = [];
      let scoredOn = '';
      for (const c of scoring) {
        const cv = c.conditionvar;
        scoredOn = Object.keys(cv).sort().join(',') + (cv.or ? `(${Object.keys(cv.or).sort().join(',')}${cv.or.and ? `(${Object.keys(cv.or.and).sort().join(',')})` : ''})` : '');
        const or = cv.or;
        if (!or) continue; // Canvas reads no answer outside <or> (a bare varequal)
        const exact = textOf(or.varequal);
        if (exact === '') continue;
        const upper = or.and?.varlte;
        answers.push({ exact: Number(exact), margin: upper === undefined ? 0 : Number(textOf(upper)) - Number(exact) });
      }
      const labels = item.presentation.response_lid ? list<any>(item.presentation.response_lid.render_choice.response_label) : [];
      const right = new Set(scoring.map((c) => textOf(c.conditionvar.varequal)));
      const feedback = list<any>(item.itemfeedback).find((f) => f['@_ident'] === 'general_fb');
      out.set(item['@_title'], {
        type: fields.get('question_type')!,
        points: Number(fields.get('points_possible')),
        answers,
        scoredOn,
        options: labels.map((l) => ({ label: textOf(l.material.mattext), weight: right.has(l['@_ident']) ? 100 : 0 })),
        feedback: textOf(feedback?.flow_mat.material.mattext),
      });
    }
  }
  return out;
}

const canvasRight = (x: number, answers: readonly { exact: number; margin: number }[]) =>
  answers.some((a) => a.exact - a.margin <= x && x <= a.exact + a.margin);

function moodleFraction(x: number, q: MoodleRead): number {
  for (const a of q.answers) {
    if (a.text === '*') return a.fraction;
    const [lo, hi] = moodleInterval(Number(a.text), a.tolerance);
    if (lo <= x && x <= hi) return a.fraction;
  }
  return 0;
}

const problems = loadProblems();
const sets = courseSets().map((s) => problemSet(s.id, problems));
const exportOf = (set: (typeof sets)[number], groups: LmsGroup[]) => ({
  groups,
  moodle: readMoodle(moodleXml(set, groups)),
  qti: readQti(qtiPackage(set, groups).zip),
  questions: groups.flatMap((g) => g.questions.map((q) => ({ q, name: `${g.title}, variant ${q.variant}` }))),
});
// The sets the importers were run on (the course's sets when the run was recorded); a set added
// since (llm) is checked as exported now, by the rules recorded from the importers, not yet by a run.
const recordedSets = new Set(Object.keys(canvasRun.sets));
const exported = sets.map((set) => ({
  set,
  now: exportOf(set, lmsGroups(set, 2, TEST_SECRET)),
  run: recordedSets.has(set.id) ? exportOf(set, lmsGroupsDrawn(set, 2, asRun)) : undefined,
}));

describe('the example course through the real importers\' rules', () => {
  it('the importer runs cover every set of the course when they ran (llm came after), with their commits', () => {
    expect(Object.keys(canvasRun.sets).sort()).toEqual(['hw1', 'lab1', 'lectures', 'lectures-cost', 'notes']);
    expect(Object.keys(moodleRun.sets).sort()).toEqual(Object.keys(canvasRun.sets).sort());
    expect(sets.map((s) => s.id).filter((id) => !recordedSets.has(id))).toEqual(['llm']);
    expect(canvasRun.importer.converter.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(moodleRun.importer.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  for (const { set, now, run } of exported) {
    describe(set.id, () => {
      it('the run\'s questions are the questions exported now, by name (variant i, 1..N; a problem without params, variant 0)', () => {
        if (run) expect(now.questions.map((x) => x.name)).toEqual(run.questions.map((x) => x.name));
        expect(new Set(now.questions.map((x) => x.name)).size).toBe(now.questions.length);
      });

      const exports = run ? ([['as exported now, drawn from a secret', now], ['as the recorded run exported it', run]] as const) : ([['as exported now, drawn from a secret', now]] as const);
      for (const [when, { moodle, qti, questions }] of exports) describe(when, () => {
      it('every numerical question: the displayed figure and the exact value right in both LMSs, every listed mistake wrong', () => {
        let checked = 0;
        for (const { q, name } of questions.filter((x) => !x.q.pick)) {
          const c = qti.get(name)!;
          const m = moodle.get(name)!;
          expect(c.type, name).toBe('numerical_question');
          expect(m.type, name).toBe('numerical');
          // Canvas: the answer sits inside <or>, with or without a margin; never a precision answer (vargt).
          expect(c.scoredOn, name).toMatch(/^or\((varequal|and,varequal\(vargte,varlte\))\)$/);
          expect(c.answers, name).toHaveLength(1);
          expect(m.answers[0]!.fraction, name).toBe(1);
          for (const x of [shownNumber(q), q.entry.figure.value]) {
            expect(canvasRight(x, c.answers), `${name}: Canvas on ${x}`).toBe(true);
            expect(moodleFraction(x, m), `${name}: Moodle on ${x}`).toBe(1);
          }
          for (const mistake of q.mistakes) {
            expect(canvasRight(mistake.value, c.answers), `${name}: Canvas on the mistake ${mistake.value}`).toBe(false);
            expect(moodleFraction(mistake.value, m), `${name}: Moodle on the mistake ${mistake.value}`).toBe(0);
          }
          checked++;
        }
        expect(checked).toBe(questions.filter((x) => !x.q.pick).length);
      });

      it("every word, yes/no and choice answer is a choice whose one right option is the engine's", () => {
        for (const { q, name } of questions.filter((x) => x.q.pick)) {
          const right = q.pick!.options.find((o) => o.right)!.label;
          const c = qti.get(name)!;
          const m = moodle.get(name)!;
          expect(c.type).toBe(q.pick!.kind === 'yesno' ? 'true_false_question' : 'multiple_choice_question');
          expect(m.type).toBe(q.pick!.kind === 'yesno' ? 'truefalse' : 'multichoice');
          expect(c.options.filter((o) => o.weight === 100).map((o) => o.label), name).toEqual([q.pick!.kind === 'yesno' ? (right === 'Yes' ? 'True' : 'False') : right]);
          expect(m.answers.filter((a) => a.fraction === 1).map((a) => a.text), name).toEqual([q.pick!.kind === 'yesno' ? (right === 'Yes' ? 'true' : 'false') : right]);
          if (q.entry.word) expect(q.entry.display.startsWith(`${right} (`), name).toBe(true);
        }
      });

      it('the answer as displayed is one string: the key (JSON, CSV) and both exports\' feedback', () => {
        for (const { q, name } of questions) {
          const display = keyAnswerOf(q.entry).display;
          expect(display).toBe(q.entry.display);
          expect(moodle.get(name)!.generalfeedback, name).toContain(`<p>Answer: ${escape(display)}</p>`);
          expect(qti.get(name)!.feedback, name).toContain(`<p>Answer: ${escape(display)}</p>`);
        }
      });
      });

      it('the handouts\' key: the displayed figure beside the exact value, for one student\'s variants', () => {
        // The handouts' key: the displayed figure beside the exact value, for one student's variants.
        const [key] = studentKeys(set, [{ id: 'S001', line: 2 }], TEST_SECRET);
        const csv = keyCsv(set, [key!]).trim().split('\n');
        for (const p of key!.problems) for (const a of p.answers) expect(csv[1], `${p.problem} ${a.title}`).toContain(a.display.includes(',') ? `"${a.display}"` : a.display);
      });

      if (run) it("what the importers read agrees with this test's reading (variants 1 and 2 as run)", () => {
        const { moodle, qti, questions } = run;
        const ran = (run: any) => run.questions.filter((r: any) => questions.some((x) => x.name === r.name));
        const canvasRecords = ran(canvasRun);
        const moodleRecords = ran(moodleRun);
        expect(canvasRecords.length).toBe(questions.length);
        expect(moodleRecords.length).toBe(questions.length);
        for (const r of canvasRecords) {
          const c = qti.get(r.name)!;
          expect(r.question_type, r.name).toBe(c.type);
          expect(r.points_possible).toBe(c.points);
          if (r.question_type === 'numerical_question') {
            // Canvas's importer found exactly the answer this test reads, and scored the shown figure right, the mistakes wrong.
            expect(r.answers.map((a: any) => a.type), r.name).toEqual(['exact_answer']);
            expect(r.answers[0].exact).toBeCloseTo(c.answers[0]!.exact, 9);
            expect(Math.abs(r.answers[0].margin - c.answers[0]!.margin)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(c.answers[0]!.exact)));
            expect(r.graded.shown && r.graded.exact, r.name).toBe(true);
            expect(r.graded.mistakes.every((x: boolean) => !x), r.name).toBe(true);
            expect(r.feedback).toEqual(['general_fb', 'general_incorrect_fb']);
          } else {
            expect(r.options.map((o: any) => o.weight), r.name).toEqual(c.options.map((o) => o.weight));
          }
        }
        for (const r of moodleRecords) {
          const m = moodle.get(r.name)!;
          expect(r.qtype, r.name).toBe(m.type);
          expect(r.defaultmark).toBe(m.defaultgrade);
          if (r.qtype === 'numerical') {
            // Moodle stores an answer as a PHP float printed to 14 significant digits (24.612571428571428 -> 24.612571428571).
            const read = (x: string) => (x === '*' ? x : Number(Number(x).toPrecision(14)));
            expect(r.answers.map((a: any) => [read(a.answer), a.fraction]), r.name).toEqual(m.answers.map((a) => [read(a.text), a.fraction]));
            for (const [i, a] of r.answers.entries()) {
              if (a.answer === '*') continue;
              const [lo, hi] = moodleInterval(Number(m.answers[i]!.text), m.answers[i]!.tolerance);
              expect(a.min).toBeCloseTo(lo, 6);
              expect(a.max).toBeCloseTo(hi, 6);
            }
            expect([r.graded.shown, r.graded.exact], r.name).toEqual([1, 1]);
            expect(r.graded.mistakes.every((x: number) => x === 0), r.name).toBe(true);
            expect(r.generalfeedback).toContain('Answer: ');
          } else {
            expect(r.options.filter((o: any) => o.fraction === 1).length, r.name).toBe(1);
          }
        }
      });

      if (run) it('the 20-variant importer runs: every question imported with its answer, the shown figure right, no mistake right', () => {
        const c = canvasRun.sets[set.id];
        const m = moodleRun.sets[set.id];
        const numerical = c.numerical_question ?? 0;
        expect(c.noRightAnswer ?? 0).toBe(0);
        expect(c.shownRight ?? 0).toBe(numerical);
        expect(c.mistakesRight ?? 0).toBe(0);
        expect(m.numerical ?? 0).toBe(numerical);
        expect(m.shownRight ?? 0).toBe(numerical);
        expect(m.exactRight ?? 0).toBe(numerical);
        expect(m.mistakesRight ?? 0).toBe(0);
        const choices = (c.multiple_choice_question ?? 0) + (c.true_false_question ?? 0);
        expect(c.engineOptionRight ?? 0).toBe(choices);
        expect(m.engineOptionRight ?? 0).toBe((m.multichoice ?? 0) + (m.truefalse ?? 0));
        expect((m.multichoice ?? 0) + (m.truefalse ?? 0)).toBe(choices);
      });
    });
  }
});
