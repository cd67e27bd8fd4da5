/**
 * Graded work stays graded, played as a student would, on the student edition of a course built
 * with the course secret set: HW1's problems twice, as a graded set (`graded: true`, as handed
 * out) and as an ungraded practice set, and `studentEdition: { analyzer: false, guide: false }`.
 *
 * - The student opens the practice page with their roster id, clicks every reveal control, and
 *   none of the figures of their handout's key (made with the secret, as `workbook handouts`
 *   makes it) is on the page. Classmates' ids likewise.
 * - The graded set's problem pages have nothing to reveal or check, no practice or variant page,
 *   and none of the class's key figures.
 * - No /analyze/, no guide: no page, no link, no search entry; the secret is in no file.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startPreview } from '../support/browser.mjs';
import { loadProblems } from '../../src/cli/problems.ts';
import { studentKeys } from '../../src/publish/handouts.ts';
import { problemSet } from '../../src/publish/sets.ts';
import { displayFigure } from '../../src/workbook/grading/precision.ts';
import { answerFigure } from '../../src/workbook/answers.ts';
import { isRandomized, studentSeed, variantOf } from '../../src/workbook/variants/index.ts';
import { solveProblem } from '../../src/publish/sets.ts';
import { buildSite, ROOT, type BuiltSite } from '../helpers/site.ts';
import { scanForSecret } from '../helpers/secret-scan.ts';

const SECRET = 'graded-browser-secret-0123456789';
const CLASS = ['S001', 'S002', 'S017', 'ada.lovelace', 'Grace.Hopper'].map((id, i) => ({ id, line: i + 2 }));

/**
 * The example course's HW1 as a graded set `hw1` and an ungraded copy `practice1`, each with the
 * notes' LeNet-5 latency problem too (no params: checked on its own page where ungraded).
 */
function gradedCourse(): string {
  const dir = mkdtempSync(join(tmpdir(), 'workbook-graded-'));
  mkdirSync(join(dir, 'problems/practice1'), { recursive: true });
  mkdirSync(join(dir, 'content'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'problems/hw1')).filter((n) => n.endsWith('.mdx'))) {
    cpSync(join(ROOT, 'problems/hw1', name), join(dir, 'problems/hw1', name));
    writeFileSync(join(dir, 'problems/practice1', name), readFileSync(join(ROOT, 'problems/hw1', name), 'utf8').replace(/^set: hw1$/m, 'set: practice1'));
  }
  const fixed = readFileSync(join(ROOT, 'problems/notes/lenet-latency.mdx'), 'utf8');
  writeFileSync(join(dir, 'problems/hw1/lenet-latency.mdx'), fixed.replace(/^set: notes$/m, 'set: hw1'));
  writeFileSync(join(dir, 'problems/practice1/lenet-latency.mdx'), fixed.replace(/^set: notes$/m, 'set: practice1'));
  writeFileSync(
    join(dir, 'content/course.yaml'),
    [
      'title: "A graded course"',
      'sets:',
      '  hw1: { title: "Homework 1", graded: true }',
      '  practice1: { title: "Practice for Homework 1" }',
      'studentEdition: { analyzer: false, guide: false }',
      '',
    ].join('\n'),
  );
  return dir;
}

const dir = gradedCourse();
let site: BuiltSite;
let preview: { url: string; stop: () => Promise<unknown> };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  process.env.WORKBOOK_SECRET = SECRET;
  site = await buildSite({ courseDir: dir, edition: 'student' });
  preview = await startPreview({ outDir: site.dir });
  browser = await launchChromium();
  page = await browser.newPage();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

/** A student's handout key, as `workbook handouts` writes it, for a set of this course. */
function handoutFigures(set: string, student: string): string[] {
  const problems = loadProblems(dir);
  const key = studentKeys(problemSet(set, problems, dir), [{ id: student, line: 2 }], SECRET)[0]!;
  return key.problems.flatMap((p) => p.answers.filter((a) => a.pick === undefined).map((a) => a.display));
}

