/**
 * Work `astro build` does for a dev server that never serves a page: before the build, Astro
 * starts a throw-away Vite server to load the content config (its content sync), and Vite
 * pre-bundles that server's browser dependencies (the dev toolbar's) into node_modules/.vite,
 * again whenever the config differs from the last run's (another course, output or cache folder).
 * A build bundles its client code with Rolldown and never reads those pre-bundles, so in a build
 * the dependency optimizer is off. `astro dev` keeps it. (And the pages' bundle leaves out the
 * engine, below.)
 */
import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';
import { fileURLToPath } from 'node:url';

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

export function buildSpeed(): AstroIntegration {
  return {
    name: 'workbook-build-speed',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command !== 'build') return;
        updateConfig({ vite: { plugins: [noDependencyOptimizer, engineFromNode] } });
      },
    },
  };
}
