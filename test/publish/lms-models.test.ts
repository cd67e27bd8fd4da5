/**
 * An author's own model travels with its LMS questions: an ONNX file (a problem's
 * `model: ./models/net.onnx`) or a JSON definition is attached to each question (Moodle: a file of
 * the question text, linked as `@@PLUGINFILE@@/<name>`; QTI: a `webcontent` resource of the
 * package, linked from the item), or, when the course sets `site`, linked to the problem's page
 * there; the question text says which. The bytes attached are the author's file's.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/cli/problems.ts';
import { runExport } from '../../src/cli/publish.ts';
import { lmsGroups, lmsGroupsDrawn } from '../../src/publish/lms.ts';
import { moodleXml } from '../../src/publish/moodle.ts';
import { qtiPackage } from '../../src/publish/qti.ts';
import { initSecret } from '../../src/publish/secret.ts';
import { problemSet } from '../../src/publish/sets.ts';
import { IMAGE_PROBLEM, MODEL_COURSE_FILES, OWN_COURSE, ROOFLINE_SVG, writeCourse } from '../helpers/course.ts';
import { recordedDraw } from '../helpers/lms-run.ts';
import { sharedOnnxDir } from '../helpers/onnx.ts';

const TEST_SECRET = 'lms-models-test-secret-0123456';

/**
 * Variant i as models.json's run exported it (drawn then with seed i, before graded variants were
 * keyed by the course secret), rebuilt from its values (test/fixtures/lms/variants.json).
 */
const asRun = recordedDraw('ownCourse');

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });
const list = <T,>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function course(extraCourseYaml = ''): string {
  const root = writeCourse({
    ...OWN_COURSE,
    ...MODEL_COURSE_FILES,
    'content/course.yaml': OWN_COURSE['content/course.yaml']! + extraCourseYaml,
  });
  mkdirSync(join(root, 'problems', 'hw2', 'models'), { recursive: true });
  copyFileSync(join(sharedOnnxDir(), 'lenet5.onnx'), join(root, 'problems', 'hw2', 'models', 'net.onnx'));
  // `workbook export` draws graded variants: the course has its secret, as `workbook secret init` writes it.
  initSecret(root);
  return root;
}

