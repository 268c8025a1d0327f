/**
 * Runs survive what goes wrong in production: a worker killed while it holds
 * a layer, the coordinating process stopped or killed mid-run, Redis
 * connections dropped. What ran is read from the workers' execution log;
 * what the run recorded, from its event stream.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeMetrics, type RunEvent, runRecordFromEvents } from '../../src/index.js';
import { RedisRunManager, startWorker } from '../../src/redis/index.js';
import { bullPrefix, keySpace } from '../../src/redis/keys.js';
import { loggedOperations } from './fixtures/logged-operations.js';
import {
  createTestSpace,
  delay,
  type Execution,
  eventsUntilFinished,
  eventTypesByLayer,
  everyNode,
  nodesHolding,
  randomDag,
  readExecutions,
  recordProblems,
  type SequenceLayers,
  sequenceJson,
  spawnManager,
  spawnWorkers,
  type TestSpace,
  useOwnRedisServer,
  waitFor,
} from './redis-helpers.js';

/**
 * Waits until the worker holding `layer`'s first attempt has noted itself
 * (the note a redelivery reads the lost worker's name from). The note goes
 * out once the attempt has run a while (`DELIVERY_NOTE_AFTER_MS`): a worker
 * killed before is recorded as lost without a name, which these tests do not
 * race.
 */
function deliveryNoted(space: TestSpace, runId: string, layer: number): Promise<string> {
  return waitFor(`the worker holding layer ${layer} to note its delivery`, async () => {
    const holder = await space.admin.hget(
      keySpace(space.prefix).run(runId).deliveries,
      `${layer}:1`,
    );
    return holder ?? undefined;
  });
}

const FAULT_TEST_TIMEOUT = 40_000;

/** How often each `layer#attempt` started and ended in the log. */
function countsByAttempt(log: readonly Execution[]): Map<string, { starts: number; ends: number }> {
  const counts = new Map<string, { starts: number; ends: number }>();
  for (const entry of log) {
    const key = `${entry.layer}#${entry.attempt}`;
    const count = counts.get(key) ?? { starts: 0, ends: 0 };
    if (entry.event === 'start') count.starts++;
    else count.ends++;
    counts.set(key, count);
  }
  return counts;
}

/** The `layer#attempt` keys that did not run exactly once. */
function notExactlyOnce(log: readonly Execution[]): string[] {
  return [...countsByAttempt(log)]
    .filter(([, count]) => count.starts !== 1 || count.ends !== 1)
    .map(([key, count]) => `${key}: ${count.starts} starts, ${count.ends} ends`);
}

/** The run succeeded and its record is whole (see `recordProblems`). */
function expectSucceededWhole(
  events: readonly RunEvent[],
  sequence: { layers: readonly { name: string }[] },
): void {
  expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
  expect(
    recordProblems(
      events,
      sequence.layers.map((l) => l.name),
    ),
  ).toEqual([]);
}

function manager(
  space: TestSpace,
  options: { leaseMs?: number; resumeIntervalMs?: number; owner?: string } = {},
) {
  const created = new RedisRunManager({
    connection: space.connection,
    queue: space.queue,
    leaseMs: options.leaseMs ?? 5000,
    resumeIntervalMs: options.resumeIntervalMs ?? 0,
    ...(options.owner ? { owner: options.owner } : {}),
  });
  space.onCleanup(() => created.close());
  return created;
}

/** The run's events up to `run:finished`, or those seen when `timeoutMs` ran out. */
function followToEnd(
  owner: RedisRunManager,
  runId: string,
  timeoutMs = 20_000,
): Promise<RunEvent[]> {
  return eventsUntilFinished(
    owner.follow(runId, { pollMs: 50, signal: AbortSignal.timeout(timeoutMs) }),
  );
}

async function logOf(space: TestSpace, runId: string): Promise<Execution[]> {
  return (await readExecutions(space)).filter((entry) => entry.runId === runId);
}

/** Waits until `count` operations of the run have ended. */
function untilEnded(space: TestSpace, runId: string, count: number): Promise<Execution[]> {
  return waitFor(`${count} layers of run ${runId} to end`, async () => {
    const log = await logOf(space, runId);
    return log.filter((entry) => entry.event === 'end').length >= count ? log : undefined;
  });
}

