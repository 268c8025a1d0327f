/**
 * How a worker in another process than the run's coordinator hands in an
 * outcome, watched with MONITOR on the private redis-server: always recorded
 * before its job completes; with jobs waiting for the worker's slots, sent on
 * BullMQ's own connection right before the completion (no round trip held);
 * otherwise on the worker's commands connection, the slot held until the
 * coordinator logged it, so the jobs it admits are there for BullMQ's fetch.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisRunManager, startWorker } from '../../src/redis/index.js';
import { attemptJobId, keySpace } from '../../src/redis/keys.js';
import {
  createTestSpace,
  eventsUntilFinished,
  recordProblems,
  type SequenceLayers,
  sequenceJson,
  type TestSpace,
} from './redis-helpers.js';

let space: TestSpace;

beforeEach(() => {
  space = createTestSpace();
});

afterEach(async () => {
  await space.cleanup();
});

interface Seen {
  at: number;
  source: string;
}

/** Where and in which order each attempt's outcome was recorded and its job completed. */
async function watchAttempts(runId: string) {
  const done = keySpace(space.prefix).run(runId).done;
  const recorded = new Map<string, Seen>();
  const completed = new Map<string, Seen>();
  let at = 0;
  // `redis-cli monitor`, not ioredis' monitor(): under traffic, lines arriving with MONITOR's answer
  // are taken for answers to commands it never sent.
  const monitor = spawn('redis-cli', ['-u', space.url, 'monitor'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  space.onCleanup(() => void monitor.kill());
  const lines = createInterface({ input: monitor.stdout });
  lines.on('line', (line) => {
    const where = /^\S+ \[\d+ ([^\]]+)\] /.exec(line);
    if (!where) return;
    at++;
    const source = where[1] ?? '';
    const args = [...line.slice(where[0].length).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(
      (match) => match[1] ?? '',
    );
    const name = args[0]?.toLowerCase();
    if (name !== 'evalsha' && name !== 'eval') return;
    // RECORD_OUTCOME: KEYS[1] the run's done hash, ARGV[1] the `<layer>:<attempt>` field.
    if (args[3] === done && args[5] !== undefined) {
      const [layer, attempt] = args[5].split(':');
      const jobId = attemptJobId(runId, Number(layer), Number(attempt));
      if (!recorded.has(jobId)) recorded.set(jobId, { at, source });
      return;
    }
    // BullMQ's moveToFinished names the job and its target state.
    if (!args.includes('completed')) return;
    const jobId = args.find((arg) => arg.startsWith(`${runId}_`));
    if (jobId !== undefined && !completed.has(jobId)) completed.set(jobId, { at, source });
  });
  await new Promise((resolve) => lines.once('line', resolve));
  return { recorded, completed };
}

async function runAndWatch(layers: SequenceLayers, concurrency: number) {
  const manager = new RedisRunManager({
    connection: space.connection,
    queue: space.queue,
    resumeIntervalMs: 0,
  });
  space.onCleanup(() => manager.close());
  // No `localRuns`: outcomes go by mail, as from a worker in another process.
  const worker = startWorker({
    connection: space.connection,
    queue: space.queue,
    concurrency,
    operations: { step: () => 'ok' },
  });
  space.onCleanup(() => worker.close());
  const runId = `outcomes-${space.prefix}`;
  const seen = await watchAttempts(runId);
  await manager.start(sequenceJson(layers), {}, runId);
  const events = await eventsUntilFinished(
    manager.follow(runId, { pollMs: 20, signal: AbortSignal.timeout(15_000) }),
  );
  // The last commands of the run may still be on their way to MONITOR.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { events, ...seen };
}

describe('a worker handing in outcomes by mail', () => {
  it('with jobs waiting for its slots, sends outcomes on BullMQ’s connection right before the completions', async () => {
    const layers: SequenceLayers = Array.from({ length: 40 }, (_, i) => ({
      name: `l${i}`,
      operation: 'step',
    }));
    const { events, recorded, completed } = await runAndWatch(layers, 2);

    expect(
      recordProblems(
        events,
        layers.map((layer) => layer.name),
      ),
    ).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(recorded.size).toBe(40);
    expect(completed.size).toBe(40);
    let alongside = 0;
    for (const [jobId, record] of recorded) {
      const completion = completed.get(jobId);
      // Whichever the path, Redis has the outcome before the job is completed.
      expect(completion && record.at < completion.at, jobId).toBe(true);
      if (completion?.source === record.source) alongside++;
    }
    // Only the first outcomes (before the worker has read the queue's length) take the other path.
    expect(alongside).toBeGreaterThanOrEqual(30);
  });

  it('with no job waiting (a chain), sends each outcome on its commands connection and waits for its answer', async () => {
    const layers: SequenceLayers = Array.from({ length: 12 }, (_, i) => ({
      name: `l${i}`,
      operation: 'step',
      ...(i > 0 ? { dependsOn: [`l${i - 1}`] } : {}),
    }));
    const { events, recorded, completed } = await runAndWatch(layers, 4);

    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(recorded.size).toBe(12);
    for (const [jobId, record] of recorded) {
      const completion = completed.get(jobId);
      expect(completion && record.at < completion.at, jobId).toBe(true);
      expect(completion?.source, jobId).not.toBe(record.source);
    }
  });
});
