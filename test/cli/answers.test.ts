/**
 * `workbook answers`: answer keys by seed or roster as a table, JSON or CSV; clear errors; and the
 * shipped problems' keys kept as snapshot files beside them (problems/<set>/<name>.answers.json),
 * so that a change to any published answer shows up in review.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSeeds, runAnswers } from '../../src/cli/answers.ts';
import { parseRoster } from '../../src/publish/roster.ts';
import { gradedSeed } from '../../src/publish/secret.ts';
import { loadProblems, PROJECT_ROOT } from '../../src/cli/problems.ts';

// A roster's and a student's keys are graded: keyed by the course secret.
const SECRET = 'answers-test-secret-0123456789';
process.env.WORKBOOK_SECRET = SECRET;
import { isRandomized } from '../../src/workbook/variants/index.ts';
import { OWN_COURSE, writeCourse } from '../helpers/course.ts';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAnswers(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

/** Seeds 0 (the homework) to 20: the pre-rendered variants (1..N, N = 5 by default) and more. */
const KEY_SEEDS = '0-20';

describe('answer-key snapshots', () => {
  const randomized = loadProblems().filter((p) => isRandomized(p.data));
  it.each(randomized.map((p) => [p.id, p.file.replace(/\.mdx$/, '.answers.json')] as const))('%s matches %s', async (id, file) => {
    // Accepting a change is deliberate: UPDATE_ANSWER_KEYS=1 npx vitest run test/cli rewrites the keys.
    const path = join(PROJECT_ROOT, file);
    const { code, stdout } = await run(id, '--seeds', KEY_SEEDS, '--json');
    expect(code).toBe(0);
    if (process.env.UPDATE_ANSWER_KEYS === '1') writeFileSync(path, stdout);
    expect(existsSync(path), `${file} is missing; UPDATE_ANSWER_KEYS=1 npx vitest run test/cli writes it`).toBe(true);
    expect(stdout, `${file} differs from the answers the engine computes now; review, then UPDATE_ANSWER_KEYS=1 npx vitest run test/cli`).toBe(readFileSync(path, 'utf8'));
  });
});

