/**
 * `workbook init DIR [--title T] [--gitlab] [--generator SPEC]`: a new course in its own folder,
 * that installs and builds as it is. It writes the course file, one chapter, one problem, a
 * package.json whose one dependency is this generator, .gitignore, .npmrc, a README with the
 * course's commands, and a CI workflow that checks, builds and publishes the site (GitHub Pages,
 * or GitLab Pages with --gitlab) with its base path set. It refuses a folder that is not empty.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { Io } from './main.ts';
import { GENERATOR_ROOT } from './site.ts';

export const INIT_USAGE = `usage: workbook init DIR [--title "My course"] [--gitlab] [--generator SPEC]

  DIR            the course's folder (created; it must be empty or absent)
  --title T      the course's title (default: from the folder's name)
  --gitlab       a GitLab Pages pipeline (.gitlab-ci.yml) instead of a GitHub Pages workflow
  --generator S  how the course's package.json names this generator: an npm version range, a
                 tarball (npm pack) or a git URL; default: this generator's own version when it is
                 installed from a registry, else its folder (file:...)`;

class UsageError extends Error {}

interface GeneratorPackage {
  name: string;
  version: string;
  devDependencies?: Record<string, string>;
}

const generatorPackage = (): GeneratorPackage => JSON.parse(readFileSync(join(GENERATOR_ROOT, 'package.json'), 'utf8')) as GeneratorPackage;

/** The dependency spec of the generator in a new course's package.json. */
function generatorSpec(given: string | undefined, dir: string): string {
  if (given !== undefined) {
    // A local tarball or folder: as a path relative to the course, so the folder can move with it.
    if (/\.(tgz|tar\.gz)$/.test(given) || given.startsWith('.') || given.startsWith('/')) {
      const path = resolve(given.replace(/^file:/, ''));
      return `file:${relative(dir, path).split(sep).join('/') || '.'}`;
    }
    return given;
  }
  if (GENERATOR_ROOT.split(sep).includes('node_modules')) return `^${generatorPackage().version}`;
  return `file:${GENERATOR_ROOT.replace(/[\\/]$/, '')}`;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'course';
const titleOf = (name: string) => {
  const words = name.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
const yamlString = (s: string) => JSON.stringify(s);

/** Every file of a new course, by path relative to its folder. */
export function courseFiles(options: { name: string; title: string; generator: string; gitlab: boolean; generatorName: string; nodeVersion: string }): Record<string, string> {
  const { name, title, generator, gitlab, generatorName, nodeVersion } = options;
  const files: Record<string, string> = {};
  files['package.json'] =
    JSON.stringify(
      {
        name: slug(name),
        private: true,
        type: 'module',
        description: `${title}: a course workbook (problems, reading, answers computed by the engine)`,
        scripts: {
          build: 'workbook build',
          check: 'workbook check',
          dev: 'workbook dev',
          preview: 'workbook preview',
          pdf: 'workbook pdf',
          workbook: 'workbook',
        },
        dependencies: { [generatorName]: generator },
        // Node 22 for the scripts (Astro 7 needs 22.12+), whatever the system's Node is.
        devDependencies: { node: nodeVersion },
        allowScripts: { node: true, esbuild: true },
      },
      null,
      2,
    ) + '\n';
  files['.npmrc'] = `# npm itself runs on the system's Node (maybe 20) while every npm script runs on the Node 22 the
# 'node' dev dependency installs; npm would warn (EBADENGINE) about each package that asks for
# Node 22, about 50 lines. Errors are still shown.
engine-strict=false
loglevel=error
fund=false
audit=false
`;
  files['.gitignore'] = `node_modules/
dist/
dist.partial-*/
.astro/
*.log
`;
  files['content/course.yaml'] = `# The course: title, sets (in index order), units (reading and sets in teaching order), topics.
# Checked by \`npm run check\` and before every build. Every field: the authoring guide
# (/guides/authoring/ in the solutions edition of your site).
title: ${yamlString(title)}
# name: Short name          # the header and tab title (default: the title)
lede: >-
  Parameters, bytes, operations and time of neural networks, worked out step by step. Every answer
  is computed by the workbook's engine and shown with its derivation.
# logo: logo.svg            # beside the name in the header: a path relative to this file, or a URL
# accent: "#0b6e4f"         # the colour of links and buttons
# site: https://you.github.io/${slug(name)}/   # the published address (CI sets it too)

sets:
  hw1:
    title: "Homework 1: counting a small network"
    description: Parameters and their storage, to start with.

units:
  - id: counting
    title: "Counting parameters"
    summary: How many parameters a network has, and how many bytes they take.
    chapters: [counting]
    sets: [hw1]

topics: [parameters, model size, MACs]
`;
  files['content/chapters/counting.mdx'] = `---
title: "Counting parameters"
summary: "Weights and biases of a fully connected layer, and what they take in memory."
topics: [parameters, model size]
---

A fully connected layer from $n$ inputs to $m$ outputs has $n \\cdot m$ weights and $m$ biases:
$n \\cdot m + m$ parameters. Stored at $b$ bits each, they take $(n \\cdot m + m) \\cdot b / 8$ bytes.

The problems of [Homework 1](../../sets/hw1/) ask this of whole networks; every answer there is the
engine's, with its derivation.
`;
  files['problems/hw1/q1.mdx'] = `---
title: "HW1 Q1: a small fully connected network"
source: "Homework 1, question 1"
set: hw1
order: 1
topics: [parameters, model size]
difficulty: warm-up       # warm-up | core | challenge
model: { name: my-mlp, mlp: [784, 128, 10] }   # a built-in id (npx workbook models), widths, a JSON definition or ./models/net.onnx
given:
  paramBits: 32           # also: activationBits, batch, clockMHz, cyclesPerMac, hardware
---

Consider the fully connected network <Network inline />, stored as <Given name="paramBits" />-bit values.

<Network />

<Question label="a">
How many parameters does it have?

<Answer of="params" expect={101770} />
</Question>

<Question label="b">
How many bytes do they take?

<Answer of="paramBytes" />
</Question>
`;
  files['README.md'] = `# ${title}

A course workbook made with the efficiency workbook generator (${generatorName}): problems in
\`problems/<set>/<name>.mdx\`, the reading in \`content/chapters/\`, the course in
\`content/course.yaml\`. Every answer and its derivation is computed by the generator's engine.

## Two commands

\`\`\`sh
npm install && npm run build   # set up (the generator and Node 22), then build the site into dist/
npm run check                  # check every problem and the course file, in seconds
\`\`\`

\`npm run dev\` previews the site at http://127.0.0.1:4321 while you write (a saved problem is
re-solved and shown); \`npm run preview\` serves the built site.

## Writing

- a problem: \`npx workbook new problem hw1/q2\` (or \`--model models/net.onnx\` for your own model;
  put ONNX and JSON models in \`models/\` and name them in a problem as \`model: ../../models/net.onnx\`,
  relative to the problem file)
- answer keys, quizzes, handouts: \`npx workbook answers --all --seeds 1-20\`,
  \`npx workbook export moodle --set hw1 --variants 20 --out quiz.xml\`,
  \`npx workbook handouts --set hw1 --roster roster.csv\` (after a build)
- every component and answer kind: the authoring guide, \`/guides/authoring/\` on the solutions
  edition of the site (\`npm run dev\`)

## Publishing

${gitlab ? '`.gitlab-ci.yml` checks, builds and publishes the site to GitLab Pages on every push to the default branch, with the base path of the project\'s Pages address.' : '`.github/workflows/pages.yml` checks, builds and publishes the site to GitHub Pages on every push to `main`, with the base path of the repository\'s Pages address (`/<repository>/`). Turn it on once: the repository\'s Settings → Pages → Source: GitHub Actions.'}
The student edition (blanks for the answers) is \`npx workbook build --edition student\`.

## Upgrading the generator

\`npm install ${generatorName}@latest\` (or the new tarball or git URL), then \`npm run check\`.
`;
  if (gitlab) {
    files['.gitlab-ci.yml'] = `# Checks and builds the course, and publishes it to GitLab Pages (the default branch only).
pages:
  image: node:22
  script:
    - npm install
    - npx workbook check
    # The site's path under the Pages host: /<project>/ on a project's default Pages address.
    - BASE_PATH="$(echo "$CI_PAGES_URL" | sed -E 's#^https?://[^/]+##')/"
    - npx workbook build --site "$CI_PAGES_URL" --base "$BASE_PATH" --out public
  artifacts:
    paths: [public]
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
`;
  } else {
    files['.github/workflows/pages.yml'] = `# Checks and builds the course, and publishes it to GitHub Pages on every push to main.
# Once: Settings -> Pages -> Source: GitHub Actions.
name: Publish the course
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - run: npm install
      - run: npx workbook check
      - name: Build (a project site is served under /<repository>/; <owner>.github.io at /)
        run: |
          OWNER="\${{ github.repository_owner }}"
          REPO="\${{ github.event.repository.name }}"
          if [ "\${REPO,,}" = "\${OWNER,,}.github.io" ]; then BASE_PATH=/; else BASE_PATH="/\${REPO}/"; fi
          npx workbook build --site "https://\${OWNER,,}.github.io" --base "$BASE_PATH"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: dist
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
`;
  }
  return files;
}

export function runInit(argv: readonly string[], io: Io): number {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { title: { type: 'string' }, gitlab: { type: 'boolean' }, generator: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) return (io.out(INIT_USAGE), 0);
    const [target, ...extra] = positionals;
    if (!target) throw new UsageError('where? workbook init DIR, e.g. workbook init my-course');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const dir = resolve(target);
    if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${target} is not empty: init writes a new course into an empty or new folder`);
    const name = basename(dir);
    const files = courseFiles({
      name,
      title: values.title ?? titleOf(name),
      generator: generatorSpec(values.generator, dir),
      gitlab: values.gitlab ?? false,
      generatorName: generatorPackage().name,
      // The Node the generator is tested on (its own dev dependency), as the generator's dependencies are pinned (npm-shrinkwrap.json).
      nodeVersion: generatorPackage().devDependencies?.node ?? '^22.12.0',
    });
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const ci = values.gitlab ? '.gitlab-ci.yml' : '.github/workflows/pages.yml';
    io.out(`wrote a course in ${target}: ${Object.keys(files).join(', ')}
next:
  - cd ${target} && npm install && npm run build     (set up, then build the site into dist/)
  - edit content/course.yaml: the title, the sets, the units
  - edit problems/hw1/q1.mdx, or add one: npx workbook new problem hw1/q2
  - npm run check while you write, npm run dev to see it
  - push to a repository: ${ci} publishes the site`);
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError || (error instanceof TypeError && 'code' in error);
    io.err(`workbook init: ${(error as Error).message}${usage ? `\n\n${INIT_USAGE}` : ''}`);
    return usage ? 2 : 1;
  }
}
