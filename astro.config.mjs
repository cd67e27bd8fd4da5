// @ts-check
// Node's on-disk code cache (in the system's temp folder) for every module loaded from here on: the
// engine, Vite, Rolldown, the MDX pipeline. A build after the first starts ~0.3 s sooner.
import module from 'node:module';
module.enableCompileCache?.();
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { fileURLToPath } from 'node:url';
import { useNodePrebuilt } from './src/site/node-prebuild.ts';

// Node loads the engine and the workbook layer from their prebuilt bundle (src/site/node-prebuild.ts,
// bundled again first when a source changed): in place before anything imports them, so the
// generator's own modules are imported below it.
const nodePrebuilt = await useNodePrebuilt();
const { pagefindIndex } = await import('./src/site/pagefind.ts');
const { katexWoff2Only } = await import('./src/site/katex-fonts.ts');
const { rehypeKatexClasses } = await import('./src/site/katex-classes.ts');
const { rehypeShikiCached, SHIKI_CONFIG } = await import('./src/site/shiki-cache.ts');
const { flatBuildMemory } = await import('./src/site/build-memory.ts');
const { buildGuard } = await import('./src/site/build-guard.ts');
const { remarkLocateCode } = await import('./src/site/mdx-locate.ts');
const { devCheck } = await import('./src/site/dev-check.ts');
const { setPdfs } = await import('./src/publish/set-pdfs.ts');
const { buildSpeed } = await import('./src/site/build-speed.ts');
const { contentModules } = await import('./src/site/content-modules.ts');
const { courseLook, courseRoot } = await import('./src/workbook/course.ts');

// The generator's folder (this file's): Astro's root, where src/ and content/guides/ are. The course
// is elsewhere or here (WORKBOOK_COURSE_DIR, set by `workbook build --course DIR`); problems' file
// paths are relative to this root (src/site/variants.ts reads it).
process.env.WORKBOOK_ASTRO_ROOT = fileURLToPath(new URL('.', import.meta.url));
// A course file with mistakes is reported by the build's check (buildGuard), with its lines.
const look = (() => {
  try {
    return courseLook();
  } catch {
    return {};
  }
})();
// `workbook build|dev|preview` set these for a course in its own folder: its dist/ and cache, the
// base path of a project site (GitHub/GitLab Pages) and its URL.
const env = process.env;

// Authors' own formulas ($...$ in MDX) go through remark-math + rehype-katex. Astro 7's default
// Markdown processor runs no remark/rehype plugins, so the unified processor is set explicitly;
// MDX inherits it. Engine derivations are rendered by components with katex.renderToString.
export default defineConfig({
  site: env.WORKBOOK_SITE || look.site || 'https://workbook.example.org',
  ...(env.WORKBOOK_BASE ? { base: env.WORKBOOK_BASE } : {}),
  ...(env.WORKBOOK_OUT_DIR ? { outDir: env.WORKBOOK_OUT_DIR } : {}),
  // The content cache (data store) of this checkout, not node_modules/.astro: checkouts that share
  // node_modules (git worktrees) would otherwise render each other's problems. A course's own cache
  // when the course is elsewhere.
  cacheDir: env.WORKBOOK_CACHE_DIR || './.astro/cache',
  trailingSlash: 'ignore',
  // Astro's log, with one whole line per page (src/site/build-log.ts).
  logger: { entrypoint: fileURLToPath(new URL('./src/site/build-log.ts', import.meta.url)) },
  markdown: {
    processor: unified({
      // remarkLocateCode: an error an author's {expression} or chapter component throws is named at
      // its line in the MDX file (src/site/mdx-locate.ts).
      remarkPlugins: [remarkMath, remarkLocateCode],
      // MathML alongside the HTML, so screen readers read the math. rehype-katex's KaTeX is older
      // than the stylesheet's: its classes get the stylesheet's names (src/site/katex-classes.ts).
      // rehypeShikiCached: Astro's Shiki step, in its place, with each code block's result kept
      // (src/site/shiki-cache.ts). Code blocks in both schemes with readable comments (github-dark's
      // are 3.0:1); the dark colours apply under prefers-color-scheme: dark (global.css).
      rehypePlugins: [[rehypeShikiCached, SHIKI_CONFIG], [rehypeKatex, { output: 'htmlAndMathml' }], rehypeKatexClasses],
    }),
    syntaxHighlight: false,
  },
  // optimize: MDX's static subtrees (authors' KaTeX, prose) become HTML strings rather than JSX
  // elements rendered one by one; the same HTML, ~1 s less CPU in a build with 100 variants.
  // flatBuildMemory: V8's old space grows by at most 25% past what stays live, during builds
  // (src/site/build-memory.ts): the build's memory no longer grows with the page count; once the
  // pages are written it returns what it can to the system, before the search indexer starts.
  // setPdfs: with WORKBOOK_PDF=1 (`npm run pdf`), the set documents are printed to PDF after the
  // pages are written. buildGuard checks the course before building and swaps the output in whole;
  // it goes last, so its build:done runs after the search index and the PDFs are written. devCheck:
  // in `astro dev`, the course checked on every save, its errors located in the terminal and overlay.
  // contentModules: the course's MDX files as modules the pages render (src/site/content.ts; no
  // content collections: their sync cost every build ~1 s).
  integrations: [mdx({ optimize: true }), flatBuildMemory(), pagefindIndex(), setPdfs(), buildGuard(), devCheck(), buildSpeed({ nodePrebuilt }), contentModules()],
  // concurrency: Astro starts four pages at once; they take turns to render (src/middleware.ts,
  // site/page-watch.ts), so one page's file is written while the next renders: ~0.4 s less in a
  // build of 356 pages, the same pages. One renders at a time, so the page watch names the right one.
  build: { format: 'directory', concurrency: 4 },
  vite: {
    // The course's files (problems, models, images) may live outside this folder: the dev server may read them.
    server: { fs: { allow: [fileURLToPath(new URL('.', import.meta.url)), courseRoot()] } },
    // KaTeX's fonts as woff2 only (no woff/ttf copies in the output).
    plugins: [katexWoff2Only()],
    build: {
      rolldownOptions: {
        // Astro's MDX marks modules "use astro:head-inject", which rolldown warns about once per
        // MDX file; harmless, and known upstream (withastro/astro#18087). Every other log passes.
        onLog(level, log, handler) {
          if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('astro:head-inject')) return;
          handler(level, log);
        },
      },
    },
  },
});
