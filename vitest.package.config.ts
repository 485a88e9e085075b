import { defineConfig } from 'vitest/config';

// `npm run test:package`: the packages as npm would publish them, installed and started
// outside the repository (and the Docker image, where Docker runs). Installing compiles
// better-sqlite3, about a minute, so these run apart from `npm test` (`.ci/run` runs both).
export default defineConfig({
  test: {
    include: ['test/e2e/package-*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default'],
  },
});
