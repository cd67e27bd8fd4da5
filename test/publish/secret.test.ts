/**
 * Graded work stays graded: graded variants come from seeds keyed by the course secret and drawn
 * in a space no practice seed reaches. With a secret, no seed the site offers (the pre-rendered
 * and practice seeds, `?student=` ids) gives the variant of any student of a 200-student roster;
 * graded commands without a secret stop with one line saying how to make one; two secrets give
 * different keys, the same secret the same keys; and the roster's mistakes are located.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';
import { loadProblems } from '../../src/cli/problems.ts';
import { keyCsv, studentKeys } from '../../src/publish/handouts.ts';
import { fileNameOf, parseRoster, type Student } from '../../src/publish/roster.ts';
import { courseSecret, gradedSeed, initSecret, NO_SECRET, SECRET_FILE } from '../../src/publish/secret.ts';
import { problemSet } from '../../src/publish/sets.ts';
import { isRandomized, studentSeed, valuesDomain, variantOf, type ProblemSpec } from '../../src/workbook/variants/index.ts';
import { spaceOf } from '../../src/workbook/variants/instantiate.ts';
import { OWN_COURSE, writeCourse } from '../helpers/course.ts';

const SECRET = 'secret-test-0123456789abcdef';
const OTHER = 'secret-test-fedcba9876543210';
process.env.WORKBOOK_SECRET = SECRET;
/** A class of 200, ids as rosters write them. */
const ROSTER: Student[] = Array.from({ length: 200 }, (_, i) => ({ id: `S${String(i + 1).padStart(3, '0')}`, line: i + 2 }));

