import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PrivateRedisCluster, startRedisCluster } from '@fusync/private-redis';
import type { RunEvent } from 'fusync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../test-redis/private-redis.js';
import { CLI, useProcesses } from '../test-redis/processes.js';
import { failThenRerun, rerunDirectory } from './test-support/cli-process.js';
import { json, readSse, sequenceOf, settled } from './test-support/fixtures.js';

const processes = useProcesses();
let cluster: PrivateRedisCluster | undefined;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});

describe('the server on a Redis Cluster, as processes', () => {
  it('runs a sequence with its layers on a `fusync worker --redis-cluster` process, and lists and replays it', async () => {
    const nodes = cluster?.nodes.join(',') ?? '';
    const prefix = `cluster${process.pid}`;
    const worker = processes.start([CLI, 'worker', '--redis-cluster', nodes, '--prefix', prefix], {
      REDIS_URL: '',
      FUSYNC_REDIS_CLUSTER: '',
    });
    await processes.waitFor(worker, /fusync worker \S+ started .*Redis Cluster of /);
    const server = await processes.server({
      FUSYNC_REDIS_CLUSTER: nodes,
      REDIS_URL: '',
      FUSYNC_REDIS_PREFIX: prefix,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      FUSYNC_EMBEDDED_WORKER: 'false',
      FUSYNC_STUDIO_DIR: 'studio-not-built',
    });
    expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({
      status: 'ok',
      queue: 'redis',
    });

    const wait = (name: string, dependsOn: string[] = []) => ({
      name,
      operation: 'wait',
      args: ['ms'],
      dependsOn,
    });
    const layers = [wait('a'), wait('b', ['a']), wait('c', ['a']), wait('d', ['b', 'c'])];
    const runIds: string[] = [];
    // Several runs: their keys land on different masters of the cluster.
    for (let i = 0; i < 4; i++) {
      const res = await fetch(
        `${server.url}/api/runs`,
        json('POST', { sequence: sequenceOf(...layers), input: { ms: 50 } }),
      );
      expect(res.status).toBe(202);
      runIds.push(((await res.json()) as { runId: string }).runId);
    }

    for (const runId of runIds) {
      const view = await settled(server.url, runId);
      expect(view.status).toBe('succeeded');
      expect(view.layers.map((l) => [l.name, l.status, l.attemptCount])).toEqual(
        layers.map((l) => [l.name, 'succeeded', 1]),
      );
      const events = (await readSse(await fetch(`${server.url}/api/runs/${runId}/events`))).map(
        (m) => JSON.parse(m.data) as RunEvent,
      );
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    }
    const listed = (await (await fetch(`${server.url}/api/runs`)).json()) as {
      runs: { runId: string; status: string }[];
    };
    expect(listed.runs.map((run) => run.runId).sort()).toEqual([...runIds].sort());
    expect(listed.runs.every((run) => run.status === 'succeeded')).toBe(true);
    await server.stop();
    await worker.stop();
  }, 60_000);
});

describe('fusync run --redis-cluster', () => {
  it('runs a sequence on the cluster, then reruns its failed layer from the saved events', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'fusync-cli-cluster-'));
    try {
      const { failed, failedCalls, again, againCalls, rerun } = await failThenRerun(
        await rerunDirectory(directory),
        ['--redis-cluster', cluster?.nodes.join(',') ?? ''],
      );
      expect(failed.code).toBe(1);
      expect(failedCalls).toEqual(['load', 'charge']);
      expect(again.code).toBe(0);
      expect(againCalls).toEqual(['charge', 'notify']);
      expect(rerun.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 30_000);
});
