/**
 * Code blocks highlighted by Astro's own Shiki step (`rehypeShiki` of @astrojs/markdown-remark,
 * the same highlighter, themes and output), with each block's result kept on disk and reused.
 *
 * Shiki is the slowest part of compiling an MDX file with code in it: starting the highlighter
 * (themes, grammars, its regex engine) and highlighting took ~0.2-0.35 s of every solutions build,
 * for the authoring guide's blocks, which are the same in every course. With this step in its place
 * (`markdown.syntaxHighlight: false`, this plugin first), an MDX file whose blocks were all seen
 * before gets them from the cache and Shiki never starts; otherwise Astro's step runs as before
 * and its blocks are kept. A block's key is its language class, meta and text, the Shiki config
 * and Shiki's version. The cache is `prebuilt/shiki/` in the generator's folder (gitignored;
 * `npm pack` ships it filled with the guide's blocks); a folder it cannot write is only not filled.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rehypeShiki } from '@astrojs/markdown-remark';
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';

/** The part of hast this step reads: elements and text. */
interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  data?: { meta?: unknown };
  children?: HastNode[];
}

type ShikiConfig = Parameters<typeof rehypeShiki>[0];

/** The site's Shiki config (astro.config.mjs): code blocks in both schemes with readable comments. */
export const SHIKI_CONFIG = { themes: { light: 'github-light-default', dark: 'github-dark-default' } } satisfies ShikiConfig;

export const SHIKI_CACHE_DIR = fileURLToPath(new URL('../../prebuilt/shiki/', import.meta.url));

/** The versions of Astro's Shiki step and of Shiki as it loads it: another version, other keys. */
function versions(): string {
  const version = (packageJson: string) => (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  try {
    const require = createRequire(import.meta.url);
    const helpers = require.resolve('@astrojs/internal-helpers/package.json');
    return `${version(require.resolve('@astrojs/markdown-remark/package.json'))} ${version(createRequire(helpers).resolve('shiki/package.json'))}`;
  } catch {
    return 'unknown';
  }
}

/** The text of an element, as it is written in the page. */
function textOf(node: HastNode): string {
  return node.type === 'text' ? (node.value ?? '') : (node.children ?? []).map(textOf).join('');
}

/** Each `<pre><code>` block (a lone child), where Astro's step looks for them. */
function codeBlocks(tree: HastNode): { code: HastNode; pre: HastNode; holder: HastNode }[] {
  const found: { code: HastNode; pre: HastNode; holder: HastNode }[] = [];
  const visit = (node: HastNode, parent: HastNode | undefined) => {
    if (node.type === 'element' && node.tagName === 'pre' && parent && node.children?.length === 1) {
      const code = node.children[0]!;
      if (code.type === 'element' && code.tagName === 'code') {
        found.push({ code, pre: node, holder: parent });
        return;
      }
    }
    for (const child of node.children ?? []) visit(child, node);
  };
  visit(tree, undefined);
  return found;
}

function readCached(file: string): HastNode | null | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as HastNode | null;
  } catch {
    return undefined;
  }
}

function writeCached(file: string, value: HastNode | null): void {
  try {
    mkdirSync(SHIKI_CACHE_DIR, { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  } catch {
    // A folder this process cannot write (a read-only install): the next build highlights again.
  }
}

/**
 * The rehype step: Astro's `rehypeShiki(config)` with its blocks cached. `null` in the cache is a
 * block Astro's step leaves as it is (a language it excludes, such as `math`).
 */
export function rehypeShikiCached(config: ShikiConfig, cacheDir = SHIKI_CACHE_DIR) {
  const astroStep = (rehypeShiki as unknown as (c: ShikiConfig, exclude: undefined) => (tree: HastNode) => Promise<void>)(config, undefined);
  const salt = JSON.stringify([config ?? null, versions()]);
  // The tree is hast; unified's types for it are not this package's to name.
  return async (root: unknown): Promise<void> => {
    const tree = root as HastNode;
    const blocks = codeBlocks(tree).map((b) => {
      const key = createHash('sha256')
        .update(JSON.stringify([salt, b.code.properties?.className ?? null, b.code.data?.meta ?? b.code.properties?.metastring ?? null, textOf(b.code)]))
        .digest('hex')
        .slice(0, 32);
      return { ...b, index: b.holder.children!.indexOf(b.pre), file: join(cacheDir, `${key}.json`) };
    });
    if (blocks.length === 0) return;
    const cached = blocks.map((b) => readCached(b.file));
    if (cached.every((c) => c !== undefined)) {
      blocks.forEach((b, i) => {
        const replacement = cached[i];
        if (replacement) b.holder.children![b.index] = replacement;
      });
      return;
    }
    await astroStep(tree);
    for (const b of blocks) {
      // Astro's step put its highlighted <pre> where the block was, or left the block as it was.
      const now = b.holder.children![b.index]!;
      writeCached(b.file, now === b.pre ? null : now);
    }
  };
}

// `node src/site/shiki-cache.ts` (npm's prepack): the cache emptied, then filled with the blocks of
// the generator's guides, which every course's solutions edition has; the package ships those.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { compile } = await import('@mdx-js/mdx');
  rmSync(SHIKI_CACHE_DIR, { recursive: true, force: true });
  const guides = fileURLToPath(new URL('../../content/guides/', import.meta.url));
  for (const name of readdirSync(guides).filter((f) => f.endsWith('.mdx'))) {
    const { content } = parseFrontmatter(readFileSync(join(guides, name), 'utf8'));
    await compile(content, { rehypePlugins: [[rehypeShikiCached, SHIKI_CONFIG]] });
  }
  console.log(`code blocks highlighted: ${readdirSync(SHIKI_CACHE_DIR).length}, in prebuilt/shiki`);
}
