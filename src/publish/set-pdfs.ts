/**
 * The PDFs of every set document of a build: `dist/sets/<set>/<set>-<form>-<paper>.pdf` for each
 * form the edition has (handout, solutions; the answer key in the solutions edition) in A4 and
 * Letter. Run by the build when WORKBOOK_PDF=1 (`npm run pdf`), after the pages are written.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { courseSets } from './sets.ts';

const FORMS = ['handout', 'solutions', 'key'] as const;

export async function renderSetPdfs(dist: string, log: (line: string) => void = () => {}, options: { sets?: readonly string[] } = {}): Promise<string[]> {
  const setsDir = join(dist, 'sets');
  if (!existsSync(setsDir)) return [];
  // Loaded here, not at the top: the Astro config imports this module on every build.
  const { launchBrowser, printPage, PAPERS, SITE_ORIGIN, siteContext } = await import('./pdf.ts');
  const titles = new Map(courseSets().map((s) => [s.id, s.title]));
  const written: string[] = [];
  const browser = await launchBrowser();
  try {
    const context = await siteContext(browser, dist);
    const page = await context.newPage();
    for (const set of readdirSync(setsDir).sort()) {
      if (options.sets && !options.sets.includes(set)) continue;
      for (const form of FORMS) {
        if (!existsSync(join(setsDir, set, form, 'index.html'))) continue;
        await page.goto(`${SITE_ORIGIN}/sets/${set}/${form}/`, { waitUntil: 'load' });
        for (const paper of PAPERS) {
          const path = join(setsDir, set, `${set}-${form}-${paper}.pdf`);
          await printPage(page, { title: `${titles.get(set) ?? set} · ${form === 'key' ? 'answer key' : form}`, paper, path });
          written.push(path);
        }
      }
    }
  } finally {
    await browser.close();
  }
  log(`set PDFs: ${written.length} files`);
  return written;
}

/** The build step: an Astro integration that prints the set PDFs when WORKBOOK_PDF=1. */
export function setPdfs() {
  return {
    name: 'workbook-set-pdfs',
    hooks: {
      'astro:build:done': async ({ dir, logger }: { dir: URL; logger: { info(message: string): void } }) => {
        if (process.env.WORKBOOK_PDF !== '1') return;
        await renderSetPdfs(dir.pathname, (line) => logger.info(line));
      },
    },
  };
}
