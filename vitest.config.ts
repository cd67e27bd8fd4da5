import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // The build and browser tests build the site once each; give them room on 2 cores.
    testTimeout: 30_000,
    // Site builds share the project's .astro cache; one test file at a time keeps them apart.
    fileParallelism: false,
    hookTimeout: 600_000,
  },
});
