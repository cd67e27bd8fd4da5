/**
 * Work `astro build` does for a dev server that never serves a page: before the build, Astro
 * starts a throw-away Vite server to load the content config (its content sync), and Vite
 * pre-bundles that server's browser dependencies (the dev toolbar's) into node_modules/.vite,
 * again whenever the config differs from the last run's (another course, output or cache folder).
 * A build bundles its client code with Rolldown and never reads those pre-bundles, so in a build
 * the dependency optimizer is off. `astro dev` keeps it.
 */
import type { AstroIntegration } from 'astro';
import type { Plugin } from 'vite';

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

export function buildSpeed(): AstroIntegration {
  return {
    name: 'workbook-build-speed',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command !== 'build') return;
        updateConfig({ vite: { plugins: [noDependencyOptimizer] } });
      },
    },
  };
}
