/**
 * Tools of the Redis tests: the private server's URL, a key space of one's
 * own (random prefix and queue, deleted afterwards), worker and manager
 * processes, the execution log the fixture operations write, random DAGs,
 * and facts read out of an event record.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startRedisCluster } from '@fusync/private-redis';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest';
import type { RedisOptions, RunEvent, SequenceJson } from '../../src/index.js';
import { parseClusterNode } from '../../src/redis/connection.js';
import { type PrivateRedis, startRedisServer } from '../setup/redis-server.js';

/** The engine package's folder: child processes run from there so `tsx` resolves. */
export const engineRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Seed nodes of the private Redis Cluster the tests run on (`vitest.cluster.config.ts`), or undefined. */
export function redisCluster(): string[] | undefined {
  const nodes = inject('redisCluster');
  return nodes ? nodes.split(',') : undefined;
}

/** URL of the private Redis the global setup started (or the one `REDIS_URL` names). */
export function redisUrl(): string {
  const url = inject('redisUrl') || process.env.REDIS_URL;
  if (!url) throw new Error(inject('redisUnavailable') || 'No Redis for the tests: set REDIS_URL.');
  return url;
}

/** Where a test space's Redis is: one server's URL, or a cluster's seed nodes. */
export type RedisTarget = { url: string } | { cluster: string[] };

/** The tests' Redis: the cluster when this run is on one, otherwise the private server. */
export function redisTarget(): RedisTarget {
  const cluster = redisCluster();
  return cluster ? { cluster } : { url: redisUrl() };
}

/** The masters of a cluster connection (once it knows them), or the one connection. */
async function nodesOf(redis: Redis | Cluster): Promise<Redis[]> {
  if (!(redis instanceof Cluster)) return [redis];
  // Answered once the cluster's slots are known, and with them its masters.
  await redis.ping();
  return redis.nodes('master');
}

function randomName(kind: string): string {
  return `t${kind}${randomBytes(6).toString('hex')}`;
}

/** Deletes every key under `prefix:` (SCAN + DEL on each master), never anything else. */
export async function deleteKeys(redis: Redis | Cluster, prefix: string): Promise<number> {
  let deleted = 0;
  for (const node of await nodesOf(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      // One key a command: on a cluster the keys of one node are on many slots.
      for (const key of keys) deleted += await node.del(key);
    } while (cursor !== '0');
  }
  return deleted;
}

/** Every key under `prefix:`, on every master. */
export async function keysUnder(redis: Redis | Cluster, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for (const node of await nodesOf(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      out.push(...keys);
    } while (cursor !== '0');
  }
  return out.sort();
}

/** One test's corner of Redis: its own key prefix, queue name and admin connection. */
export interface TestSpace {
  /** The Redis URL; empty on a cluster (see `cluster`). */
  readonly url: string;
  /** The cluster's seed nodes, when the space is on one. */
  readonly cluster: string[] | undefined;
  readonly prefix: string;
  readonly queue: string;
  /** `{ url, prefix }` or `{ cluster, prefix }`: what `connection` / `redisOptions` take. */
  readonly connection: RedisOptions & { prefix: string };
  /** The environment telling a fixture process where Redis is (`REDIS_URL` or `FUSYNC_REDIS_CLUSTER`). */
  readonly env: Record<string, string>;
  /** A plain connection (a `Cluster` on a cluster) for the test's own reads and for cleaning up. */
  readonly admin: Redis | Cluster;
  /** The execution log the fixture operations append to (a Redis list under the prefix). */
  readonly executionsKey: string;
  /** Runs `close` functions (newest first), then deletes the prefix's keys and closes `admin`. */
  cleanup(): Promise<void>;
  /** Registers something to close at cleanup. */
  onCleanup(close: () => unknown): void;
}

/** A fresh test space on the tests' Redis (or cluster), or on the server at `url`. */
export function createTestSpace(where: string | RedisTarget = redisTarget()): TestSpace {
  const target = typeof where === 'string' ? { url: where } : where;
  const prefix = randomName('p');
  const cluster = 'cluster' in target ? target.cluster : undefined;
  const url = 'url' in target ? target.url : '';
  const admin = cluster
    ? new Cluster(
        cluster.map((node) => parseClusterNode(node)),
        { redisOptions: { maxRetriesPerRequest: null } },
      )
    : new Redis(url, { maxRetriesPerRequest: null });
  const closers: (() => unknown)[] = [];
  return {
    url,
    cluster,
    prefix,
    queue: randomName('q'),
    connection: cluster ? { cluster, prefix } : { url, prefix },
    env: cluster ? { FUSYNC_REDIS_CLUSTER: cluster.join(',') } : { REDIS_URL: url },
    admin,
    executionsKey: `${prefix}:test:executions`,
    onCleanup(close) {
      closers.push(close);
    },
    async cleanup() {
      for (const close of closers.reverse()) {
        try {
          await close();
        } catch {
          // Cleanup goes on: the keys must go whatever failed before.
        }
      }
      await deleteKeys(admin, prefix);
      await admin.quit().catch(() => admin.disconnect());
    },
  };
}

