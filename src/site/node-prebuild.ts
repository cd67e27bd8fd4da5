/**
 * The engine and the workbook layer, as Node loads them in a build, bundled once. A build's
 * Node side (the course's check, the integrations, and the pages, which import these folders
 * rather than bundle them: build-speed.ts `engineFromNode`) loaded their ~180 TypeScript files one
 * by one, each resolved, read and stripped of its types: ~0.4 s before Astro could start. Bundled
 * with Rolldown into one chunk, with one small entry file per source file (its exports, nothing
 * else), they load in ~0.1 s.
 *
 * `useNodePrebuilt` (astro.config.mjs, before anything imports these folders) makes Node load each
 * `src/engine/**` and `src/workbook/**` file from its entry in `prebuilt/node/<key>/` instead, by a
 * module resolution hook: every importer (the config's integrations, the pages) gets the same
 * module. The manifest lists every input with the hash of its content; when one changed (an edited
 * source, a file added), the bundle is made again first, or, where it cannot be written, the
 * sources are loaded as before (and always with WORKBOOK_NODE_PREBUILT=off: stack traces that name
 * the sources). `npm pack` ships it (prepack). Tests and the CLI load the sources.
 *
 * Several builds may run at once in one checkout (the tests do): a bundle is written into a folder
 * of its own and renamed into place whole, and the manifest is written by rename.
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { changedInput, GENERATOR_ROOT, inputKey, readManifestFile, sha256, writeWhole } from './prebuilt-inputs.ts';

/** Where the bundles and their manifest live (gitignored; in the package's `files`). */
export const NODE_PREBUILT_DIR = join(GENERATOR_ROOT, 'prebuilt/node');

/** The folders bundled, below `src/`: plain TypeScript with no Vite features. */
const BUNDLED_DIRS = ['engine', 'workbook'];

export interface NodePrebuiltManifest {
  readonly version: 1;
  /** The bundler and its settings. */
  readonly bundler: string;
  /** The bundle's folder, in the manifest's: a hash of the bundler and the inputs. */
  readonly key: string;
  /** The source files with an entry, relative to `src/` (`engine/index.ts`). */
  readonly modules: readonly string[];
  /** Input file (generator-relative, or `node_modules/...`) -> sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** Rolldown as Vite (Astro's) has it: the version the pages' bundle is made with. */
function rolldownRequire(): NodeRequire {
  const fromGenerator = createRequire(join(GENERATOR_ROOT, 'package.json'));
  const fromAstro = createRequire(fromGenerator.resolve('astro/package.json'));
  return createRequire(fromAstro.resolve('vite/package.json'));
}

/**
 * The settings of the bundle. Not Rolldown's version: a bundle made by `npm pack` stays good where a
 * course's install resolved a newer one (npm does not follow a dependency's shrinkwrap:
 * npm/cli#5349); the packages the code imports are not in it.
 */
function bundlerKey(): string {
  return 'rolldown; platform node; one chunk; entries strict';
}

/** The TypeScript files of the bundled folders, relative to `src/`, sorted. */
export function sourceModules(root = GENERATOR_ROOT): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (name.name.endsWith('.ts') && !name.name.endsWith('.d.ts')) files.push(relative(join(root, 'src'), path).split(sep).join('/'));
    }
  };
  for (const dir of BUNDLED_DIRS) walk(join(root, 'src', dir));
  return files.sort();
}

export function readNodeManifest(dir = NODE_PREBUILT_DIR): NodePrebuiltManifest | undefined {
  return readManifestFile<NodePrebuiltManifest>(dir, 1);
}

/** Why the bundle in `dir` cannot be used (the first reason found), or undefined when it is fresh. */
export function nodeStaleReason(dir = NODE_PREBUILT_DIR, root = GENERATOR_ROOT, bundler = bundlerKey()): string | undefined {
  const manifest = readNodeManifest(dir);
  if (!manifest) return 'no manifest';
  if (manifest.bundler !== bundler) return `bundled by ${manifest.bundler}, now ${bundler}`;
  try {
    if (!statSync(join(dir, manifest.key)).isDirectory()) return `${manifest.key} is missing`;
  } catch {
    return `${manifest.key} is missing`;
  }
  const modules = sourceModules(root);
  const listed = new Set(manifest.modules);
  const added = modules.find((m) => !listed.has(m));
  if (added) return `src/${added} is new`;
  if (modules.length !== listed.size) return `src/${manifest.modules.find((m) => !modules.includes(m))} is gone`;
  return changedInput(manifest.inputs, root);
}

