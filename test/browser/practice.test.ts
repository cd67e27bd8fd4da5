/**
 * The practice page in Chromium, against the built site served on 127.0.0.1: a variant from the
 * seed in the URL, answers in several formats and units, wrong answers and a mistake's hint, the
 * derivation on request (KaTeX loaded only then), reproducible and fresh seeds, hostile input.
 * Expected values come from the engine in Node, through the same sampling as the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startPreview } from '../support/browser.mjs';
import { findProblem } from '../../src/cli/problems.ts';
import { answerFigure } from '../../src/workbook/answers.ts';
import { variantOf } from '../../src/workbook/variants/index.ts';
import { buildSite, type BuiltSite } from '../helpers/site.ts';

let site: BuiltSite;
let preview: { url: string; stop: () => Promise<unknown> };
let browser: Browser;
let page: Page;
const requested: string[] = [];

const q1 = findProblem('hw1/q1');
const q2 = findProblem('hw1/q2');
const expected = (problem: typeof q1, seed: number, name: Parameters<typeof answerFigure>[1]) =>
  answerFigure(variantOf(problem, seed).ctx, name, problem.file).value;

beforeAll(async () => {
  site = await buildSite();
  preview = await startPreview({ outDir: site.dir });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('request', (r) => requested.push(r.url()));
});

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

async function open(path: string) {
  await page.goto(preview.url + path);
  await page.waitForFunction(() => document.querySelector('.practice-body')?.getAttribute('data-seed') !== null);
}

/** Types into an answer's box, submits with Enter, and returns the feedback. */
async function answer(name: string, text: string) {
  const box = page.locator(`.answer--practice[data-answer="${name}"]`).first();
  await box.locator('input').fill(text);
  await box.locator('input').press('Enter');
  const feedback = box.locator('.feedback');
  await expect.poll(() => feedback.textContent()).not.toBe('');
  return { verdict: await feedback.getAttribute('data-verdict'), message: (await feedback.textContent()) ?? '', mistake: await feedback.getAttribute('data-mistake') };
}

const grouped = (n: number) => n.toLocaleString('en-US');

