/**
 * A course of one's own, built as an instructor would bring it, without touching src/: a new set
 * (named in a course file) with a problem on a custom JSON model, a hardware profile, a randomized
 * parameter, a yes/no and two multiple-choice answers; and a second set made by
 * `workbook new problem`, which builds as written and takes its title from its id.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OWN_COURSE, writeCourse } from '../helpers/course.ts';
import { answersOf, buildSite, textOf, type BuiltSite } from '../helpers/site.ts';

const root = resolve(import.meta.dirname, '../..');

// conv1: 8 filters of 1 × 3 × 3 over a 26 × 26 output; fc1: 8 · 26 · 26 = 5,408 features to 10.
const params = 8 * 1 * 3 * 3 + 8 + (8 * 26 * 26 * 10 + 10);
const convMacs = 8 * 26 * 26 * 1 * 3 * 3;
const fcMacs = 8 * 26 * 26 * 10;
// STM32F746NG: 216 MHz, 0.5 cycles per int8 MAC (its profile).
const latencyMs = ((convMacs + fcMacs) * 0.5) / (216 * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');

const dir = writeCourse(OWN_COURSE, 'workbook-own-course-');
let solutions: BuiltSite;
let student: BuiltSite;

beforeAll(async () => {
  const made = spawnSync(process.execPath, [join(root, 'src/cli/workbook.js'), 'new', 'problem', 'lab2/first', '--course', dir], { encoding: 'utf8' });
  expect(made.stderr).toBe('');
  expect(made.status).toBe(0);
  expect(made.stdout).toContain(`wrote ${join(dir, 'problems/lab2/first.mdx')}`);
  expect(made.stdout).toContain("add 'lab2' under sets: in content/course.yaml (until then its title is 'Lab2')");
  solutions = await buildSite({ courseDir: dir });
  student = await buildSite({ courseDir: dir, edition: 'student' });
}, 300_000);

describe('a course of ones own', () => {
  it('has its title, and its sets in order: the course file names one, the other is titled from its id', () => {
    const index = solutions.page('/');
    expect(index).toContain('<h1>Tiny networks on small chips</h1>');
    expect(index).toContain('<title>Course · Tiny Workbook</title>');
    const sets = [...index.matchAll(/<h3 id="set-([^"]+)">([^<]+)<\/h3>/g)].map((m) => [m[1], m[2]]);
    expect(sets).toEqual([
      ['hw2', 'Homework 2: a tiny CNN'],
      ['lab2', 'Lab2'],
    ]);
    expect(textOf(index)).toContain('Convolutions on a microcontroller.');
  });

  it('computes the custom model\'s answers, latency from the hardware profile', () => {
    const answers = answersOf(solutions.page('/problems/hw2/q1/'));
    const text = (name: string) => textOf(answers.find((a) => a.name === name)!.html);
    expect(text('params')).toContain(fmt(params));
    expect(text('latencyMs')).toContain(`${Number(latencyMs.toPrecision(8))} ms`);
    // t = MACs · k / (f · 10^3), with k and f from the profile
    expect(text('latencyMs')).toContain(`${fmt(convMacs + fcMacs)} × 0.5`);
    // every symbol in the "where" line
    expect(text('latencyMs')).toMatch(new RegExp(`where MACs = ${fmt(convMacs + fcMacs)} .*\\(multiply-accumulates per inference\\), k = .*0\\.5 \\(cycles per MAC\\) and f = .*216 \\(clock in MHz\\)`));
  });

  it('answers yes or no, with the margin it is read from', () => {
    const page = solutions.page('/problems/hw2/q1/');
    const fits = textOf(answersOf(page).find((a) => a.name === 'fitsInFlash')!.html);
    expect(fits).toContain(`Yes: ${fmt(params)} B of ${fmt(1024 * 1024)} B (flash margin ${fmt(1024 * 1024 - params)} B)`);
  });

  it('picks the right option of a multiple choice, with every option\'s figure', () => {
    const page = textOf(solutions.page('/problems/hw2/q1/'));
    expect(page).toContain(`conv1: ${fmt(convMacs)} MACs fc1: ${fmt(fcMacs)} MACs (the answer)`);
    // Half of 8-bit storage: 4-bit weights.
    expect(page).toContain(`4-bit weights: ${fmt(params / 2)} B (the answer) 16-bit weights: ${fmt(params * 2)} B`);
  });

  it('builds the scaffolded problem as written', () => {
    const answers = answersOf(solutions.page('/problems/lab2/first/')).map((a) => a.name);
    expect(answers).toEqual(['params', 'paramBytes']);
  });

  it('makes practice variants with yes/no and choice boxes', () => {
    const practice = solutions.page('/practice/hw2/q1/');
    expect(practice).toMatch(/data-kind="yesno"[^>]*data-answer="fitsInFlash"|data-answer="fitsInFlash"[^>]*data-kind="yesno"/);
    expect(practice).toContain('<input type="radio" name="answer" value="yes"');
    expect(practice).toMatch(/data-kind="choice" data-of="macs"/);
    expect(solutions.files()).toContain('variants/hw2/q1/1/index.html');
  });

  it('the student edition shows the options, never the answers', () => {
    const page = textOf(student.page('/problems/hw2/q1/'));
    expect(page).toContain('yes / no');
    expect(page).toContain('conv1 fc1');
    for (const leak of ['(the answer)', fmt(params), 'Yes:', fmt(fcMacs)]) expect(page).not.toContain(leak);
  });
});

describe("the build's log", () => {
  // Astro renders four pages at once (build.concurrency); each page's line is printed whole, once
  // it has rendered (site/build-log.ts), never two pages on one line or a time given to the wrong page.
  it('has one whole line per page written, and no other line about a page', () => {
    const pages = solutions.files().filter((f) => f.endsWith('.html'));
    const lines = solutions.log.replace(/\u001b\[[0-9;]*m/g, '').split('\n').filter((line) => line.includes('├─') || line.includes('└─'));
    expect(lines.length).toBe(pages.length);
    for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d {3}├─ \/(\S*\/)? \(\+\d+(ms|\.\d\ds)\)$/);
    const urls = lines.map((line) => line.split(' ')[4]);
    expect(new Set(urls).size).toBe(pages.length);
    expect(urls).toContain('/problems/hw2/q1/');
    expect(solutions.log).not.toMatch(/\(\+\d+ms\)\s*\(\+\d+ms\)/);
  });
});
