import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The Redis conformance and fault suites again, with the distributed and
 * builder suites, on a private three-master Redis Cluster
 * (`test/setup/redis-cluster.ts`): a run's keys on one slot, runs and queues
 * spread over the masters. Left out: `run-manager.redis.test.ts`, whose
 * connection count is that of one Redis (one blocking read; a cluster
 * subscribes instead), and `telemetry.redis.test.ts` (no Redis behaviour).
 */
export default defineConfig({
  resolve: {
    alias: { 'fusync/redis': fileURLToPath(new URL('./src/redis/index.ts', import.meta.url)) },
  },
  test: {
    include: [
      'test/redis/conformance.redis.test.ts',
      'test/redis/faults.redis.test.ts',
      'test/redis/refused-writes.redis.test.ts',
      'test/redis/distributed.redis.test.ts',
      'test/redis/builder.redis.test.ts',
      'test/redis/cluster.redis.test.ts',
    ],
    testTimeout: 20_000,
    globalSetup: ['./test/setup/redis-cluster.ts'],
  },
});
