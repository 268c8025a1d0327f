/**
 * A Redis that refuses writes (`min-replicas-to-write` with no replica: every
 * write answers NOREPLICAS) must show in the log — once, with the run it
 * holds up — instead of looking like a stalled run; and once it accepts
 * writes again the run finishes, with one more line saying so.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisRunManager, startWorker } from '../../src/redis/index.js';
import { recordingLogger } from '../helpers.js';
import { startRedisServer } from '../setup/redis-server.js';
import {
  eventsUntilFinished,
  everyNode,
  sequenceJson,
  type TestSpace,
  useOwnRedisServer,
  waitFor,
} from './redis-helpers.js';

/** An operation that says when it started and returns `'a'` once released. */
function heldOperation(): {
  held: () => Promise<string>;
  started: Promise<void>;
  release: () => void;
} {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let running!: () => void;
  const started = new Promise<void>((resolve) => {
    running = resolve;
  });
  const held = async (): Promise<string> => {
    running();
    await gate;
    return 'a';
  };
  return { held, started, release };
}

/** Sets `min-replicas-to-write` on every master: on a cluster, the run's and the queue's among them. */
async function minReplicasToWrite(space: TestSpace, count: number): Promise<void> {
  for (const node of await everyNode(space))
    await node.config('SET', 'min-replicas-to-write', String(count));
}

describe('a Redis that refuses writes mid-run', () => {
  // Refusing writes hits every client of a server: these tests get a server of their own.
  const own = useOwnRedisServer();
  let space: TestSpace;
  beforeEach(() => {
    space = own.space();
  });
  afterEach(async () => {
    await minReplicasToWrite(space, 0);
  });

  it('is logged once with the run it holds up, then once when writes work again, and the run finishes', async () => {
    const { logger, lines } = recordingLogger();
    const manager = new RedisRunManager({
      connection: space.connection,
      queue: space.queue,
      resumeIntervalMs: 0,
      logger,
    });
    space.onCleanup(() => manager.close());
    const { held, started, release } = heldOperation();
    const worker = startWorker({
      connection: space.connection,
      queue: space.queue,
      localRuns: manager.localRuns,
      logger,
      operations: {
        held,
        after: () => 'b',
      },
    });
    space.onCleanup(() => worker.close());

    const { runId } = await manager.start(
      sequenceJson([
        { name: 'first', operation: 'held' },
        { name: 'second', operation: 'after', dependsOn: ['first'] },
      ]),
    );
    await started;
    await minReplicasToWrite(space, 1);
    // The first layer's outcome is to be logged now: the write is refused.
    release();
    const refused = await waitFor('the refused write in the log', () =>
      lines.find((line) => line.fields?.run === runId && /NOREPLICAS/.test(line.message)),
    );
    expect(refused.level).toBe('warn');
    expect(refused.message).toMatch(
      /^fusync\/redis: writing the run’s log, events and next jobs failed \(run \S+\): NOREPLICAS/,
    );

    await minReplicasToWrite(space, 0);
    const events = await eventsUntilFinished(manager.follow(runId));
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });

    // One line when the write started failing and one when it worked again, however many tries.
    const flush = lines.filter(
      (line) => line.fields?.run === runId && line.message.includes('writing the run’s log'),
    );
    expect(flush.map((line) => [line.level, /failed|works again/.exec(line.message)?.[0]])).toEqual(
      [
        ['warn', 'failed'],
        ['warn', 'works again'],
      ],
    );
  });

  it('is logged by a worker whose outcome write is refused, naming the run, layer and attempt, which records it once writes work again', async () => {
    const { logger, lines } = recordingLogger();
    const manager = new RedisRunManager({
      connection: space.connection,
      queue: space.queue,
      resumeIntervalMs: 0,
    });
    space.onCleanup(() => manager.close());
    const { held, started, release } = heldOperation();
    // No `localRuns`: the outcome goes by mail, written by the worker.
    const worker = startWorker({
      connection: space.connection,
      queue: space.queue,
      logger,
      operations: {
        held,
      },
    });
    space.onCleanup(() => worker.close());

    const { runId } = await manager.start(sequenceJson([{ name: 'only', operation: 'held' }]));
    await started;
    await minReplicasToWrite(space, 1);
    release();
    const refused = await waitFor('the worker’s refused outcome write in the log', () =>
      lines.find((line) => line.message.includes('recording the attempt’s outcome')),
    );
    expect(refused.level).toBe('warn');
    expect(refused.message).toMatch(
      new RegExp(
        `^fusync/redis: recording the attempt’s outcome failed \\(run ${runId}, layer only, attempt 1, worker ${worker.name}\\): NOREPLICAS`,
      ),
    );
    expect(refused.fields).toMatchObject({
      run: runId,
      layer: 'only',
      attempt: 1,
      worker: worker.name,
    });

    // The worker keeps the job and tries again, backing off: once writes work, the run finishes.
    await minReplicasToWrite(space, 0);
    const events = await eventsUntilFinished(manager.follow(runId));
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(events.filter((event) => event.type === 'layer:started')).toHaveLength(1);
    const recording = lines.filter((line) => line.message.includes('recording the attempt’s'));
    expect(
      recording.map((line) => [line.level, /failed|works again/.exec(line.message)?.[0]]),
    ).toEqual([
      ['warn', 'failed'],
      ['warn', 'works again'],
    ]);
  });

  // One URL on the cluster run too: the line under test names one connection's address.
  it('a connection to a stopped redis-server is logged once with its role and address, not at every reconnect', async () => {
    const stopped = await startRedisServer();
    await stopped.stop();
    const { logger, lines } = recordingLogger();
    const manager = new RedisRunManager({
      connection: { url: stopped.url, prefix: space.prefix },
      resumeIntervalMs: 0,
      logger,
    });
    const address = new URL(stopped.url).host;
    try {
      const refused = await waitFor('the refused connection in the log', () =>
        lines.find((line) => line.message.includes('coordinator commands')),
      );
      expect(refused.level).toBe('warn');
      expect(refused.message).toContain(
        `Redis connection failed (connection coordinator commands to ${address}): connect ECONNREFUSED`,
      );
      // ioredis keeps reconnecting: still one line per connection.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const perConnection = lines.filter((line) => line.message.includes('coordinator commands'));
      expect(perConnection).toHaveLength(1);
    } finally {
      await manager.close();
    }
  });
});