describe('practice page', () => {
  it('makes variant 7 from the URL: givens, network and status from the engine', async () => {
    await open('/practice/hw1/q1/?seed=7');
    const v = variantOf(q1, 7);
    const { n0, h1, h2, n3 } = v.values as Record<string, number>;
    expect(await page.locator('#variant-status').textContent()).toContain(`Variant 7: inputs = ${n0}, first hidden layer = ${h1}, second hidden layer = ${h2}, outputs = ${n3}`);
    expect(await page.locator('[data-network="inline"]').textContent()).toContain(`${grouped(n0!)} inputs`);
    expect(await page.locator('[data-network-rows] tr').count()).toBe(3);
    expect(await page.locator('[data-given="paramBits"]').first().textContent()).toBe('8');
  });

  it.each([
    ['plain digits', (b: number) => String(b)],
    ['thousands separators and B', (b: number) => `${grouped(b)} B`],
    ['KB', (b: number) => `${b / 1000} KB`],
    ['scientific notation', (b: number) => `${(b / 1e4).toString()}e4 bytes`],
    ['bits', (b: number) => `${b * 8} bits`],
  ])('accepts the parameter storage written as %s', async (_how, write) => {
    await open('/practice/hw1/q1/?seed=7');
    const bytes = expected(q1, 7, 'paramBytes');
    const feedback = await answer('paramBytes', write(bytes));
    expect(feedback.verdict).toBe('correct');
    expect(feedback.message).toContain(`Correct: ${grouped(bytes)} B`);
  });

  it('accepts MACs with a K prefix and latency in ms, µs and s (Q2)', async () => {
    await open('/practice/hw1/q2/?seed=3');
    const macs = expected(q2, 3, 'macs');
    const ms = expected(q2, 3, 'latencyMs');
    expect((await answer('macs', `${macs / 1000} K MACs`)).verdict).toBe('correct');
    expect((await answer('latencyMs', `${ms.toPrecision(4)} ms`)).verdict).toBe('correct');
    expect((await answer('latencyMs', `${Math.round(ms * 1000)} us`)).verdict).toBe('correct');
    expect((await answer('latencyMs', `${(ms / 1000).toPrecision(3)} s`)).verdict).toBe('correct');
  });

  it('says "incorrect" to a wrong answer, and names the bits-for-bytes mistake', async () => {
    await open('/practice/hw1/q1/?seed=7');
    const bytes = expected(q1, 7, 'paramBytes');
    const wrong = await answer('paramBytes', String(bytes * 3 + 1));
    expect(wrong.verdict).toBe('incorrect');
    expect(wrong.message).toMatch(/^Incorrect/);
    const bits = await answer('paramBytes', String(bytes * 8));
    expect(bits.verdict).toBe('incorrect');
    expect(bits.mistake).toBe('bits-for-bytes');
    expect(bits.message).toContain('that is the size in bits, not bytes');
    const noBias = await answer('params', String(expected(q1, 7, 'weights')));
    expect(noBias.mistake).toBe('biases-forgotten');
  });

  it('shows the derivation on request, loading KaTeX only then, with MathML for screen readers', async () => {
    requested.length = 0;
    await open('/practice/hw1/q1/?seed=7');
    expect(requested.some((u) => /katex[^/]*\.js$/.test(u))).toBe(false);
    const box = page.locator('.answer--practice[data-answer="sramBytes"]');
    await box.locator('.reveal').click();
    await box.locator('.practice-derivation .derivation-lines .katex').first().waitFor();
    expect(requested.some((u) => /katex[^/]*\.js$/.test(u))).toBe(true);
    expect(await box.locator('.reveal').getAttribute('aria-expanded')).toBe('true');
    expect(await box.locator('.practice-derivation math').count()).toBeGreaterThan(0);
    expect(await box.locator('.practice-derivation .answer-value').textContent()).toBe(`${grouped(expected(q1, 7, 'sramBytes'))} B`);
  });

  it('reveals the derivation after a correct answer', async () => {
    await open('/practice/hw1/q1/?seed=8');
    await answer('macs', String(expected(q1, 8, 'macs')));
    await page.locator('.answer--practice[data-answer="macs"] .practice-derivation .derivation-lines .katex').first().waitFor();
  });

  it('gives the same numbers for the same seed, and new ones for a new seed', async () => {
    await open('/practice/hw1/q2/?seed=11');
    const first = await page.locator('#variant-status').textContent();
    const network = await page.locator('[data-network="inline"]').textContent();
    await open('/practice/hw1/q2/?seed=11');
    expect(await page.locator('#variant-status').textContent()).toBe(first);
    expect(await page.locator('[data-network="inline"]').textContent()).toBe(network);

    await page.locator('#new-variant').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('seed')).not.toBe('11');
    const seed = Number(new URL(page.url()).searchParams.get('seed'));
    const v = variantOf(q2, seed);
    expect(await page.locator('#variant-status').textContent()).toContain(`Variant ${seed}: inputs = ${v.values.n0}`);
    expect(await page.locator('#variant-status').textContent()).not.toBe(first);
    // The answers are checked against the new variant.
    expect((await answer('params', String(v.ctx.report.totals.params.value))).verdict).toBe('correct');
    await page.goBack();
    await expect.poll(() => page.locator('#variant-status').textContent()).toBe(first);
  });

  it('a student id gives that student’s variant (the seed the answer key lists)', async () => {
    await open('/practice/hw1/q1/?seed=1');
    await page.locator('#student-input').fill('Ada.Lovelace');
    await page.locator('#student-input').press('Enter');
    const { studentSeed } = await import('../../src/workbook/variants/hash.ts');
    await expect.poll(() => new URL(page.url()).searchParams.get('seed')).toBe(String(studentSeed('ada.lovelace', 'hw1/q1')));
  });

  it.each([
    ['', /Enter a number/],
    ['lots', /Could not read/],
    ['1e400', /far too large/],
    ['<img src=x onerror="window.__pwned=1">', /markup is not read/],
    ['<script>window.__pwned=1</script>', /markup is not read/],
  ])('bad input %j gets a message and injects nothing', async (text, message) => {
    await open('/practice/hw1/q1/?seed=7');
    const feedback = await answer('paramBytes', text);
    expect(feedback.verdict).toBe('unreadable');
    expect(feedback.message).toMatch(message);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.answer--practice img, .answer--practice script').count()).toBe(0);
  });

  it('a bad seed in the address gets a message and a fresh variant', async () => {
    await page.goto(preview.url + '/practice/hw1/q1/?seed=%3Cb%3Ehi');
    await page.waitForFunction(() => document.querySelector('.practice-body')?.getAttribute('data-seed') !== null);
    expect(await page.locator('#variant-status').textContent()).toMatch(/^Variant \d+/);
    expect(await page.locator('#variant-status b').count()).toBe(0);
  });

  it('is keyboard usable: Tab reaches the answer box, Enter checks it', async () => {
    await open('/practice/hw1/q1/?seed=7');
    await page.locator('.answer--practice[data-answer="weights"] input').focus();
    await page.keyboard.type(String(expected(q1, 7, 'weights')));
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.answer--practice[data-answer="weights"] .feedback').getAttribute('data-verdict')).toBe('correct');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check');
  });
});

