/**
 * Two guarantees of `astro build` for a course:
 *
 * - **Authoring errors first, all of them.** Before anything is built, the course is checked
 *   (`checkCourse`, the same as `workbook check`); on any error the build prints every one as
 *   `file:line:column: message` and stops, with no stack trace and no framework hint.
 * - **All or nothing in the output.** Astro writes into a sibling folder
 *   (`dist.partial-<pid>`); only a build that finishes replaces the output folder with it (one
 *   rename). A failed build leaves the previous output as it was, or none, and removes its
 *   partial folder on exit; partial folders left by killed builds are removed by the next build.
 *
 * - **No build that stops half way passes.** A build that ends before every page is written
 *   (a page calling `process.exit(0)`, a promise that never settles) exits 1, naming the page it
 *   was on, and publishes nothing. A page rendering past WORKBOOK_PAGE_TIMEOUT_MS (default
 *   120,000) stops the build, naming the page and its file (site/page-watch.ts).
 *
 * In `astro dev` the check's errors are logged as warnings, and the output is not involved.
 */
import type { AstroIntegration } from 'astro';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkCourse, formatDiagnostic, formatReport } from '../workbook/check/index.ts';
import { pageNow, pageTimeoutMs, startPageWatch } from './page-watch.ts';
import { PAGE_LINE_LABEL } from './build-log.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Removes `<name>.partial-<pid>` folders beside `outDir` whose build is no longer running. */
function removeStalePartials(outDir: string): void {
  const parent = dirname(outDir);
  if (!existsSync(parent)) return;
  const prefix = `${basename(outDir)}.partial-`;
  for (const name of readdirSync(parent)) {
    const pid = Number(name.slice(prefix.length));
    if (name.startsWith(prefix) && Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
  }
}

export function buildGuard(): AstroIntegration {
  let finalDir: string | undefined;
  let partialDir: string | undefined;
  let done = false;
  let stopWatch: (() => void) | undefined;
  return {
    name: 'workbook-build-guard',
    hooks: {
      'astro:config:setup': ({ command, config, updateConfig, logger }) => {
        // `astro preview` and `astro sync` build nothing from the problems.
        if (command !== 'build' && command !== 'dev') return;
        const { diagnostics, problems } = checkCourse();
        if (command !== 'build') {
          for (const d of diagnostics) logger.warn(formatDiagnostic(d));
          return;
        }
        if (diagnostics.length > 0) {
          // The author's mistakes, as `workbook check` prints them; nothing is written.
          process.stderr.write(`${formatReport(diagnostics)}\nNothing was built: fix these, then build again (\`npx workbook check\` checks in seconds).\n`);
          process.exit(1);
        }
        let timeoutMs: number;
        try {
          timeoutMs = pageTimeoutMs();
        } catch (error) {
          process.stderr.write(`${(error as Error).message}\n`);
          process.exit(1);
        }
        logger.info(`course checked: ${problems} problems, no errors`);
        finalDir = fileURLToPath(config.outDir).replace(/[\\/]$/, '');
        partialDir = `${finalDir}.partial-${process.pid}`;
        removeStalePartials(finalDir);
        rmSync(partialDir, { recursive: true, force: true });
        updateConfig({ outDir: pathToFileURL(`${partialDir}/`) });
        // Each page's line in the log (site/build-log.ts), made only when the log shows it.
        const pageLog = logger.fork(PAGE_LINE_LABEL);
        const logPages = logger.options.level === 'info' || logger.options.level === 'debug';
        stopWatch = startPageWatch(timeoutMs, partialDir, logPages ? (line) => pageLog.info(line) : undefined);
        // A promise a page rejected and nobody awaited: one line naming the page, not a stack.
        process.on('unhandledRejection', (reason) => {
          // Settled after its page's render, maybe: the last page begun is the one to look at.
          const page = pageNow(true);
          process.stderr.write(`\n${page ? `${page}: ` : ''}${reason instanceof Error ? reason.message : String(reason)} (a promise rejected and not awaited); nothing was published\n`);
          process.exit(1);
        });
        process.on('exit', (code) => {
          if (done) return;
          if (partialDir) rmSync(partialDir, { recursive: true, force: true });
          // Ended before the output was swapped in, yet "successfully": a page (or anything) exited.
          if (code === 0) {
            const page = pageNow();
            process.stderr.write(`\n${page ? `${page}: ` : ''}the build ended before it had written every page${page ? ' (the page ended the process)' : ''}; nothing was published\n`);
            process.exitCode = 1;
          }
        });
      },
      // Last of the integrations: the search index is in the partial folder by now.
      'astro:build:done': ({ logger }) => {
        if (!finalDir || !partialDir) return;
        stopWatch?.();
        const old = `${finalDir}.old-${process.pid}`;
        if (existsSync(finalDir)) renameSync(finalDir, old);
        renameSync(partialDir, finalDir);
        done = true;
        rmSync(old, { recursive: true, force: true });
        logger.info(`output: ${finalDir}`);
      },
    },
  };
}
