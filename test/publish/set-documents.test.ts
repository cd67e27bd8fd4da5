/**
 * Set documents (/sets/<set>/...), their PDFs and the per-student handouts, on one build of the
 * solutions edition: the answer key holds every answer and the handout none, in HTML and in the
 * PDFs (read with pdftotext); A4 and Letter with the set title and page numbers; nothing wider
 * than the printed page; a student's sheet and PDF hold their variant and no answer.
 * (The student edition's set pages are in the student-edition scan, with every other file.)
 * To keep CI short, PDFs are made for one set (HW1) with one browser.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { loadProblems } from '../../src/cli/problems.ts';
import { formatNumber } from '../../src/engine/index.ts';
import { answerFigure } from '../../src/workbook/answers.ts';
import { variantOf } from '../../src/workbook/variants/index.ts';
import { gradedSeed } from '../../src/publish/secret.ts';
import { scanForSecret } from '../helpers/secret-scan.ts';
import { mlpPhrase } from '../../src/site/describe.ts';
import { courseSets, documentOf, entryPick, entryTitle, keyAnswerOf, keyEntries, problemSet, solveProblem } from '../../src/publish/sets.ts';
import { displayFigure } from '../../src/workbook/grading/precision.ts';
import { lmsGroups } from '../../src/publish/lms.ts';
import { renderSetPdfs } from '../../src/publish/set-pdfs.ts';
import { contentWidthPx, fitToPaper, launchBrowser, SITE_ORIGIN, siteContext } from '../../src/publish/pdf.ts';
import { buildSite, textOf, type BuiltSite } from '../helpers/site.ts';

// The build runs with the course secret set (it must not read it); handouts are keyed by it.
const SECRET = 'set-documents-secret-0123456789';
process.env.WORKBOOK_SECRET = SECRET;

let site: BuiltSite;
let browser: Browser;
let page: Page;
const hw1 = problemSet('hw1', loadProblems());
/** Every answer of HW1 as the key displays it: `99,338 B`, `46.7 ms`. */
const answers = hw1.problems.flatMap((p) => keyEntries(p, solveProblem(p)));

beforeAll(async () => {
  site = await buildSite();
  await renderSetPdfs(site.dir, () => {}, { sets: ['hw1'] });
  browser = await launchBrowser();
  page = await (await siteContext(browser, site.dir)).newPage();
});

afterAll(async () => {
  await browser?.close();
});

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', join(site.dir, 'sets/hw1', file), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
/** The ways an answer shows: as displayed with its unit, and its number alone when that is long enough not to be a given (512). */
const shown = (display: string) => [display, ...(/^[\d,.]{5,}/.test(display) ? [display.replace(/ .*/, '')] : [])];
/** A displayed answer found in text, not inside a longer number. */
const has = (text: string, display: string) => new RegExp(`(?<![\\d.,])${display.replace(/[.()]/g, '\\$&')}(?![\\d]|,\\d)`).test(text);

