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
import { createHash } from 'node:crypto';
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
import { displayNumber, isShownInFull } from '../../src/workbook/grading/precision.ts';
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
// The sets the importers were run on: every set of the course (llm in a run of its own, drawn from a secret).
const recordedSets = new Set(Object.keys(canvasRun.sets));
const exported = sets.map((set) => ({
  set,
  now: exportOf(set, lmsGroups(set, 2, TEST_SECRET)),
  run: recordedSets.has(set.id) ? exportOf(set, lmsGroupsDrawn(set, 2, asRun)) : undefined,
}));

describe('the example course through the real importers\' rules', () => {
  it('the importer runs cover every set of the course, each run with its commits', () => {
    expect(Object.keys(canvasRun.sets).sort()).toEqual(['hw1', 'lab1', 'lectures', 'lectures-cost', 'llm', 'notes']);
    expect(Object.keys(moodleRun.sets).sort()).toEqual(Object.keys(canvasRun.sets).sort());
    expect(sets.map((s) => s.id).filter((id) => !recordedSets.has(id))).toEqual([]);
    expect(canvasRun.importer.converter.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(moodleRun.importer.commit).toMatch(/^[0-9a-f]{40}$/);
    // The first run (every set then, variant i drawn with seed i) and the llm set's, drawn from a secret.
    for (const run of [canvasRun, moodleRun]) {
      expect(run.runs.map((r: any) => r.sets)).toEqual([['hw1', 'notes', 'lab1', 'lectures', 'lectures-cost'], ['llm']]);
      for (const r of run.runs) expect([r.workbookCommit, r.importerCommit].every((c: string) => /^[0-9a-f]{40}$/.test(c))).toBe(true);
    }
    expect(canvasRun.runs.map((r: any) => r.importerCommit)).toEqual([canvasRun.importer.converter.commit, canvasRun.importer.converter.commit]);
    expect(moodleRun.runs.map((r: any) => r.importerCommit)).toEqual([moodleRun.importer.commit, moodleRun.importer.commit]);
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

/**
 * The llm set (its own importer run, drawn from a secret; canvas.json and moodle.json `runs`): every
 * question of the run's variants 0 to 2 as the importers stored and graded it. The figures of the
 * problems without params are worked here from the models' published sizes, and checked against the
 * engine, the answer Moodle stored and the answer Canvas's importer found.
 */
describe('the llm set through the importers: figures, tolerances, units and yes/no answers', () => {
  const llm = exported.find((x) => x.set.id === 'llm')!;
  const { questions } = llm.run!;
  const byName = new Map(questions.map((x) => [x.name, x.q]));
  const moodleOf = new Map<string, any>(moodleRun.questions.filter((r: any) => r.name.startsWith('llm/')).map((r: any) => [r.name, r]));
  const canvasOf = new Map<string, any>(canvasRun.questions.filter((r: any) => r.name.startsWith('llm/')).map((r: any) => [r.name, r]));
  const GB = 1e9;
  const GiB = 2 ** 30;
  // Device memory as the hardware profiles give it (80 GiB H100, 8 GiB laptop GPU) and bandwidths in B/s.
  const h100 = { memory: 80 * GiB, bandwidth: 3.35e12 };
  const h200 = { bandwidth: 4.8e12 };
  // CS336's GPT-2 XL: vocabulary, layers, d_model, d_ff (SwiGLU, untied output layer).
  const [V, L, d, ff] = [50257, 48, 1600, 6400];
  const gpt2Params = 2 * V * d + L * (4 * d * d + 3 * d * ff + 2 * d) + d;
  // Matmul FLOPs of one layer at T tokens: projections, causal attention (T(T+1)/2 pairs, QK and AV), SwiGLU.
  const attn = (T: number) => 8 * d * d * T + 2 * d * T * (T + 1);
  const ffn = (T: number) => 6 * d * ff * T;
  const head = (T: number) => 2 * T * d * V;
  // Llama-2-13B (13,015,864,320 parameters, 40 layers of 5,120, 40 heads of 128) at a context of 1,024, 16 bits.
  const l13Weights = 13015864320 * 2;
  const l13Kv = 2 * 40 * 5120 * 2;
  const gqaParams = 13015864320 - 40 * 2 * (5120 * 5120 - 5120 * 8 * 128);
  const gqaKv = 2 * 40 * 8 * 128 * 2;
  // Llama-3-8B: 8,030,261,248 parameters; 32 layers, 8 KV heads of 128.
  const l3Kv = 2 * 32 * 8 * 128 * 2;
  const l3Bytes = 8030261248 * 2 + l3Kv * 512;
  // Llama-2-7B: 6,738,415,616 parameters; Linear weights 32 × (4 × 4096² + 3 × 4096 × 11008) at 4 bits,
  // a 16-bit scale and a 4-bit zero point per 128; the rest (embeddings, output layer, norms) in 16 bits.
  const l7Linear = 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008);
  const l7Int4 = l7Linear / 2 + (l7Linear / 128) * (2 + 0.5) + (6738415616 - l7Linear) * 2;
  const l7Kv = 2 * 32 * 4096 * 2 * 4096;
  // Mixtral-8x7B: 46,702,792,704 parameters, 12,879,925,248 active per token; KV as Llama-3-8B's, 1,024 tokens.
  const mixtralKv = l3Kv * 1024;
  // The course's own config (models/course-llm.json): 20 layers of 2,048, 16 heads of 128 sharing 4 KV heads,
  // SwiGLU 5,632, vocabulary 32,000, tied; on a Jetson AGX Orin 64 GB (204.8 GB/s).
  const ownParams = 32000 * 2048 + 20 * (2 * 2048 * 2048 + 2 * 2048 * 4 * 128 + 3 * 2048 * 5632 + 2 * 2048) + 2048;
  const ownKv = 2 * 20 * 4 * 128 * 2;

  const numbers: [string, number, string][] = [
    ['llm/gpt2-xl-accounting (a) Parameters', gpt2Params, ''],
    ['llm/gpt2-xl-accounting (a) Weights in fp32 (in GB)', (gpt2Params * 4) / GB, 'GB'],
    ['llm/gpt2-xl-accounting (b) Prefill FLOPs', L * (attn(1024) + ffn(1024)) + head(1024), 'FLOPs'],
    ["llm/gpt2-xl-accounting (c) One layer's attention (layer model.layers.0.attn_block.self_attn)", attn(1024), 'FLOPs'],
    ["llm/gpt2-xl-accounting (c) One layer's feed-forward block (layer model.layers.0.mlp_block.mlp)", ffn(1024), 'FLOPs'],
    ['llm/gpt2-xl-accounting (c) The output layer (layer lm_head)', head(1024), 'FLOPs'],
    ['llm/gpt2-xl-accounting (d) Forward pass at 16,384 tokens (prompt 16384)', L * (attn(16384) + ffn(16384)) + head(16384), 'FLOPs'],
    ["llm/gpt2-xl-accounting (d) One layer's attention at 16,384 tokens (prompt 16384, layer model.layers.0.attn_block.self_attn)", attn(16384), 'FLOPs'],
    ["llm/gpt2-xl-accounting (d) One layer's feed-forward block at 16,384 tokens (prompt 16384, layer model.layers.0.mlp_block.mlp)", ffn(16384), 'FLOPs'],
    ['llm/llama-13b-h100 (a) Weight bytes of the language model in its format (in GB)', l13Weights / GB, 'GB'],
    ['llm/llama-13b-h100 (a) KV-cache bytes per token', l13Kv, 'B'],
    ['llm/llama-13b-h100 (b) Time per output token', ((l13Weights + l13Kv * 1024) / h100.bandwidth) * 1000, 'ms'],
    ['llm/llama-13b-h100 (b) Tokens per second', h100.bandwidth / (l13Weights + l13Kv * 1024), 'tokens/s'],
    ['llm/llama-13b-h100 (c) Time per step at batch 64 (batch 64)', ((l13Weights + 64 * l13Kv * 1024) / h100.bandwidth) * 1000, 'ms'],
    ['llm/llama-13b-h100 (c) Tokens per second at batch 64 (batch 64)', (64 * h100.bandwidth) / (l13Weights + 64 * l13Kv * 1024), 'tokens/s'],
    ['llm/llama-13b-h100 (c) Largest batch that fits', Math.floor((h100.memory - l13Weights) / (l13Kv * 1024)), ''],
    ['llm/llama-13b-gqa (a) KV-cache bytes per token', gqaKv, 'B'],
    ['llm/llama-13b-gqa (a) Parameters', gqaParams, ''],
    ['llm/llama-13b-gqa (b) Largest batch that fits', Math.floor((h100.memory - gqaParams * 2) / (gqaKv * 1024)), ''],
    ['llm/llama-13b-gqa (c) Time per output token', ((gqaParams * 2 + 256 * gqaKv * 1024) / h100.bandwidth) * 1000, 'ms'],
    ['llm/llama-13b-gqa (c) Tokens per second', (256 * h100.bandwidth) / (gqaParams * 2 + 256 * gqaKv * 1024), 'tokens/s'],
    ['llm/kv-cache-llama3 (a) KV-cache bytes per token', l3Kv, 'B'],
    ['llm/kv-cache-llama3 (b) KV-cache bytes for the batch at the context (in GB)', (l3Kv * 8192) / GB, 'GB'],
    ['llm/kv-cache-llama3 (b) One sequence of 131,072 tokens (context 131072, batch 1, in GB)', (l3Kv * 131072) / GB, 'GB'],
    ['llm/kv-cache-llama3 (c) At 8 bits (kvBits 8, in GB)', (l3Kv / 2) * 8192 / GB, 'GB'],
    ['llm/kv-cache-llama3 (c) 131,072 tokens at 8 bits (context 131072, batch 1, kvBits 8, in GB)', ((l3Kv / 2) * 131072) / GB, 'GB'],
    ['llm/int4-laptop (a) Weights in 16 bits (in GB)', (6738415616 * 2) / GB, 'GB'],
    ['llm/int4-laptop (a) Weights at 4 bits in groups of 128 (paramBits 4, groupSize 128, in GB)', l7Int4 / GB, 'GB'],
    ['llm/int4-laptop (b) KV-cache bytes for the batch at the context (in GB)', l7Kv / GB, 'GB'],
    ['llm/int4-laptop (b) Longest context that fits the laptop GPU (paramBits 4, groupSize 128)', Math.floor((8 * GiB - l7Int4) / (l7Kv / 4096)), ''],
    ['llm/decode-measured (a) Time per output token', (l3Bytes / 1.008e12) * 1000, 'ms'],
    ['llm/decode-measured (a) Tokens per second', 1.008e12 / l3Bytes, 'tokens/s'],
    ['llm/decode-measured (b) Measured tokens per second as a share of the bound', (54.34 / (1.008e12 / l3Bytes)) * 100, '%'],
    ['llm/decode-measured (b) The bound on the M2 Ultra (hardware apple-m2-ultra)', 800e9 / l3Bytes, 'tokens/s'],
    ['llm/decode-measured (b) Share of the bound on the M2 Ultra (hardware apple-m2-ultra, measuredTokensPerSecond 36.25)', (36.25 / (800e9 / l3Bytes)) * 100, '%'],
    ['llm/mixtral (a) Parameters', 46702792704, ''],
    ['llm/mixtral (b) Weight bytes of the language model in its format (in GB)', (46702792704 * 2) / GB, 'GB'],
    ['llm/mixtral (c) Bytes moved by one decode step (in GB)', (12879925248 * 2 + mixtralKv) / GB, 'GB'],
    ['llm/mixtral (c) Time per output token', ((12879925248 * 2 + mixtralKv) / h200.bandwidth) * 1000, 'ms'],
    ['llm/mixtral (c) Tokens per second', h200.bandwidth / (12879925248 * 2 + mixtralKv), 'tokens/s'],
    // A decode step of the block multiplies each 16-bit weight (2 B, 2 FLOPs) by one token; prefill by 2,048.
    ['llm/intensity (a) Prefill arithmetic intensity (layer model.layers.0.mlp_block.mlp)', (2 * 2048) / 2, 'FLOP/B'],
    ['llm/intensity (a) Decode arithmetic intensity (layer model.layers.0.mlp_block.mlp)', 2 / 2, 'FLOP/B'],
    // The A100 SXM: 312 TFLOP/s in 16 bits over 2,039 GB/s.
    ['llm/intensity (b) Ridge point π / β in 16 bits (paramBits 16)', 312e12 / 2.039e12, 'FLOP/B'],
    ['llm/own-config (a) Parameters', ownParams, ''],
    ['llm/own-config (a) KV-cache bytes per token', ownKv, 'B'],
    ['llm/own-config (b) Time per output token', ((ownParams * 2 + ownKv * 2048) / 204.8e9) * 1000, 'ms'],
    ['llm/own-config (b) Tokens per second', 204.8e9 / (ownParams * 2 + ownKv * 2048), 'tokens/s'],
  ];

  it('the figures of the problems without params: the engine, Moodle\'s stored answer and Canvas\'s read answer are the worked figure; the tolerance is half the last digit shown', () => {
    for (const [title, value, unit] of numbers) {
      const name = `${title}, variant 0`;
      const q = byName.get(name)!;
      const m = moodleOf.get(name);
      const c = canvasOf.get(name);
      expect(q, name).toBeDefined();
      expect(q.entry.figure.value / value, name).toBeCloseTo(1, 12);
      if (Number.isInteger(value)) expect(q.entry.figure.value, name).toBe(value);
      // A count shown in full is exact but for a floating-point slack of 1e-9 of the value (precision.ts: at
      // 2,127,057,600 parameters that is ±2.13, so an answer 2 off is right); any other figure is right to half
      // a unit of the last digit the key shows: '8.02 ms' from 8.015 to 8.025, '2,690 tokens/s' from 2,685 to 2,695.
      const shown = displayNumber(q.entry.figure.value, q.entry.figure.unit).replace(/,/g, '');
      const full = isShownInFull(q.entry.figure.value, q.entry.figure.unit);
      if (full) expect(Number(shown), name).toBe(value);
      if (full) expect(q.tolerance / (1e-9 * Math.max(1, value)), name).toBeCloseTo(1, 9);
      else {
        const place = shown.includes('.') ? 10 ** -shown.split('.')[1]!.length : 10 ** /0*$/.exec(shown)![0].length;
        expect(q.tolerance / (0.5 * place), name).toBeCloseTo(1, 6);
      }
      expect(Number(m.answers[0].answer) / value, name).toBeCloseTo(1, 12);
      expect(m.answers[0].tolerance / q.tolerance, name).toBeCloseTo(1, 6);
      expect(m.graded.shown, name).toBe(1);
      expect(c.answers[0].exact / value, name).toBeCloseTo(1, 12);
      // Canvas: a count shown in full is one exact answer (no margin, qti.ts); a rounded figure has the tolerance as its margin.
      if (full) expect(c.answers[0].margin, name).toBe(0);
      else expect(c.answers[0].margin / q.tolerance, name).toBeCloseTo(1, 6);
      // The unit: the figure's, first of Moodle's units (a count has none), and named in both texts.
      expect(Object.keys(m.units)[0] ?? '', name).toBe(unit === '' ? '' : unit);
      expect(q.entry.unit ?? '', name).toBe(unit);
      // Named once in what is asked: after the title, or in it when the title selects it ('Weights in fp32 (in GB)').
      const asked = /<p>Give: (.*?)<\/p>/.exec(q.html)![1]!;
      if (unit) expect(asked.split(`in ${escape(unit)}`).length - 1, `${name}: ${asked}`).toBe(1);
      else expect(asked, name).not.toMatch(/, in /);
    }
    // Every numerical question without params in the set is worked above, save the one the engine finds by search.
    const fixed = questions.filter((x) => x.q.variant === 0 && !x.q.pick).map((x) => x.name.replace(/, variant 0$/, ''));
    expect(fixed.filter((t) => !numbers.some(([title]) => title === t))).toEqual([
      'llm/mixtral (a) Parameters active per token',
      'llm/intensity (c) Batch at which a decode step at a context of 256 turns compute-bound (context 256)',
    ]);
  });

  it('yes/no answers (fits or not, memory-bound or not) are true/false questions whose right option follows from the figure', () => {
    const yesno: [string, boolean][] = [
      ['llm/llama-13b-h100 (b) Is a decode step memory-bound?', true],
      ['llm/llama-13b-h100 (c) Does batch 64 fit? (batch 64)', l13Weights + 64 * l13Kv * 1024 <= h100.memory],
      ['llm/llama-13b-h100 (c) Does batch 256 fit? (batch 256)', l13Weights + 256 * l13Kv * 1024 <= h100.memory],
      ['llm/llama-13b-gqa (b) Do the weights and KV cache fit in the device memory?', gqaParams * 2 + 256 * gqaKv * 1024 <= h100.memory],
      ['llm/int4-laptop (b) Fits the 8 GB laptop GPU? (paramBits 4, groupSize 128)', l7Int4 + l7Kv <= 8 * GiB],
      ["llm/int4-laptop (b) Fits the Jetson Orin Nano's 8 GB? (paramBits 4, groupSize 128, hardware nvidia-jetson-orin-nano-8gb)", l7Int4 + l7Kv <= 8 * GiB],
      ['llm/int4-laptop (b) And in 16 bits, does it fit the laptop GPU?', 6738415616 * 2 + l7Kv <= 8 * GiB],
      ['llm/decode-measured (a) Is a decode step memory-bound?', true],
      ['llm/mixtral (b) Fits one H100? (hardware nvidia-h100-sxm5-80gb)', 46702792704 * 2 + mixtralKv <= h100.memory],
      ['llm/mixtral (b) Fits one H200?', 46702792704 * 2 + mixtralKv <= 141 * GB],
      ['llm/intensity (b) Is a decode step memory-bound?', true],
    ];
    expect(yesno.map(([, yes]) => yes)).toEqual([true, true, false, true, true, true, false, true, false, true, true]);
    for (const [title, yes] of yesno) {
      const name = `${title}, variant 0`;
      const m = moodleOf.get(name);
      const c = canvasOf.get(name);
      expect(m.qtype, name).toBe('truefalse');
      expect(m.options, name).toEqual([{ text: 'True', fraction: yes ? 1 : 0 }, { text: 'False', fraction: yes ? 0 : 1 }]);
      expect(c.question_type, name).toBe('true_false_question');
      expect(c.options.filter((o: any) => o.weight === 100).map((o: any) => o.text), name).toEqual([yes ? 'True' : 'False']);
      expect(byName.get(name)!.entry.display.startsWith(yes ? 'yes (' : 'no ('), name).toBe(true);
    }
    const all = questions.filter((x) => x.q.pick?.kind === 'yesno');
    expect(all.filter((x) => x.q.variant === 0).length).toBe(yesno.length);
    // The practice problem's yes/no (decode-practice (c)) as run: Moodle and Canvas grade the engine's answer right.
    for (const { name, q } of all.filter((x) => x.q.variant > 0)) {
      const yes = q.pick!.options.find((o) => o.right)!.label === 'Yes';
      expect(moodleOf.get(name).options.find((o: any) => o.fraction === 1).text, name).toBe(yes ? 'True' : 'False');
    }
  });

  it('the choice of the part that dominates: a multichoice whose right option is the output layer at 1,024 and at 16,384 tokens', () => {
    for (const [title, T] of [['llm/gpt2-xl-accounting (c) Which part takes the most FLOPs?', 1024], ['llm/gpt2-xl-accounting (d) Which part takes the most FLOPs at 16,384 tokens?', 16384]] as const) {
      const name = `${title}, variant 0`;
      const parts = { 'model.layers.0.attn_block.self_attn': attn(T), 'model.layers.0.mlp_block.mlp': ffn(T), lm_head: head(T) };
      const most = Object.entries(parts).sort((a, b) => b[1] - a[1])[0]![0];
      expect(most).toBe('lm_head');
      expect(moodleOf.get(name).options, name).toEqual(Object.keys(parts).map((text) => ({ text, fraction: text === most ? 1 : 0 })));
      expect(canvasOf.get(name).options, name).toEqual(Object.keys(parts).map((text) => ({ text, weight: text === most ? 100 : 0 })));
      expect(byName.get(name)!.entry.display).toBe(`lm_head (${displayNumber(head(T), 'FLOPs')} FLOPs)`);
    }
  });

  it('units: Moodle grades the exact value written in every unit it lists (ms as s or µs, GB as B or MiB, tokens/s) and the key\'s display typed as is', () => {
    const numerical = [...moodleOf.values()].filter((r) => r.qtype === 'numerical');
    expect(numerical.length).toBe(questions.filter((x) => !x.q.pick).length);
    const firstUnits = new Set<string>();
    for (const r of numerical) {
      expect(r.graded.display, `${r.name}: as displayed`).toBe(1);
      for (const [unit, fraction] of Object.entries(r.graded.units)) expect(fraction, `${r.name} in ${unit}`).toBe(1);
      const q = byName.get(r.name)!;
      const own = q.entry.unit ?? '';
      if (own && own !== 'params') {
        expect(Object.keys(r.units)[0], r.name).toBe(own);
        firstUnits.add(own);
      } else expect(r.units, r.name).toEqual([]);
    }
    expect([...firstUnits].sort()).toEqual(['%', 'B', 'FLOP/B', 'FLOPs', 'GB', 'ms', 'tokens/s']);
    const tpot = moodleOf.get('llm/llama-13b-h100 (b) Time per output token, variant 0');
    expect(Object.keys(tpot.units)).toEqual(['ms', 's', 'sec', 'us', 'µs', 'μs', 'ns']);
    expect(Object.keys(moodleOf.get('llm/llama-13b-h100 (b) Tokens per second, variant 0').units)).toEqual(['tokens/s', 'tok/s']);
    const gb = moodleOf.get('llm/kv-cache-llama3 (b) KV-cache bytes for the batch at the context (in GB), variant 0');
    expect([gb.units.GB, gb.units.B, gb.units.MB, gb.units.bits].map(Number)).toEqual([1, 1e9, 1000, 8e9]);
    // 1.073741824 GB written as 1073741824 B, 1073.741824 MB or 8589934592 bits: each right.
    expect(Object.keys(gb.graded.units).length).toBe(Object.keys(gb.units).length);
    // The whole 20-variant run: every unit response right, every display right.
    const run = moodleRun.sets.llm;
    expect([run.numerical, run.truefalse, run.multichoice]).toEqual([229, 31, 2]);
    expect(run.displayRight).toBe(run.numerical);
    expect(run.unitResponsesRight).toBe(run.unitResponses);
    expect(run.unitResponses).toBeGreaterThan(5 * run.numerical);
  });

  it('the models the statements name travel with the questions: Moodle stored them byte for byte, Canvas\'s converter kept and linked them', () => {
    const sha1 = (path: string) => createHash('sha1').update(readFileSync(new URL(`../../problems/llm/models/${path}`, import.meta.url))).digest('hex');
    for (const [problem, file] of [['llm/own-config', 'course-llm.json'], ['llm/gpt2-xl-accounting', 'cs336-gpt2-xl.json'], ['llm/llama-13b-gqa', 'llama-2-13b-gqa8.json']] as const) {
      const names = questions.filter((x) => x.q.problem.id === problem).map((x) => x.name);
      expect(names.length).toBeGreaterThan(3);
      for (const name of names) {
        expect(moodleOf.get(name).files, name).toEqual([{ name: file, size: String(readFileSync(new URL(`../../problems/llm/models/${file}`, import.meta.url)).length), sha1: sha1(file) }]);
        expect(moodleOf.get(name).questiontextLinks, name).toEqual([`@@PLUGINFILE@@/${file}`]);
        expect(canvasOf.get(name).links, name).toEqual([`../models/${file}`]);
      }
      expect(canvasRun.files.llm[`models/${file}`]).toBe(sha1(file));
    }
  });
});
