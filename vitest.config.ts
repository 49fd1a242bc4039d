import { configDefaults, defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * Two projects: `unit` (every test file outside test/e2e and test/checker, vitest's default include)
 * and `e2e` (test/e2e and the checker's seeds, which spawn bin/* and so first make sure dist/ is built: test/e2e/global-setup.ts
 * runs only when an e2e file is part of the run).
 */
export default defineConfig({
  // Taps import the kit by its package name (and the conformance suite by `/testing`); in-process
  // tests see its sources, like the kit's own tests.
  resolve: {
    alias: [
      { find: /^@singer-io-compatible\/tap-kit$/, replacement: fileURLToPath(new URL('./src/kit/index.ts', import.meta.url)) },
      { find: /^@singer-io-compatible\/tap-kit\/testing$/, replacement: fileURLToPath(new URL('./src/kit/testing/index.ts', import.meta.url)) },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          exclude: [...configDefaults.exclude, 'test/e2e/**', 'test/interop/**', 'test/checker/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // The checker (test/checker) spawns bin/tap-rest too.
          include: ['test/e2e/**/*.test.ts', 'test/checker/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