describe('set pages', () => {
  it('the answer key is one table with every answer of the set, as displayed, with its unit', () => {
    const html = site.page('/sets/hw1/key/');
    expect(html.match(/<table/g)).toHaveLength(1);
    const text = textOf(html);
    expect(answers.map((a) => a.display)).toEqual(expect.arrayContaining(['99,338 B', '46.7 ms', '3,739,776 B', '7,168 B', '98,816 MACs']));
    for (const a of answers) expect(has(text, a.display), a.display).toBe(true);
    expect(html.match(/<tr data-problem=/g)).toHaveLength(answers.length);
  });

  it('the handout has every question and no answer; the solutions have the answers', () => {
    const handout = textOf(site.page('/sets/hw1/handout/'));
    expect(handout).toContain('Find the total parameter storage required, in bytes.');
    expect(handout).toContain('How much parameter storage does this model need?');
    for (const a of answers) for (const form of shown(a.display)) expect(has(handout, form), form).toBe(false);
    expect(site.page('/sets/hw1/handout/')).not.toContain('Erratum');
    const solutions = textOf(site.page('/sets/hw1/solutions/'));
    for (const a of answers.filter((a) => a.figure.unit !== 'ms')) expect(has(solutions, a.display.replace(/ .*/, '')), a.display).toBe(true);
  });

  it('renders each problem with its own context: two problems, two networks, unique ids', () => {
    const html = site.page('/sets/hw1/solutions/');
    expect(textOf(html)).toContain('120 inputs, two hidden layers with 256 units each, and 10 outputs');
    expect(textOf(html)).toContain('1,280 inputs, two hidden layers with 512 units each, and 32 outputs');
    for (const form of ['handout', 'solutions', 'key', 'student']) {
      const ids = [...site.page(`/sets/hw1/${form}/`).matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
      expect(ids.length, form).toBe(new Set(ids).size);
    }
  });

  it('one figure, shown one way: every answer of the course reads the same on its problem page, the key page, key.json/key.csv and both LMS exports', () => {
    const problems = loadProblems();
    let answersChecked = 0;
    for (const { id } of courseSets()) {
      const set = problemSet(id, problems);
      const keyRows = [...site.page(`/sets/${id}/key/`).matchAll(/<tr data-problem="([^"]+)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => [m[1], textOf(m[2]!)] as const);
      // The exports' questions of the homework itself (a problem without params is its own one variant).
      const lms = new Map(lmsGroups(set, 1, SECRET).flatMap((g) => g.questions.filter((q) => q.seed === 0).map((q) => [`${q.problem.id} ${q.entry.answer.question} ${entryTitle(q.entry)}`, q] as const)));
      for (const p of set.problems) {
        const entries = keyEntries(p, solveProblem(p));
        const shown = [...site.page(`/problems/${p.id}/`).matchAll(/<strong class="answer-value">([\s\S]*?)<\/strong>/g)].map((m) => textOf(m[1]!));
        const rows = keyRows.filter(([problem]) => problem === p.id);
        expect(rows.length, p.id).toBe(entries.length);
        for (const [i, e] of entries.entries()) {
          const figure = displayFigure(e.figure);
          // The problem page: the figure as displayed (1.50 ms, never 1.4975556 ms), alone or beside its verdict.
          expect(shown.some((t) => t === figure || t.endsWith(` ${figure})`)), `${p.id}: ${figure} in ${JSON.stringify(shown)}`).toBe(true);
          // The key page and the key files: the same display string.
          expect(rows[i]![1], p.id).toContain(e.display);
          expect(keyAnswerOf(e).display).toBe(e.display);
          expect(e.display === figure || e.display.endsWith(`(${figure})`), e.display).toBe(true);
          const q = lms.get(`${p.id} ${e.answer.question} ${entryTitle(e)}`);
          if (q) expect(q.feedbackHtml, p.id).toContain(`<p>Answer: ${e.display}</p>`);
          answersChecked++;
        }
      }
    }
    expect(answersChecked).toBeGreaterThan(100);
  });

  it("the answer key has the yes/no answers and the <Choice>, each the engine's pick (lectures-cost: the roofline)", () => {
    const set = problemSet('lectures-cost', loadProblems());
    const picked = set.problems.flatMap((p) => keyEntries(p, solveProblem(p))).filter((e) => entryPick(e) !== undefined);
    expect(picked.filter((e) => e.answer.of !== 'bound').map((e) => entryPick(e))).toEqual(['no', 'op6', 'yes']);
    // The bounds (latency's two, the roofline's three) are word answers: the verdict the key shows.
    const bounds = picked.filter((e) => e.answer.of === 'bound');
    expect(bounds).toHaveLength(5);
    for (const e of bounds) expect(e.display.startsWith(`${entryPick(e)} (`), e.display).toBe(true);
    const html = site.page('/sets/lectures-cost/key/');
    const rows = [...html.matchAll(/<tr data-problem="([^"]+)" data-answer="(\w+)" data-pick="([^"]+)">([\s\S]*?)<\/tr>/g)];
    expect(rows.map((r) => [r[2], r[3]])).toEqual(picked.map((e) => [e.answer.of, entryPick(e)]));
    for (const [i, e] of picked.entries()) {
      const text = textOf(rows[i]![4]!);
      expect(text).toContain(e.title);
      expect(text).toContain(e.display);
    }
    // Shown as read: op6's 231 MFLOPs / 1.3 MB = 177.7 FLOP/B at 3 significant digits.
    expect(textOf(rows.find((r) => r[3] === 'op6')![4]!)).toContain('op6 (178 FLOP/B)');
  });

  it('no page has a KaTeX error (a display formula opened mid-line swallows the rest of its page into one)', () => {
    const pages = site.files().filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(50);
    expect(pages.filter((f) => readFileSync(join(site.dir, f), 'utf8').includes('katex-error'))).toEqual([]);
    // The chapter that had one now renders its roofline formulas.
    expect(site.page('/chapters/hardware/')).toMatch(/T_\\text\{memory\}/);
  });

  it('the set page links its forms and their PDFs only when they are built', () => {
    const html = site.page('/sets/hw1/');
    for (const form of ['handout', 'solutions', 'key']) expect(html).toContain(`/sets/hw1/${form}/`);
    expect(html).not.toContain('.pdf');
  });
});

