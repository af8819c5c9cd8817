import { defineConfig } from 'vitest/config';

// Verilator builds dominate test time and the CI machine has two cores:
// two workers keep both busy without thrashing the C++ compiler.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
