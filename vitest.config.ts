import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The build and browser tests build the site once each; give them room on 2 cores.
    testTimeout: 30_000,
    hookTimeout: 600_000,
  },
});
