/**
 * The student edition contains no answer anywhere: every file of the output (HTML, scripts,
 * JSON, CSS, the compressed search index) is scanned for every answer of every problem.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/engine/index.ts';
import { shippedProblems } from '../helpers/problems.ts';
import { buildSite, textOf, type BuiltSite } from '../helpers/site.ts';
import { loadProblems } from '../../src/cli/problems.ts';
import { entryPick, keyEntries, problemSet, solveProblem } from '../../src/publish/sets.ts';
import { renderSetPdfs } from '../../src/publish/set-pdfs.ts';

let student: BuiltSite;
let contents: { file: string; text: string }[];

beforeAll(async () => {
  student = await buildSite({ edition: 'student' });
  contents = student.files().flatMap((file) => {
    const bytes = readFileSync(join(student.dir, file));
    if (/\.(woff2?|ttf|png|jpg|ico)$/.test(file)) return [];
    // Pagefind's index files are gzip streams; read what they hold.
    const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    return [{ file, text: (isGzip ? gunzipSync(bytes) : bytes).toString('utf8') }];
  });
});

/** The ways a number can be written in the output: 99,338 / 99338 / 99{,}338 (TeX). */
function spellings(value: number): string[] {
  const grouped = formatNumber(value);
  return [...new Set([grouped, grouped.replace(/,/g, ''), grouped.replace(/,/g, '{,}')])];
}

/**
 * Numbers that are an answer of a problem and, for an unrelated reason, text of another file:
 * each names the files and why, so the scan skips exactly those and nothing else.
 */
// The chapter's page, its search fragment, and the search index's word list (every page's words;
// a leak on a problem page would still show in that page and its fragment).
const chapterLayers = (c: { file: string; text: string }) =>
  c.file === 'chapters/layers/index.html' ||
  (c.file.startsWith('pagefind/fragment/') && c.text.includes('/chapters/layers/')) ||
  c.file.startsWith('pagefind/index/');
// A page script's module: Astro's (its import of the prebuilt bundle, or the script itself when the
// build bundled it) and the prebuilt entries (src/site/client-prebuild.ts: practice, analyzer).
const PAGE_SCRIPT = /^_astro\/(.*astro_type_script.*|practice\.[\w-]+|analyzer\.[\w-]+)\.js$/;
const practiceScript = (c: { file: string }) => PAGE_SCRIPT.test(c.file);
const chapterServing = (c: { file: string; text: string }) =>
  c.file === 'chapters/serving/index.html' ||
  (c.file.startsWith('pagefind/fragment/') && c.text.includes('/chapters/serving/')) ||
  c.file.startsWith('pagefind/index/');