/** A displayed figure found in text, not inside a longer number; a count's digits alone too. */
function shows(text: string, display: string): boolean {
  const forms = [display, ...(/^[\d,.]{5,}/.test(display) ? [display.replace(/ .*/, '')] : [])];
  return forms.some((f) => new RegExp(`(?<![\\d.,])${f.replace(/[.()]/g, '\\$&')}(?![\\d]|,\\d)`).test(text));
}

const pageText = async () => ((await page.locator('main').innerText()) ?? '').replace(/\s+/g, ' ');

describe('a student on the practice page with their roster id', () => {
  for (const { id } of CLASS) {
    it(`${id}: every reveal control clicked, none of their handout's figures on the page`, async () => {
      const problems = loadProblems(dir).filter((p) => p.data.set === 'practice1' && isRandomized(p.data));
      // Their handout is of the practice set's problems, made with the secret: what an
      // instructor who handed out this set per student would grade.
      const key = handoutFigures('practice1', id);
      expect(key.length).toBeGreaterThan(8);
      for (const p of problems) {
        await page.goto(`${preview.url}/practice/${p.id}/?student=${encodeURIComponent(id)}`);
        await page.waitForFunction(() => document.querySelector('.practice-body')?.getAttribute('data-seed') !== null);
        // The page's variant is the student's practice variant (?student=), nothing else.
        expect(await page.locator('.practice-body').getAttribute('data-seed')).toBe(String(studentSeed(id, p.id)));
        const reveals = page.locator('button.reveal');
        const count = await reveals.count();
        expect(count).toBeGreaterThan(0);
        for (let i = 0; i < count; i++) await reveals.nth(i).click();
        await expect.poll(() => page.locator('.katex').count()).toBeGreaterThan(0);
        const text = await pageText();
        // A figure the practice variant itself shows is no leak of the handout (two spaces can
        // meet in one figure); the test counts that such coincidences are rare.
        const practice = variantOf(p, studentSeed(id, p.id));
        const own = new Set(p.answers.map((a) => displayFigure(answerFigure(practice.ctx, a.of, p.file, a.select))));
        // The text read is the revealed page: the practice variant's own figures are in it.
        expect([...own].filter((d) => shows(text, d)).length, `${p.id}: revealed figures`).toBeGreaterThan(0);
        const checked = key.filter((d) => !own.has(d));
        expect(checked.length).toBeGreaterThan(key.length / 2);
        for (const display of checked) expect(shows(text, display), `${p.id} for ${id} shows ${display} of their handout`).toBe(false);
      }
    });
  }
});

describe('the student edition of a graded set', () => {
  const problems = () => loadProblems(dir).filter((p) => p.data.set === 'hw1');

  it('its problem pages show the questions, with nothing to reveal or check, and none of the class\'s handout figures', async () => {
    const figures = CLASS.flatMap(({ id }) => handoutFigures('hw1', id));
    expect(figures.length).toBeGreaterThan(40);
    for (const p of problems()) {
      await page.goto(`${preview.url}/problems/${p.id}/`);
      const article = page.locator('article.problem');
      expect(await article.locator('h1').textContent()).toBe(p.data.title);
      // Every control a student could reveal or check with: none.
      expect(await article.locator('button, details, summary, form, input, select, textarea').count()).toBe(0);
      expect(await article.locator('.derivation, .answer-value').count()).toBe(0);
      expect(await page.locator(`a[href*="/practice/"], a[href*="/variants/"]`).count()).toBe(0);
      expect(await article.locator('.graded-note').textContent()).toContain('graded work');
      const text = await pageText();
      for (const display of figures) expect(shows(text, display), `${p.id} shows ${display}`).toBe(false);
    }
  });

  it('has no practice or variant pages; the ungraded copy has them', () => {
    for (const p of problems().filter((x) => isRandomized(x.data))) {
      expect(existsSync(join(site.dir, 'practice', p.id)), p.id).toBe(false);
      expect(existsSync(join(site.dir, 'variants', p.id)), p.id).toBe(false);
      const copy = p.id.replace('hw1/', 'practice1/');
      expect(existsSync(join(site.dir, 'practice', copy, 'index.html')), copy).toBe(true);
      expect(site.page(`/problems/${copy}/`)).toContain(`href="/practice/${copy}/"`);
    }
  });
});

