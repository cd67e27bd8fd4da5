/**
 * Work `astro build` does for a dev server that never serves a page: before the build, Astro
 * starts a throw-away Vite server for its content sync (this site has no content collections:
 * src/site/content.ts), and Vite
 * pre-bundles that server's browser dependencies (the dev toolbar's) into node_modules/.vite,
 * again whenever the config differs from the last run's (another course, output or cache folder).
 * A build bundles its client code with Rolldown and never reads those pre-bundles, so in a build
 * the dependency optimizer is off. `astro dev` keeps it. (And the pages' bundle leaves out the
 * engine, below.) And every build bundled the client scripts (the analyzer's, the practice
 * pages'), which are the same for every course: they are bundled once (client-prebuild.ts), and
 * a build copies them.
 */
import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { astroScriptId, CLIENT_SCRIPTS, ensurePrebuiltClient, GENERATOR_ROOT, type PrebuiltClient } from './client-prebuild.ts';

/**
 * Vite's optimizer is off for an environment with no discovery and nothing to include; Astro's
 * own plugins add the includes, and config arrays only merge, so they are emptied once resolved.
 */
const noDependencyOptimizer: Plugin = {
  name: 'workbook-no-dependency-optimizer',
  configResolved(config) {
    for (const environment of Object.values(config.environments)) {
      environment.optimizeDeps.noDiscovery = true;
      environment.optimizeDeps.include = [];
    }
  },
};

/** The engine's and the workbook layer's folders: plain TypeScript, already loaded by Node for the course's check. */
const SHARED_DIRS = ['../engine/', '../workbook/'].map((dir) => fileURLToPath(new URL(dir, import.meta.url)));

/**
 * The pages' server bundle (Astro's prerender environment) imports the engine and the workbook
 * layer from their files rather than bundling them again: Node has loaded those very modules for
 * the check, so the pages share them
 * instead of Rolldown transforming and bundling ~145 files and Node evaluating a second copy. The
 * client bundle (the analyzer, the practice page) still bundles what it uses. Both folders are
 * plain TypeScript with no Vite features (no import.meta.env, no ?raw), so they run the same
 * either way: the built pages are byte-identical.
 */
const engineFromNode: Plugin = {
  name: 'workbook-engine-from-node',
  configEnvironment(name) {
    if (name !== 'prerender') return;
    const external = SHARED_DIRS.map((dir) => new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    return { build: { rolldownOptions: { external, makeAbsoluteExternalsRelative: false } } };
  },
};

/**
 * The client build takes the prebuilt client scripts (client-prebuild.ts) instead of bundling
 * them again: each script module (`X.astro?astro&type=script&index=N`) becomes one import of its
 * prebuilt entry, external, at the site's base (`/<base>/_astro/practice.<hash>.js`), and the
 * prebuilt files of the scripts the site has are emitted into `_astro/` (the entry and the chunks
 * it imports or loads later; their imports of each other are relative, so any base works). The
 * page's <script> and its place are Astro's as before; only the bundling is skipped. `astro dev`
 * serves the scripts' sources as always (HMR).
 */
function prebuiltClientScripts(prebuilt: PrebuiltClient, assetsDir: string): Plugin {
  const byId = new Map(CLIENT_SCRIPTS.map((s) => [astroScriptId(join(GENERATOR_ROOT, s.astro), s.index), s.name]));
  const used = new Set<string>();
  let base = '/';
  const url = (file: string) => `${base}${assetsDir}/${file}`;
  const entryUrls = new Set<string>();
  return {
    name: 'workbook-prebuilt-client-scripts',
    enforce: 'pre',
    applyToEnvironment: (environment) => environment.name === 'client',
    configResolved(config) {
      base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      entryUrls.clear();
      for (const s of Object.values(prebuilt.manifest.scripts)) entryUrls.add(url(s.entry));
    },
    resolveId: (id) => (entryUrls.has(id) ? { id, external: 'absolute' } : undefined),
    // Before Astro's own load of the script module (its plugin comes first, also 'pre').
    load: {
      order: 'pre',
      handler(id) {
        const name = byId.get(id);
        const script = name === undefined ? undefined : prebuilt.manifest.scripts[name];
        if (!name || !script) return undefined;
        used.add(name);
        return { code: `import ${JSON.stringify(url(script.entry))};\n`, moduleType: 'js' };
      },
    },
    generateBundle() {
      const files = new Set([...used].flatMap((name) => prebuilt.manifest.scripts[name]!.files));
      for (const file of files) this.emitFile({ type: 'asset', fileName: `${assetsDir}/${file}`, source: prebuilt.files.get(file)! });
    },
  };
}

/** `nodePrebuilt`: how Node loads the engine (node-prebuild.ts `useNodePrebuilt`), said when it is not the usual. */
export function buildSpeed(options: { nodePrebuilt?: string } = {}): AstroIntegration {
  return {
    name: 'workbook-build-speed',
    hooks: {
      'astro:config:setup': async ({ command, config, updateConfig, logger }) => {
        if (command !== 'build') return;
        if (options.nodePrebuilt && options.nodePrebuilt !== 'prebuilt') logger.info(`engine for Node: ${options.nodePrebuilt}`);
        const plugins: Plugin[] = [noDependencyOptimizer, engineFromNode];
        try {
          const prebuilt = await ensurePrebuiltClient();
          if (prebuilt.rebuilt) logger.info(`client scripts bundled (${prebuilt.rebuilt})`);
          plugins.push(prebuiltClientScripts(prebuilt, config.build.assets));
        } catch (error) {
          // A folder the build cannot write (a read-only install): the build bundles them itself.
          logger.warn(`client scripts not prebuilt, bundled in this build: ${error instanceof Error ? error.message : String(error)}`);
        }
        updateConfig({ vite: { plugins } });
      },
    },
  };
}