const COINCIDENCES: { value: number; where: (c: { file: string; text: string }) => boolean; why: string }[] = [
  // Intermediate steps of a practice variant's derivation (not its answers, which generation keeps
  // apart from the homework's) that happen to equal a homework figure of the same problem.
  {
    value: 442_368,
    where: (c) => c.file.startsWith('variants/lectures/alexnet-params/'),
    why: "a variant's grouped convolution before the division by its 2 groups, c_o·c_i·k² (e.g. 128·384·9), equals the lecture's conv5 count 256·384·9/2",
  },
  {
    value: 307_200,
    where: (c) => c.file.startsWith('variants/lectures/alexnet-params/'),
    why: "a variant's grouped conv2 before the division by its 2 groups (192·64·25 = 307,200 for variant 4's 153,600) equals the lecture's conv2 count 256·48·25",
  },
  {
    value: 223_948_800,
    where: (c) => c.file.startsWith('variants/lectures/alexnet-macs/'),
    why: "a variant's grouped convolution MACs before the division by its 2 groups equal the lecture's conv2 MACs",
  },
  {
    value: 1_200,
    where: (c) => c.file.startsWith('variants/notes/lenet-operations/'),
    why: "a variant's fc3 term in the sum of operations (a 4-digit count) equals the notes' pool2 comparisons, 16·5·5·3",
  },
  {
    value: 301_989_888,
    where: chapterLayers,
    why: "the chapter's Linear(768 → 3072) on 128 tokens has 128·768·3072 MACs, which equals BERT's attention matmuls, 12·2·12·128²·64",
  },
  {
    value: 2_359_296,
    where: chapterLayers,
    why: "the chapter's Linear(768 → 3072) has 768·3072 weights, which equals the bytes of a 256 × 256 × 3 × 3 ResNet kernel, 256·256·9·4",
  },
  {
    value: 524_288,
    where: practiceScript,
    why: "the STM32F446RE profile's 512 KiB of flash, in the engine data of the practice script; equals ResNet's layer4.0.downsample weight bytes",
  },
  {
    value: 131_072,
    where: practiceScript,
    why: "the STM32F446RE profile's 128 KiB of SRAM, in the engine data of the practice script; equals a 128 × 256 fp32 weight matrix",
  },
  {
    value: 32_768,
    where: (c) => /^_astro\/(_?analyze_?\.astro_astro_type_script.*|analyzer\.[\w-]+)\.js$/.test(c.file),
    why: "d3-color's named colour green (0x008000), in Observable Plot, which the analyzer page's script carries to draw its charts; equals a 32 × 256 fp32 weight matrix",
  },
  // The serving chapter's language models are sized in powers of two, as ResNet-18's weights are.
  {
    value: 524_288,
    where: chapterServing,
    why: "Llama-2-7B's KV cache per token, 2·32·32·128·2 B = 2^19, equals ResNet-18's layer4.0.downsample weight bytes, 512·256·4 (lab1/resnet18)",
  },
  {
    value: 147_456,
    where: chapterServing,
    why: "2·18·256·16 bits = 147,456 bits in Gemma-2B's KV-cache derivation (before the division by 8) equals a ResNet-18 3×3 kernel's weight bytes, 64·64·9·4",
  },
  {
    value: 32_768,
    where: chapterServing,
    why: "Mistral-7B's context of 32,768 tokens (2^15) in the chapter's sliding-window example equals ResNet-18's layer2.0.downsample weight bytes, 128·64·4",
  },
  {
    value: 16_777_216,
    where: (c) => /^_astro\/[^/]+\.js$/.test(c.file) && !PAGE_SCRIPT.test(c.file),
    why: "2^24, the Hugging Face importer's limit on a config's sizes, a constant in the engine's code (in whichever chunk the bundler puts it); equals AlexNet's fc7, 4096·4096",
  },
];

/** Third-party code (Pagefind's and KaTeX's scripts) holds numeric constants, not content; Pagefind's index files are scanned. */
const LIBRARY_CODE = /^(pagefind\/[^/]+\.js|_astro\/katex\.[^/]+\.js)$/;

/**
 * A variant page shows a randomized variant's numbers, practice values that main's variant
 * generation keeps from repeating its own problem's answers; a coincidence with another problem's
 * answer says nothing about it, so a variant page is scanned for its own problem's answers only.
 */
const variantOf = (file: string) => /^variants\/(.+)\/[^/]+\/index\.html$/.exec(file)?.[1];

/**
 * Answers under 1,000 (receptive fields, output sides, a layer's few parameters) are digits that
 * turn up everywhere (CSS, page numbers, other examples); the scan reads them on the problem's own
 * page, where a leak would be.
 */
const SMALL = 1000;

const problems = shippedProblems();
const stated = new Set(problems.flatMap((p) => p.givens));
const answers = problems.flatMap((p) => p.answers.map((a) => ({ ...a, file: p.file })));

