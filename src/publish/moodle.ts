/**
 * A set as Moodle XML (Moodle's question bank import format): one category per problem, with a
 * sub-category per answer it asks for, each holding that answer's variants as numerical
 * questions (yes/no answers as `truefalse`, a `<Choice>` as single-answer `multichoice`), so a
 * quiz's "random question from category" draws one variant per student.
 *
 * A question: the statement (HTML, math as `\( \)` for Moodle's MathJax filter), the engine's
 * figure with the precision rule's tolerance, each common mistake's figure as a 0% answer whose
 * feedback is the hint, a catch-all `*`, the units a student may write (the figure's unit first,
 * with multiplier 1), and the derivation as general feedback.
 *
 * Built with fast-xml-parser's XMLBuilder, which escapes every text and attribute.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { FIGURE_UNITS, INPUT_UNITS, COUNTED_UNITS, COUNT_PREFIXES } from '../workbook/grading/units.ts';
import type { Unit } from '../engine/math/derivation.ts';
import { UNITS } from '../engine/math/derivation.ts';
import { modelParagraph, plainNumber, withImages, type LmsGroup, type LmsModel, type LmsQuestion } from './lms.ts';
import type { ProblemSetDoc } from './sets.ts';

const text = (t: string) => ({ text: t });
const html = (t: string) => ({ '@_format': 'html', text: t });

/** A category path segment: Moodle separates levels with `/`, so a title's own slashes are doubled. */
const segment = (s: string) => s.replace(/\//g, '//');

export function moodleXml(set: ProblemSetDoc, groups: readonly LmsGroup[]): string {
  const questions: unknown[] = [];
  const top = `$course$/top/${segment(set.title)}`;
  let problem = '';
  for (const g of groups) {
    const problemCategory = `${top}/${segment(g.problem.data.title)}`;
    if (g.problem.id !== problem) {
      problem = g.problem.id;
      questions.push(category(problemCategory, `${g.problem.data.title} (${g.problem.data.source})`));
    }
    questions.push(category(`${problemCategory}/${segment(g.answerTitle)}`, `Variants of ${g.title}; draw one per student.`));
    for (const q of g.questions) questions.push(q.pick ? picked(q, g.title, q.model) : numerical(q, g.title, q.model));
  }
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ quiz: { question: questions } })}`;
}

function category(path: string, info: string) {
  return { '@_type': 'category', category: text(path), info: html(`<p>${info.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`) };
}

/**
 * The question text, with the author's model and the statement's images as files of the question
 * text, linked as `@@PLUGINFILE@@/<name>` (Moodle's XML import stores them with the question), or
 * the model's link.
 */
function questionText(q: LmsQuestion, model: LmsModel | undefined) {
  const plugin = (name: string) => `@@PLUGINFILE@@/${encodeURIComponent(name)}`;
  let body = withImages(q.html, q.images, (image) => plugin(image.name));
  const files = q.images.map((image) => ({ name: image.name, bytes: image.bytes }));
  if (model) {
    body += modelParagraph(model, plugin(model.name));
    if (!model.link) files.push({ name: model.name, bytes: model.bytes });
  }
  const file = files.map((f) => ({ '@_name': f.name, '@_path': '/', '@_encoding': 'base64', '#text': Buffer.from(f.bytes).toString('base64') }));
  return { ...html(body), ...(file.length > 0 ? { file } : {}) };
}

function numerical(q: LmsQuestion, title: string, model?: LmsModel) {
  const f = q.entry.figure;
  const answers = [
    { '@_fraction': '100', '@_format': 'moodle_auto_format', text: plainNumber(f.value), tolerance: plainNumber(q.tolerance), feedback: html(`<p>Correct: ${q.entry.display}.</p>`) },
    ...q.mistakes.map((m) => ({
      '@_fraction': '0',
      '@_format': 'moodle_auto_format',
      text: plainNumber(m.value),
      tolerance: plainNumber(q.tolerance),
      feedback: html(`<p>${escape(m.message)}</p>`),
    })),
    { '@_fraction': '0', '@_format': 'moodle_auto_format', text: '*', tolerance: '0', feedback: html('<p>Incorrect. Check your working; the derivation follows.</p>') },
  ];
  const units = unitsFor(f.unit);
  return {
    '@_type': 'numerical',
    name: text(`${title}, variant ${q.variant}`),
    questiontext: questionText(q, model),
    generalfeedback: html(q.feedbackHtml),
    defaultgrade: '1',
    penalty: '0.3333333',
    hidden: '0',
    idnumber: `${q.problem.id}#${q.entry.answer.question}#${q.entry.answer.of}#${q.variant}`,
    answer: answers,
    ...(units.length > 0 ? { units: { unit: units.map((u) => ({ multiplier: plainNumber(u.multiplier), unit_name: u.name })) } } : {}),
    // Units optional (no penalty), typed in a box after the number; a number alone is read in the first unit.
    unitgradingtype: '0',
    unitpenalty: '0',
    showunits: '0',
    unitsleft: '0',
  };
}

