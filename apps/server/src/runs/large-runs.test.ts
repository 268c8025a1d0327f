import { describe, it } from 'vitest';
import { expectAnswersWhileLargeRunsStart } from '../../test-redis/large-runs-expect.js';
import { freePort } from '../../test-redis/private-redis.js';
import { useProcesses } from '../../test-redis/processes.js';

const processes = useProcesses();

describe('the in-memory server while large runs start', () => {
  it('answers /api/health while five 100,000-layer runs start', async () => {
    const server = await processes.server({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      FUSYNC_SEQUENCES_DIR: 'memory',
      FUSYNC_STUDIO_DIR: 'studio-not-built',
      FUSYNC_BODY_LIMIT: String(20 * 1024 * 1024),
    });
    await expectAnswersWhileLargeRunsStart(server.url);
  }, 120_000);
});