describe('set PDFs (HW1)', () => {
  it('the key PDF has every answer; the handout PDFs have none', () => {
    const key = pdfText('hw1-key-a4.pdf');
    for (const a of answers) expect(has(key, a.display), a.display).toBe(true);
    for (const paper of ['a4', 'letter']) {
      const handout = pdfText(`hw1-handout-${paper}.pdf`);
      expect(handout).toContain('Find the total parameter storage required, in bytes.');
      for (const a of answers) for (const form of shown(a.display)) expect(has(handout, form), `${paper}: ${form}`).toBe(false);
    }
    // KaTeX is rendered (text, not TeX source) in the solutions.
    const solutions = pdfText('hw1-solutions-a4.pdf');
    expect(solutions).toContain('99,338');
    expect(solutions).not.toContain('\\begin{aligned}');
  });

  it('A4 and Letter, with the set title and "Page n of m" on every page', () => {
    for (const [paper, size] of [['a4', /Page size:\s+595\.92 x 842\.88 pts/], ['letter', /Page size:\s+612 x 792 pts/]] as const) {
      for (const form of ['handout', 'solutions', 'key']) {
        const file = join(site.dir, 'sets/hw1', `hw1-${form}-${paper}.pdf`);
        const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
        expect(info, `${form} ${paper}`).toMatch(size);
        const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
        const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
        expect(text).toHaveLength(pages);
        text.forEach((p, i) => {
          expect(p, `${form} ${paper} page ${i + 1}`).toContain(`Page ${i + 1} of ${pages}`);
          expect(p).toContain('Homework 1: fully connected networks');
        });
      }
    }
  });
});

