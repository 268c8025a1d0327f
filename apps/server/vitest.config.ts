import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    // Two shared cores: one worker keeps the suite quick without starving neighbours.
    maxWorkers: 1,
  },
});