const problems = loadProblems();
const randomized = problems.filter((p) => isRandomized(p.data));
const valuesKey = (v: Readonly<Record<string, number>>) => JSON.stringify(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
const domainOf = (p: ProblemSpec, values: Readonly<Record<string, number>>) => valuesDomain(spaceOf(p.data.variation!), p.id, values);

describe('practice never reproduces a graded variant', () => {
  // The seeds the site offers: the pre-rendered variants and practice seeds (0..200 here; any seed
  // is reachable, and each is practice by construction), and every student's ?student= id.
  const PRACTICE_SEEDS = Array.from({ length: 201 }, (_, i) => i);

  it.each(randomized.map((p) => [p.id, p] as const))('%s: no practice seed or ?student= id gives any student\'s graded variant', (_id, p) => {
    const graded = new Map<string, string>();
    for (const s of ROSTER) {
      const v = variantOf(p, gradedSeed(SECRET, p.data.set, s.id, p.id), { domain: 'graded' });
      // By construction: a graded draw lies in the graded half of the value space...
      expect(domainOf(p, v.values)).toBe('graded');
      graded.set(valuesKey(v.values), s.id);
    }
    // ... and the class's variants are many, not a handful (a 200-student class shares few).
    expect(graded.size).toBeGreaterThan(Math.min(20, ROSTER.length / 10));
    const practice = [
      ...PRACTICE_SEEDS.map((seed) => ({ how: `seed ${seed}`, seed })),
      ...ROSTER.map((s) => ({ how: `?student=${s.id}`, seed: studentSeed(s.id, p.id) })),
    ];
    for (const { how, seed } of practice) {
      const v = variantOf(p, seed);
      // ... and a practice draw (the homework aside, which no graded draw repeats) in the other.
      if (seed !== 0) expect(domainOf(p, v.values), how).toBe('practice');
      expect(graded.get(valuesKey(v.values)), `${p.id}: ${how} gives the graded variant of ${graded.get(valuesKey(v.values))}`).toBeUndefined();
    }
  }, 120_000);

  it('a graded seed typed into practice gives a practice variant, not the graded one', () => {
    const p = problems.find((x) => x.id === 'hw1/q1')!;
    const seed = gradedSeed(SECRET, 'hw1', 'S001', p.id);
    const graded = variantOf(p, seed, { domain: 'graded' });
    const practice = variantOf(p, seed);
    expect(valuesKey(practice.values)).not.toBe(valuesKey(graded.values));
    expect(domainOf(p, practice.values)).toBe('practice');
  });
});

describe('the course secret', () => {
  const hw1 = problemSet('hw1', problems);

  it('keys the seeds: the same secret and roster give the same keys, two secrets different ones', () => {
    const a = studentKeys(hw1, ROSTER.slice(0, 40), SECRET);
    expect(studentKeys(hw1, ROSTER.slice(0, 40), SECRET)).toEqual(a);
    const b = studentKeys(hw1, ROSTER.slice(0, 40), OTHER);
    const seeds = (k: typeof a) => k.map((s) => s.problems.map((p) => p.seed).join(','));
    // Every student's seeds differ; their variants differ for most (a space has finitely many).
    expect(seeds(a).filter((s, i) => s === seeds(b)[i])).toEqual([]);
    const values = (k: typeof a) => k.map((s) => JSON.stringify(s.problems.map((p) => p.values)));
    expect(values(a).filter((v, i) => v !== values(b)[i]).length).toBeGreaterThan(30);
    expect(keyCsv(hw1, a)).not.toBe(keyCsv(hw1, b));
    // HMAC-SHA-256, first 4 bytes: pinned, so a grader can recompute a seed.
    expect(gradedSeed(SECRET, 'hw1', ' s001 ', 'hw1/q1')).toBe(gradedSeed(SECRET, 'hw1', 'S001', 'hw1/q1'));
    expect(gradedSeed(SECRET, 'hw1', 'S001', 'hw1/q1')).toMatchInlineSnapshot(`895619535`);
  });

  it('keys the LMS banks too, and no export holds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-export-'));
    const bank = async (secret: string, out: string) => {
      process.env.WORKBOOK_SECRET = secret;
      const code = await run(['export', 'moodle', '--set', 'hw1', '--variants', '3', '--out', join(dir, out)], { out: () => {}, err: () => {} });
      expect(code).toBe(0);
      return readFileSync(join(dir, out), 'utf8');
    };
    try {
      const a = await bank(SECRET, 'a.xml');
      expect(await bank(SECRET, 'a2.xml')).toBe(a);
      expect(await bank(OTHER, 'b.xml')).not.toBe(a);
      expect(a).not.toContain(SECRET);
      expect(readFileSync(join(dir, 'b.xml'), 'utf8')).not.toContain(OTHER);
    } finally {
      process.env.WORKBOOK_SECRET = SECRET;
    }
  });

  it('comes from WORKBOOK_SECRET, else the file `workbook secret init` writes, git-ignored; none is an error saying how to make one', async () => {
    const root = writeCourse({ ...OWN_COURSE, '.gitignore': 'node_modules' });
    expect(() => courseSecret(root, {})).toThrow(NO_SECRET);
    expect(NO_SECRET).toBe("no course secret: run 'workbook secret init' (writes .workbook-secret, git-ignored) or set WORKBOOK_SECRET");
    expect(() => courseSecret(root, { WORKBOOK_SECRET: 'short' })).toThrow(/WORKBOOK_SECRET is 5 characters; at least 16/);
    expect(courseSecret(root, { WORKBOOK_SECRET: SECRET })).toBe(SECRET);
    let out = '';
    expect(await run(['secret', 'init', '--course', root], { out: (t) => (out += t), err: (t) => (out += t) })).toBe(0);
    expect(out).toContain('a new course secret (added to .gitignore)');
    const path = join(root, SECRET_FILE);
    const secret = readFileSync(path, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toBe('node_modules\n.workbook-secret\n');
    expect(courseSecret(root, {})).toBe(secret);
    // The environment wins; a second init keeps the secret (keys already handed out depend on it).
    expect(courseSecret(root, { WORKBOOK_SECRET: SECRET })).toBe(SECRET);
    expect(initSecret(root)).toEqual({ path, created: false, addedToGitignore: false });
    expect(readFileSync(path, 'utf8').trim()).toBe(secret);
  });

  it('graded commands without a secret stop with that one line, exit 1, and write nothing', async () => {
    const root = writeCourse(OWN_COURSE);
    const saved = process.env.WORKBOOK_SECRET;
    const savedDir = process.env.WORKBOOK_COURSE_DIR;
    delete process.env.WORKBOOK_SECRET;
    process.env.WORKBOOK_COURSE_DIR = root;
    try {
      const roster = join(root, 'roster.csv');
      writeFileSync(roster, 'id\nalice\n');
      const out = join(root, 'out');
      for (const argv of [
        ['handouts', '--set', 'hw2', '--roster', roster, '--out', out],
        ['export', 'moodle', '--set', 'hw2', '--variants', '3', '--out', join(out, 'q.xml')],
        ['export', 'qti', '--set', 'hw2', '--variants', '3', '--out', join(out, 'q.zip')],
      ]) {
        let err = '';
        const code = await run(argv, { out: () => {}, err: (t) => (err += t + '\n') });
        expect([code, err], argv.join(' ')).toEqual([1, `workbook ${argv[0]}: ${NO_SECRET}\n`]);
        expect(existsSync(out)).toBe(false);
      }
      const { runAnswers } = await import('../../src/cli/answers.ts');
      for (const argv of [['hw2/q1', '--roster', roster], ['hw2/q1', '--student', 'alice']]) {
        let err = '';
        let stdout = '';
        const code = await runAnswers(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (err += t) } }, root);
        expect([code, err, stdout]).toEqual([1, `workbook answers: ${NO_SECRET}\n`, '']);
      }
    } finally {
      if (saved === undefined) delete process.env.WORKBOOK_SECRET;
      else process.env.WORKBOOK_SECRET = saved;
      if (savedDir === undefined) delete process.env.WORKBOOK_COURSE_DIR;
      else process.env.WORKBOOK_COURSE_DIR = savedDir;
    }
  });
});

