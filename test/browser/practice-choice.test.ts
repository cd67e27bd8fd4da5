/**
 * Yes/no and multiple-choice answers on the practice page, in Chromium: a course of one's own
 * (test/helpers/course.ts) is built, and a variant's picks are graded against the engine's
 * decision and pick for that variant, computed here in Node through the same sampling.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, startPreview } from '../support/browser.mjs';
import { loadProblemFile } from '../../src/cli/problems.ts';
import { answerDecision, choiceAnswer } from '../../src/workbook/answers.ts';
import { variantOf } from '../../src/workbook/variants/index.ts';
import { OWN_COURSE, writeCourse } from '../helpers/course.ts';
import { buildSite } from '../helpers/site.ts';

const course = writeCourse(OWN_COURSE, 'workbook-practice-course-');
const problem = loadProblemFile(join(course, 'problems/hw2/q1.mdx'), course);
let preview: { url: string; stop: () => Promise<unknown> };
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const site = await buildSite({ courseDir: course });
  preview = await startPreview({ outDir: site.dir });
  browser = await launchChromium();
  page = await browser.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

/** Checks a radio of a practice box, submits, and returns the feedback. */
async function pick(box: string, value: string) {
  const b = page.locator(box).first();
  await b.locator(`input[type="radio"][value="${value}"]`).check();
  await b.locator('button[type="submit"]').click();
  const feedback = b.locator('.feedback');
  await expect.poll(() => feedback.getAttribute('data-verdict')).not.toBeNull();
  return { verdict: await feedback.getAttribute('data-verdict'), message: (await feedback.textContent()) ?? '' };
}

describe.each([3, 11])('practice variant %i', (seed) => {
  const ctx = variantOf(problem, seed).ctx;

  beforeAll(async () => {
    await page.goto(`${preview.url}/practice/hw2/q1/?seed=${seed}`);
    await page.waitForFunction((s) => document.querySelector('.practice-body')?.getAttribute('data-seed') === String(s), seed);
  });

  it('grades a yes/no pick against the engine', async () => {
    const { yes } = answerDecision(ctx, 'fitsInFlash', problem.file);
    const box = '.answer--practice[data-answer="fitsInFlash"]';
    expect(await pick(box, yes ? 'no' : 'yes')).toMatchObject({ verdict: 'incorrect' });
    expect(await pick(box, yes ? 'yes' : 'no')).toMatchObject({ verdict: 'correct', message: expect.stringMatching(new RegExp(`^Correct: ${yes ? 'yes' : 'no'} \\(flash margin `)) });
  });

  it('grades a multiple-choice pick against the engine, then shows the right option\'s derivation', async () => {
    const result = choiceAnswer(ctx, 'macs', 'max', ['conv1', 'fc1'], problem.file);
    const box = '.answer--practice[data-kind="choice"][data-of="macs"]';
    expect(await pick(box, String(1 - result.index))).toMatchObject({ verdict: 'incorrect' });
    expect(await pick(box, String(result.index))).toMatchObject({ verdict: 'correct', message: `Correct: ${result.labels[result.index]} (${result.figures[result.index]!.value.toLocaleString('en-US')} MACs).` });
    const panel = page.locator(`${box} .practice-derivation`);
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await panel.locator('.answer-value').textContent()).toBe(`${result.figures[result.index]!.value.toLocaleString('en-US')} MACs`);
  });
});
