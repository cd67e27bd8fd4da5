/**
 * `workbook build | dev | preview | pdf [--course DIR]`: the site of a course, from the course's
 * folder. Astro runs with the generator's folder as its root (its pages, components, the
 * authoring guide) and reads the course from WORKBOOK_COURSE_DIR; a course outside this folder
 * gets its own output (`DIR/dist`) and content cache (`DIR/.astro/cache`).
 *
 *   workbook build   [--course DIR] [--out DIR] [--base /path/] [--site URL] [--edition student]
 *   workbook dev     [--course DIR] [--port N] [--host H]     live preview; a saved problem is re-solved
 *   workbook preview [--course DIR] [--port N] [--host H]     serves the built site
 *   workbook pdf     [--course DIR] ...                       the build, with each set printed to PDF
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Io } from './main.ts';

/** The generator's folder: Astro's root. */
export const GENERATOR_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const SITE_USAGE = `usage: workbook (build | dev | preview | pdf) [--course DIR] [options]

  build     check the course, then build its site into DIR/dist (nothing is replaced on an error)
  dev       live preview on http://127.0.0.1:4321: a saved problem is re-solved and shown
  preview   serve the built site
  pdf       build, and print each set's handout, solutions and key to PDF

  --course DIR     the course's folder (problems/, content/); default: WORKBOOK_COURSE_DIR or .
  --out DIR        where the site goes (default DIR/dist)
  --base PATH      the path the site is served under, e.g. /my-course/ for a project's GitHub Pages
  --site URL       the site's address (default: site: in content/course.yaml)
  --edition E      solutions (default) or student
  --port N --host H    dev and preview: where to listen (default 127.0.0.1:4321)`;

class UsageError extends Error {}

/** Astro 7 needs Node 22.12 or later. */
function nodeOk(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 12);
}

/**
 * The Node to run Astro with: this one when it is recent enough, else the Node 22 a course's
 * `node` dev dependency installs (a course made by `workbook init` has one), else an error.
 */
function nodeBinary(course: string): string {
  if (nodeOk(process.versions.node)) return process.execPath;
  for (const dir of [course, GENERATOR_ROOT, join(GENERATOR_ROOT, '..', '..')]) {
    const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
    if (existsSync(bin)) return bin;
  }
  throw new Error(`Astro needs Node 22.12 or later and this is Node ${process.versions.node}: run it as an npm script (npm run build; a course's package.json brings Node 22 as the 'node' package) or install Node 22`);
}

function astroBin(): string {
  const require = createRequire(join(GENERATOR_ROOT, 'package.json'));
  // astro's exports list no package.json; its main entry sits in dist/, the bin beside it.
  const main = require.resolve('astro');
  let dir = dirname(main);
  while (!existsSync(join(dir, 'bin', 'astro.mjs'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find astro/bin/astro.mjs');
    dir = up;
  }
  return join(dir, 'bin', 'astro.mjs');
}

/**
 * Node strips no types under node_modules: installed in a course, the generator's config (which
 * imports its TypeScript) would fail to load natively and Astro would load it through Vite, whose
 * module runner closes before the integrations' late imports (Pagefind, the PDFs). tsx's loader
 * lets Node load it as in a checkout.
 */
function typeScriptLoader(): string[] {
  if (!GENERATOR_ROOT.split(sep).includes('node_modules')) return [];
  const require = createRequire(join(GENERATOR_ROOT, 'package.json'));
  return ['--import', pathToFileURL(require.resolve('tsx/esm')).href];
}

export const SITE_COMMANDS = ['build', 'dev', 'preview', 'pdf'] as const;
export type SiteCommand = (typeof SITE_COMMANDS)[number];

export function isSiteCommand(name: string | undefined): name is SiteCommand {
  return (SITE_COMMANDS as readonly (string | undefined)[]).includes(name);
}

/** The environment and arguments of the Astro run for a course; exported for tests. */
export function astroRun(command: SiteCommand, argv: readonly string[]): { args: string[]; env: NodeJS.ProcessEnv; course: string; outDir: string } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      course: { type: 'string' },
      out: { type: 'string' },
      base: { type: 'string' },
      site: { type: 'string' },
      edition: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new HelpRequest();
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const course = resolve(values.course ?? process.env.WORKBOOK_COURSE_DIR ?? '.');
  if (!existsSync(join(course, 'problems')) && !existsSync(join(course, 'content'))) {
    throw new Error(`${course} is no course: it has no problems/ and no content/ (workbook init DIR writes one)`);
  }
  if (values.edition !== undefined && values.edition !== 'student' && values.edition !== 'solutions') throw new UsageError(`--edition is solutions or student, got '${values.edition}'`);
  const own = resolve(course) === resolve(GENERATOR_ROOT);
  const outDir = resolve(values.out ?? (own ? join(GENERATOR_ROOT, 'dist') : join(course, 'dist')));
  const env: NodeJS.ProcessEnv = { ...process.env, WORKBOOK_COURSE_DIR: course };
  if (!own || values.out) env.WORKBOOK_OUT_DIR = outDir;
  if (!own) env.WORKBOOK_CACHE_DIR = join(course, '.astro', 'cache');
  // Node's code cache for Astro's run too, from its first module (astro.config.mjs enables it only
  // for what loads after it); the same folder module.enableCompileCache() picks by default.
  if (!env.NODE_COMPILE_CACHE && !env.NODE_DISABLE_COMPILE_CACHE) env.NODE_COMPILE_CACHE = join(tmpdir(), 'node-compile-cache');
  if (values.base) env.WORKBOOK_BASE = values.base;
  if (values.site) env.WORKBOOK_SITE = values.site;
  if (values.edition) env.WORKBOOK_EDITION = values.edition;
  if (command === 'pdf') env.WORKBOOK_PDF = '1';
  const args = [command === 'pdf' ? 'build' : command, '--root', GENERATOR_ROOT];
  if (command === 'dev' || command === 'preview') args.push('--host', values.host ?? '127.0.0.1', ...(values.port ? ['--port', values.port] : []));
  else if (values.port || values.host) throw new UsageError(`--port and --host are for dev and preview`);
  return { args, env, course, outDir };
}

class HelpRequest extends Error {}

/**
 * The command's exit code from Astro's: 130 for Ctrl-C, as shells say; killed by another signal
 * (the page watch's SIGKILL of a page that never returns) is a failed build, 1.
 */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  return code ?? (signal === 'SIGINT' ? 130 : 1);
}

export async function runSite(command: SiteCommand, argv: readonly string[], io: Io): Promise<number> {
  let run: ReturnType<typeof astroRun>;
  let node: string;
  try {
    run = astroRun(command, argv);
    node = nodeBinary(run.course);
  } catch (error) {
    if (error instanceof HelpRequest) return (io.out(SITE_USAGE), 0);
    const usage = error instanceof UsageError || (error instanceof TypeError && 'code' in error);
    io.err(`workbook ${command}: ${(error as Error).message}${usage ? `\n\n${SITE_USAGE}` : ''}`);
    return usage ? 2 : 1;
  }
  const child = spawn(node, [...typeScriptLoader(), astroBin(), ...run.args], { cwd: GENERATOR_ROOT, env: run.env, stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group; wait for it to finish.
  const stop = () => child.kill('SIGINT');
  process.on('SIGTERM', stop);
    const code = await new Promise<number>((done) => child.on('close', (c, signal) => done(exitCodeOf(c, signal))));
  process.off('SIGTERM', stop);
  if (code === 0 && command !== 'dev' && command !== 'preview') io.out(`the site is in ${run.outDir}`);
  return code;
}
