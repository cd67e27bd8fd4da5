/**
 * A set as an IMS QTI 1.2 package, as Canvas documents and imports it: a zip with
 * `imsmanifest.xml` (IMS Content Packaging 1.1) and one assessment, `<id>/<id>.xml`, a
 * `questestinterop` whose sections are question groups ("pick 1", so each student gets one
 * variant of each answer) holding `numerical_question` items.
 *
 * An item: the statement (HTML, math as `\( \)`, which Canvas renders with MathJax), the unit in
 * the prompt (Canvas's numerical questions have none), the engine's figure as an exact answer
 * inside `<or>` (as Canvas's own exporter writes it; its importer reads no bare `varequal`), with
 * the precision rule's margin as a `vargte`/`varlte` pair beside it, the derivation as general
 * feedback. Canvas's numerical answers are all right answers, so a wrong answer cannot carry its
 * own feedback there: the common mistakes' hints go in the feedback shown after a wrong answer.
 *
 * A yes/no answer is a `true_false_question` (True is yes), a `<Choice>` a `multiple_choice_question`:
 * a `response_lid` whose `render_choice` lists the options, the engine's pick scoring 100, each
 * option with its own feedback (Canvas shows it when that option is picked).
 *
 * Built with fast-xml-parser's XMLBuilder (every text and attribute escaped); zipped with fflate.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { zipSync, strToU8 } from 'fflate';
import { hash32 } from '../workbook/variants/hash.ts';
import { displayValue, isShownInFull } from '../workbook/grading/precision.ts';
import { escapeHtml } from './document.ts';
import { modelParagraph, plainNumber, withImages, type LmsGroup, type LmsImage, type LmsModel, type LmsQuestion } from './lms.ts';
import type { ProblemSetDoc } from './sets.ts';

const QTI_NS = 'http://www.imsglobal.org/xsd/ims_qtiasiv1p2';
const CP_NS = 'http://www.imsglobal.org/xsd/imscp_v1p1';

/** An ident: letters, digits, `_` and `-`, starting with a letter (an XML NMTOKEN, as Canvas writes them). */
export function ident(...parts: (string | number)[]): string {
  const readable = parts.join('_').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 60);
  return `g${hash32(parts.map(String)).toString(16).padStart(8, '0')}_${readable}`;
}

const builder = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true });
const xml = (root: object) => `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(root)}`;

const mattext = (html: string) => ({ mattext: { '@_texttype': 'text/html', '#text': html } });

export interface QtiPackage {
  /** File name in the zip -> contents (the XML as text, an attached model as bytes). */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  readonly zip: Uint8Array;
}

/** Where an attached model or a statement's image sits in the package: a resource Canvas imports as a course file. */
const modelPath = (m: LmsModel) => `models/${m.name}`;
const imagePath = (image: LmsImage) => `images/${image.name}`;

export function qtiPackage(set: ProblemSetDoc, groups: readonly LmsGroup[]): QtiPackage {
  const assessment = ident('assessment', set.id);
  // Each attached model once (a problem's questions share it, or a variant's definition).
  const attached = new Map<string, Uint8Array>();
  for (const q of groups.flatMap((g) => g.questions)) {
    if (q.model && !q.model.link) attached.set(modelPath(q.model), q.model.bytes);
    for (const image of q.images) attached.set(imagePath(image), image.bytes);
  }
  const href = `${assessment}/${assessment}.xml`;
  const quiz = xml({
    questestinterop: {
      '@_xmlns': QTI_NS,
      assessment: {
        '@_ident': assessment,
        '@_title': set.title,
        qtimetadata: { qtimetadatafield: [field('cc_maxattempts', '1')] },
        section: {
          '@_ident': 'root_section',
          section: groups.map((g, i) => ({
            '@_ident': ident('group', set.id, i, g.title),
            '@_title': g.title,
            selection_ordering: {
              selection: { selection_number: '1', selection_extension: { points_per_item: '1' } },
            },
            item: g.questions.map((q) => (q.pick ? pickItem(q, g.title, q.model) : item(q, g.title, q.model))),
          })),
        },
      },
    },
  });
  const manifest = xml({
    manifest: {
      '@_identifier': ident('manifest', set.id),
      '@_xmlns': CP_NS,
      metadata: { schema: 'IMS Content', schemaversion: '1.1.3' },
      organizations: '',
      resources: {
        resource: [
          { '@_identifier': assessment, '@_type': 'imsqti_xmlv1p2', '@_href': href, file: { '@_href': href } },
          ...[...attached.keys()].map((path) => ({ '@_identifier': ident('file', path), '@_type': 'webcontent', '@_href': path, file: { '@_href': path } })),
        ],
      },
    },
  });
  const files: Record<string, string | Uint8Array> = { 'imsmanifest.xml': manifest, [href]: quiz };
  for (const [path, bytes] of attached) files[path] = bytes;
  // A fixed time stamp, so the same set gives the same bytes.
  const mtime = new Date('2020-01-01T00:00:00Z');
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, body]) => [name, [typeof body === 'string' ? strToU8(body) : body, { mtime }]])), { level: 9 });
  return { files, zip };
}

function field(label: string, entry: string) {
  return { fieldlabel: label, fieldentry: entry };
}

/** The statement, its images and the author's model linked to their files in the package (relative to the assessment), or the model's page. */
function statement(q: LmsQuestion, model: LmsModel | undefined): string {
  const html = withImages(q.html, q.images, (image) => `../${imagePath(image)}`);
  return model ? html + modelParagraph(model, `../${modelPath(model)}`) : html;
}

