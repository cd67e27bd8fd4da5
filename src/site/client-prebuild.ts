/**
 * The site's client scripts, bundled once rather than in every course's build. The practice
 * page's script and the analyzer's are course-independent (course data reaches them as JSON in
 * the page), yet bundling them (Observable Plot, d3, zod, protobuf, the engine) was ~0.8 s of
 * every `astro build`. They are bundled here, with the settings of Astro's own client build
 * (Vite, target esnext, minified, no module-preload polyfill), into `prebuilt/client/`: hashed
 * files and `manifest.json`, which lists every input file with the hash of its content. `npm pack`
 * ships them (prepack); in a checkout, or when an input changed (an edited source, another
 * version of a dependency), the next build bundles them again first (`ensurePrebuiltClient`).
 * The build then uses them in place of the scripts (build-speed.ts, `prebuiltClientScripts`).
 *
 * Several builds may run at once in one checkout (the tests do): files are content-named and
 * written by rename, so a build never reads a half-written file or another build's manifest half.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { changedInput, GENERATOR_ROOT, inputFile, inputKey, readManifestFile, sha256, writeWhole } from './prebuilt-inputs.ts';

export { GENERATOR_ROOT, inputFile, inputKey };


/** Where the bundle and its manifest live (gitignored; in the package's `files`). */
export const PREBUILT_DIR = join(GENERATOR_ROOT, 'prebuilt/client');

/**
 * The processed `<script>`s that are bundled once: an Astro file and the index of the script in
 * it (Astro's `?astro&type=script&index=N` module). Paths are relative to the generator's folder.
 */
export const CLIENT_SCRIPTS = [
  { name: 'practice', astro: 'src/components/PracticeScript.astro', index: 0 },
  { name: 'analyzer', astro: 'src/pages/[analyze].astro', index: 0 },
] as const;

export type ClientScriptName = (typeof CLIENT_SCRIPTS)[number]['name'];

/** The id Astro gives a processed script of an .astro file (vite-plugin-astro). */
export function astroScriptId(astroFile: string, index: number): string {
  return `${astroFile}?astro&type=script&index=${index}&lang.ts`;
}

export interface PrebuiltManifest {
  readonly version: 1;
  /** The bundler and its settings: another Vite, or other settings, is another bundle. */
  readonly bundler: string;
  /** Input file (generator-relative, or `node_modules/...`) -> sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Per script: its entry file, and every file it loads (itself, static and dynamic chunks). */
  readonly scripts: Readonly<Record<string, { readonly entry: string; readonly files: readonly string[] }>>;
}

/** Vite and Rolldown as Astro uses them: resolved from Astro's own folder, not this package's. */
function astroRequire(): NodeRequire {
  return createRequire(createRequire(join(GENERATOR_ROOT, 'package.json')).resolve('astro/package.json'));
}

/**
 * The settings of the bundle, as a string the manifest records. Not Vite's version: a bundle made
 * by `npm pack` stays good where a course's install resolved a newer Vite (npm does not follow a
 * dependency's shrinkwrap: npm/cli#5349), and the packages it bundles are inputs of their own.
 */
function bundlerKey(): string {
  return `vite; target esnext; minify; no modulepreload polyfill; esm`;
}

export function readManifest(dir = PREBUILT_DIR): PrebuiltManifest | undefined {
  return readManifestFile<PrebuiltManifest>(dir, 1);
}

/**
 * Why the bundle in `dir` cannot be used as it is (the first reason found), or undefined when it
 * is fresh: every script has its files, every input file has the content it was bundled from.
 */
export function staleReason(dir = PREBUILT_DIR, root = GENERATOR_ROOT, bundler = bundlerKey()): string | undefined {
  const manifest = readManifest(dir);
  if (!manifest) return 'no manifest';
  if (manifest.bundler !== bundler) return `bundled by ${manifest.bundler}, now ${bundler}`;
  for (const { name } of CLIENT_SCRIPTS) {
    const script = manifest.scripts[name];
    if (!script) return `no bundle of the ${name} script`;
    for (const f of script.files) if (!existsSync(join(dir, f))) return `${f} is missing`;
  }
  return changedInput(manifest.inputs, root);
}

/** The code of an .astro file's processed script, as Astro's compiler extracts it. */
async function scriptCode(astroFile: string, index: number): Promise<string> {
  const compiler = (await import(pathToFileURL(astroRequire().resolve('@astrojs/compiler-rs')).href)) as typeof import('@astrojs/compiler-rs');
  const { scripts } = compiler.transform(readFileSync(astroFile, 'utf8'), { filename: astroFile });
  const script = scripts[index];
  if (!script || script.type !== 'inline' || script.code === undefined) throw new Error(`${astroFile}: no processed <script> at index ${index}`);
  return script.code;
}

/**
 * Bundles the client scripts into `dir` with Vite (as Astro's client build does) and writes the
 * manifest. Files of an earlier bundle that the new manifest does not list are removed once they
 * are older than a build could still be reading them.
 */
export async function prebuildClient(dir = PREBUILT_DIR, root = GENERATOR_ROOT): Promise<PrebuiltManifest> {
  const manifest = await bundle(dir, root);
  pruneUnlisted(manifest, dir, 10 * 60_000);
  return manifest;
}