describe('nothing clipped on paper', () => {
  // A4 less the PDF's margins; the PDFs are made after the same fitting step (pdf.ts).
  const CONTENT_WIDTH = contentWidthPx('a4');
  for (const set of courseSets().map((s) => s.id)) {
    for (const form of ['handout', 'solutions', 'key']) {
      it(`${set} ${form}: no element wider than the printed page, no scroller`, async () => {
        await page.goto(`${SITE_ORIGIN}/sets/${set}/${form}/`, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        await fitToPaper(page, 'a4');
        const overflowing = await page.evaluate((width) => {
          const out: string[] = [];
          for (const el of document.querySelectorAll<HTMLElement>('.set-document *')) {
            // MathML for screen readers and visually hidden labels are clipped to 1 px on purpose.
            // SVG shapes are clipped by their <svg> (KaTeX's stretchy braces), which is checked itself.
            if (el.closest('.katex-mathml, .visually-hidden') || (el instanceof SVGElement && el.tagName !== 'svg')) continue;
            const box = el.getBoundingClientRect();
            if (box.width === 0) continue;
            const scrolls = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible';
            // 3 px of slack (0.8 mm, inside the 16 mm margin): KaTeX ends a subscript with an empty
            // 2 px strut (.vlist-s) that may poke past the line when the formula ends the line.
            if (box.right > width + 3 || box.left < -1 || scrolls) out.push(`${el.tagName}.${el.className} ${Math.round(box.left)}..${Math.round(box.right)}${scrolls ? ' scrolls' : ''}`);
          }
          return out;
        }, CONTENT_WIDTH);
        expect(overflowing).toEqual([]);
      });
    }
  }
});

describe('the course secret', () => {
  it('is nowhere in the build made with it set: no file, compressed or not, nor the search index', () => {
    const found = scanForSecret(site.dir, SECRET);
    expect(found.scanned).toBeGreaterThan(100);
    expect(found.searchIndexFiles).toBeGreaterThan(0);
    expect(found.hits).toEqual([]);
  });
});

describe("a student's sheet and handouts", () => {
  /** A student's graded variants (their handout's), keyed by the secret. */
  const variants = (student: string) =>
    hw1.problems.map((p) => {
      const v = variantOf(p, gradedSeed(SECRET, 'hw1', student, p.id), { domain: 'graded' });
      return { p, v, answers: documentOf(p).answers.map((a) => answerFigure(v.ctx, a.of, p.file, a.select).value) };
    });

  it("the sheet poses the variants `workbook handouts` gives it, the student's name beside the id, and no answer", async () => {
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${SITE_ORIGIN}/sets/hw1/student/?student=Alice`, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof window.workbookShowStudent === 'function');
    // The address alone poses nothing: the page cannot draw a graded variant.
    expect(await page.locator('[data-student-sheet]').getAttribute('data-student')).toBeNull();
    const given = Object.fromEntries(variants('Alice').map(({ p, v }) => [p.id, { seed: v.seed, values: v.values }]));
    await page.evaluate((g) => window.workbookShowStudent!('Alice', 'Alice <b>A</b>', g), given);
    expect(await page.locator('[data-student-id]').textContent()).toBe('Alice');
    // A roster is data: the name is text, never HTML.
    expect(await page.locator('[data-student-name]').textContent()).toBe('Alice <b>A</b>');
    expect(await page.locator('[data-student-name] b').count()).toBe(0);
    for (const { p, v, answers } of variants('Alice')) {
      const section = page.locator(`[data-problem="${p.id}"]`);
      expect(await section.getAttribute('data-seed')).toBe(String(v.seed));
      const widths = [v.values.n0!, v.values.h1!, v.values.h2!, v.values.n3!];
      expect(await section.locator('[data-network="inline"]').textContent()).toBe(mlpPhrase(widths));
      const text = (await section.textContent())!.replace(/\s+/g, ' ');
      for (const value of answers.filter((x) => x >= 1000)) expect(has(text, formatNumber(value)), `${p.id}: ${value}`).toBe(false);
    }
  });

  it("on paper the sheet's answer boxes are lines and options to tick: no input frame, no fieldset frame (llm: numbers and a yes/no)", async () => {
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${SITE_ORIGIN}/sets/llm/student/`, { waitUntil: 'load' });
    const styles = await page.evaluate(() => {
      const css = (e: Element) => getComputedStyle(e);
      return {
        inputs: [...document.querySelectorAll('.set-document--student .answer-field input')].map((e) => [css(e).borderTopWidth, css(e).borderBottomWidth, css(e).borderBottomLeftRadius]),
        fields: [...document.querySelectorAll('.set-document--student .answer-field')].map((e) => css(e).columnGap),
        choices: [...document.querySelectorAll('.set-document--student .answer-choices')].map((e) => [css(e).borderTopWidth, css(e).borderBottomWidth, css(e).paddingLeft]),
      };
    });
    await page.emulateMedia({ media: 'screen' });
    // decode-practice (a) 1 and (b) 3, gqa-practice (a) 1, (b) 2 and (c) 2: 9 numbers; decode-practice (c): one yes/no.
    expect(styles.inputs.length).toBe(1 + 3 + 1 + 2 + 2);
    // A line under the blank (1.5px, drawn as a device pixel), no frame, square ends.
    for (const [top, bottom, radius] of styles.inputs) expect([top, parseFloat(bottom!) >= 1, radius]).toEqual(['0px', true, '0px']);
    expect(styles.fields.every((g) => g !== 'normal' && parseFloat(g) > 0)).toBe(true);
    expect(styles.choices).toEqual([['0px', '0px', '0px']]);
  });

  it('workbook handouts: a PDF per student with their variant and no answer, and the key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'workbook-handouts-'));
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, 'name,id\nAlice A,Alice\n"Bob, B",Bob@Example.edu\n');
    const out = join(dir, 'out');
    let said = '';
    const code = await run(['handouts', '--set', 'hw1', '--roster', roster, '--out', out, '--dist', site.dir, '--paper', 'letter'], { out: (t) => (said += t), err: (t) => (said += t) });
    expect(said).toMatch(/2 PDFs and key\.csv, key\.json/);
    expect(code).toBe(0);
    for (const [student, name] of [['Alice', 'Alice A'], ['Bob@Example.edu', 'Bob, B']] as const) {
      // The file keeps the id's case.
      const file = join(out, `${student}.pdf`);
      expect(existsSync(file)).toBe(true);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
      expect(text).toContain(`Student: ${student} ${name}`);
      for (const { v, answers } of variants(student)) {
        expect(text).toContain(mlpPhrase([v.values.n0!, v.values.h1!, v.values.h2!, v.values.n3!]));
        for (const value of answers.filter((x) => x >= 1000)) expect(has(text, formatNumber(value)), `${student}: ${value}`).toBe(false);
      }
    }
    const key = JSON.parse(readFileSync(join(out, 'key.json'), 'utf8'));
    expect(key.students.map((s: { student: string; name: string }) => [s.student, s.name])).toEqual([['Alice', 'Alice A'], ['Bob@Example.edu', 'Bob, B']]);
    for (const s of key.students) {
      for (const [i, { p, v, answers }] of variants(s.student).entries()) {
        expect(s.problems[i].problem).toBe(p.id);
        expect(s.problems[i].seed).toBe(v.seed);
        expect(s.problems[i].answers.map((a: { value: number }) => a.value)).toEqual(answers);
      }
    }
    const csv = readFileSync(join(out, 'key.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[0]).toMatch(/^student,name,hw1\/q1 seed,hw1\/q1 \(a\) Weights shown,hw1\/q1 \(a\) Weights exact,/);
    expect(csv[1]).toMatch(new RegExp(`^Alice,Alice A,${gradedSeed(SECRET, 'hw1', 'Alice', 'hw1/q1')},`));
    expect(csv[2]).toMatch(new RegExp(`^Bob@Example.edu,"Bob, B",${gradedSeed(SECRET, 'hw1', 'bob@example.edu', 'hw1/q1')},`));
    // Nor is the secret in anything handed out.
    expect(scanForSecret(out, SECRET).hits).toEqual([]);
  });
});
