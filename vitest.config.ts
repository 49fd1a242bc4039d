import { configDefaults, defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

/**
 * Three projects: `unit` (every test file outside test/e2e, vitest's default include), `e2e`
 * (test/e2e, which spawns bin/* and so first makes sure dist/ is built: test/e2e/global-setup.ts
 * runs only when an e2e file is part of the run), and `slow`: the soak-like suites (concurrency,
 * reliability, nothing lost, output safety, property-based fuzzing, the kill-anywhere checker's seeds), `tap-kit check` on every tap and every tap `tap-kit new` scaffolds built and tested, which `npm test` leaves to `npm run test:slow`
 * (CI runs both) so that `npm test` stays within a few minutes on two cores.
 */
const SLOW = [
  'test/e2e/concurrency.test.ts',
  'test/e2e/reliability.test.ts',
  'test/e2e/nothing-lost.test.ts',
  'test/e2e/output-safety.test.ts',
  'test/e2e/conformance.test.ts',
  'test/unit/kit/fuzz.test.ts',
  'test/checker/seeds.test.ts',
  'test/e2e/scaffold-combinations.test.ts',
];
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
          // Type-level tests (`*.test-d.ts`: the types the kit infers) are checked by tsc with the unit tests.
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: 'test/tsconfig.types.json' },
          exclude: [...configDefaults.exclude, 'test/e2e/**', 'test/interop/**', 'test/checker/**', ...SLOW],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // The checker (test/checker) spawns bin/tap-rest too.
          include: ['test/e2e/**/*.test.ts', 'test/checker/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SLOW],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'slow',
          include: SLOW,
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