/**
 * A yes/no answer as a `truefalse` question (true is yes), a `<Choice>` as a single-answer
 * `multichoice`: the engine's pick 100 %, every other option 0 %, each with its feedback.
 */
function picked(q: LmsQuestion, title: string, model?: LmsModel) {
  const pick = q.pick!;
  const common = {
    name: text(`${title}, variant ${q.variant}`),
    questiontext: questionText(q, model),
    generalfeedback: html(q.feedbackHtml),
    defaultgrade: '1',
    penalty: pick.kind === 'yesno' ? '1' : '0.3333333',
    hidden: '0',
    idnumber: `${q.problem.id}#${q.entry.answer.question}#${q.entry.answer.of}#${q.variant}`,
  };
  const answer = (label: string, right: boolean, feedbackHtml: string, format: string) => ({
    '@_fraction': right ? '100' : '0',
    '@_format': format,
    text: label,
    feedback: html(feedbackHtml),
  });
  if (pick.kind === 'yesno') {
    return {
      '@_type': 'truefalse',
      ...common,
      answer: pick.options.map((o) => answer(o.label === 'Yes' ? 'true' : 'false', o.right, o.feedbackHtml, 'moodle_auto_format')),
    };
  }
  return {
    '@_type': 'multichoice',
    ...common,
    single: 'true',
    shuffleanswers: 'false',
    answernumbering: 'abc',
    correctfeedback: html('<p>Correct.</p>'),
    partiallycorrectfeedback: html('<p>Partly correct.</p>'),
    incorrectfeedback: html('<p>Incorrect.</p>'),
    answer: pick.options.map((o) => answer(`<p>${escape(o.label)}</p>`, o.right, o.feedbackHtml, 'html')),
  };
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The units a student may write for a figure in `unit`: its own first (multiplier 1), then every
 * unit of the same dimension the practice page's grader reads (units.ts). Moodle divides a
 * response by its unit's multiplier: 0.0467 s with multiplier 0.001 is 46.7 ms.
 */
export function unitsFor(unit: Unit): { name: string; multiplier: number }[] {
  const own = FIGURE_UNITS[unit];
  // Plain counts (parameters, elements) have no unit to write.
  if (own.dimension === 'count') return [];
  const out = new Map<string, number>();
  const first = UNITS[unit].text;
  if (first) out.set(first, 1);
  for (const [name, u] of Object.entries(INPUT_UNITS)) {
    if (u.dimension === own.dimension && !out.has(name)) out.set(name, own.scale / u.scale);
  }
  for (const [name, dimension] of Object.entries(COUNTED_UNITS)) {
    if (dimension !== own.dimension) continue;
    if (!out.has(name)) out.set(name, own.scale);
    for (const [prefix, scale] of Object.entries(COUNT_PREFIXES)) if (!out.has(prefix + name)) out.set(prefix + name, own.scale / scale);
  }
  // Ratios of powers of ten and of 1024, rounded off their floating-point dust (1000.0000000000001).
  return [...out].map(([name, multiplier]) => ({ name, multiplier: Number(multiplier.toPrecision(12)) }));
}
