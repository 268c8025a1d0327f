/**
 * What a Redis Cluster asks of the backend (run by `vitest.cluster.config.ts`
 * only, on its private three-master cluster): a run's keys on one slot, a
 * queue's on one slot, runs spread over the masters, and mail that reaches a
 * coordinator that cannot block on several slots at once.
 */
import { Cluster } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/redis/connection.js';
import { RedisRunManager, startWorker } from '../../src/redis/index.js';
import { NotifiedInputsReader } from '../../src/redis/inputs-reader.js';
import { keySpace } from '../../src/redis/keys.js';
import { sendMail } from '../../src/redis/mail.js';
import {
  createTestSpace,
  eventsUntilFinished,
  keysUnder,
  sequenceJson,
  type TestSpace,
} from './redis-helpers.js';

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
    const commands = connect(space.connection);
    const subscriber = connect(space.connection);
    const sender = connect(space.connection);
    expect(commands).toBeInstanceOf(Cluster);
    const keys = keySpace(space.prefix);
    // A wait longer than the test: only the channel's message can end it with the entry.
    const reader = new NotifiedInputsReader(
      subscriber,
      commands,
      keys.mailChannel,
      undefined,
      600_000,
    );
    space.onCleanup(() => {
      reader.close();
      for (const client of [commands, subscriber, sender]) client.disconnect();
    });
    const mail = keys.run('mailed').mail;
    const waiting = reader.read(mail, '0-0');
    // Time for the wait's first read to find the stream empty: what follows must come by the channel.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sendMail(sender, keys, mail, '{"k":"cancel"}');

    const entries = await waiting;
    expect(entries?.map(([, fields]) => fields)).toEqual([['d', '{"k":"cancel"}']]);
  });
});
