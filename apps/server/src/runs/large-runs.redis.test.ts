import { describe, it } from 'vitest';
import { expectAnswersWhileLargeRunsStart } from '../../test-redis/large-runs-expect.js';
import { freePort, usePrivateRedis } from '../../test-redis/private-redis.js';
import { useProcesses } from '../../test-redis/processes.js';

const redis = usePrivateRedis();
const processes = useProcesses();

describe('the Redis server while large runs start', () => {
  it('answers /api/health while five 100,000-layer runs start', async () => {
    const server = await processes.server({
      REDIS_URL: redis.current.freshDatabase(),
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      FUSYNC_EMBEDDED_WORKER: 'false',
      FUSYNC_STUDIO_DIR: 'studio-not-built',
      FUSYNC_BODY_LIMIT: String(20 * 1024 * 1024),
    });
    await expectAnswersWhileLargeRunsStart(server.url);
  }, 180_000);
});
