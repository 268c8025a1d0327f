import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePrivateRedis } from '../test-redis/private-redis.js';
import { failThenRerun, rerunDirectory } from './test-support/cli-process.js';

const redis = usePrivateRedis();
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'fusync-cli-redis-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('fusync run --redis --rerun-from', () => {
  it('reruns a failed Redis run from its saved events, running only the failed layer and what depends on it', async () => {
    const { failed, parent, failedCalls, again, rerun, againCalls } = await failThenRerun(
      await rerunDirectory(directory),
      ['--redis', redis.current.freshDatabase()],
    );
    expect(failed.code).toBe(1);
    expect(failedCalls).toEqual(['load', 'charge']);
    expect(parent).toContainEqual(
      expect.objectContaining({
        type: 'layer:started',
        layer: 'charge',
        args: [{ id: 'u1', name: 'Ada' }, 'expired'],
      }),
    );

    expect(again.stderr).toContain(`[fusync] ≡ load reused from ${parent[0]?.runId}`);
    expect(again.code).toBe(0);
    expect(againCalls).toEqual(['charge', 'notify']);
    expect(rerun[0]).toMatchObject({ type: 'run:started', parentRunId: parent[0]?.runId });
    expect(rerun.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
  }, 30_000);
});