describe('a problem without params, in an ungraded set', () => {
  it('its own page checks a student\'s answers against the homework, and shows none', async () => {
    const p = loadProblems(dir).find((x) => x.id === 'practice1/lenet-latency')!;
    const ctx = solveProblem(p).ctx;
    const right = p.answers.map((a) => displayFigure(answerFigure(ctx, a.of, p.file, a.select)));
    expect(right).toHaveLength(4);
    await page.goto(`${preview.url}/problems/${p.id}/`);
    const boxes = page.locator('.answer--practice');
    expect(await boxes.count()).toBe(4);
    // Nothing to reveal, and no answer on the page.
    expect(await page.locator('button.reveal, details').count()).toBe(0);
    for (const d of right) expect(shows(await pageText(), d), d).toBe(false);
    for (let i = 0; i < 4; i++) {
      const box = boxes.nth(i);
      // A wrong answer, then the right one as displayed.
      await box.locator('input').fill('1');
      await box.locator('input').press('Enter');
      await expect.poll(() => box.locator('.feedback').getAttribute('data-verdict')).toBe('incorrect');
      await box.locator('input').fill(right[i]!);
      await box.locator('input').press('Enter');
      await expect.poll(() => box.locator('.feedback').getAttribute('data-verdict')).toBe('correct');
    }
    // Checked, still not shown: no derivation follows a right answer here.
    expect(await page.locator('.practice-derivation:not([hidden]), .answer-value').count()).toBe(0);
  });

  it('in the graded set it has no checker', () => {
    const html = site.page('/problems/hw1/lenet-latency/');
    expect(html).not.toMatch(/class="answer answer--practice"/);
    expect(html).not.toContain('id="practice-spec"');
    expect(html).toContain('answer--blank');
  });
});

describe('studentEdition: { analyzer: false, guide: false }', () => {
  const html = () => site.files().filter((f) => f.endsWith('.html'));

  it('builds no /analyze/ and no guide page', () => {
    expect(site.files().filter((f) => f.startsWith('analyze/') || f.startsWith('guides/'))).toEqual([]);
    expect(html().length).toBeGreaterThan(10);
  });

  it('links neither from any page (the navigation included)', () => {
    for (const f of html()) {
      const text = readFileSync(join(site.dir, f), 'utf8');
      expect(text, f).not.toMatch(/href="[^"]*\/(analyze|guides)\//);
    }
    const nav = site.page('/').match(/<ul class="nav-links">[\s\S]*?<\/ul>/)![0];
    expect(nav).toContain('href="/search/"');
    expect(nav).not.toContain('Analyze');
    expect(nav).not.toContain('Authoring');
  });

  it('has no search entry for them: the index lists problem pages, none of /analyze/ or /guides/', () => {
    const fragments = site.files().filter((f) => f.startsWith('pagefind/fragment/'));
    expect(fragments.length).toBeGreaterThan(0);
    const urls = fragments.map((f) => {
      const json = gunzipSync(readFileSync(join(site.dir, f))).toString('utf8');
      return JSON.parse(json.slice(json.indexOf('{'))).url as string;
    });
    expect(urls).toContain('/problems/practice1/q1/');
    expect(urls.filter((u) => /\/(analyze|guides)\//.test(u))).toEqual([]);
  });

  it('the secret the build ran with is in no file, compressed or not, nor the search index', () => {
    const found = scanForSecret(site.dir, SECRET);
    expect(found.searchIndexFiles).toBeGreaterThan(0);
    expect(found.hits).toEqual([]);
  });
});