/** Bundles the folders into `dir/<key>/` and writes the manifest. */
export async function prebuildNode(dir = NODE_PREBUILT_DIR, root = GENERATOR_ROOT): Promise<NodePrebuiltManifest> {
  const { rolldown } = (await import(pathToFileURL(rolldownRequire().resolve('rolldown')).href)) as typeof import('rolldown');
  const modules = sourceModules(root);
  const src = join(root, 'src');
  const bundle = await rolldown({
    input: Object.fromEntries(modules.map((m) => [m.replace(/\.ts$/, ''), join(src, m)])),
    cwd: root,
    platform: 'node',
    // package.json's `imports` (#counting-profiles) as Node picks them, not their browser files.
    resolve: { conditionNames: ['node', 'import', 'default'] },
    // The packages stay where they are: the pages and Astro import the same ones.
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('#') && !id.startsWith('\0'),
    // Each entry exports exactly its file's exports, so the entry is that module to any importer.
    preserveEntrySignatures: 'strict',
    // Two browser-only files import the Node ones dynamically; in Node they are never loaded.
    onLog: (level, log, handler) => (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT' ? undefined : handler(level, log)),
  });
  const tmp = join(dir, `.tmp-${process.pid}-${Date.now()}`);
  let output;
  try {
    output = await bundle.write({
      dir: tmp,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: '_chunks/[name]-[hash].js',
      // One chunk for all the code: a few large files load faster than many small ones.
      codeSplitting: { groups: [{ name: 'generator', test: /./ }] },
    });
  } finally {
    await bundle.close();
  }
  const inputs: Record<string, string> = {};
  const addInput = (file: string) => {
    inputs[inputKey(file, root)] ??= sha256(readFileSync(file));
  };
  for (const chunk of output.output) {
    if (chunk.type !== 'chunk') continue;
    for (const id of chunk.moduleIds) if (id.startsWith(src + sep)) addInput(id);
  }
  // This file holds the bundle's settings; package.json maps the `#` imports.
  addInput(fileURLToPath(import.meta.url));
  addInput(join(root, 'package.json'));
  const sorted = Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b)));
  const bundler = bundlerKey();
  const key = sha256(JSON.stringify({ bundler, inputs: sorted, modules })).slice(0, 16);
  const target = join(dir, key);
  try {
    renameSync(tmp, target);
  } catch {
    // Another build wrote the same bundle first.
    rmSync(tmp, { recursive: true, force: true });
  }
  const manifest: NodePrebuiltManifest = { version: 1, bundler, key, modules, inputs: sorted };
  writeWhole(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  pruneNodeBundles(manifest, dir, 10 * 60_000);
  return manifest;
}

/** Removes the bundles of `dir` other than the manifest's, once older than a build could still be reading them. */
export function pruneNodeBundles(manifest: NodePrebuiltManifest, dir = NODE_PREBUILT_DIR, minAgeMs = 0): void {
  const oldMs = Date.now() - minAgeMs;
  for (const name of readdirSync(dir)) {
    if (name === 'manifest.json' || name === manifest.key) continue;
    const path = join(dir, name);
    if (statSync(path).mtimeMs <= oldMs) rmSync(path, { recursive: true, force: true });
  }
}

/** The fresh bundle, made first if it is stale and can be; `reason` says why it was stale. */
export async function ensureNodePrebuilt(dir = NODE_PREBUILT_DIR, root = GENERATOR_ROOT): Promise<{ manifest?: NodePrebuiltManifest; rebuilt?: string; unusable?: string }> {
  const reason = nodeStaleReason(dir, root);
  if (reason === undefined) return { manifest: readNodeManifest(dir)! };
  try {
    mkdirSync(dir, { recursive: true });
    return { manifest: await prebuildNode(dir, root), rebuilt: reason };
  } catch (error) {
    // A folder the build cannot write (a read-only install): the sources, as before.
    return { unusable: `${reason}, and it could not be bundled: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const HOOKED = Symbol.for('workbook.nodePrebuilt');

/**
 * From now on, Node loads the bundled folders' files from their prebuilt entries (made first if
 * stale). Without `module.registerHooks` (Node before 22.15), or without a usable bundle, nothing
 * changes. Returns what it did, for the build's log.
 */
export async function useNodePrebuilt(dir = NODE_PREBUILT_DIR, root = GENERATOR_ROOT): Promise<string> {
  const hooked = (globalThis as Record<symbol, string | undefined>)[HOOKED];
  if (hooked) return hooked;
  if (typeof module.registerHooks !== 'function') return 'sources (this Node has no module.registerHooks)';
  if (process.env.WORKBOOK_NODE_PREBUILT === 'off') return 'sources (WORKBOOK_NODE_PREBUILT=off)';
  const { manifest, rebuilt, unusable } = await ensureNodePrebuilt(dir, root);
  if (!manifest) return `sources (${unusable})`;
  const srcUrl = `${pathToFileURL(join(root, 'src')).href}/`;
  const outUrl = `${pathToFileURL(join(dir, manifest.key)).href}/`;
  const modules = new Set(manifest.modules);
  module.registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (!resolved.url.startsWith(srcUrl)) return resolved;
      const file = resolved.url.slice(srcUrl.length);
      if (!modules.has(file)) return resolved;
      return { url: `${outUrl}${file.slice(0, -'.ts'.length)}.js`, format: 'module', shortCircuit: true };
    },
  });
  const said = `prebuilt${rebuilt ? ` (bundled again: ${rebuilt})` : ''}`;
  (globalThis as Record<symbol, string | undefined>)[HOOKED] = said;
  return said;
}

// `node src/site/node-prebuild.ts`: bundle now if stale, and keep only that bundle (npm's prepack).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { manifest, rebuilt, unusable } = await ensureNodePrebuilt();
  if (!manifest) throw new Error(unusable);
  pruneNodeBundles(manifest);
  console.log(`engine and workbook for Node: ${rebuilt ? `bundled (${rebuilt})` : 'up to date'}: ${manifest.modules.length} modules, ${Object.keys(manifest.inputs).length} inputs, in ${relative(process.cwd(), join(NODE_PREBUILT_DIR, manifest.key)) || '.'}`);
}
