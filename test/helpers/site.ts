/**
 * Builds the site into a temporary folder for a test, with the edition it asks for, and reads
 * the pages back. Each test file builds once (in beforeAll) and asserts on the output.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = new URL('../../', import.meta.url).pathname;

export interface BuiltSite {
  readonly dir: string;
  /** The HTML of a page, by its URL path, e.g. `/problems/hw1/q1/`. */
  page(urlPath: string): string;
  /** Every file of the output, relative to its root. */
  files(): string[];
  /** What the build printed on its standard output (Astro's log). */
  readonly log: string;
}

export interface BuildOptions {
  readonly edition?: 'solutions' | 'student';
  /** Build these problems instead of `problems/` (a folder of malformed fixtures). */
  readonly problemsDir?: string;
  /** Pre-rendered variants per randomized problem (WORKBOOK_VARIANTS); the build's default when unset. */
  readonly variants?: number;
  /** Build another course: a folder with its own `problems/` and `content/` (WORKBOOK_COURSE_DIR). */
  readonly courseDir?: string;
  /** Build into this folder rather than a new temporary one. */
  readonly outDir?: string;
  /** More environment for the build (WORKBOOK_PAGE_TIMEOUT_MS). */
  readonly env?: Readonly<Record<string, string>>;
}

function buildEnv(options: BuildOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WORKBOOK_EDITION: options.edition ?? 'solutions',
    ASTRO_TELEMETRY_DISABLED: '1',
    ...(options.problemsDir ? { WORKBOOK_PROBLEMS_DIR: options.problemsDir } : {}),
    ...(options.variants !== undefined ? { WORKBOOK_VARIANTS: String(options.variants) } : {}),
    ...(options.courseDir ? { WORKBOOK_COURSE_DIR: options.courseDir } : {}),
    ...options.env,
  };
}

export async function buildSite(options: BuildOptions = {}): Promise<BuiltSite> {
  const dir = options.outDir ?? mkdtempSync(join(tmpdir(), `workbook-${options.edition ?? 'solutions'}-`));
  const { stdout } = await run(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', dir], {
    cwd: ROOT,
    env: buildEnv(options),
    maxBuffer: 64 * 1024 * 1024,
  });
  return {
    dir,
    log: stdout,
    page: (urlPath) => readFileSync(join(dir, urlPath, 'index.html'), 'utf8'),
    files: () => listFiles(dir).map((f) => relative(dir, f)),
  };
}

/** Runs a build expected to fail; returns its exit code and everything it printed. */
export async function failedBuild(options: BuildOptions): Promise<{ code: number; output: string }> {
  const dir = options.outDir ?? mkdtempSync(join(tmpdir(), 'workbook-failing-'));
  try {
    await run(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', dir], {
      cwd: ROOT,
      env: buildEnv(options),
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ''}\n${e.stderr ?? ''}` };
  }
  return { code: 0, output: '' };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The text of an element's HTML with tags removed and whitespace folded. */
export function textOf(html: string): string {
  return html
    .replace(/<annotation[^>]*>[\s\S]*?<\/annotation>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The HTML of each `<div class="answer" data-answer="NAME">`, by answer name, in page order. */
export function answersOf(html: string): { name: string; html: string }[] {
  const out: { name: string; html: string }[] = [];
  const re = /<div class="answer"[^>]*data-answer="([^"]+)"[^>]*>([\s\S]*?)<\/details>\s*<\/div>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) out.push({ name: m[1]!, html: m[2]! });
  return out;
}
