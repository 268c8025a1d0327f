import type { RunEvent } from 'fusync';
import { describe, expect, it } from 'vitest';
import { freePort, usePrivateRedis } from '../test-redis/private-redis.js';
import { useProcesses } from '../test-redis/processes.js';
import type { RunView } from './runs/run-service.js';
import { json, readSse, SseReader, sequenceOf } from './test-support/fixtures.js';

const redis = usePrivateRedis();
const processes = useProcesses();

/** Polls `GET /api/runs/:id` until the run is no longer running. */
async function settled(url: string, runId: string): Promise<RunView> {
  for (;;) {
    const res = await fetch(`${url}/api/runs/${runId}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as RunView;
    if (view.status !== 'running') return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

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
