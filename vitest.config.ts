import { defineConfig } from 'vitest/config';

// Three suites by file suffix (see shared/style.md): unit needs nothing, int needs
// PostgreSQL and Kafka, e2e runs the services as processes.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['{packages,services}/*/src/**/*.unit.spec.ts', 'test/**/*.unit.spec.ts'] } },
      {
        test: {
          name: 'int',
          include: ['{packages,services}/*/src/**/*.int.spec.ts', 'test/**/*.int.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.spec.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