/** Removes the files of `dir` that `manifest` does not list and that are older than `minAgeMs`. */
export function pruneUnlisted(manifest: PrebuiltManifest, dir = PREBUILT_DIR, minAgeMs = 0): void {
  const keep = new Set(Object.values(manifest.scripts).flatMap((s) => s.files));
  const oldMs = Date.now() - minAgeMs;
  for (const name of readdirSync(dir)) {
    if (name === 'manifest.json' || keep.has(name)) continue;
    const file = join(dir, name);
    if (statSync(file).mtimeMs <= oldMs) rmSync(file, { force: true });
  }
}

async function bundle(dir: string, root: string): Promise<PrebuiltManifest> {
  const vite = (await import(pathToFileURL(astroRequire().resolve('vite')).href)) as typeof import('vite');
  const entries = new Map<string, { name: string; astroFile: string; code: string }>();
  for (const s of CLIENT_SCRIPTS) {
    const astroFile = join(root, s.astro);
    entries.set(astroScriptId(astroFile, s.index), { name: s.name, astroFile, code: await scriptCode(astroFile, s.index) });
  }
  const result = await vite.build({
    configFile: false,
    root,
    base: './',
    mode: 'production',
    logLevel: 'warn',
    publicDir: false,
    envDir: false,
    plugins: [
      {
        name: 'workbook-client-scripts',
        resolveId: (id) => (entries.has(id) ? id : undefined),
        load: (id) => {
          const entry = entries.get(id);
          return entry ? { code: entry.code, moduleType: 'ts' } : undefined;
        },
      },
    ],
    build: {
      write: false,
      target: 'esnext',
      minify: true,
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      copyPublicDir: false,
      rolldownOptions: {
        input: Object.fromEntries([...entries].map(([id, e]) => [e.name, id])),
        preserveEntrySignatures: 'exports-only',
        output: {
          format: 'esm',
          hoistTransitiveImports: false,
          minifyInternalExports: true,
          entryFileNames: '[name].[hash].js',
          chunkFileNames: '[name].[hash].js',
          assetFileNames: '[name].[hash][extname]',
        },
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => ('output' in r ? r.output : []));
  const chunks = new Map(outputs.filter((o) => o.type === 'chunk').map((c) => [c.fileName, c]));
  const assets = outputs.filter((o) => o.type === 'asset');
  if (assets.length > 0) throw new Error(`the client scripts emit assets (${assets.map((a) => a.fileName).join(', ')}): their CSS belongs in Astro's pipeline`);

  const inputs: Record<string, string> = {};
  const addInput = (file: string) => {
    const key = inputKey(file, root);
    inputs[key] ??= sha256(readFileSync(file));
  };
  for (const chunk of chunks.values()) {
    for (const id of chunk.moduleIds) {
      const file = id.split('?')[0]!;
      if (isAbsolute(file) && existsSync(file) && statSync(file).isFile()) addInput(file);
    }
  }
  // This file holds the bundle's settings; Vite's own version is in `bundler`.
  addInput(fileURLToPath(import.meta.url));

  const scripts: Record<string, { entry: string; files: string[] }> = {};
  for (const chunk of chunks.values()) {
    if (!chunk.isEntry) continue;
    const files = new Set<string>();
    const visit = (fileName: string) => {
      if (files.has(fileName)) return;
      files.add(fileName);
      const c = chunks.get(fileName);
      if (c) for (const f of [...c.imports, ...c.dynamicImports]) visit(f);
    };
    visit(chunk.fileName);
    scripts[chunk.name] = { entry: chunk.fileName, files: [...files].sort() };
  }

  mkdirSync(dir, { recursive: true });
  for (const chunk of chunks.values()) {
    if (!existsSync(join(dir, chunk.fileName))) writeWhole(join(dir, chunk.fileName), chunk.code);
  }
  const manifest: PrebuiltManifest = {
    version: 1,
    bundler: bundlerKey(),
    inputs: Object.fromEntries(Object.entries(inputs).sort(([a], [b]) => a.localeCompare(b))),
    scripts,
  };
  writeWhole(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** The prebuilt scripts' files, read: what a build emits in place of bundling the scripts. */
export interface PrebuiltClient {
  readonly manifest: PrebuiltManifest;
  /** File name (in the bundle's folder) -> content. */
  readonly files: ReadonlyMap<string, string>;
}

/**
 * The prebuilt bundle, bundled first if it is missing or stale (`reason` says why it was).
 * Its files are read at once, so a later prebuild in the same checkout cannot pull them away.
 */
export async function ensurePrebuiltClient(dir = PREBUILT_DIR, root = GENERATOR_ROOT): Promise<PrebuiltClient & { rebuilt?: string }> {
  const reason = staleReason(dir, root);
  const manifest = reason === undefined ? readManifest(dir)! : await prebuildClient(dir, root);
  const files = new Map<string, string>();
  for (const script of Object.values(manifest.scripts)) for (const f of script.files) files.set(f, readFileSync(join(dir, f), 'utf8'));
  return { manifest, files, ...(reason === undefined ? {} : { rebuilt: reason }) };
}

// `node src/site/client-prebuild.ts`: bundle now if stale, and keep only the bundle's files
// (npm's prepack: the package ships exactly them).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { rebuilt, manifest } = await ensurePrebuiltClient();
  pruneUnlisted(manifest);
  const files = Object.values(manifest.scripts).flatMap((s) => s.files).length;
  console.log(`client scripts: ${rebuilt ? `bundled (${rebuilt})` : 'up to date'}: ${files} files, ${Object.keys(manifest.inputs).length} inputs, in ${relative(process.cwd(), PREBUILT_DIR) || '.'}`);
}
