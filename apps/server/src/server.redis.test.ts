import type { RunEvent } from 'fusync';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { freePort, usePrivateRedis } from '../test-redis/private-redis.js';
import { useProcesses } from '../test-redis/processes.js';
import { json, readSse, SseReader, sequenceOf, settled } from './test-support/fixtures.js';

const redis = usePrivateRedis();
const processes = useProcesses();

/** Reads `GET /api/runs/:id/events` until it ends (after run:finished). */
async function history(url: string, runId: string): Promise<RunEvent[]> {
  const res = await fetch(`${url}/api/runs/${runId}/events`);
  expect(res.status).toBe(200);
  return (await readSse(res)).map((m) => JSON.parse(m.data) as RunEvent);
}

describe('the server in Redis mode, as processes', () => {
  it('finishes a run with a whole event history after the server is killed mid-run and started again', async () => {
    const redisUrl = redis.current.freshDatabase();
    const port = await freePort();
    const env = {
      REDIS_URL: redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      FUSYNC_EMBEDDED_WORKER: 'false',
      FUSYNC_STUDIO_DIR: 'studio-not-built',
    };
    await processes.worker(redisUrl);
    const server = await processes.server(env);
    expect(await (await fetch(`${server.url}/api/health`)).json()).toMatchObject({
      status: 'ok',
      queue: 'redis',
      activeRuns: 0,
      maxActiveRuns: 1000,
    });

    // Two branches of `wait` layers joined at the end: about 2 s of work.
    const wait = (name: string, dependsOn: string[] = []) => ({
      name,
      operation: 'wait',
      args: ['ms'],
      dependsOn,
    });
    const layers = [
      wait('a'),
      wait('b', ['a']),
      wait('c', ['a']),
      wait('d', ['b']),
      wait('e', ['c']),
      wait('f', ['d', 'e']),
      wait('g', ['f']),
    ];
    const res = await fetch(
      `${server.url}/api/runs`,
      json('POST', { sequence: sequenceOf(...layers), input: { ms: 400 } }),
    );
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };

    // Kill the server once the run is under way: `a` done, `b` and `c` on the worker.
    const live = new SseReader(await fetch(`${server.url}/api/runs/${runId}/events`));
    const seenBefore: RunEvent[] = [];
    for (;;) {
      const [message] = await live.take(1);
      if (!message) throw new Error('The event stream ended before `b` started.');
      const event = JSON.parse(message.data) as RunEvent;
      seenBefore.push(event);
      if (event.type === 'layer:started' && event.layer === 'b') break;
    }
    await server.stop('SIGKILL');
    await live.cancel();

    const restarted = await processes.server(env);
    // A client that lost the stream with the server resumes it from the restarted one.
    const resumed = await fetch(`${restarted.url}/api/runs/${runId}/events`, {
      headers: { 'Last-Event-ID': String(seenBefore.at(-1)?.seq) },
    });
    expect(resumed.status).toBe(200);
    const seenAfter = (await readSse(resumed)).map((m) => JSON.parse(m.data) as RunEvent);
    const followed = [...seenBefore, ...seenAfter];
    expect(followed.map((e) => e.seq)).toEqual(followed.map((_, i) => i));
    expect(followed.at(-1)?.type).toBe('run:finished');

    const view = await settled(restarted.url, runId);
    expect(view.status).toBe('succeeded');
    expect(view.layers.map((l) => [l.name, l.status, l.attemptCount])).toEqual(
      layers.map((l) => [l.name, 'succeeded', 1]),
    );

    const events = await history(restarted.url, runId);
    expect(events).toEqual(followed);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === 'run:started')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'run:finished')).toHaveLength(1);
    expect(events.at(-1)?.type).toBe('run:finished');
    for (const { name } of layers) {
      const of = (type: RunEvent['type']) =>
        events.filter((e) => e.type === type && 'layer' in e && e.layer === name);
      // Exactly one start and one terminal event per layer: nothing lost, nothing run twice.
      expect(of('layer:started'), name).toHaveLength(1);
      expect(of('layer:succeeded'), name).toHaveLength(1);
      expect(of('layer:failed'), name).toHaveLength(0);
      expect(of('layer:skipped'), name).toHaveLength(0);
    }
    await restarted.stop();
  }, 60_000);
});

describe('a worker killed while it holds a layer, in Redis mode', () => {
  it('shows the delivery lost with the killed worker and the attempt finished by the other one, in the run view, the event stream and the timeline', async () => {
    const redisUrl = redis.current.freshDatabase();
    const port = await freePort();
    const server = await processes.server({
      REDIS_URL: redisUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      FUSYNC_EMBEDDED_WORKER: 'false',
      FUSYNC_STUDIO_DIR: 'studio-not-built',
    });
    const first = await processes.worker(redisUrl);
    const nameOf = (worker: { output(): string }) =>
      worker.output().match(/fusync worker (\S+) started/)?.[1] as string;
    const lostWorker = nameOf(first);

    const layers = [
      { name: 'slow', operation: 'wait', args: ['ms'] },
      { name: 'after', operation: 'wait', args: ['short'], dependsOn: ['slow'] },
    ];
    const res = await fetch(
      `${server.url}/api/runs`,
      json('POST', { sequence: sequenceOf(...layers), input: { ms: 4000, short: 0 } }),
    );
    expect(res.status).toBe(202);
    const { runId } = (await res.json()) as { runId: string };

    // The only worker takes `slow`: it notes itself as the attempt's holder as it starts it.
    const client = new Redis(redisUrl);
    try {
      for (;;) {
        const holder = await client.hget(`fusync:run:{${runId}}:deliveries`, '0:1');
        if (holder === lostWorker) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      client.disconnect();
    }
    // Killed first: a second worker starting beside it could take seconds, while `slow` ends.
    await first.stop('SIGKILL');
    const second = await processes.worker(redisUrl);
    const newWorker = nameOf(second);

    const view = await settled(server.url, runId);
    expect(view.status).toBe('succeeded');
    const slow = view.layers.find((layer) => layer.name === 'slow');
    expect(slow?.attempts.map((a) => [a.attempt, a.outcome, a.worker])).toEqual([
      [1, 'lost', lostWorker],
      [1, 'succeeded', newWorker],
    ]);
    expect(slow?.attempts[0]?.end).toBe(slow?.attempts[1]?.start);
    expect(slow?.attemptCount).toBe(1);
    expect(view.metrics).toMatchObject({ totalAttempts: 2, retries: 0, lostDeliveries: 1 });

    // The event stream carries the redelivery as an event of its own, once.
    const events = await history(server.url, runId);
    expect(events.filter((e) => e.type === 'layer:redelivered')).toEqual([
      expect.objectContaining({ layer: 'slow', attempt: 1, worker: newWorker, lostWorker }),
    ]);
    expect(events.filter((e) => e.type === 'layer:started' && e.layer === 'slow')).toHaveLength(1);

    const timeline = await (await fetch(`${server.url}/api/runs/${runId}/timeline`)).text();
    expect(timeline).toMatch(/slow\s*│[ ×█]*×[ ×█]*█[ █]*│.*redelivered/);
  }, 60_000);
});
