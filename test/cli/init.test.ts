/**
 * `workbook init` (src/cli/init.ts) and `--course` on the commands that read a course, run from
 * this checkout (the packed generator: package.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseFiles } from '../../src/cli/init.ts';

const repo = resolve(import.meta.dirname, '../..');
const cli = join(repo, 'src/cli/workbook.js');
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'WORKBOOK_COURSE_DIR'));
const workbook = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env });

describe('workbook init', () => {
  const work = mkdtempSync(join(tmpdir(), 'workbook-init-'));

  it('writes a course that checks clean, and names next only files that exist', () => {
    const r = workbook(['init', 'algo-course', '--title', 'Efficient algorithms'], work);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const dir = join(work, 'algo-course');
    for (const f of ['content/course.yaml', 'problems/hw1/q1.mdx', '.github/workflows/pages.yml']) {
      expect(r.stdout).toContain(f);
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'content/course.yaml'), 'utf8')).toContain('title: "Efficient algorithms"');
    // The problem's expect is the engine's: 784·128 + 128 + 128·10 + 10 parameters.
    expect(readFileSync(join(dir, 'problems/hw1/q1.mdx'), 'utf8')).toContain(`expect={${784 * 128 + 128 + 128 * 10 + 10}}`);
    const check = workbook(['check', '--course', dir], work);
    expect(check.stderr).toBe('');
    expect(check.stdout).toMatch(/^1 problem checked in [\d.]+ s: no errors$/m);
    // From a checkout, the course depends on the checkout's folder.
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies['efficiency-workbook']).toBe(`file:${repo.replace(/\/$/, '')}`);
    expect(pkg.devDependencies.node).toBe(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).devDependencies.node);
    expect(readFileSync(join(dir, '.npmrc'), 'utf8')).toMatch(/^loglevel=error$/m);
  });

  it('refuses a folder that is not empty', () => {
    mkdirSync(join(work, 'taken'));
    writeFileSync(join(work, 'taken/notes.txt'), 'mine');
    const r = workbook(['init', 'taken'], work);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('workbook init: taken is not empty: init writes a new course into an empty or new folder\n');
  });

  it('--gitlab: a GitLab Pages pipeline with the base path of the Pages address, into public/', () => {
    const files = courseFiles({ name: 'c', title: 'C', generator: '^0.1.0', gitlab: true, generatorName: 'efficiency-workbook', nodeVersion: '^22.23.3' });
    expect(files['.github/workflows/pages.yml']).toBeUndefined();
    const ci = files['.gitlab-ci.yml']!;
    expect(ci).toContain(`BASE_PATH="$(echo "$CI_PAGES_URL" | sed -E 's#^https?://[^/]+##')/"`);
    expect(ci).toContain('npx workbook build --site "$CI_PAGES_URL" --base "$BASE_PATH" --out public');
    expect(ci).toContain('paths: [public]');
  });

  it('GitHub Pages: /<repository>/ for a project site, / for <owner>.github.io', () => {
    const files = courseFiles({ name: 'c', title: 'C', generator: '^0.1.0', gitlab: false, generatorName: 'efficiency-workbook', nodeVersion: '^22.23.3' });
    const ci = files['.github/workflows/pages.yml']!;
    expect(ci).toContain('if [ "${REPO,,}" = "${OWNER,,}.github.io" ]; then BASE_PATH=/; else BASE_PATH="/${REPO}/"; fi');
    expect(ci).toContain('actions/deploy-pages');
  });
});

describe('--course from another folder: a model path resolves against the problem file', () => {
  it('check, answers and export read the course and its ONNX model from elsewhere (the export has its figure)', () => {
    const work = mkdtempSync(join(tmpdir(), 'workbook-course-flag-'));
    expect(workbook(['init', 'c'], work).status).toBe(0);
    const dir = join(work, 'c');
    mkdirSync(join(dir, 'models'));
    copyFileSync(join(repo, 'test/fixtures/onnx/pytorch/mlp_784_256_128_10.onnx'), join(dir, 'models/mlp.onnx'));
    const made = workbook(['new', 'problem', 'hw1/onnx', '--model', 'models/mlp.onnx'], dir);
    expect(made.stderr).toBe('');
    expect(readFileSync(join(dir, 'problems/hw1/onnx.mdx'), 'utf8')).toContain('model: ../../models/mlp.onnx');
    const elsewhere = mkdtempSync(join(tmpdir(), 'workbook-elsewhere-'));
    expect(workbook(['check', '--course', dir], elsewhere).stdout).toMatch(/^2 problems checked/m);
    // answers finds the course's problem (a problem without params has no answer key of variants).
    const key = workbook(['answers', 'hw1/onnx', '--seeds', '1-3', '--course', dir], elsewhere);
    expect(key.stderr).toBe('workbook answers: problems/hw1/onnx.mdx has no params: it has one variant, its page\n');
    // Graded exports need the course's secret (issue 23): made once, in the course folder, git-ignored.
    expect(workbook(['export', 'moodle', '--set', 'hw1', '--variants', '2', '--out', 'quiz.xml', '--course', dir], elsewhere).stderr).toMatch(/no course secret: run 'workbook secret init'/);
    expect(workbook(['secret', 'init', '--course', dir], elsewhere).status).toBe(0);
    const quiz = workbook(['export', 'moodle', '--set', 'hw1', '--variants', '2', '--out', 'quiz.xml', '--course', dir], elsewhere);
    expect(quiz.stderr).toBe('');
    expect(quiz.status).toBe(0);
    expect(readFileSync(join(elsewhere, 'quiz.xml'), 'utf8')).toContain(`<text>${784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10}</text>`);
  });
});