describe('student edition', () => {
  it('has no authoring guide (for instructors: the solutions edition only), and no link to it', () => {
    expect(student.files().filter((f) => f.startsWith('guides/'))).toEqual([]);
    expect(student.page('/')).not.toContain('/guides/');
    expect(student.page('/')).toMatch(/<a href="\/models\/"[^>]*>Models<\/a>/);
  });

  it('has the problems, with blanks where the answers go', () => {
    const html = student.page('/problems/hw1/q1/');
    expect(html).toContain('answer--blank');
    expect(html).not.toContain('class="derivation"');
    expect(html).not.toContain('Erratum');
    expect(textOf(html)).toContain('Find the total parameter storage required, in bytes.');
  });

  it('figure tables keep the measurements (data) and blank every computed cell; the GEMM table is left out', () => {
    const html = student.page('/problems/lab1/mlp-batch/');
    expect(html).toContain('answer-blank--cell');
    expect(html).not.toMatch(/<td class="num" data-answer=/);
    expect(textOf(html)).toContain('0.16933');
    expect(student.page('/problems/lab1/bert/')).not.toContain('data-table="gemms"');
  });

  it('the analyzer page offers no built-in model: their figures are answers; it computes only what a student brings', () => {
    const html = student.page('/analyze/');
    expect(html).toContain('(none in this edition)');
    expect(html).toMatch(/<script type="application\/json" id="analyzer-data">\{"zoo":\[\],"llm":\[\]\}<\/script>/);
  });

  it('finds answers to look for (the scan is not vacuous)', () => {
    expect(answers.length).toBeGreaterThanOrEqual(12);
    const searched = answers.filter((a) => !stated.has(a.value));
    expect(searched.map((a) => a.value)).toEqual(expect.arrayContaining([98_816, 522, 99_338, 934_944, 3_739_776, 3_735_552, 7_168]));
  });

  it.each(answers.filter((a) => !stated.has(a.value)).map((a) => [a.file, a.name, a.value] as const))(
    'no output file contains %s %s = %d',
    (file, _name, value) => {
      const page = `${file.replace(/\.mdx$/, '')}/index.html`; // problems/lab1/bert.mdx -> its page
      // A small answer is looked for in the page's text: not in its inlined CSS (#9a4d00 is no 9).
      const scanned = Math.abs(value) < SMALL ? contents.filter((c) => c.file === page).map((c) => ({ ...c, text: textOf(c.text.replace(/<style[\s\S]*?<\/style>/g, '')) })) : contents;
      expect(scanned.length, `files scanned for ${value}`).toBeGreaterThan(0);
      for (const spelling of spellings(value)) {
        const pattern = new RegExp(`(?<![\\d.,{}])${spelling.replace(/[{}.,]/g, '\\$&')}(?![\\d{}]|,\\d)`);
        const hits = scanned
          .filter((c) => !LIBRARY_CODE.test(c.file))
          .filter((c) => variantOf(c.file) === undefined || `problems/${variantOf(c.file)}.mdx` === file)
          .filter((c) => !COINCIDENCES.some((k) => k.value === value && k.where(c)))
          .filter((c) => pattern.test(c.text))
          .map((c) => c.file);
        expect(hits, `${spelling} found in`).toEqual([]);
      }
    },
  );

  it('the latency answer 46.6944 (a real number) is nowhere', () => {
    expect(contents.filter((c) => c.text.includes('46.6944')).map((c) => c.file)).toEqual([]);
  });

  it('the same scan finds the answers in the solutions edition (the scan works)', async () => {
    const solutions = await buildSite();
    const html = solutions.page('/problems/hw1/q1/');
    expect(html).toMatch(/(?<![\d.,{}])99,338(?![\d{}]|,\d)/);
    expect(html).toMatch(/(?<![\d.,{}])522(?![\d{}]|,\d)/);
    // A whole build in the test's body: room on a shared 2-core machine, as the build hooks have.
  }, 300_000);
});

