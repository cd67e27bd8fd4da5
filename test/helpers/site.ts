/**
 * Builds the site into a temporary folder for a test, with the edition it asks for, and reads
 * the pages back. Each test file builds once (in beforeAll) and asserts on the output.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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
}

export async function buildSite(options: { edition?: 'solutions' | 'student' } = {}): Promise<BuiltSite> {
  const dir = mkdtempSync(join(tmpdir(), `workbook-${options.edition ?? 'solutions'}-`));
  await withBuildLock(() =>
    run(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', dir], {
      cwd: ROOT,
      env: { ...process.env, WORKBOOK_EDITION: options.edition ?? 'solutions', ASTRO_TELEMETRY_DISABLED: '1' },
      maxBuffer: 64 * 1024 * 1024,
    }),
  );
  return {
    dir,
    page: (urlPath) => readFileSync(join(dir, urlPath, 'index.html'), 'utf8'),
    files: () => listFiles(dir).map((f) => relative(dir, f)),
  };
}

/**
 * One build at a time per checkout: Astro writes its prerender chunks into the project's `.astro/`
 * folder, so two builds at once (test files run in parallel) break each other. The lock is a
 * directory (mkdir is atomic), taken over when older than the slowest build could be.
 */
async function withBuildLock<T>(build: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `workbook-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const taken = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      if (taken !== undefined && Date.now() - taken > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
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