function item(q: LmsQuestion, title: string, model?: LmsModel) {
  const f = q.entry.figure;
  const value = plainNumber(f.value);
  // Canvas's item importer reads an answer only inside <or>: the exact value alone for a count
  // shown in full, with the interval the precision rule accepts (its margin) for a rounded figure.
  const right = isShownInFull(f.value, f.unit)
    ? { or: { varequal: { '@_respident': 'response1', '#text': value } } }
    : {
        or: {
          varequal: { '@_respident': 'response1', '#text': value },
          and: {
            vargte: { '@_respident': 'response1', '#text': plainNumber(f.value - q.tolerance) },
            varlte: { '@_respident': 'response1', '#text': plainNumber(f.value + q.tolerance) },
          },
        },
      };
  const unit = q.entry.unit ? `<p>Answer in ${escapeHtml(q.entry.unit)}, as a number only.</p>` : '<p>Answer with a number only.</p>';
  const hints = q.mistakes.length > 0
    ? `<p>Incorrect. Common mistakes:</p><ul>${q.mistakes.map((m) => `<li>${escapeHtml(displayValue(m.value, f.unit))}: ${escapeHtml(m.message)}</li>`).join('')}</ul>`
    : '<p>Incorrect. Check your working.</p>';
  return {
    '@_ident': ident('item', q.problem.id, q.entry.answer.question, q.entry.answer.of, JSON.stringify(q.entry.answer.select), q.variant),
    '@_title': `${title}, variant ${q.variant}`,
    itemmetadata: {
      qtimetadata: {
        qtimetadatafield: [field('question_type', 'numerical_question'), field('points_possible', '1.0')],
      },
    },
    presentation: {
      material: mattext(statement(q, model) + unit),
      response_str: {
        '@_ident': 'response1',
        '@_rcardinality': 'Single',
        render_fib: { '@_fibtype': 'Decimal', response_label: { '@_ident': 'answer1' } },
      },
    },
    resprocessing: {
      outcomes: { decvar: { '@_maxvalue': '100', '@_minvalue': '0', '@_varname': 'SCORE', '@_vartype': 'Decimal' } },
      respcondition: [
        { '@_continue': 'Yes', conditionvar: { other: '' }, displayfeedback: { '@_feedbacktype': 'Response', '@_linkrefid': 'general_fb' } },
        { '@_continue': 'No', conditionvar: right, setvar: { '@_action': 'Set', '@_varname': 'SCORE', '#text': '100' } },
        { '@_continue': 'Yes', conditionvar: { other: '' }, displayfeedback: { '@_feedbacktype': 'Response', '@_linkrefid': 'general_incorrect_fb' } },
      ],
    },
    itemfeedback: [
      { '@_ident': 'general_fb', flow_mat: { material: mattext(q.feedbackHtml) } },
      { '@_ident': 'general_incorrect_fb', flow_mat: { material: mattext(hints) } },
    ],
  };
}

/** A yes/no answer or a `<Choice>`: one option scores 100, the engine's. */
function pickItem(q: LmsQuestion, title: string, model?: LmsModel) {
  const pick = q.pick!;
  const idents = pick.options.map((_, i) => `answer${i + 1}`);
  const right = pick.options.findIndex((o) => o.right);
  return {
    '@_ident': ident('item', q.problem.id, q.entry.answer.question, q.entry.answer.of, JSON.stringify(q.entry.answer.select), q.entry.title, q.variant),
    '@_title': `${title}, variant ${q.variant}`,
    itemmetadata: {
      qtimetadata: {
        qtimetadatafield: [
          field('question_type', pick.kind === 'yesno' ? 'true_false_question' : 'multiple_choice_question'),
          field('points_possible', '1.0'),
          field('original_answer_ids', idents.join(',')),
        ],
      },
    },
    presentation: {
      material: mattext(statement(q, model)),
      response_lid: {
        '@_ident': 'response1',
        '@_rcardinality': 'Single',
        render_choice: {
          response_label: pick.options.map((o, i) => ({
            '@_ident': idents[i],
            material: { mattext: { '@_texttype': 'text/plain', '#text': pick.kind === 'yesno' ? (o.label === 'Yes' ? 'True' : 'False') : o.label } },
          })),
        },
      },
    },
    resprocessing: {
      outcomes: { decvar: { '@_maxvalue': '100', '@_minvalue': '0', '@_varname': 'SCORE', '@_vartype': 'Decimal' } },
      respcondition: [
        { '@_continue': 'Yes', conditionvar: { other: '' }, displayfeedback: { '@_feedbacktype': 'Response', '@_linkrefid': 'general_fb' } },
        ...idents.map((id) => ({
          '@_continue': 'Yes',
          conditionvar: { varequal: { '@_respident': 'response1', '#text': id } },
          displayfeedback: { '@_feedbacktype': 'Response', '@_linkrefid': `${id}_fb` },
        })),
        { '@_continue': 'No', conditionvar: { varequal: { '@_respident': 'response1', '#text': idents[right]! } }, setvar: { '@_action': 'Set', '@_varname': 'SCORE', '#text': '100' } },
      ],
    },
    itemfeedback: [
      { '@_ident': 'general_fb', flow_mat: { material: mattext(q.feedbackHtml) } },
      ...pick.options.map((o, i) => ({ '@_ident': `${idents[i]}_fb`, flow_mat: { material: mattext(o.feedbackHtml) } })),
    ],
  };
}
