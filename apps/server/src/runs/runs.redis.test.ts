import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from '../../test-redis/private-redis.js';
import { finished, runKeys, runView, startRun, useRedisApps } from '../../test-redis/redis-app.js';
import { ORDER_INPUT, orderSequence } from '../test-support/fixtures.js';
import { describeRerunRoutes } from './rerun-routes.contract.js';
import { describeRunRoutes, type MakeRunApp } from './run-routes.contract.js';

const redis = usePrivateRedis();
const redisApp = useRedisApps(() => redis.current);

// Each test gets an app over a fresh database of this file's redis-server, its
// layers run by an embedded worker.
const makeApp: MakeRunApp = async (options = {}) => {
  const { app, runs, url } = await redisApp(options);
  return { app, runs, storedRunKeys: () => runKeys(url) };
};

describeRunRoutes('in Redis mode', makeApp);
describeRerunRoutes('in Redis mode', makeApp);

describe('GET /api/runs in Redis mode', () => {
  it('keeps the run in Redis, where another server on the same Redis reads it', async () => {
    const first = await redisApp();
    const runId = await startRun(first.app, { sequence: orderSequence(), input: ORDER_INPUT });
    await finished(first.runs, runId);
    const second = await redisApp({ url: first.url });
    expect(await runView(second.app, runId)).toEqual(await runView(first.app, runId));
    const listed = (await (await second.app.request('/api/runs')).json()) as {
      runs: { runId: string; status: string }[];
    };
    expect(listed.runs).toEqual([expect.objectContaining({ runId, status: 'succeeded' })]);
  });
});

describe('GET /api/runs in Redis mode, from summaries', () => {
  it('lists runs from their summary fields alone, never reading their events', async () => {
    const { app, runs, url } = await redisApp();
    const runId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
    await finished(runs, runId);
    // Without its event stream a run has no view, yet it is still listed whole.
    const client = new Redis(url);
    try {
      const removed = await client.del(`fusync:run:{${runId}}:events`);
      expect(removed).toBe(1);
    } finally {
      client.disconnect();
    }
    const listed = (await (await app.request('/api/runs')).json()) as {
      runs: Record<string, unknown>[];
    };
    expect(listed.runs).toEqual([
      expect.objectContaining({
        runId,
        status: 'succeeded',
        sequenceName: 'order',
        layerCount: orderSequence().layers.length,
      }),
    ]);
    const [run] = listed.runs;
    expect(run?.durationMs).toBe((run?.finishedAt as number) - (run?.startedAt as number));
  });
});
