/**
 * A problem's MDX read outside Astro (src/publish/document.ts): which question each answer
 * belongs to, with the props that select its figure; a question's statement as HTML for an LMS,
 * the author's text escaped and math left as TeX for MathJax, figures and errata left out.
 */
import { describe, expect, it } from 'vitest';
import { loadProblems } from '../../src/cli/problems.ts';
import { questionHtml, readDocument } from '../../src/publish/document.ts';
import { documentOf, keyEntries, problemSet, solveProblem } from '../../src/publish/sets.ts';
import { askedLabel } from '../../src/workbook/variants/index.ts';

const problems = loadProblems();

describe('reading a problem', () => {
  it('maps each answer to its question, in page order', () => {
    const q1 = problems.find((p) => p.id === 'hw1/q1')!;
    expect(documentOf(q1).answers.map((a) => `${a.question}:${a.of}`)).toEqual([
      'a:weights', 'a:biases', 'a:params', 'a:paramBytes', 'b:macs', 'c:sramBytes',
    ]);
  });

  it('keeps the props that select a figure, and the author title, apart from of and expect', () => {
    const space = problems.find((p) => p.id === 'notes/lenet-space')!;
    const first = documentOf(space).answers[0]!;
    expect(first).toEqual({ of: 'outputHeight', select: { layer: 'conv1' }, title: 'Output side of conv1', question: 'a' });
    const ops = documentOf(problems.find((p) => p.id === 'notes/lenet-operations')!).answers;
    expect(ops[2]).toMatchObject({ of: 'ops', select: { layer: 'conv1', profile: 'seed001-fma' }, question: 'b' });
  });

  it('every shipped problem reads, with one asked answer per <Answer> tag (a <Value> is not asked)', () => {
    for (const p of problems) {
      const asked = documentOf(p).answers;
      expect(asked.length, p.id).toBe(p.body.match(/<Answer\b/g)?.length ?? 0);
      // Each is among the figures a variant must not repeat, with the props that select it.
      const figures = p.answers.map(askedLabel);
      for (const a of asked) expect(figures, p.id).toContain(askedLabel(Object.keys(a.select).length > 0 ? { of: a.of, select: a.select } : { of: a.of }));
    }
  });

  it('an attribute it cannot read is an error naming the file and line', () => {
    expect(() => readDocument('Text.\n\n<Answer of="params" layer={someVariable} />\n', 'problems/x/y.mdx')).toThrow(
      'problems/x/y.mdx:3: <Answer layer={someVariable}>: only a number, a string or true/false can be read here',
    );
  });
});

describe('a question as HTML', () => {
  const q1 = problems.find((p) => p.id === 'hw1/q1')!;
  const solved = solveProblem(q1);

  it('is the intro, then the question, with the network described and TeX for MathJax', () => {
    const html = questionHtml(documentOf(q1), 'a', solved);
    expect(html).toContain('<p>Consider a fully connected network with 120 inputs, two hidden layers with 256 units each, and 10 outputs.');
    expect(html).toContain('stored as 8-bit values.');
    expect(html).toContain('<p>Layer widths: 120 → 256 → 256 → 10</p><p><strong>(a)</strong></p><p>Find the total parameter storage required, in bytes.</p>');
    expect(html).toContain('\\(|W_i| = n_{i-1} \\, n_i\\)');
    // No figure: no answer, no erratum (which prints the bias count).
    expect(html).not.toMatch(/99,338|99338|522|Erratum/);
    expect(html).not.toContain('How many MACs');
  });

  it("escapes the author's text: it is data, not markup", () => {
    const doc = readDocument('A & B say "5 < 6" with `<b>` and $a<b$.\n\n<Question label="a">\nWhy?\n<Answer of="params" />\n</Question>\n', 'x.mdx');
    const html = questionHtml(doc, 'a', solved);
    expect(html).toBe('<p>A &amp; B say &quot;5 &lt; 6&quot; with <code>&lt;b&gt;</code> and \\(a&lt;b\\).</p><p><strong>(a)</strong></p><p>Why?</p>');
  });
});

describe('sets', () => {
  it('lists a set in order, and refuses an unknown set naming the sets', () => {
    expect(problemSet('hw1', problems).problems.map((p) => p.id)).toEqual(['hw1/q1', 'hw1/q2']);
    expect(() => problemSet('hw2', problems)).toThrow("unknown set 'hw2'; sets: hw1, notes, lab1, lectures, lectures-cost");
  });

  it("the key gives each answer as displayed: counts exact, times to 3 significant digits", () => {
    const q2 = problems.find((p) => p.id === 'hw1/q2')!;
    expect(keyEntries(q2, solveProblem(q2)).map((e) => `(${e.question}) ${e.title}: ${e.display}`)).toEqual([
      `(a) Parameters: ${(1280 * 512 + 512 + 512 * 512 + 512 + 512 * 32 + 32).toLocaleString('en-US')}`,
      `(a) Parameter storage: ${(934_944 * 4).toLocaleString('en-US')} B`,
      `(b) Multiply-accumulates per inference: ${(1280 * 512 + 512 * 512 + 512 * 32).toLocaleString('en-US')} MACs`,
      `(b) Cycles per inference: ${(933_888 * 4).toLocaleString('en-US')} cycles`,
      '(b) Latency per inference: 46.7 ms', // 3,735,552 cycles / 80 MHz = 46.6944 ms
      // The largest consecutive pair is the input and fc1's output, at 4 bytes each.
      `(c) Temporary storage (SRAM): ${((1280 + 512) * 4).toLocaleString('en-US')} B`,
    ]);
  });
});
