/**
 * What a Redis Cluster asks of the backend (run by `vitest.cluster.config.ts`
 * only, on its private three-master cluster): a run's keys on one slot, a
 * queue's on one slot, runs spread over the masters, and mail that reaches a
 * coordinator that cannot block on several slots at once.
 */
import { type PrivateRedisCluster, startRedisCluster } from '@fusync/private-redis';
import { Cluster, type Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/redis/connection.js';
import { RedisRunManager, startWorker } from '../../src/redis/index.js';
import { NotifiedInputsReader } from '../../src/redis/inputs-reader.js';
import { bullPrefix, keySpace } from '../../src/redis/keys.js';
import { sendMail } from '../../src/redis/mail.js';
import {
  createTestSpace,
  eventsUntilFinished,
  keysUnder,
  recordProblems,
  sequenceJson,
  type TestSpace,
  waitFor,
} from './redis-helpers.js';

/**
 * A coordinator's wait for mail on the cluster, and a client to send it, cleaned up with `space`.
 * The wait is longer than any test: only the channel's message can end it.
 */
function mailReader(space: TestSpace) {
  const commands = connect(space.connection);
  const subscriber = connect(space.connection);
  const sender = connect(space.connection);
  const keys = keySpace(space.prefix);
  const notified = new NotifiedInputsReader(
    subscriber,
    commands,
    keys.mailChannel,
    undefined,
    600_000,
  );
  space.onCleanup(() => {
    notified.close();
    for (const client of [commands, subscriber, sender]) client.disconnect();
  });
  return { commands, notified, sender, keys };
}

describe('a run on a Redis Cluster', () => {
  let space: TestSpace;
  beforeEach(() => {
    space = createTestSpace();
    if (!space.cluster)
      throw new Error('These tests run on a cluster: vitest -c vitest.cluster.config.ts');
  });
  afterEach(async () => {
    await space.cleanup();
  });

  async function slotOf(key: string): Promise<number> {
    return Number(await space.admin.call('CLUSTER', 'KEYSLOT', key));
  }

  async function masterOfSlot(slot: number): Promise<number> {
    const shards = (await space.admin.call('CLUSTER', 'SLOTS')) as [
      number,
      number,
      [string, number],
    ][];
    const shard = shards.find(([from, to]) => slot >= from && slot <= to);
    if (!shard) throw new Error(`No master holds slot ${slot}.`);
    return shard[2][1];
  }

  it('keeps each run’s keys on one slot and its queue’s on another, and spreads runs over the masters', async () => {
    const manager = new RedisRunManager({
      connection: space.connection,
      queue: space.queue,
      resumeIntervalMs: 0,
    });
    space.onCleanup(() => manager.close());
    // Not given the manager's runs: outcomes go by mail, through the mail channel.
    const worker = startWorker({
      connection: space.connection,
      queue: space.queue,
      operations: { step: async (value: unknown) => value ?? 1 },
    });
    space.onCleanup(() => worker.close());
    const sequence = sequenceJson([
      { name: 'a', operation: 'step' },
      { name: 'b', operation: 'step', dependsOn: ['a'], args: ['a'] },
      { name: 'c', operation: 'step', dependsOn: ['a', 'b'], args: ['b'] },
    ]);

    const runIds: string[] = [];
    for (let i = 0; i < 12; i++) runIds.push((await manager.start(sequence)).runId);
    for (const runId of runIds) {
      const events = await eventsUntilFinished(
        manager.follow(runId, { pollMs: 20, signal: AbortSignal.timeout(15_000) }),
      );
      expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    }

    const keys = await keysUnder(space.admin, space.prefix);
    const masters = new Set<number>();
    for (const runId of runIds) {
      const own = keys.filter((key) => key.startsWith(`${space.prefix}:run:{${runId}}:`));
      expect(own.length).toBeGreaterThanOrEqual(5);
      const slots = new Set(await Promise.all(own.map(slotOf)));
      expect(slots.size, runId).toBe(1);
      masters.add(await masterOfSlot([...slots][0] as number));
    }
    expect(masters.size).toBeGreaterThan(1);
    const queueKeys = keys.filter((key) => key.includes(`:bull:{${space.queue}}:`));
    expect(queueKeys.length).toBeGreaterThan(0);
    expect(new Set(await Promise.all(queueKeys.map(slotOf))).size).toBe(1);
  });

  it('wakes a coordinator waiting for mail when mail is sent, not at its next reread', async () => {
    const { commands, notified: reader, sender, keys } = mailReader(space);
    expect(commands).toBeInstanceOf(Cluster);
    const mail = keys.run('mailed').mail;
    const waiting = reader.read(mail, '0-0');
    // Time for the wait's first read to find the stream empty: what follows must come by the channel.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sendMail(sender, keys, mail, '{"k":"cancel"}');

    const entries = await waiting;
    expect(entries?.map(([, fields]) => fields)).toEqual([['d', '{"k":"cancel"}']]);
  });

  it('sends a keyless PUBLISH alone on an auto-pipelined connection, and mail on its run’s master', async () => {
    // Grouped with the commands of its channel name's master but sent to a node of ioredis' choosing,
    // a PUBLISH to a master that does not answer would hold up that group (see the stopped-master test).
    const redis = connect(space.connection, { enableAutoPipelining: true }) as Cluster;
    space.onCleanup(async () => void redis.disconnect());
    expect(redis.options.autoPipeliningIgnoredCommands).toContain('publish');

    const keys = keySpace(space.prefix);
    const mail = keys.run('routed').mail;
    const master = await masterOfSlot(await slotOf(mail));
    const seen: string[] = [];
    const monitor = await (connect(`redis://127.0.0.1:${master}`) as Redis).monitor();
    space.onCleanup(async () => void monitor.disconnect());
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'publish') seen.push(args[1] ?? '');
    });
    await sendMail(redis, keys, mail, '{"k":"cancel"}');
    await waitFor('the mail’s ring on its run’s master', async () =>
      seen.includes(keys.mailChannel),
    );
  });
});

