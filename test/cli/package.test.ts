/**
 * The generator as an instructor gets it: `npm pack`, `workbook init` in a folder outside this
 * repository, the tarball installed there, a problem on an ONNX model of the course's `models/`,
 * then check, build, export (Moodle, QTI) and handouts from the course's folder, and again from
 * elsewhere with --course. The site holds the course's pages and model pages, and nothing of the
 * example course (no page, link, model or search entry).
 *
 * The install is offline-first (`npm install --prefer-offline`): every package the course needs is
 * one the repository installed, so npm takes them from its cache (~/.npm) without downloading;
 * it still asks the registry whether its cached metadata is fresh, which is most of the minute
 * it takes. (Linking the repository's node_modules instead would not test the package's own
 * dependency list.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOO_IDS } from '../../src/engine/index.ts';
import { readManifest, staleReason } from '../../src/site/client-prebuild.ts';
import { nodeStaleReason } from '../../src/site/node-prebuild.ts';

const repo = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'workbook-package-'));
const course = join(work, 'my-course');
const elsewhere = join(work, 'elsewhere');
const timings: Record<string, number> = {};
// No course folder or npm setting from the test's own environment: the course's own .npmrc holds.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'WORKBOOK_COURSE_DIR' && !k.startsWith('npm_config_')));

/** Runs the course's own `workbook` (its node_modules/.bin first on PATH, as npm scripts do). */
function workbook(args: string[], cwd: string) {
  const started = performance.now();
  const result = spawnSync(join(course, 'node_modules/.bin/workbook'), args, {
    cwd,
    encoding: 'utf8',
    env: { ...cleanEnv, PATH: `${join(course, 'node_modules/.bin')}:${process.env.PATH}`, ASTRO_TELEMETRY_DISABLED: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  timings[`${args[0]}${cwd === course ? '' : ' --course'}`] = (performance.now() - started) / 1000;
  return result;
}

function timed<T>(name: string, body: () => T): T {
  const started = performance.now();
  try {
    return body();
  } finally {
    timings[name] = (performance.now() - started) / 1000;
  }
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

// 784·256 + 256 + 256·128 + 128 + 128·10 + 10: the ONNX export of PyTorch's 784-256-128-10 MLP.
const onnxParams = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
const onnxProblem = 'problems/hw1/onnx.mdx';

const runs: Record<string, ReturnType<typeof workbook>> = {};
/** The installed generator, and why its prebuilt page scripts were stale right after the install (undefined: fresh). */
const installed = join(course, 'node_modules/efficiency-workbook');
let shippedStale: string | undefined = 'not checked';
/** The same for its prebuilt engine for Node (src/site/node-prebuild.ts). */
let shippedNodeStale: string | undefined = 'not checked';

beforeAll(() => {
  const tarball = timed('pack', () => {
    const out = execFileSync('npm', ['pack', '--pack-destination', work, '--loglevel', 'error'], { cwd: repo, encoding: 'utf8' });
    return join(work, out.trim().split('\n').pop()!);
  });
  const init = spawnSync(process.execPath, [join(repo, 'src/cli/workbook.js'), 'init', 'my-course', '--generator', tarball], { cwd: work, encoding: 'utf8' });
  expect(init.stderr).toBe('');
  expect(init.status).toBe(0);
  runs.init = init;
  runs.install = timed('install', () =>
    spawnSync('npm', ['install', '--prefer-offline'], { cwd: course, encoding: 'utf8', env: cleanEnv }),
  );
  expect(runs.install.status, runs.install.stderr).toBe(0);
  // Before any build could bundle them: the package's own (src/site/client-prebuild.ts).
  shippedStale = staleReason(join(installed, 'prebuilt/client'), installed);
  shippedNodeStale = nodeStaleReason(join(installed, 'prebuilt/node'), installed);
  // A problem on the course's own ONNX model, in models/, written by `workbook new`.
  mkdirSync(join(course, 'models'));
  copyFileSync(join(repo, 'test/fixtures/onnx/pytorch/mlp_784_256_128_10.onnx'), join(course, 'models/mlp.onnx'));
  runs.new = workbook(['new', 'problem', 'hw1/onnx', '--model', 'models/mlp.onnx'], course);
  expect(runs.new.stderr).toBe('');
  const path = join(course, onnxProblem);
  writeFileSync(path, readFileSync(path, 'utf8').replace('<Answer of="params" />', `<Answer of="params" expect={${onnxParams}} />`));
  writeFileSync(join(course, 'roster.csv'), 'id,name\nada,Ada\ngrace,Grace\n');
  // The course's secret for graded exports and handouts, as the instructor makes it (git-ignored).
  runs.secret = workbook(['secret', 'init'], course);
  expect(runs.secret.status, runs.secret.stderr).toBe(0);
  // The course's look, and an image beside its chapter (relative paths against the file naming them).
  copyFileSync(join(repo, 'public/favicon.svg'), join(course, 'content/logo.svg'));
  writeFileSync(join(course, 'content/course.yaml'), `${readFileSync(join(course, 'content/course.yaml'), 'utf8')}logo: logo.svg\naccent: "#0b6e4f"\n`);
  mkdirSync(join(course, 'content/chapters/img'));
  copyFileSync(join(repo, 'public/favicon.svg'), join(course, 'content/chapters/img/figure.svg'));
  writeFileSync(join(course, 'content/chapters/counting.mdx'), `${readFileSync(join(course, 'content/chapters/counting.mdx'), 'utf8')}\n![The figure](./img/figure.svg)\n`);
  mkdirSync(elsewhere);
  // From the course's folder, then from elsewhere with --course (the output goes to the course's dist/ both times).
  for (const [suffix, cwd, flag] of [['', course, []], [' --course', elsewhere, ['--course', course]]] as const) {
    const out = (name: string) => (cwd === course ? name : join(elsewhere, name));
    runs[`check${suffix}`] = workbook(['check', ...flag], cwd);
    runs[`build${suffix}`] = workbook(['build', ...flag], cwd);
    runs[`moodle${suffix}`] = workbook(['export', 'moodle', '--set', 'hw1', '--variants', '3', '--out', out('quiz.xml'), ...flag], cwd);
    runs[`qti${suffix}`] = workbook(['export', 'qti', '--set', 'hw1', '--variants', '3', '--out', out('quiz.zip'), ...flag], cwd);
    runs[`handouts${suffix}`] = workbook(['handouts', '--set', 'hw1', '--roster', cwd === course ? 'roster.csv' : join(course, 'roster.csv'), '--out', out('handouts'), ...flag], cwd);
  }
  process.stdout.write(`package test timings (s): ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}\n`);
}, 1_200_000);

// The course's node_modules is a few hundred MB.
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('workbook init', () => {
  it('writes a course whose next steps name files that exist', () => {
    const named = [...runs.init!.stdout.matchAll(/(?:edit |: )((?:content|problems|\.github)\/[\w./-]+)/g)].map((m) => m[1]!);
    expect(named).toEqual(expect.arrayContaining(['content/course.yaml', 'problems/hw1/q1.mdx', '.github/workflows/pages.yml']));
    for (const f of named) expect(existsSync(join(course, f)), f).toBe(true);
    const pkg = JSON.parse(readFileSync(join(course, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['efficiency-workbook']);
    expect(pkg.scripts.build).toBe('workbook build');
    expect(readFileSync(join(course, '.gitignore'), 'utf8')).toMatch(/^node_modules\/$/m);
    expect(readFileSync(join(course, 'README.md'), 'utf8')).toContain('npm install && npm run build');
    // GitHub Pages serves a project site under /<repository>/.
    expect(readFileSync(join(course, '.github/workflows/pages.yml'), 'utf8')).toContain('--base "$BASE_PATH"');
  });

  it('installs quietly: no EBADENGINE warnings on the system Node', () => {
    expect(runs.install!.stderr).not.toMatch(/EBADENGINE|npm warn/i);
  });
});

describe('every step, from the course folder and with --course from elsewhere', () => {
  for (const suffix of ['', ' --course']) {
    it(`check, build, export moodle, export qti, handouts${suffix}`, () => {
      for (const step of ['check', 'build', 'moodle', 'qti', 'handouts']) {
        const r = runs[`${step}${suffix}`]!;
        expect(r.status, `${step}${suffix}: ${r.stderr}`).toBe(0);
      }
      expect(runs[`check${suffix}`]!.stdout).toMatch(/^2 problems checked in [\d.]+ s: no errors$/m);
      const out = suffix ? elsewhere : course;
      // The ONNX model's parameters are in the quiz, exact.
      const moodle = readFileSync(join(out, 'quiz.xml'), 'utf8');
      expect(moodle).toContain(`<text>${onnxParams}</text>`);
      expect(readFileSync(join(out, 'quiz.zip')).subarray(0, 2).toString()).toBe('PK');
      expect(readdirSync(join(out, 'handouts')).sort()).toEqual(['ada.pdf', 'grace.pdf', 'key.csv', 'key.json']);
    });
  }
});

describe('the page scripts', () => {
  it("ship prebuilt, fresh where npm installed the package (its dependencies beside it), and the site loads them", () => {
    expect(shippedStale).toBeUndefined();
    const manifest = readManifest(join(installed, 'prebuilt/client'))!;
    const html = readFileSync(join(course, 'dist/analyze/index.html'), 'utf8');
    const src = /<script type="module" src="\/([^"]+)"><\/script>/.exec(html)![1]!;
    expect(readFileSync(join(course, 'dist', src), 'utf8').trim()).toBe(`import"/_astro/${manifest.scripts.analyzer!.entry}";`);
    for (const file of manifest.scripts.analyzer!.files) expect(existsSync(join(course, 'dist/_astro', file)), file).toBe(true);
  });
});

describe("the engine for Node's side of the build", () => {
  it('ships prebuilt, fresh where npm installed the package: the builds load it as it is, not bundled again, not the sources', () => {
    expect(shippedNodeStale).toBeUndefined();
    for (const build of ['build', 'build --course']) {
      expect(runs[build]?.status, build).toBe(0);
      const output = `${runs[build]!.stdout}${runs[build]!.stderr}`;
      expect(output, build).not.toContain('engine for Node:');
      // Nor the page scripts (src/site/client-prebuild.ts): the build says when it bundles them.
      expect(output, build).not.toContain('client scripts bundled');
      expect(output, build).not.toContain('client scripts not prebuilt');
    }
  });
});

describe("the course's site holds the course, and nothing of the example course", () => {
  const dist = () => join(course, 'dist');
  const pages = () => files(dist()).filter((f) => f.endsWith('.html'));

  it("has the course's pages and a page for each model its problems use (its MLP, its ONNX file)", () => {
    expect(pages()).toEqual(
      expect.arrayContaining(['index.html', 'chapters/counting/index.html', 'problems/hw1/q1/index.html', 'problems/hw1/onnx/index.html', 'models/index.html', 'models/my-mlp/index.html', 'models/mlp/index.html']),
    );
    const index = readFileSync(join(dist(), 'models/index.html'), 'utf8');
    expect([...index.matchAll(/<tr data-model="([^"]+)">/g)].map((m) => m[1])).toEqual(['my-mlp', 'mlp']);
    const onnxPage = readFileSync(join(dist(), 'models/mlp/index.html'), 'utf8');
    expect(onnxPage).toContain(onnxParams.toLocaleString('en-US'));
    expect(readFileSync(join(dist(), 'problems/hw1/onnx/index.html'), 'utf8')).toContain('href="/models/mlp/"');
  });

  it("shows the course file's logo and accent colour, and the chapter's own image", () => {
    const index = readFileSync(join(dist(), 'index.html'), 'utf8');
    expect(index).toContain(`<img class="site-logo" src="data:image/svg+xml;base64,${readFileSync(join(repo, 'public/favicon.svg')).toString('base64')}"`);
    expect(index).toContain('--accent: #0b6e4f;');
    expect(readFileSync(join(dist(), 'chapters/counting/index.html'), 'utf8')).toMatch(/<img src="\/_astro\/figure\.[\w-]+\.svg"[^>]* alt="The figure"/);
  });

  it('has no page, link, model or search entry of the example course', () => {
    const example = readdirSync(join(repo, 'problems'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.mdx'))
      .map((f) => ({ id: f.replace(/\.mdx$/, ''), title: (parseFrontmatter(readFileSync(join(repo, 'problems', f), 'utf8')).frontmatter as { title: string }).title }));
    const ownIds = new Set(['hw1/q1', 'hw1/onnx']);
    const exampleChapters = readdirSync(join(repo, 'content/chapters')).map((f) => f.replace(/\.mdx$/, ''));
    const html = pages().map((p) => readFileSync(join(dist(), p), 'utf8')).join('\n');
    for (const { id, title } of example) {
      if (!ownIds.has(id)) {
        expect(existsSync(join(dist(), 'problems', id)), id).toBe(false);
        expect(html, id).not.toContain(`/problems/${id}/`);
      }
      expect(html, title).not.toContain(title);
    }
    for (const c of exampleChapters) expect(html, c).not.toContain(`/chapters/${c}/`);
    for (const id of ZOO_IDS) {
      expect(existsSync(join(dist(), 'models', id)), id).toBe(false);
      expect(html, id).not.toContain(`/models/${id}/`);
      expect(html, id).not.toContain(`<option value="${id}">`);
    }
    expect(html).not.toContain('Efficiency Workbook');
    // Search: the entries are the course's pages.
    const fragments = readdirSync(join(dist(), 'pagefind/fragment')).map((f) => {
      const text = gunzipSync(readFileSync(join(dist(), 'pagefind/fragment', f))).toString('utf8');
      return (JSON.parse(text.slice(text.indexOf('{'))) as { url: string }).url;
    });
    expect(fragments.sort()).toEqual(['/chapters/counting/', '/guides/authoring/', '/models/', '/models/mlp/', '/models/my-mlp/', '/problems/hw1/onnx/', '/problems/hw1/q1/']);
  });
});