describe('student edition: yes/no answers and <Choice>', () => {
  const roofline = problemSet('lectures-cost', loadProblems()).problems.find((p) => p.id === 'lectures/roofline')!;
  const picked = keyEntries(roofline, solveProblem(roofline)).filter((e) => entryPick(e) !== undefined);

  it('asks them, and shows no decision, no pick and no figure of theirs on the problem and set pages', () => {
    // The bound questions are word answers (memory- or compute-bound), picked like the yes/no ones.
    expect(picked.map((e) => entryPick(e))).toEqual(['memory-bound', 'no', 'op6', 'compute-bound', 'memory-bound', 'yes']);
    // The problem's own page has the checker (it has no params): radios to check, nothing shown.
    const own = student.page('/problems/lectures/roofline/');
    for (const e of picked) expect(textOf(own)).toContain(e.title);
    expect(own.match(/class="answer answer--practice"/g)?.length).toBeGreaterThanOrEqual(3);
    expect(own).toContain('data-fixed');
    expect(own).not.toMatch(/data-right|\(the answer\)|The answer: |class="reveal"/);
    expect(textOf(own)).not.toMatch(/\b(Yes|No): /);
    for (const e of picked) expect(textOf(own), e.display).not.toContain(e.display.replace(/^\S+ \((.*)\)$/, '$1'));
    const pages = ['/sets/lectures-cost/handout/', '/sets/lectures-cost/solutions/'];
    for (const url of pages) {
      const html = student.page(url);
      const text = textOf(html);
      // Asked: the questions are there, yes/no and the options as blanks to choose from.
      for (const e of picked) expect(text, url).toContain(e.title);
      expect(html, url).toContain('answer--choice');
      expect(text, url).toContain('yes / no');
      // Not answered: no 'Yes: …'/'No: …' verdict, no marked option, no option's figure, no key.
      expect(text, url).not.toMatch(/\b(Yes|No): /);
      expect(html, url).not.toMatch(/data-right|data-pick|\(the answer\)|The answer: /);
      for (const e of picked) expect(text, `${url}: ${e.display}`).not.toContain(e.display.replace(/^\S+ \((.*)\)$/, '$1'));
    }
    expect(student.files()).not.toContain('sets/lectures-cost/key/index.html');
  });

  it('no page has a KaTeX error', () => {
    const pages = student.files().filter((f) => f.endsWith('.html'));
    expect(pages.filter((f) => readFileSync(join(student.dir, f), 'utf8').includes('katex-error'))).toEqual([]);
  });
});

/**
 * The set PDFs of a student-edition build (`WORKBOOK_EDITION=student npm run pdf`) are printed from
 * its own set pages: the handout and the solutions, whose answers are blanks (there is no key page).
 * Their text, read with pdftotext, is scanned for the homework's answers as the files above are,
 * and for every line of the set's key as the solutions edition displays it.
 */
describe('student edition: set PDFs', () => {
  const SETS = ['hw1', 'lectures-cost'];
  let pdfs: { file: string; set: string; text: string }[] = [];

  beforeAll(async () => {
    const written = await renderSetPdfs(student.dir, () => {}, { sets: SETS });
    pdfs = written.map((file) => ({
      file,
      set: /sets\/([^/]+)\//.exec(file)![1]!,
      text: execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' '),
    }));
  }, 300_000);

  it('are the handout and the solutions of each set in A4 and Letter, with their questions', () => {
    expect(pdfs.map((p) => p.file.replace(/^.*\//, '')).sort()).toEqual(
      SETS.flatMap((set) => ['handout', 'solutions'].flatMap((form) => ['a4', 'letter'].map((paper) => `${set}-${form}-${paper}.pdf`))).sort(),
    );
    for (const p of pdfs.filter((x) => x.set === 'hw1')) expect(p.text, p.file).toContain('Find the total parameter storage required, in bytes.');
  });

  it("hold none of the homework's answers (the answer list above)", () => {
    const hw1 = answers.filter((a) => a.file.startsWith('problems/hw1/') && !stated.has(a.value));
    expect(hw1.map((a) => a.value)).toEqual(expect.arrayContaining([99_338, 934_944, 3_739_776, 3_735_552, 7_168]));
    const hits = answers
      .filter((a) => !stated.has(a.value) && Math.abs(a.value) >= SMALL)
      .flatMap((a) => spellings(a.value).flatMap((spelling) => {
        const pattern = new RegExp(`(?<![\\d.,])${spelling.replace(/[{}.,]/g, '\\$&')}(?![\\d]|,\\d)`);
        return pdfs.filter((p) => pattern.test(p.text)).map((p) => `${a.file} ${a.name} ${spelling} in ${p.file}`);
      }));
    expect(hits).toEqual([]);
    expect(pdfs.filter((p) => p.text.includes('46.6944') || /46\.7 ms/.test(p.text)).map((p) => p.file)).toEqual([]);
  });

  it('hold no line of their set\'s key as displayed (figures, yes/no, the choice)', () => {
    const problems = loadProblems();
    for (const set of SETS) {
      const entries = problemSet(set, problems).problems.flatMap((p) => keyEntries(p, solveProblem(p)));
      expect(entries.length).toBeGreaterThan(5);
      for (const p of pdfs.filter((x) => x.set === set)) {
        for (const e of entries) expect(p.text.includes(e.display), `${p.file}: ${e.display}`).toBe(false);
      }
    }
  });
});