describe('the roster', () => {
  it('reads the name column beside the id, and the key lists it', () => {
    const students = parseRoster('Student ID,Name\nS001,"Lovelace, Ada"\nghopper,Grace Hopper\n', 'roster.csv');
    expect(students).toEqual([{ id: 'S001', name: 'Lovelace, Ada', line: 2 }, { id: 'ghopper', name: 'Grace Hopper', line: 3 }]);
    const hw1 = problemSet('hw1', problems);
    const csv = keyCsv(hw1, studentKeys(hw1, students, SECRET)).split('\n');
    expect(csv[0]!.startsWith('student,name,hw1/q1 seed,')).toBe(true);
    expect(csv[1]!.startsWith(`S001,"Lovelace, Ada",${gradedSeed(SECRET, 'hw1', 'S001', 'hw1/q1')},`)).toBe(true);
  });

  it('keeps the id\'s case in file names, made safe for a file system', () => {
    expect(fileNameOf('S001')).toBe('S001');
    expect(fileNameOf('Ada.Lovelace@uni.edu')).toBe('Ada.Lovelace@uni.edu');
    expect(fileNameOf('../etc/passwd')).toBe('__etc_passwd');
    expect(fileNameOf('Zoë Ünal')).toBe('Zoë_Ünal');
  });

  it.each([
    ['a repeated id (case and spaces aside)', 'id,name\nS001,A\nS002,B\n s001 ,C\n', "roster.csv:4: student id 's001' repeats 'S001' of line 2; each student once"],
    ['an empty id', 'id,name\nS001,A\n\n,B\n', 'roster.csv:4: no id on this row'],
    ['two ids with one file name', 'id\na/b\na:b\n', "roster.csv:3: student ids 'a/b' (line 2) and 'a:b' give the same file name a_b.pdf; make the ids differ in a letter or digit"],
    ['two ids whose file names differ only in case', 'id\nx y\nX_Y\n', "roster.csv:3: student ids 'x y' (line 2) and 'X_Y' give the same file name X_Y.pdf; make the ids differ in a letter or digit"],
  ])('locates %s', (_what, text, message) => {
    expect(() => parseRoster(text, 'roster.csv')).toThrow(message);
  });

  it('locates bytes that are not UTF-8 at their line', () => {
    const bytes = Buffer.concat([Buffer.from('id,name\nS001,Ada\nS002,Bob\n'), Buffer.from([0x53, 0x30, 0x30, 0xff, 0x2c, 0x43, 0x0a])]);
    expect(() => parseRoster(bytes, 'roster.csv')).toThrow('roster.csv:4: not UTF-8 (save the roster as UTF-8 text)');
    // Through the command, one line, exit 1.
    const dir = mkdtempSync(join(tmpdir(), 'roster-bytes-'));
    writeFileSync(join(dir, 'roster.csv'), bytes);
    return run(['handouts', '--set', 'hw1', '--roster', join(dir, 'roster.csv'), '--out', join(dir, 'out')], { out: () => {}, err: (t) => expect(t).toBe(`workbook handouts: ${join(dir, 'roster.csv')}:4: not UTF-8 (save the roster as UTF-8 text)`) });
  });
});

