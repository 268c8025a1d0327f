/**
 * `RedisRunManager` and `RedisSequenceStore`, what a server or CLI uses:
 * start (validated first), list, read and follow events, records, cancel,
 * stored sequences. Layers run in a worker inside the test process.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CycleError,
  isOmittedValue,
  type LayerContext,
  SequenceFormatError,
  WIRE_VALUE_LIMIT,
} from '../../src/index.js';
import { RedisRunManager, startWorker } from '../../src/redis/index.js';
import { rejectionOf, untilAborted } from '../helpers.js';
import {
  createTestSpace,
  eventsUntilFinished,
  keysUnder,
  recordProblems,
  type SequenceLayers,
  sequenceJson,
  type TestSpace,
  waitFor,
} from './redis-helpers.js';

let space: TestSpace;
let manager: RedisRunManager;
let started: string[];
let teardown: AbortController;

beforeEach(() => {
  space = createTestSpace();
  started = [];
  teardown = new AbortController();
  manager = new RedisRunManager({
    connection: space.connection,
    queue: space.queue,
    resumeIntervalMs: 0,
  });
  const worker = startWorker({
    connection: space.connection,
    queue: space.queue,
    concurrency: 10,
    localRuns: manager.localRuns,
    operations: {
      quick: async (...args: unknown[]) => {
        started.push((args.at(-1) as LayerContext).layer);
        return 'done';
      },
      gate: async (open: unknown, ...rest: unknown[]) => {
        started.push((rest.at(-1) as LayerContext).layer);
        if (open !== true) throw new Error('gate closed');
        return 'through';
      },
      blocks: async (...args: unknown[]) => {
        const context = args.at(-1) as LayerContext;
        started.push(context.layer);
        await Promise.race([untilAborted(context.signal), untilAborted(teardown.signal)]);
      },
    },
  });
  space.onCleanup(() => worker.close());
  space.onCleanup(() => manager.close());
  // First at cleanup: lets a layer still blocked (a failed test) end, so the worker can close.
  space.onCleanup(() => teardown.abort(new Error('test over')));
});

afterEach(async () => {
  await space.cleanup();
});

const chain: SequenceLayers = [
  { name: 'a', operation: 'quick' },
  { name: 'b', operation: 'quick', dependsOn: ['a'] },
  { name: 'c', operation: 'quick', dependsOn: ['b'] },
];

function finished(runId: string) {
  return eventsUntilFinished(
    manager.follow(runId, { pollMs: 20, signal: AbortSignal.timeout(15_000) }),
  );
}

describe('RedisRunManager', () => {
  it('refuses an invalid sequence before writing anything', async () => {
    const malformed = await rejectionOf(
      manager.start({ ...sequenceJson(chain), layers: [{ name: 'a' }] }),
    );
    const cycle = await rejectionOf(
      manager.start(
        sequenceJson([
          { name: 'a', operation: 'quick', dependsOn: ['b'] },
          { name: 'b', operation: 'quick', dependsOn: ['a'] },
        ]),
      ),
    );
    const unknown = await rejectionOf(
      manager.start(sequenceJson([{ name: 'a', operation: 'quick', dependsOn: ['nowhere'] }])),
    );

    expect(malformed).toBeInstanceOf(SequenceFormatError);
    expect(malformed.message).toContain('layers[0].operation');
    expect(cycle).toBeInstanceOf(CycleError);
    expect(unknown).toMatchObject({ code: 'UNKNOWN_DEPENDENCY' });
    // A brace would end the run's hash tag early and scatter its keys over a cluster's slots.
    for (const runId of ['a}b', '{x}', 'a:b', '']) {
      expect(await rejectionOf(manager.start(sequenceJson(chain), {}, runId))).toMatchObject({
        code: 'INVALID_OPTION',
        message: expect.stringContaining('cannot name a run'),
      });
    }
    const keys = await keysUnder(space.admin, space.prefix);
    expect(keys.filter((key) => !key.startsWith(`${space.prefix}:bull:`))).toEqual([]);
    expect(await manager.list()).toEqual([]);
  });

  it('runs a sequence and records it: status, events, record, list', async () => {
    const { runId } = await manager.start(sequenceJson(chain, {}, 'orders'), { orderId: 7 });
    const events = await finished(runId);

    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(recordProblems(events, ['a', 'b', 'c'])).toEqual([]);
    expect(started).toEqual(['a', 'b', 'c']);
    const record = await manager.record(runId);
    expect(record).toMatchObject({ runId, status: 'succeeded', sequenceName: 'orders' });
    expect(record?.layers.map((l) => [l.name, l.status, l.result])).toEqual([
      ['a', 'succeeded', 'done'],
      ['b', 'succeeded', 'done'],
      ['c', 'succeeded', 'done'],
    ]);
    expect(await manager.events(runId, 3)).toEqual(events.filter((e) => e.seq > 3));
    await waitFor('the run to be listed as succeeded', async () =>
      (await manager.list())[0]?.status === 'succeeded' ? true : undefined,
    );
    const [summary] = await manager.list();
    expect(summary).toMatchObject({ runId, status: 'succeeded', sequenceName: 'orders' });
    expect(summary?.finishedAt).toBeGreaterThanOrEqual(summary?.createdAt ?? Number.NaN);
  });

  it('takes outcomes of attempts run in this process straight into the run log, not by mail', async () => {
    const { runId } = await manager.start(sequenceJson(chain));
    await finished(runId);
    const run = `${space.prefix}:run:{${runId}}`;
    const log = await space.admin.xrange(`${run}:inputs`, '-', '+');
    // One entry per outcome, numbered 1, 2, 3 in the order the coordinator applied them.
    expect(log.map(([id]) => id)).toEqual(['1-0', '2-0', '3-0']);
    expect(log.map(([, fields]) => JSON.parse(fields[1] as string).layer)).toEqual([0, 1, 2]);
    expect(await space.admin.xlen(`${run}:mail`)).toBe(0);
    expect(await space.admin.hkeys(`${run}:done`)).toEqual(['0:1', '1:1', '2:1']);
  });

  it('lists runs newest first', async () => {
    const first = await manager.start(sequenceJson(chain, {}, 'first'));
    await finished(first.runId);
    const second = await manager.start(sequenceJson(chain, {}, 'second'));
    await finished(second.runId);

    const listed = await manager.list();
    expect(listed.map((run) => run.runId)).toEqual([second.runId, first.runId]);
    expect((await manager.list(1)).map((run) => run.runId)).toEqual([second.runId]);
  });

  it('knows a run, and can cancel it, as soon as start() returns', async () => {
    const { runId } = await manager.start(sequenceJson([{ name: 'blocker', operation: 'blocks' }]));

    expect(await manager.has(runId)).toBe(true);
    expect(await manager.cancel(runId)).toBe(true);
    const events = await finished(runId);
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'cancelled' });
  });

  it('cancels a running run: its running layer is aborted, the rest skipped', async () => {
    const { runId } = await manager.start(
      sequenceJson([
        { name: 'blocker', operation: 'blocks' },
        { name: 'after', operation: 'quick', dependsOn: ['blocker'] },
      ]),
    );
    await waitFor('the blocker to start', () => (started.includes('blocker') ? true : undefined));

    expect(await manager.cancel(runId, 'maintenance')).toBe(true);
    const events = await finished(runId);

    expect(events.at(-1)).toMatchObject({
      type: 'run:finished',
      status: 'cancelled',
      error: { message: 'maintenance' },
    });
    const record = await manager.record(runId);
    expect(record?.layers.map((l) => [l.name, l.status])).toEqual([
      ['blocker', 'cancelled'],
      ['after', 'skipped'],
    ]);
    expect(started).toEqual(['blocker']);
    await waitFor('the run to be stored as cancelled', async () =>
      (await manager.list())[0]?.status === 'cancelled' ? true : undefined,
    );
    expect(await manager.cancel(runId)).toBe(false);
    // The cancel came by mail: the log took it with the id of its mail entry.
    const run = `${space.prefix}:run:{${runId}}`;
    const [mail] = await space.admin.xrange(`${run}:mail`, '-', '+');
    const log = await space.admin.xrange(`${run}:inputs`, '-', '+');
    expect(log.at(-1)?.[1]).toEqual(['d', mail?.[1][1], 'm', mail?.[0]]);
  });

  it('fails a layer whose operation the worker does not have, naming both', async () => {
    const { runId } = await manager.start(
      sequenceJson([{ name: 'charge', operation: 'chargeCard', onError: 'continue' }]),
    );
    const events = await finished(runId);

    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'failed' });
    const record = await manager.record(runId);
    expect(record?.layers[0]?.attempts).toHaveLength(1);
    expect(record?.layers[0]?.error).toMatchObject({ code: 'UNKNOWN_OPERATION' });
    expect(record?.layers[0]?.error?.message).toContain('`chargeCard`');
  });

  it('answers for runs that do not exist', async () => {
    expect(await manager.has('no-such-run')).toBe(false);
    expect(await manager.record('no-such-run')).toBeUndefined();
    expect(await manager.events('no-such-run')).toEqual([]);
    expect(await manager.cancel('no-such-run')).toBe(false);
    expect(await manager.resumeOrphans()).toEqual([]);
  });
});

describe('RedisRunManager reruns', () => {
  const gated: SequenceLayers = [
    { name: 'a', operation: 'quick' },
    { name: 'b', operation: 'quick' },
    { name: 'gate', operation: 'gate', args: ['open'], dependsOn: ['a'], onError: 'continue' },
    { name: 'after', operation: 'quick', dependsOn: ['gate', 'b'] },
  ];

  async function failedRun() {
    const { runId } = await manager.start(sequenceJson(gated, {}, 'gated'), { open: false });
    const events = await finished(runId);
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'failed' });
    started.length = 0;
    return runId;
  }

  it('reruns from the failure with a new input, reusing what succeeded', async () => {
    const parent = await failedRun();
    const rerun = await manager.rerun(parent, { input: { open: true } });
    expect(rerun?.parentRunId).toBe(parent);
    const events = await finished(rerun?.runId as string);

    expect(recordProblems(events, ['a', 'b', 'gate', 'after'])).toEqual([]);
    expect(started).toEqual(['gate', 'after']);
    const record = await manager.record(rerun?.runId as string);
    expect(record).toMatchObject({
      status: 'succeeded',
      parentRunId: parent,
      input: { open: true },
    });
    expect(record?.layers.map((l) => [l.name, l.reusedFrom ?? null, l.attempts.length])).toEqual([
      ['a', parent, 0],
      ['b', parent, 0],
      ['gate', null, 1],
      ['after', null, 1],
    ]);
    expect(record?.layers[2]?.attempts[0]?.args).toEqual([true]);
    await waitFor('the rerun to be listed as succeeded', async () =>
      (await manager.list())[0]?.status === 'succeeded' ? true : undefined,
    );
    const [newest, older] = await manager.list();
    expect(newest).toMatchObject({ runId: rerun?.runId, parentRunId: parent });
    expect(older?.runId).toBe(parent);
    expect(older?.parentRunId).toBeUndefined();
  });

  it("defaults to the parent's input, and reruns with a changed sequence", async () => {
    const parent = await failedRun();
    const fixed = gated.map((layer) =>
      layer.name === 'gate' ? { ...layer, operation: 'quick', args: [] } : layer,
    );
    const rerun = await manager.rerun(parent, { sequence: sequenceJson(fixed, {}, 'gated') });
    const events = await finished(rerun?.runId as string);
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(events[0]).toMatchObject({ type: 'run:started', input: { open: false } });
    expect(started).toEqual(['gate', 'after']);
  });

  it('refuses, naming the layer, before writing anything', async () => {
    const parent = await failedRun();
    const before = await manager.list();
    await expect(manager.rerun(parent, { from: ['gat'] })).rejects.toMatchObject({
      code: 'UNKNOWN_LAYER',
      layer: 'gat',
    });
    await expect(manager.rerun(parent, { from: ['after'] })).rejects.toMatchObject({
      code: 'RERUN_RESULT_MISSING',
      layer: 'gate',
    });
    expect(await manager.rerun('no-such-run')).toBeUndefined();
    expect(await manager.list()).toEqual(before);
    expect(started).toEqual([]);
  });

  it('writes arguments to the event stream as JSON, a value over the limit as a marker', async () => {
    const big = 'x'.repeat(WIRE_VALUE_LIMIT + 10);
    const { runId } = await manager.start(
      sequenceJson([{ name: 'a', operation: 'quick', args: ['big', 'small'] }]),
      { big, small: 3 },
    );
    const events = await finished(runId);
    const started = events.find((e) => e.type === 'layer:started');
    const args = started?.type === 'layer:started' ? started.args : undefined;
    expect(args?.[1]).toBe(3);
    expect(isOmittedValue(args?.[0])).toBe(true);
    expect(args?.[0]).toMatchObject({ reason: 'too-large', bytes: WIRE_VALUE_LIMIT + 12 });
  });
});

describe('RedisRunManager connections', () => {
  it('waits for all the runs it coordinates on one connection, and still follows each at once', async () => {
    const clients = async (): Promise<number> =>
      String(await space.admin.client('LIST'))
        .trim()
        .split('\n').length;
    const before = await clients();
    const runs = await Promise.all(
      Array.from({ length: 8 }, () =>
        manager.start(sequenceJson([{ name: 'blocker', operation: 'blocks' }])),
      ),
    );
    await waitFor('every blocker to start', () => (started.length === 8 ? true : undefined));
    // Eight runs waiting, no connection more for them.
    expect(await clients()).toBeLessThanOrEqual(before);

    // A run started while the others wait is served as quickly as they are.
    const { runId } = await manager.start(sequenceJson(chain));
    const events = await finished(runId);
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });

    for (const run of runs) expect(await manager.cancel(run.runId)).toBe(true);
    for (const run of runs)
      expect((await finished(run.runId)).at(-1)).toMatchObject({ status: 'cancelled' });
  });
});
