import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The builder loads its Redis backend by package name; in tests that name points at the sources.
    alias: { 'fusync/redis': fileURLToPath(new URL('./src/redis/index.ts', import.meta.url)) },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Needs a cluster: run by `vitest.cluster.config.ts`.
    exclude: [...configDefaults.exclude, 'test/redis/cluster.redis.test.ts'],
    testTimeout: 20_000,
    // A private redis-server for the `*.redis.test.ts` files (or the one REDIS_URL names).
    globalSetup: ['./test/setup/redis-server.ts'],
  },
});
