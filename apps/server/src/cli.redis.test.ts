import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePrivateRedis } from '../test-redis/private-redis.js';
import {
  fusync,
  rerunDirectory,
  runCharge,
  savedEvents,
  takeCalls,
} from './test-support/cli-process.js';

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
    const dir = await rerunDirectory(directory);
    const url = redis.current.freshDatabase();
    const failed = await fusync(
      [...runCharge, '--redis', url, '--input', 'expired.json', '--save-events', 'failed.json'],
      dir,
    );
    expect(failed.code).toBe(1);
    expect(await takeCalls(dir)).toEqual(['load', 'charge']);
    const parent = await savedEvents(join(dir, 'failed.json'));
    expect(parent).toContainEqual(
      expect.objectContaining({
        type: 'layer:started',
        layer: 'charge',
        args: [{ id: 'u1', name: 'Ada' }, 'expired'],
      }),
    );

    const again = await fusync(
      [
        ...runCharge,
        '--redis',
        url,
        '--input',
        'valid.json',
        '--rerun-from',
        'failed.json',
        '--save-events',
        'again.json',
      ],
      dir,
    );
    expect(again.stderr).toContain(`[fusync] ≡ load reused from ${parent[0]?.runId}`);
    expect(again.code).toBe(0);
    expect(await takeCalls(dir)).toEqual(['charge', 'notify']);
    const rerun = await savedEvents(join(dir, 'again.json'));
    expect(rerun[0]).toMatchObject({ type: 'run:started', parentRunId: parent[0]?.runId });
    expect(rerun.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
  }, 30_000);
});