describe('the mail channel on a Redis Cluster', () => {
  let space: TestSpace;
  beforeEach(() => {
    space = createTestSpace();
  });
  afterEach(async () => {
    await space.cleanup();
  });

  it('takes the entry a message carries when it follows the one the wait starts from', async () => {
    const { notified, sender, keys } = mailReader(space);
    const mail = keys.run('carried').mail;
    const waiting = notified.read(mail, '0-0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Never written to the stream: the entry can only come from the message.
    await sender.publish(keys.mailChannel, `${mail}\n0-0\n7-0\n{"k":"cancel"}`);

    expect(await waiting).toEqual([['7-0', ['d', '{"k":"cancel"}']]]);
  });

  it('reads the stream when the entry a message carries does not follow the one the wait starts from', async () => {
    const { notified, sender, keys } = mailReader(space);
    const mail = keys.run('gap').mail;
    const waiting = notified.read(mail, '0-0');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const written = await sender.xadd(mail, '*', 'd', '{"k":"slice"}');
    // An entry after one this wait has not seen: what lies between is read from the stream.
    await sender.publish(keys.mailChannel, `${mail}\n1-0\n9-0\n{"k":"cancel"}`);

    expect(await waiting).toEqual([[written, ['d', '{"k":"slice"}']]]);
  });
});

describe('a master of the cluster stopped mid-run', () => {
  // Stops a node process: the describe block gets a cluster of its own, whose nodes wait 30 s before
  // judging a silent one failed (the stop is shorter than that).
  let cluster: PrivateRedisCluster | undefined;
  let space: TestSpace;
  beforeAll(async () => {
    cluster = await startRedisCluster({ nodeTimeoutMs: 30_000 });
  }, 30_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  beforeEach(() => {
    space = createTestSpace({ cluster: [...(cluster?.nodes ?? [])] });
  });
  afterEach(async () => {
    await space.cleanup();
  });

  it('holds up only the runs on its slots: a run on another master finishes meanwhile, and both records are whole', async () => {
    if (!cluster) throw new Error('The cluster did not start.');
    const keys = keySpace(space.prefix);
    const queueNode = await cluster.serverOfKey(
      `${bullPrefix(space.prefix, space.queue)}:${space.queue}:wait`,
    );
    // Run ids chosen by where their slots are: `held` on a master other than the queue's and the
    // pub/sub channels' (by their names' slots), `free` on the channels' master. A message sent
    // there without a key of its run could be grouped with the free run's commands on an
    // auto-pipelined connection yet go to the stopped master, holding them all up.
    const channelNode = await cluster.serverOfKey(keys.loggedChannel);
    const nodeOf = (runId: string) => cluster?.serverOfKey(keys.run(runId).meta);
    let held: string | undefined;
    let free: string | undefined;
    for (let i = 0; !(held && free); i++) {
      const id = `${space.prefix}-${i}`;
      const node = await nodeOf(id);
      if (!held && node !== queueNode && node !== channelNode) held = id;
      else if (!free && node === channelNode) free = id;
    }
    const heldNode = await nodeOf(held);
    if (!heldNode) throw new Error('No master holds the run.');

    const manager = new RedisRunManager({
      connection: space.connection,
      queue: space.queue,
      resumeIntervalMs: 0,
      leaseMs: 10_000,
    });
    space.onCleanup(() => manager.close());
    // Outcomes by mail, as from workers in other processes.
    const worker = startWorker({
      connection: space.connection,
      queue: space.queue,
      operations: {
        step: async () => new Promise((resolve) => setTimeout(resolve, 200, 'ok')),
        slowStep: async () => new Promise((resolve) => setTimeout(resolve, 100, 'ok')),
      },
    });
    space.onCleanup(() => worker.close());
    const chain = sequenceJson(
      Array.from({ length: 4 }, (_, i) => ({
        name: `s${i}`,
        operation: 'step',
        ...(i > 0 ? { dependsOn: [`s${i - 1}`] } : {}),
      })),
    );
    const names = chain.layers.map((layer) => layer.name);
    // Long enough (10 × 100 ms at least) to be under way when the other master stops.
    const longChain = sequenceJson(
      Array.from({ length: 10 }, (_, i) => ({
        name: `t${i}`,
        operation: 'slowStep',
        ...(i > 0 ? { dependsOn: [`t${i - 1}`] } : {}),
      })),
    );

    await manager.start(chain, {}, held);
    await waitFor('the held run’s first layer to finish', async () =>
      (await manager.events(held)).some((e) => e.type === 'layer:succeeded'),
    );
    // Started before the stop: a run's start also lists it, and the lists may be on the stopped master.
    await manager.start(longChain, {}, free);
    process.kill(heldNode.pid, 'SIGSTOP');
    let freeEvents: Awaited<ReturnType<typeof manager.events>>;
    try {
      freeEvents = await waitFor(
        'the free run to finish while the other master is stopped',
        async () => {
          const events = await manager.events(free);
          return events.at(-1)?.type === 'run:finished' ? events : undefined;
        },
      );
    } finally {
      process.kill(heldNode.pid, 'SIGCONT');
    }
    // Read as soon as the master answers again, well within the 200 ms its run's next layer takes.
    const heldWhileStopped = await manager.events(held);
    expect(heldWhileStopped.at(-1)?.type).not.toBe('run:finished');
    expect(freeEvents.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(
      recordProblems(
        freeEvents,
        longChain.layers.map((layer) => layer.name),
      ),
    ).toEqual([]);

    const heldEvents = await eventsUntilFinished(
      manager.follow(held, { pollMs: 20, signal: AbortSignal.timeout(20_000) }),
    );
    expect(heldEvents.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(recordProblems(heldEvents, names)).toEqual([]);
    // Nothing ran twice: one start per layer.
    expect(heldEvents.filter((e) => e.type === 'layer:started')).toHaveLength(names.length);
  }, 60_000);
});