describe('practice page, problems that name a counting profile', () => {
  const resnet = findProblem('lectures/counters-resnet');
  const alexnet = findProblem('lectures/alexnet-macs');
  const profilesChunk = (u: string) => /\/profiles[^/]*\.js$/.test(u);

  it('a problem without a profile never fetches the tools\' rules, nor the grading before an answer is started', async () => {
    requested.length = 0;
    await open('/practice/hw1/q1/?seed=7');
    expect(requested.filter(profilesChunk)).toEqual([]);
    expect(requested.some((u) => /\/grading[^/]*\.js$/.test(u))).toBe(false);
    await page.locator('.answer--practice[data-answer="weights"] input').focus();
    await expect.poll(() => requested.some((u) => /\/grading[^/]*\.js$/.test(u))).toBe(true);
    expect(requested.filter(profilesChunk)).toEqual([]);
  });

  it('counters-resnet: loads the profiles, then checks thop, fvcore and torchprofile answers against the engine', async () => {
    requested.length = 0;
    await open('/practice/lectures/counters-resnet/?seed=5');
    expect(requested.filter(profilesChunk)).toHaveLength(1);
    const v = variantOf(resnet, 5);
    expect(await page.locator('#variant-status').textContent()).toContain('Variant 5: image height and width = ');
    for (const profile of ['thop', 'fvcore', 'torchprofile'] as const) {
      const box = page.locator(`.answer--practice[data-answer="compute"][data-select*='"${profile}"']`);
      const macs = answerFigure(v.ctx, 'compute', resnet.file, { profile }).value;
      await box.locator('input').fill(String(macs));
      await box.locator('input').press('Enter');
      await expect.poll(() => box.locator('.feedback').getAttribute('data-verdict')).toBe('correct');
      // A correct answer opens its derivation, rendered from the tool's rules.
      await box.locator('.practice-derivation .derivation-lines .katex').first().waitFor();
      expect(await box.locator('.practice-derivation .answer-value').textContent()).toBe(`${grouped(macs)} MACs`);
    }
    const difference = page.locator('.answer--practice[data-answer="countDifference"]');
    const delta = answerFigure(v.ctx, 'countDifference', resnet.file, { profile: 'thop' }).value;
    await difference.locator('input').fill(String(delta + 1));
    await difference.locator('input').press('Enter');
    await expect.poll(() => difference.locator('.feedback').getAttribute('data-verdict')).toBe('incorrect');
  });

  it('alexnet-macs (the lectures profile): the same numbers as the engine', async () => {
    await open('/practice/lectures/alexnet-macs/?seed=3');
    const v = variantOf(alexnet, 3);
    const name = alexnet.answers[0]!.of;
    const box = page.locator(`.answer--practice[data-answer="${name}"]`).first();
    const select = JSON.parse((await box.getAttribute('data-select')) ?? '{}') as Record<string, unknown>;
    const figure = answerFigure(v.ctx, name, alexnet.file, select);
    await box.locator('input').fill(String(figure.value));
    await box.locator('input').press('Enter');
    await expect.poll(() => box.locator('.feedback').getAttribute('data-verdict')).toBe('correct');
  });
});

describe('variant pages', () => {
  it('are static HTML with the variant’s numbers behind "Show the answer"', async () => {
    await page.goto(preview.url + '/variants/hw1/q1/2/');
    expect(await page.locator('script').count()).toBe(0);
    const bytes = expected(q1, 2, 'paramBytes');
    const box = page.locator('.answer--variant[data-answer="paramBytes"]');
    expect(await box.locator('.answer-value').isVisible()).toBe(false);
    await box.locator('summary').click();
    expect(await box.locator('.answer-value').textContent()).toBe(`${grouped(bytes)} B`);
  });
});

describe('practice page, student edition', () => {
  // `astro preview` serves one folder per project at a time: the solutions preview makes way.
  beforeAll(async () => {
    const studentSite = await buildSite({ edition: 'student' });
    await preview.stop();
    preview = await startPreview({ outDir: studentSite.dir });
  });

  it('refuses seed 0, the homework itself, and checks other seeds as usual', async () => {
    await page.goto(preview.url + '/practice/hw1/q1/?seed=0');
    await expect.poll(() => page.locator('#variant-status').textContent()).toMatch(/Seed 0 is the homework itself/);
    expect(await page.locator('.answer--practice[data-answer="paramBytes"] .reveal').count()).toBe(1);
    await page.locator('#seed-input').fill('7');
    await page.locator('#seed-input').press('Enter');
    await expect.poll(() => page.locator('#variant-status').textContent()).toMatch(/^Variant 7/);
    expect((await answer('paramBytes', String(expected(q1, 7, 'paramBytes')))).verdict).toBe('correct');
  });
});