/**
 * For faults that hit every client of a server (dropped connections, refused
 * writes): a redis-server of the calling describe block's own — a cluster of
 * its own when the tests run on a cluster — started before its first test and
 * stopped after its last, and a fresh test space per test, cleaned up after
 * it. Call `space()` inside a test or `beforeEach`.
 */
export function useOwnRedisServer(): { space(): TestSpace } {
  let target: RedisTarget | undefined;
  let stop: (() => Promise<void>) | undefined;
  let current: TestSpace | undefined;
  beforeAll(async () => {
    if (redisCluster()) {
      const cluster = await startRedisCluster();
      target = { cluster: [...cluster.nodes] };
      stop = () => cluster.stop();
    } else {
      const server: PrivateRedis = await startRedisServer();
      target = { url: server.url };
      stop = () => server.stop();
    }
  }, 30_000);
  afterAll(async () => {
    await stop?.();
  });
  beforeEach(() => {
    if (!target) throw new Error('The describe block’s redis-server did not start.');
    current = createTestSpace(target);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return {
    space() {
      if (!current) throw new Error('No test space: call space() inside a test or beforeEach.');
      return current;
    },
  };
}

/** One entry of the execution log: an operation started or ended in some worker. */
export interface Execution {
  event: 'start' | 'end';
  runId: string;
  layer: string;
  attempt: number;
  /** Epoch ms in the worker process. */
  time: number;
  pid: number;
}

/** The execution log in the order Redis received it (a total order across processes). */
export async function readExecutions(space: TestSpace): Promise<Execution[]> {
  const lines = await space.admin.lrange(space.executionsKey, 0, -1);
  return lines.map((line) => JSON.parse(line) as Execution);
}

/** Polls `check` until it returns something other than undefined/false. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A Node process running one of the fixtures through tsx. */
export interface FixtureProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

/** Starts `fixtures/<script>` with `env` added; resolves once it printed `readyLine`. */
export async function spawnFixture(
  script: string,
  env: Record<string, string>,
  readyLine: RegExp | undefined,
  readyTimeoutMs = 20_000,
): Promise<FixtureProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', `${fixtures}register-source-alias.mjs`, `${fixtures}${script}`],
    { cwd: engineRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const handle: FixtureProcess = {
    child,
    pid: child.pid ?? -1,
    output: () => output,
    exited,
    async stop(graceMs = 5000) {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async kill() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  if (readyLine) {
    const ready = waitFor(
      `${script} to print ${readyLine}`,
      () => readyLine.test(output),
      readyTimeoutMs,
    );
    const died = exited.then(({ code, signal }) => {
      throw new Error(`${script} exited (${code ?? signal}) before it was ready:\n${output}`);
    });
    try {
      await Promise.race([ready, died]);
    } catch (error) {
      await handle.kill();
      throw error;
    }
    died.catch(() => {});
  }
  return handle;
}

/** Starts a worker process on the space's queue (see `fixtures/worker.ts` for its operations). */
export async function spawnWorker(space: TestSpace, concurrency = 20): Promise<FixtureProcess> {
  const worker = await spawnFixture(
    'worker.ts',
    {
      ...space.env,
      FUSYNC_PREFIX: space.prefix,
      FUSYNC_QUEUE: space.queue,
      EXECUTIONS_KEY: space.executionsKey,
      WORKER_CONCURRENCY: String(concurrency),
    },
    /^ready /m,
  );
  space.onCleanup(() => worker.stop());
  return worker;
}

/**
 * Starts a coordinator process (`fixtures/manager.ts`) that starts one run of
 * `sequence` with id `runId` and coordinates it until it is killed.
 */
export async function spawnManager(
  space: TestSpace,
  sequence: unknown,
  options: { runId: string; owner: string; leaseMs: number; withWorker?: boolean },
): Promise<FixtureProcess> {
  const manager = await spawnFixture(
    'manager.ts',
    {
      ...(options.withWorker ? { EXECUTIONS_KEY: space.executionsKey } : {}),
      ...space.env,
      FUSYNC_PREFIX: space.prefix,
      FUSYNC_QUEUE: space.queue,
      SEQUENCE_JSON: JSON.stringify(sequence),
      RUN_ID: options.runId,
      OWNER: options.owner,
      LEASE_MS: String(options.leaseMs),
    },
    /^started /m,
  );
  space.onCleanup(() => manager.kill());
  return manager;
}

/** Starts `count` worker processes at once. */
export function spawnWorkers(space: TestSpace, count: number): Promise<FixtureProcess[]> {
  return Promise.all(Array.from({ length: count }, () => spawnWorker(space)));
}

/** A small deterministic PRNG (mulberry32), so a failing DAG can be rebuilt from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random DAG of `size` layers named `L0000`…, each depending on up to
 * `maxDeps` earlier layers, all running operation `operation`.
 */
export function randomDag(
  seed: number,
  size: number,
  options: { maxDeps?: number; operation?: string; concurrency?: number } = {},
): SequenceJson {
  const random = seededRandom(seed);
  const maxDeps = options.maxDeps ?? 3;
  const name = (i: number): string => `L${String(i).padStart(4, '0')}`;
  const layers: SequenceJson['layers'] = [];
  for (let i = 0; i < size; i++) {
    const deps = new Set<string>();
    const wanted = i === 0 ? 0 : Math.floor(random() * (maxDeps + 1));
    for (let d = 0; d < wanted; d++) deps.add(name(Math.floor(random() * i)));
    const layer: SequenceJson['layers'][number] = {
      name: name(i),
      operation: options.operation ?? 'work',
      args: [],
    };
    if (deps.size > 0) layer.dependsOn = [...deps];
    layers.push(layer);
  }
  return {
    format: 'fusync.sequence',
    version: 1,
    name: `random-dag-${seed}`,
    config: { concurrency: options.concurrency ?? 8 },
    layers,
  };
}

/** The layers of a sequence JSON. */
export type SequenceLayers = SequenceJson['layers'];

/** A sequence JSON from layers and options. */
export function sequenceJson(
  layers: SequenceLayers,
  config: NonNullable<SequenceJson['config']> = {},
  name = 'test-sequence',
): SequenceJson {
  return { format: 'fusync.sequence', version: 1, name, config, layers };
}

/** Per layer, the types of its events in record order; run events under `(run)`. */
export function eventTypesByLayer(events: readonly RunEvent[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const event of events) {
    const key = 'layer' in event ? event.layer : '(run)';
    out[key] ??= [];
    out[key].push(event.type);
  }
  return out;
}

const terminal = new Set(['layer:reused', 'layer:succeeded', 'layer:failed', 'layer:skipped']);

/**
 * What makes an event record whole: `seq` 0..n-1 in order, one `run:started`
 * first, one `run:finished` last, exactly one terminal event per layer.
 * Returns the problems found (none: an empty list).
 */
export function recordProblems(
  events: readonly RunEvent[],
  layerNames: readonly string[],
): string[] {
  const problems: string[] = [];
  events.forEach((event, i) => {
    if (event.seq !== i) problems.push(`event ${i} has seq ${event.seq}`);
  });
  const started = events.filter((e) => e.type === 'run:started').length;
  const finished = events.filter((e) => e.type === 'run:finished').length;
  if (started !== 1) problems.push(`${started} run:started events`);
  if (finished !== 1) problems.push(`${finished} run:finished events`);
  if (events[0]?.type !== 'run:started') problems.push('the record does not open with run:started');
  if (events.at(-1)?.type !== 'run:finished')
    problems.push('the record does not end with run:finished');
  const terminals = new Map<string, number>();
  for (const event of events) {
    if (terminal.has(event.type) && 'layer' in event)
      terminals.set(event.layer, (terminals.get(event.layer) ?? 0) + 1);
  }
  for (const name of layerNames) {
    const count = terminals.get(name) ?? 0;
    if (count !== 1) problems.push(`layer ${name} has ${count} terminal events`);
  }
  return problems;
}

/** Resolves when `follow` saw `run:finished`; the events it saw, in order. */
export async function eventsUntilFinished(follow: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  for await (const event of follow) events.push(event);
  return events;
}

/** Waits for a child-process-free moment: lets `ms` pass. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves on the child's exit or after `ms`, whichever is first; true when it exited. */
export async function exitsWithin(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const timer = delay(ms).then(() => false);
  return Promise.race([once(child, 'exit').then(() => true), timer]);
}

/**
 * Connections to the masters that hold `keys` now: one Redis, or on a cluster
 * the nodes of those keys' slots (e.g. a run's keys and its queue's) — where a
 * fault aimed at a run must land. Closed at the space's cleanup.
 */
export async function nodesHolding(space: TestSpace, ...keys: string[]): Promise<Redis[]> {
  const admin = space.admin;
  if (!(admin instanceof Cluster)) return [admin];
  const ports = new Set<number>();
  for (const key of keys) {
    const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', key));
    const shards = (await admin.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    const shard = shards.find(([from, to]) => slot >= from && slot <= to);
    if (shard) ports.add(shard[2][1]);
  }
  return [...ports].map((port) => {
    const node = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
    space.onCleanup(() => node.quit().catch(() => node.disconnect()));
    return node;
  });
}

/** Connections to every master of the space's Redis (the one server, or each node of the cluster). */
export function everyNode(space: TestSpace): Promise<Redis[]> {
  return nodesOf(space.admin);
}