describe("an author's model travels with the question", () => {
  const root = course();
  const onnx = readFileSync(join(root, 'problems', 'hw2', 'models', 'net.onnx'));
  const set = problemSet('hw2', loadProblems(root), root);
  const groups = lmsGroups(set, 2, TEST_SECRET, { root });

  it('Moodle: the ONNX file (and each variant\'s JSON definition) in the question text\'s files, linked with @@PLUGINFILE@@', () => {
    const questions: any[] = list(parser.parse(moodleXml(set, groups)).quiz.question).filter((q) => q['@_type'] !== 'category');
    const onnxQuestions = questions.filter((q) => q.idnumber.startsWith('hw2/q2#'));
    expect(onnxQuestions).toHaveLength(1);
    for (const q of onnxQuestions) {
      const file = q.questiontext.file;
      expect(file['@_name']).toBe('net.onnx');
      expect(file['@_encoding']).toBe('base64');
      expect(Buffer.from(file['#text'], 'base64').equals(onnx)).toBe(true);
      expect(q.questiontext.text).toContain('<a href="@@PLUGINFILE@@/net.onnx">net.onnx</a>, attached to this question');
    }
    // The JSON model of q1 is a template: each variant carries its own definition, its channels filled in.
    const jsonQuestions = questions.filter((q) => q.idnumber.startsWith('hw2/q1#'));
    expect(jsonQuestions.length).toBeGreaterThan(0);
    for (const q of jsonQuestions) {
      const def = JSON.parse(Buffer.from(q.questiontext.file['#text'], 'base64').toString('utf8'));
      expect([4, 8, 16]).toContain(def.layers[0].out_channels);
      expect(def.layers[3].in_features).toBe(def.layers[0].out_channels * 676);
    }
  });

  it('QTI: the ONNX file once in the package, a resource of the manifest, linked from the item', () => {
    const pkg = qtiPackage(set, groups);
    const files = unzipSync(pkg.zip);
    expect(Buffer.from(files['models/net.onnx']!).equals(onnx)).toBe(true);
    const manifest = parser.parse(strFromU8(files['imsmanifest.xml']!));
    const resources: any[] = list(manifest.manifest.resources.resource);
    expect(resources.find((r) => r['@_href'] === 'models/net.onnx')?.['@_type']).toBe('webcontent');
    const quiz = strFromU8(files[resources[0]['@_href']]!);
    expect(quiz).toContain('&lt;a href=&quot;../models/net.onnx&quot;&gt;net.onnx&lt;/a&gt;, attached to this question');
  });

  it("the statement's chart is a file of each export: Moodle @@PLUGINFILE@@, a QTI resource", () => {
    const questions: any[] = list(parser.parse(moodleXml(set, groups)).quiz.question).filter((q) => q['@_type'] !== 'category');
    const q3 = questions.find((q) => q.idnumber.startsWith('hw2/q3#'));
    expect(q3.questiontext.text).toContain('<img src="@@PLUGINFILE@@/hw2-q3-roofline.svg" alt="The roofline: peak 10 GFLOP/s, ridge at 2 FLOP/B">');
    expect(Buffer.from(list<any>(q3.questiontext.file)[0]['#text'], 'base64').toString('utf8')).toBe(ROOFLINE_SVG);
    const files = unzipSync(qtiPackage(set, groups).zip);
    expect(strFromU8(files['images/hw2-q3-roofline.svg']!)).toBe(ROOFLINE_SVG);
    const manifest = parser.parse(strFromU8(files['imsmanifest.xml']!));
    const quiz = strFromU8(files[list<any>(manifest.manifest.resources.resource)[0]['@_href']]!);
    expect(quiz).toContain('&lt;img src=&quot;../images/hw2-q3-roofline.svg&quot;');
    expect(quiz).not.toContain('workbook-image:');
  });

  it('a picture that is not there is one error naming the problem file and the path', () => {
    const broken = writeCourse({ ...OWN_COURSE, 'problems/hw2/q3.mdx': IMAGE_PROBLEM.replace('./charts/roofline.svg', './charts/missing.svg') });
    const s = problemSet('hw2', loadProblems(broken), broken);
    expect(() => lmsGroups(s, 1, TEST_SECRET, { root: broken })).toThrow(/^problems\/hw2\/q3\.mdx: the image \.\/charts\/missing\.svg cannot be read \(ENOENT\); a path is relative to the problem file$/);
  });

  it('as the real importers stored them (test/fixtures/lms/models.json): Moodle kept net.onnx and the chart byte for byte, Canvas\'s converter kept them as course files', () => {
    const ran = JSON.parse(readFileSync(new URL('../fixtures/lms/models.json', import.meta.url), 'utf8'));
    const sha1 = createHash('sha1').update(onnx).digest('hex');
    const q2 = ran.moodle.questions.find((q: any) => q.name === 'hw2/q2 (a) Parameters, variant 0');
    expect(q2.files).toEqual([{ name: 'net.onnx', size: onnx.length, sha1 }]);
    expect(q2.questiontextLinks).toEqual(['@@PLUGINFILE@@/net.onnx']);
    // Every question of the run kept its model file, linked from its text.
    for (const q of ran.moodle.questions) expect(q.questiontextLinks, q.name).toEqual(q.files.map((f: any) => `@@PLUGINFILE@@/${f.name}`));
    // The run's export, rebuilt from its variants, writes what was run: the same names in the package, linked the same way.
    const attached = (g: typeof groups) => Object.keys(unzipSync(qtiPackage(set, g).zip)).filter((f) => /^(models|images)\//.test(f)).sort();
    const runGroups = lmsGroupsDrawn(set, 2, asRun, { root });
    expect([...ran.canvas.webcontentFiles].sort()).toEqual(attached(runGroups));
    expect(ran.moodle.questions.map((q: any) => q.name).sort()).toEqual(runGroups.flatMap((g) => g.questions.map((q) => `${g.title}, variant ${q.variant}`)).sort());
    for (const q of ran.moodle.questions) {
      const question = runGroups.flatMap((g) => g.questions.map((x) => ({ x, name: `${g.title}, variant ${x.variant}` }))).find((y) => y.name === q.name)!.x;
      expect(q.files.map((f: any) => f.name), q.name).toEqual([...(question.model ? [question.model.name] : []), ...question.images.map((i) => i.name)]);
    }
    // Exported now (graded variants from the secret): the same kinds of file, each variant's JSON definition under its own name.
    const now = attached(groups);
    const definitions = [...new Set(groups.flatMap((g) => g.questions.flatMap((q) => (q.model && q.model.name !== 'net.onnx' ? [`models/${q.model.name}`] : []))))].sort();
    expect(definitions.every((f) => /^models\/hw2-q1-model-[0-9a-f]{8}\.json$/.test(f))).toBe(true);
    expect(now).toEqual([...definitions, 'models/net.onnx', 'images/hw2-q3-roofline.svg'].sort());
    expect(ran.canvas.itemLinks['hw2/q2 (a) Parameters, variant 0']).toEqual(['../models/net.onnx']);
    expect(ran.canvas.itemLinks['hw2/q3 (a) Parameters, variant 0']).toEqual(['../images/hw2-q3-roofline.svg']);
    // The chart, as Moodle stored it: the same bytes.
    const chart = ran.moodle.questions.find((q: any) => q.name === 'hw2/q3 (a) Parameters, variant 0');
    expect(chart.files).toEqual([{ name: 'hw2-q3-roofline.svg', size: ROOFLINE_SVG.length, sha1: createHash('sha1').update(ROOFLINE_SVG).digest('hex') }]);
  });

  it('with the course\'s site URL: a link to the problem\'s page, no file', () => {
    const linked = course('site: "https://course.example.edu/tiny/"\n');
    const s = problemSet('hw2', loadProblems(linked), linked);
    const g = lmsGroups(s, 2, TEST_SECRET, { root: linked, siteUrl: 'https://course.example.edu/tiny/' });
    const xml = moodleXml(s, g);
    // The model is linked; the chart (a picture of the statement) still travels as a file.
    expect(xml).not.toMatch(/<file name="[^"]*\.(onnx|json)"/);
    expect(xml).toContain('<file name="hw2-q3-roofline.svg"');
    expect(xml).toContain('on the course site, &lt;a href=&quot;https://course.example.edu/tiny/problems/hw2/q2/&quot;');
    const pkg = qtiPackage(s, g);
    expect(Object.keys(unzipSync(pkg.zip)).filter((f) => f.startsWith('models/'))).toEqual([]);
    // The command reads siteUrl from the course file.
    const out = join(linked, 'quiz.xml');
    const errors: string[] = [];
    expect(runExport(['moodle', '--set', 'hw2', '--variants', '1', '--out', out], { out: () => {}, err: (t) => errors.push(t) }, linked)).toBe(0);
    expect(errors).toEqual([]);
    expect(readFileSync(out, 'utf8')).toContain('https://course.example.edu/tiny/problems/hw2/q2/');
  });

  it('the command attaches the file when the course sets no siteUrl, the path read beside the problem file', () => {
    const out = join(root, 'quiz.zip');
    expect(runExport(['qti', '--set', 'hw2', '--variants', '1', '--out', out], { out: () => {}, err: (t) => { throw new Error(t); } }, root)).toBe(0);
    expect(Buffer.from(unzipSync(readFileSync(out))['models/net.onnx']!).equals(onnx)).toBe(true);
  });
});

describe("a model file named by path other than ONNX: a JSON model or a Hugging Face config.json", () => {
  // The example course's llm/own-config names ./models/course-llm.json and its statement gives every size but
  // the vocabulary (32,000, in the file): without the file a student could not count the parameters.
  const root = new URL('../../', import.meta.url).pathname;
  const set = problemSet('llm', loadProblems(root), root);
  const groups = lmsGroups(set, 1, TEST_SECRET, { root });
  const config = readFileSync(join(root, 'problems', 'llm', 'models', 'course-llm.json'));
  const gpt2 = readFileSync(join(root, 'problems', 'llm', 'models', 'cs336-gpt2-xl.json'));
  const own = groups.filter((g) => g.problem.id === 'llm/own-config');

  it('travels with each question of the problem, byte for byte, in both exports', () => {
    expect(JSON.parse(config.toString()).vocab_size).toBe(32000);
    expect(own.map((g) => g.questions.length)).toEqual([1, 1, 1, 1]);
    for (const g of own) expect(Buffer.from(g.questions[0]!.model!.bytes).equals(config), g.title).toBe(true);
    const questions: any[] = list(parser.parse(moodleXml(set, groups)).quiz.question).filter((q) => q['@_type'] !== 'category');
    const ownQuestions = questions.filter((q) => q.idnumber.startsWith('llm/own-config#'));
    expect(ownQuestions).toHaveLength(4);
    for (const q of ownQuestions) {
      expect(q.questiontext.file['@_name']).toBe('course-llm.json');
      expect(Buffer.from(q.questiontext.file['#text'], 'base64').equals(config)).toBe(true);
      expect(q.questiontext.text).toContain('<a href="@@PLUGINFILE@@/course-llm.json">course-llm.json</a>, attached to this question');
    }
    const files = unzipSync(qtiPackage(set, groups).zip);
    expect(Buffer.from(files['models/course-llm.json']!).equals(config)).toBe(true);
    expect(Buffer.from(files['models/cs336-gpt2-xl.json']!).equals(gpt2)).toBe(true);
    // A built-in model (llama-2-13b) is no file: its questions carry none.
    expect(groups.filter((g) => g.problem.id === 'llm/llama-13b-h100').every((g) => g.questions.every((q) => !q.model))).toBe(true);
  });
});