describe('the course file: graded sets and what the student edition carries', () => {
  it('reads graded: true and studentEdition, defaults unchanged, and locates a mistake with the nearest name', async () => {
    const { forgetCourse, isGradedSet, studentEditionParts } = await import('../../src/workbook/course.ts');
    const plain = writeCourse(OWN_COURSE);
    forgetCourse();
    expect([isGradedSet('hw2', plain), studentEditionParts(plain)]).toEqual([false, { analyzer: true, guide: true }]);
    const graded = writeCourse({
      ...OWN_COURSE,
      'content/course.yaml': 'title: T\nsets:\n  hw2: { title: H, graded: true }\nstudentEdition: { analyzer: false }\n',
    });
    forgetCourse();
    expect([isGradedSet('hw2', graded), studentEditionParts(graded)]).toEqual([true, { analyzer: false, guide: true }]);
    const wrong = writeCourse({ ...OWN_COURSE, 'content/course.yaml': 'title: T\nsets:\n  hw2: { title: H, graded: yes }\nstudentEdition: { analyser: false }\n' });
    let out = '';
    expect(await run(['check', '--course', wrong], { out: (t) => (out += t + '\n'), err: (t) => (out += t + '\n') })).toBe(1);
    expect(out).toContain('content/course.yaml:3:20: sets.hw2.graded: Invalid input: expected boolean, received string');
    expect(out).toContain('content/course.yaml:4:19: studentEdition.analyser: unknown field; did you mean analyzer?; allowed: analyzer, guide');
  });
});

describe('a space too small for practice and graded variants apart', () => {
  it('is an error of workbook check at its params, saying what to change', async () => {
    const tiny = OWN_COURSE['problems/hw2/q1.mdx']!.replace('c: { default: 8, choices: [4, 8, 16], label: channels }', 'c: { default: 8, choices: [8, 16], label: channels }');
    expect(tiny).not.toBe(OWN_COURSE['problems/hw2/q1.mdx']);
    const dir = writeCourse({ ...OWN_COURSE, 'problems/hw2/q1.mdx': tiny });
    let out = '';
    expect(await run(['check', '--course', dir], { out: (t) => (out += t + '\n'), err: (t) => (out += t + '\n') })).toBe(1);
    expect(out).toMatch(/^problems\/hw2\/q1\.mdx:\d+:\d+: seed \d: no variant met every rule in 1000 draws; most often refused by 'the values belong to (graded|practice) variants' \(\d+ times\): the space is too small to keep practice and graded variants apart; add values to a choice or widen a range$/m);
  });
});