describe('workbook answers', () => {
  it('prints a table with parameters and answers under the precision rule', async () => {
    const { code, stdout } = await run('hw1/q2', '--seeds', '0');
    expect(code).toBe(0);
    expect(stdout).toContain('hw1/q2 (problems/hw1/q2.mdx)');
    expect(stdout).toMatch(/seed\s+n0\s+h1\s+h2\s+n3\s+f\s+k\s+a: params\s+a: paramBytes\s+b: macs\s+b: cycles\s+b: latencyMs\s+c: sramBytes/);
    expect(stdout).toMatch(/0\s+1280\s+512\s+512\s+32\s+80\s+4\s+934,944\s+3,739,776 B\s+933,888 MACs\s+3,735,552 cycles\s+46\.7 ms\s+7,168 B/);
  });

  it('prints exact values as JSON', async () => {
    const { stdout } = await run('problems/hw1/q2.mdx', '--seeds', '0,3', '--json');
    const json = JSON.parse(stdout);
    expect(json.variants.map((v: { seed: number }) => v.seed)).toEqual([0, 3]);
    expect(json.variants[0].answers.find((a: { of: string }) => a.of === 'latencyMs')).toEqual({ question: 'b', of: 'latencyMs', title: 'Latency per inference', value: 3_735_552 / 80_000, unit: 'ms', display: '46.7 ms' });
  });

  it('gives each student of a roster their graded seed, gradedSeed(secret, set, id, problem), as CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-'));
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, 'Name,Student ID\n"Lovelace, Ada",ada.lovelace\nGrace Hopper,ghopper\n');
    const { code, stdout } = await run('hw1/q1', '--roster', roster, '--csv');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('student,seed,n0,h1,h2,n3,a: weights,a: biases,a: params,a: paramBytes (B),b: macs (MACs),c: sramBytes (B)');
    expect(lines[1]!.startsWith(`ada.lovelace,${gradedSeed(SECRET, 'hw1', 'ada.lovelace', 'hw1/q1')},`)).toBe(true);
    expect(lines[2]!.startsWith(`ghopper,${gradedSeed(SECRET, 'hw1', 'ghopper', 'hw1/q1')},`)).toBe(true);
    const { stdout: one } = await run('hw1/q1', '--student', 'Ada.Lovelace', '--csv');
    expect(one.trim().split('\n')[1]!.split(',').slice(1)).toEqual(lines[1]!.split(',').slice(1));
  });

  it('answers for several problems, or every randomized one with --all, in one run', async () => {
    const randomized = loadProblems().filter((p) => isRandomized(p.data)).map((p) => p.id);
    const { code, stdout } = await run('--all', '--student', 'ada.lovelace', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { problems: { problem: string; variants: { student: string; seed: number }[] }[] };
    expect(json.problems.map((p) => p.problem)).toEqual(randomized);
    const setOf = (id: string) => loadProblems().find((p) => p.id === id)!.data.set;
    for (const p of json.problems) expect(p.variants).toEqual([expect.objectContaining({ student: 'ada.lovelace', seed: gradedSeed(SECRET, setOf(p.problem), 'ada.lovelace', p.problem) })]);
    // Each problem's key is the one its own run prints.
    const { stdout: q2 } = await run('hw1/q2', '--student', 'ada.lovelace', '--json');
    expect(json.problems.find((p) => p.problem === 'hw1/q2')).toEqual(JSON.parse(q2));
    const { stdout: csv } = await run('hw1/q1', 'hw1/q2', '--seeds', '0', '--csv');
    const blocks = csv.split('\n\n');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.split('\n')[0]).toBe('seed,n0,h1,h2,n3,a: weights,a: biases,a: params,a: paramBytes (B),b: macs (MACs),c: sramBytes (B)');
    expect(blocks[1]!.split('\n')[0]).toMatch(/^seed,n0,h1,h2,n3,f,k,/);
  });

  it('keys every question asked: an answer per layer or profile it selects, not one per answer name', async () => {
    const { stdout } = await run('lectures/alexnet-macs', '--seeds', '0', '--json');
    const answers = JSON.parse(stdout).variants[0].answers as { of: string; select?: { layer?: string }; value: number }[];
    const macsOf = (layer?: string) => answers.find((a) => a.of === 'macs' && a.select?.layer === layer)!.value;
    expect(answers).toHaveLength(8 + 2); // 8 layers, the model's MACs and FLOPs
    expect(macsOf('conv1')).toBe(96 * 3 * 11 * 11 * 55 * 55);
    expect(macsOf('fc3')).toBe(4096 * 1000);
    expect(macsOf(undefined)).toBe(724_406_816);
    const { stdout: counters } = await run('lectures/counters-resnet', '--seeds', '0', '--csv');
    expect(counters.split('\n')[0]).toContain('b: compute profile=thop (MACs),b: countDifference profile=thop (MACs),c: compute profile=fvcore (MACs),d: compute profile=torchprofile (MACs)');
  });

  it('keys a yes/no answer and a multiple choice as their picks (a course of one\'s own)', async () => {
    const root = writeCourse(OWN_COURSE);
    let stdout = '';
    const code = await runAnswers(['hw2/q1', '--seeds', '0', '--csv'], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => 0 } }, root);
    expect(code).toBe(0);
    const [head, row] = stdout.trim().split('\n').map((l) => l.split(','));
    const cell = (name: string) => row![head!.indexOf(name)];
    expect(cell('b: fitsInFlash')).toBe('yes');
    expect(cell('b: macs')).toBe('fc1'); // a choice's head is its figure's name; the cell, the option picked
    expect(cell('a: params')).toBe(String(1 * 8 * 3 * 3 + 8 + 8 * 676 * 10 + 10));
  });

  it.each([
    [[], 2, /which problem\?/],
    [['--all', 'hw1/q1', '--seeds', '1'], 2, /--all or problems, not both/],
    [['hw1/q1'], 2, /give exactly one of --seeds, --roster and --student/],
    [['hw1/q1', '--seeds', '1-3', '--student', 'x'], 2, /exactly one/],
    [['hw1/q1', '--seeds', 'ten'], 2, /--seeds: cannot read 'ten'/],
    [['hw1/q1', '--seeds', '9-3'], 2, /runs backwards/],
    [['hw1/q1', '--seeds', '1-3', '--json', '--csv'], 2, /one of --json and --csv/],
    [['hw1/q1', '--frobnicate'], 2, /unknown option --frobnicate/],
    [['hw9/q1', '--seeds', '1'], 1, /no problem 'hw9\/q1'; problems: hw1\/q1, hw1\/q2/],
    [['hw1/q1', '--roster', '/nonexistent/roster.csv'], 1, /\/nonexistent\/roster\.csv: cannot read the roster \(ENOENT\)/],
  ])('%j exits %i: %s', async (argv, exit, message) => {
    const { code, stderr, stdout } = await run(...argv);
    expect(code).toBe(exit);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });

  it.each([
    ['1-3', [1, 2, 3]],
    ['0,3,7-9', [0, 3, 7, 8, 9]],
    ['5', [5]],
  ])('parseSeeds(%j)', (text, seeds) => {
    expect(parseSeeds(text)).toEqual(seeds);
  });

  it('reads the id column of a roster, else the first, its name column, and refuses an empty id at its line', () => {
    expect(parseRoster('email,name\na@x.org,A\nb@x.org,B\n')).toEqual([{ id: 'a@x.org', name: 'A', line: 2 }, { id: 'b@x.org', name: 'B', line: 3 }]);
    expect(parseRoster('who\nann\n\nbob\n')).toEqual([{ id: 'ann', line: 2 }, { id: 'bob', line: 4 }]);
    expect(() => parseRoster('id,name\n,Nobody\n', 'r.csv')).toThrow('r.csv:2: no id on this row');
    expect(() => parseRoster('id\n', 'r.csv')).toThrow('r.csv: needs a header row and at least one student');
  });
});