describe('a worker killed while it holds a layer', () => {
  let space: TestSpace;
  beforeEach(() => {
    space = createTestSpace();
  });
  afterEach(async () => {
    await space.cleanup();
  });

  it(
    'has the layer re-run elsewhere within 5 s, no finished layer runs again, and the record shows the lost delivery',
    async () => {
      const workers = await spawnWorkers(space, 3);
      const coordinator = manager(space);
      const before = Array.from({ length: 8 }, (_, i) => `before${i}`);
      const layers: SequenceLayers = [
        ...before.map((name) => ({ name, operation: 'work' })),
        { name: 'slow', operation: 'slow', dependsOn: before },
        ...Array.from({ length: 8 }, (_, i) => ({
          name: `after${i}`,
          operation: 'work',
          dependsOn: ['slow'],
        })),
      ];
      const { runId } = await coordinator.start(sequenceJson(layers, { concurrency: 4 }));

      const holder = await waitFor('the slow layer to start', async () =>
        (await logOf(space, runId)).find((e) => e.layer === 'slow' && e.event === 'start'),
      );
      const victim = workers.find((worker) => worker.pid === holder.pid);
      expect(victim, 'the slow layer runs in one of the workers').toBeDefined();
      await deliveryNoted(
        space,
        runId,
        layers.findIndex((layer) => layer.name === 'slow'),
      );
      const killedAt = Date.now();
      await victim?.kill();

      const events = await followToEnd(coordinator, runId);

      expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
      expect(
        recordProblems(
          events,
          layers.map((l) => l.name),
        ),
      ).toEqual([]);
      const log = await logOf(space, runId);
      const slowStarts = log.filter((e) => e.layer === 'slow' && e.event === 'start');
      expect(slowStarts).toHaveLength(2);
      const rerun = slowStarts[1] as Execution;
      expect(rerun.pid).not.toBe(holder.pid);
      expect(rerun.attempt).toBe(1);
      expect(rerun.time - killedAt).toBeLessThan(5000);
      // The killed attempt never ended; everything else ran exactly once.
      expect(notExactlyOnce(log)).toEqual(['slow#1: 2 starts, 1 ends']);
      // The record names the worker that finished the layer, not the one killed.
      const slowEnd = events.find((e) => e.type === 'layer:succeeded' && e.layer === 'slow');
      expect(slowEnd?.type === 'layer:succeeded' && slowEnd.worker).toContain(`-${rerun.pid}-`);
      expect(log.filter((e) => e.pid === holder.pid).every((e) => e.time <= killedAt)).toBe(true);

      // The record keeps the delivery lost with the killed worker: one `layer:redelivered` naming
      // both workers, between the attempt's start and its outcome, and no other.
      const redeliveries = events.filter((e) => e.type === 'layer:redelivered');
      expect(redeliveries).toEqual([
        expect.objectContaining({
          layer: 'slow',
          attempt: 1,
          worker: expect.stringContaining(`-${rerun.pid}-`),
          lostWorker: expect.stringContaining(`-${holder.pid}-`),
        }),
      ]);
      const slowStarted = events.find((e) => e.type === 'layer:started' && e.layer === 'slow');
      expect(slowStarted?.seq).toBeLessThan(redeliveries[0]?.seq ?? -1);
      expect(redeliveries[0]?.seq).toBeLessThan(slowEnd?.seq ?? -1);
      // Folded: the same attempt in two parts, the lost one on the killed worker, then the one that
      // succeeded on the other; every other layer ran once, on one worker.
      const record = runRecordFromEvents(events);
      const slow = record.layers.find((layer) => layer.name === 'slow');
      expect(slow?.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
        [1, 'lost'],
        [1, 'succeeded'],
      ]);
      const [lost, finished] = slow?.attempts ?? [];
      expect(lost?.worker).toContain(`-${holder.pid}-`);
      expect(finished?.worker).toContain(`-${rerun.pid}-`);
      expect(lost?.end).toBe(finished?.start);
      expect(lost?.end).toBeGreaterThanOrEqual(killedAt);
      for (const layer of record.layers.filter((l) => l.name !== 'slow'))
        expect(
          layer.attempts.map((a) => a.outcome),
          layer.name,
        ).toEqual(['succeeded']);
      expect(computeMetrics(record)).toMatchObject({
        succeeded: layers.length,
        failed: 0,
        totalAttempts: layers.length,
        retries: 0,
        lostDeliveries: 1,
      });
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'killed while jobs wait for its slots (its outcomes sent ahead of its jobs’ completions): every layer is recorded once, and none recorded by it runs again',
    async () => {
      const [victim, survivor] = await spawnWorkers(space, 2);
      const coordinator = manager(space);
      // No run limit: jobs wait in the queue, so the workers send outcomes on BullMQ's connection.
      const layers: SequenceLayers = Array.from({ length: 1500 }, (_, i) => ({
        name: `l${i}`,
        operation: 'work',
      }));
      const { runId } = await coordinator.start(sequenceJson(layers));
      await waitFor('the killed worker to have ended 100 layers', async () => {
        const log = await logOf(space, runId);
        return log.filter((e) => e.pid === victim?.pid && e.event === 'end').length >= 100;
      });
      const killedAt = Date.now();
      await victim?.kill();

      const events = await followToEnd(coordinator, runId);

      expectSucceededWhole(events, { layers });
      const log = await logOf(space, runId);
      expect(log.filter((e) => e.pid === victim?.pid).every((e) => e.time <= killedAt)).toBe(true);
      const counts = countsByAttempt(log);
      const recordedByVictim = events.flatMap((e) =>
        e.type === 'layer:succeeded' && e.worker?.includes(`-${victim?.pid}-`) ? [e.layer] : [],
      );
      // Ended 100 layers before it died: most of those outcomes were recorded (the last may not be).
      expect(recordedByVictim.length).toBeGreaterThanOrEqual(50);
      for (const layer of recordedByVictim) expect(counts.get(`${layer}#1`)?.starts, layer).toBe(1);
      // What ran again is what the killed worker held: started there, finished on the other worker.
      for (const [key, count] of counts) {
        if (count.starts === 1) continue;
        const starts = log.filter((e) => `${e.layer}#${e.attempt}` === key && e.event === 'start');
        expect(
          starts.map((e) => e.pid),
          key,
        ).toEqual([victim?.pid, survivor?.pid]);
      }
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'records the lost delivery handed over directly when a worker in the coordinator’s process takes the layer over',
    async () => {
      const [holder] = await spawnWorkers(space, 1);
      const coordinator = manager(space);
      const layers: SequenceLayers = [
        { name: 'slow', operation: 'slow' },
        { name: 'after', operation: 'work', dependsOn: ['slow'] },
      ];
      const { runId } = await coordinator.start(sequenceJson(layers));
      await waitFor('the slow layer to start in the worker process', async () =>
        (await logOf(space, runId)).find((e) => e.layer === 'slow' && e.event === 'start'),
      );
      // A worker beside the coordinator, which hands its inputs over without mail.
      const logged = loggedOperations(space.connection, space.executionsKey);
      const local = startWorker({
        connection: space.connection,
        queue: space.queue,
        operations: logged.operations,
        localRuns: coordinator.localRuns,
        name: 'local-worker',
      });
      space.onCleanup(() => local.close().then(logged.close));
      await deliveryNoted(space, runId, 0);
      await holder?.kill();

      const events = await followToEnd(coordinator, runId);
      expectSucceededWhole(events, { layers });
      const slow = runRecordFromEvents(events).layers.find((layer) => layer.name === 'slow');
      expect(slow?.attempts.map((a) => [a.attempt, a.outcome, a.worker])).toEqual([
        [1, 'lost', expect.stringContaining(`-${holder?.pid}-`)],
        [1, 'succeeded', 'local-worker'],
      ]);
      const mail = await space.admin.xrange(keySpace(space.prefix).run(runId).mail, '-', '+');
      expect(mail.filter(([, fields]) => String(fields[1]).includes('redelivered'))).toEqual([]);
      expect(notExactlyOnce(await logOf(space, runId))).toEqual(['slow#1: 2 starts, 1 ends']);
    },
    FAULT_TEST_TIMEOUT,
  );
});

describe('a rerun through faults', () => {
  let space: TestSpace;
  beforeEach(() => {
    space = createTestSpace();
  });
  afterEach(async () => {
    await space.cleanup();
  });

  it(
    "has a killed worker's layer re-run elsewhere, and no reused layer runs",
    async () => {
      const workers = await spawnWorkers(space, 2);
      const coordinator = manager(space);
      const before = Array.from({ length: 4 }, (_, i) => `before${i}`);
      const layers: SequenceLayers = [
        ...before.map((name) => ({ name, operation: 'work' })),
        { name: 'gate', operation: 'failIf', args: ['fail'], dependsOn: before },
        { name: 'slow', operation: 'slow', dependsOn: ['gate'] },
        { name: 'last', operation: 'work', dependsOn: ['slow'] },
      ];
      const json = sequenceJson(layers, { concurrency: 4 });
      const parent = await coordinator.start(json, { fail: true });
      const failed = await followToEnd(coordinator, parent.runId);
      expect(failed.at(-1)).toMatchObject({ type: 'run:finished', status: 'failed' });

      const rerun = await coordinator.rerun(parent.runId, { input: { fail: false } });
      const runId = rerun?.runId as string;
      const holder = await waitFor('the slow layer to start', async () =>
        (await logOf(space, runId)).find((e) => e.layer === 'slow' && e.event === 'start'),
      );
      await workers.find((worker) => worker.pid === holder.pid)?.kill();

      const events = await followToEnd(coordinator, runId);
      expectSucceededWhole(events, json);
      expect(events.filter((e) => e.type === 'layer:reused').map((e) => e.layer)).toEqual(before);
      const log = await logOf(space, runId);
      expect([...new Set(log.map((e) => e.layer))].sort()).toEqual(['gate', 'last', 'slow']);
      expect(notExactlyOnce(log)).toEqual(['slow#1: 2 starts, 1 ends']);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'is taken over from a coordinator that stopped, with the same reused layers: none runs, the record is whole',
    async () => {
      await spawnWorkers(space, 2);
      const first = manager(space, { leaseMs: 1000 });
      const steps = Array.from({ length: 6 }, (_, i) => `step${i}`);
      const layers: SequenceLayers = [
        { name: 'root', operation: 'work' },
        { name: 'side', operation: 'work' },
        // After `side` too: the parent run must have finished it before `gate` fails and stops it.
        { name: 'gate', operation: 'failIf', args: ['fail'], dependsOn: ['root', 'side'] },
        ...steps.map((name, i) => ({
          name,
          operation: 'step',
          dependsOn: [i === 0 ? 'gate' : (steps[i - 1] as string)],
        })),
      ];
      const json = sequenceJson(layers);
      const parent = await first.start(json, { fail: true });
      await followToEnd(first, parent.runId);
      const rerun = await first.rerun(parent.runId, { input: { fail: false } });
      const runId = rerun?.runId as string;

      await untilEnded(space, runId, 3);
      await first.close();
      const second = manager(space, { leaseMs: 1000, resumeIntervalMs: 100 });
      const events = await followToEnd(second, runId);

      expectSucceededWhole(events, json);
      expect(events.filter((e) => e.type === 'layer:reused').map((e) => e.layer)).toEqual([
        'root',
        'side',
      ]);
      const log = await logOf(space, runId);
      expect(log.some((e) => e.layer === 'root' || e.layer === 'side')).toBe(false);
      expect(notExactlyOnce(log)).toEqual([]);
    },
    FAULT_TEST_TIMEOUT,
  );
});

describe('a worker stopped with SIGTERM while it holds a layer', () => {
  let space: TestSpace;
  beforeEach(() => {
    space = createTestSpace();
  });
  afterEach(async () => {
    await space.cleanup();
  });

  it('finishes the layer before it exits; the run completes on the other worker', async () => {
    const [one, two] = await spawnWorkers(space, 2);
    const coordinator = manager(space);
    const layers: SequenceLayers = [
      { name: 'held', operation: 'medium' },
      ...Array.from({ length: 6 }, (_, i) => ({
        name: `next${i}`,
        operation: 'work',
        dependsOn: ['held'],
      })),
    ];
    const { runId } = await coordinator.start(sequenceJson(layers, { concurrency: 2 }));
    const holder = await waitFor('the held layer to start', async () =>
      (await logOf(space, runId)).find((e) => e.layer === 'held' && e.event === 'start'),
    );
    const stopping = [one, two].find((worker) => worker?.pid === holder.pid);
    const other = [one, two].find((worker) => worker?.pid !== holder.pid);

    await stopping?.stop(10_000);

    expect(await stopping?.exited).toEqual({ code: 0, signal: null });
    const events = await followToEnd(coordinator, runId);
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    const log = await logOf(space, runId);
    expect(notExactlyOnce(log)).toEqual([]);
    expect(log.find((e) => e.layer === 'held' && e.event === 'end')?.pid).toBe(holder.pid);
    expect(log.filter((e) => e.layer.startsWith('next')).every((e) => e.pid === other?.pid)).toBe(
      true,
    );
  });
});

describe('a coordinator stopped mid-run', () => {
  let space: TestSpace;
  beforeEach(() => {
    space = createTestSpace();
  });
  afterEach(async () => {
    await space.cleanup();
  });

  /** 40 layers of 40 ms, up to 3 at once, one of which fails its first attempt. */
  function longRun() {
    const dag = randomDag(99, 40, { maxDeps: 2, operation: 'step', concurrency: 3 });
    dag.layers.push({
      name: 'flaky',
      operation: 'flaky',
      dependsOn: ['L0010'],
      retries: 1,
      retryDelay: 150,
    });
    return dag;
  }

  it(
    'is taken over after its process is killed: the run completes and its record is whole',
    async () => {
      await spawnWorkers(space, 2);
      const sequence = longRun();
      const runId = `killed-${space.prefix}`;
      const first = await spawnManager(space, sequence, {
        runId,
        owner: 'first-coordinator',
        leaseMs: 1000,
      });

      await untilEnded(space, runId, 6);
      await first.kill();
      const meta = `${space.prefix}:run:{${runId}}:meta`;
      expect(await space.admin.hget(meta, 'status')).toBe('running');

      const second = manager(space, { leaseMs: 1000, resumeIntervalMs: 100 });
      const events = await followToEnd(second, runId);

      expectSucceededWhole(events, sequence);
      expect(eventTypesByLayer(events).flaky).toContain('layer:retrying');
      expect(notExactlyOnce(await logOf(space, runId))).toEqual([]);
      // The record's status, then the list of active runs (another slot on a cluster), are written
      // once `run:finished` is in the events stream, where the test hears of the end: a moment later.
      await waitFor(
        'the run’s status to read succeeded',
        async () => (await space.admin.hget(meta, 'status')) === 'succeeded',
      );
      await waitFor(
        'the run to leave the list of active runs',
        async () => (await space.admin.sismember(`${space.prefix}:runs:active`, runId)) === 0,
      );
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'with its worker in the same process, is taken over after the process is killed: no recorded layer runs again',
    async () => {
      const sequence = longRun();
      const runId = `embedded-${space.prefix}`;
      const first = await spawnManager(space, sequence, {
        runId,
        owner: 'first-coordinator',
        leaseMs: 1000,
        withWorker: true,
      });

      await untilEnded(space, runId, 6);
      await first.kill();
      // Outcomes the killed process handed to its coordinator and got into the log: those layers are done.
      const logged = await space.admin.xrange(`${space.prefix}:run:{${runId}}:inputs`, '-', '+');
      const recorded = new Set(
        logged
          .map(
            ([, fields]) =>
              JSON.parse(fields[1] as string) as { k: string; layer: number; attempt: number },
          )
          .filter((input) => input.k === 'outcome')
          .map((input) => `${sequence.layers[input.layer]?.name}#${input.attempt}`),
      );
      expect(recorded.size).toBeGreaterThan(0);
      expect(await space.admin.xlen(`${space.prefix}:run:{${runId}}:mail`)).toBe(0);

      await spawnWorkers(space, 2);
      const second = manager(space, { leaseMs: 1000, resumeIntervalMs: 100 });
      const events = await followToEnd(second, runId);

      expectSucceededWhole(events, sequence);
      const log = await logOf(space, runId);
      const rerunAfterRecorded = log.filter(
        (e) =>
          e.event === 'start' && e.pid !== first.pid && recorded.has(`${e.layer}#${e.attempt}`),
      );
      expect(rerunAfterRecorded).toEqual([]);
      // Anything run twice was cut short by the kill the first time.
      const survivors = log.filter((e) => e.pid !== first.pid);
      expect(notExactlyOnce(survivors)).toEqual([]);
      expect(await space.admin.hget(`${space.prefix}:run:{${runId}}:meta`, 'status')).toBe(
        'succeeded',
      );
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'that stalled past its lease and wakes after the run finished elsewhere leaves the record whole',
    async () => {
      await spawnWorkers(space, 2);
      const sequence = longRun();
      const runId = `stalled-${space.prefix}`;
      const owner = 'stalled-coordinator';
      const first = await spawnManager(space, sequence, { runId, owner, leaseMs: 600 });

      await untilEnded(space, runId, 4);
      first.child.kill('SIGSTOP');
      const second = manager(space, { leaseMs: 600, resumeIntervalMs: 100 });
      const events = await followToEnd(second, runId);
      expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
      const lease = `${space.prefix}:run:{${runId}}:lease`;
      await waitFor('the second coordinator to let go of the finished run', async () =>
        (await space.admin.get(lease)) === null ? true : undefined,
      );

      // The stalled process wakes up after the run finished elsewhere.
      first.child.kill('SIGCONT');
      await delay(1500);

      expect(
        await space.admin.get(lease),
        'the stalled coordinator took the lease back',
      ).toBeNull();
      const record = await second.events(runId);
      expect(
        recordProblems(
          record,
          sequence.layers.map((l) => l.name),
        ),
      ).toEqual([]);
      expect(notExactlyOnce(await logOf(space, runId))).toEqual([]);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'that stalled past its lease and wakes while another coordinator runs it lets go of the run',
    async () => {
      await spawnWorkers(space, 2);
      const sequence = longRun();
      const runId = `lost-${space.prefix}`;
      const first = await spawnManager(space, sequence, {
        runId,
        owner: 'stalled-coordinator',
        leaseMs: 600,
      });
      const lease = `${space.prefix}:run:{${runId}}:lease`;

      await untilEnded(space, runId, 4);
      first.child.kill('SIGSTOP');
      const second = manager(space, { leaseMs: 600, resumeIntervalMs: 100, owner: 'taker' });
      await waitFor('the second coordinator to take the run', async () =>
        (await space.admin.get(lease)) === 'taker' ? true : undefined,
      );
      first.child.kill('SIGCONT');
      const events = await followToEnd(second, runId);

      expectSucceededWhole(events, sequence);
      expect(notExactlyOnce(await logOf(space, runId))).toEqual([]);
      // The run is over: nobody should hold (or keep renewing) its lease.
      await delay(1500);
      expect(await space.admin.get(lease)).toBeNull();
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'is taken over after it detaches (close): the run completes and its record is whole',
    async () => {
      await spawnWorkers(space, 2);
      const sequence = longRun();
      const first = manager(space);
      const { runId } = await first.start(sequence);

      await untilEnded(space, runId, 6);
      await first.close();
      const second = manager(space);
      expect(await second.resumeOrphans()).toEqual([runId]);
      const events = await followToEnd(second, runId);

      expectSucceededWhole(events, sequence);
      expect(notExactlyOnce(await logOf(space, runId))).toEqual([]);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'is cancelled by a cancel sent while no coordinator runs it, once one takes over',
    async () => {
      await spawnWorkers(space, 1);
      const sequence = longRun();
      const first = manager(space);
      const { runId } = await first.start(sequence);

      await untilEnded(space, runId, 3);
      await first.close();
      const second = manager(space);
      expect(await second.cancel(runId, 'operator stop')).toBe(true);
      expect(await second.resumeOrphans()).toEqual([runId]);
      const events = await followToEnd(second, runId);

      expect(events.at(-1)).toMatchObject({
        type: 'run:finished',
        status: 'cancelled',
        error: { message: 'operator stop' },
      });
      expect(
        recordProblems(
          events,
          sequence.layers.map((l) => l.name),
        ),
      ).toEqual([]);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'is left alone by a coordinator of another queue, whose workers may not have its operations',
    async () => {
      await spawnWorkers(space, 1);
      const first = manager(space);
      const { runId } = await first.start(longRun());
      await untilEnded(space, runId, 3);
      await first.close();

      // Same Redis and prefix, another queue: e.g. a server beside a crashed `useRedis` script.
      const elsewhere = new RedisRunManager({
        connection: space.connection,
        queue: `${space.queue}-other`,
        resumeIntervalMs: 0,
      });
      space.onCleanup(() => elsewhere.close());
      expect(await elsewhere.resumeOrphans()).toEqual([]);

      const owner = manager(space);
      expect(await owner.resumeOrphans()).toEqual([runId]);
      const events = await followToEnd(owner, runId);
      expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    "is taken over after a first layer failed on its arguments ('continue'): the run still completes",
    async () => {
      await spawnWorkers(space, 1);
      const steps = Array.from({ length: 8 }, (_, i) => `step${i}`);
      const layers: SequenceLayers = [
        { name: 'bad', operation: 'work', args: ['notInTheInput'], onError: 'continue' },
        { name: 'first', operation: 'work' },
        ...steps.map((name, i) => ({
          name,
          operation: 'step',
          dependsOn: [i === 0 ? 'first' : (steps[i - 1] as string)],
        })),
      ];
      const first = manager(space);
      const { runId } = await first.start(sequenceJson(layers, { concurrency: 1 }));

      await untilEnded(space, runId, 2);
      await first.close();
      const second = manager(space);
      expect(await second.resumeOrphans()).toEqual([runId]);
      const events = await followToEnd(second, runId, 5000);

      expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'failed' });
      expect(
        recordProblems(
          events,
          layers.map((l) => l.name),
        ),
      ).toEqual([]);
      const types = eventTypesByLayer(events);
      expect(types.bad).toEqual(['layer:queued', 'layer:started', 'layer:failed']);
      for (const name of ['first', ...steps])
        expect(types[name], name).toEqual(['layer:queued', 'layer:started', 'layer:succeeded']);
    },
    FAULT_TEST_TIMEOUT,
  );
});

describe('Redis connections dropped mid-run', () => {
  // These faults hit every client of a server: they get a server (on a cluster, a cluster) of their own.
  const own = useOwnRedisServer();
  let space: TestSpace;
  beforeEach(() => {
    space = own.space();
  });

  it(
    'resume after CLIENT KILL of every connection: the run completes and its record is whole',
    async () => {
      await spawnWorkers(space, 2);
      const coordinator = manager(space);
      const sequence = randomDag(5, 60, { maxDeps: 2, operation: 'step', concurrency: 4 });
      const { runId } = await coordinator.start(sequence);

      // Every connection of every node: on a cluster, those to the run's slot and its queue's among them.
      const killAll = async (): Promise<number> => {
        let killed = 0;
        for (const node of await everyNode(space))
          killed += Number(await node.client('KILL', 'TYPE', 'normal'));
        return killed;
      };
      await untilEnded(space, runId, 8);
      expect(await killAll()).toBeGreaterThan(3);
      await untilEnded(space, runId, 24);
      await killAll();
      const events = await followToEnd(coordinator, runId);

      expectSucceededWhole(events, sequence);
      const ended = new Set(
        (await logOf(space, runId)).filter((e) => e.event === 'end').map((e) => e.layer),
      );
      expect(ended.size).toBe(60);
    },
    FAULT_TEST_TIMEOUT,
  );

  it(
    'resume after CLIENT PAUSE: the run completes and its record is whole',
    async () => {
      await spawnWorkers(space, 2);
      const coordinator = manager(space);
      const sequence = randomDag(6, 60, { maxDeps: 2, operation: 'step', concurrency: 4 });
      const { runId } = await coordinator.start(sequence);

      await untilEnded(space, runId, 8);
      // On a cluster, the nodes holding the run's keys and its queue's: the rest go on meanwhile.
      const keys = keySpace(space.prefix);
      const nodes = await nodesHolding(
        space,
        keys.run(runId).events,
        `${bullPrefix(space.prefix, space.queue)}:${space.queue}:wait`,
      );
      for (const node of nodes) await node.client('PAUSE', 1500, 'ALL');
      const events = await followToEnd(coordinator, runId);

      expectSucceededWhole(events, sequence);
      expect(notExactlyOnce(await logOf(space, runId))).toEqual([]);
    },
    FAULT_TEST_TIMEOUT,
  );
});
