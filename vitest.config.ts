import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    // Packing and installing the packages takes minutes: `npm run test:package` (vitest.package.config.ts).
    exclude: [...configDefaults.exclude, 'test/e2e/package-*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: several collector processes per file are enough load.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
