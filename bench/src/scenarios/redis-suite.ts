/**
 * What the Redis scenarios share: their table, and the contenders — fusync's
 * Redis backend (a `RedisRunManager` coordinating in this process, as the
 * server does) and raw BullMQ (a `Queue` here) — each with its worker in this
 * process and in another process (`fusync worker`; a BullMQ `Worker` started
 * from `bullmq-worker.mjs`), on one private redis-server, every worker with
 * concurrency 50.
 */
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { RunEvent, SequenceJson } from 'fusync';
import { RedisRunManager, startWorker } from 'fusync/redis';
import { type Contender, interleave, type Measured, median } from '../measure.js';
import type { ScenarioContext, Suite } from '../scenario.js';
import { formatMs, formatRatio, type ScenarioReport, type Target } from '../table.js';
import { assertServerBuilt, SERVER_DIST, start, stop, waitFor } from './server-process.js';

export const redisSuite: Suite = {
  id: 'redis',
  title: 'Redis backend (fusync/redis) vs raw BullMQ, one private redis-server on loopback',
  columns: ['scenario', 'runner', 'items', 'median ms', 'per second', 'ms per item', 'runs'],
  verifyColumns: ['scenario', 'runner', 'items', 'check'],
};

/** Worker concurrency of both contenders. */
export const WORKER_CONCURRENCY = 50;

/**
 * A sequence of `n` no-op layers, independent (or a chain: each depends on
 * the one before); `runLimit` is the run's `concurrency` (default: none, the
 * engine's default, so the workers' slots are the only limit, as for jobs in
 * a BullMQ queue).
 */
export function noopSequence(
  name: string,
  n: number,
  shape: 'independent' | 'chain',
  runLimit?: number,
): SequenceJson {
  return {
    format: 'fusync.sequence',
    version: 1,
    name,
    config: runLimit === undefined ? {} : { concurrency: runLimit },
    layers: Array.from({ length: n }, (_, i) => ({
      name: `l${i}`,
      operation: 'noop',
      ...(shape === 'chain' && i > 0 ? { dependsOn: [`l${i - 1}`] } : {}),
    })),
  };
}

/** Name of the contender with its worker in another process: outcomes by mail. */
export const WORKER_PROCESS = 'fusync/redis, worker in another process';
/** Name of raw BullMQ with its `Worker` in another process. */
export const BULLMQ_WORKER_PROCESS = 'raw BullMQ, worker in another process';

/** fusync over Redis: runs a sequence to its `run:finished` and reports its status. */
export interface FusyncOverRedis {
  run(sequence: SequenceJson): Promise<{ status: string; succeeded: number }>;
  close(): Promise<void>;
}

/** A run manager in this process, under `prefix`, reporting each run's end and its succeeded layers. */
function fusyncManager(
  connection: { url: string; prefix: string },
  queue: string,
  startWorkers: (manager: RedisRunManager) => () => Promise<void>,
): FusyncOverRedis {
  const waiting = new Map<string, (event: RunEvent & { type: 'run:finished' }) => void>();
  const succeeded = new Map<string, number>();
  const manager = new RedisRunManager({
    connection,
    queue,
    onEvent(event) {
      if (event.type === 'layer:succeeded')
        succeeded.set(event.runId, (succeeded.get(event.runId) ?? 0) + 1);
      if (event.type === 'run:finished') waiting.get(event.runId)?.(event);
    },
  });
  const closeWorker = startWorkers(manager);
  let next = 0;
  return {
    async run(sequence) {
      const runId = `bench-${process.pid}-${next++}`;
      const done = new Promise<RunEvent & { type: 'run:finished' }>((resolve) =>
        waiting.set(runId, resolve),
      );
      await manager.start(sequence, {}, runId);
      const finished = await done;
      waiting.delete(runId);
      const count = succeeded.get(runId) ?? 0;
      succeeded.delete(runId);
      return { status: finished.status, succeeded: count };
    },
    async close() {
      await closeWorker();
      await manager.close();
    },
  };
}

/** fusync over Redis with its worker in this process, beside the coordinator (as raw BullMQ's). */
export function fusyncOverRedis(url: string): FusyncOverRedis {
  const connection = { url, prefix: 'bench-fusync' };
  return fusyncManager(connection, 'bench-fusync', (manager) => {
    const worker = startWorker({
      connection,
      queue: 'bench-fusync',
      concurrency: WORKER_CONCURRENCY,
      operations: { noop: () => undefined },
      localRuns: manager.localRuns,
    });
    return () => worker.close();
  });
}

/** Operations module of the benchmarks' servers and `fusync worker` processes: `noop`. */
export const NOOP_OPERATIONS = fileURLToPath(new URL('./noop-operations.mjs', import.meta.url));

/**
 * Starts `count` `fusync worker` processes of the built server (concurrency
 * 50, the `noop` operation) under `prefix`; resolves once every one has
 * started, to a function that stops them.
 */
export async function startFusyncWorkers(
  url: string,
  prefix: string,
  count: number,
): Promise<() => Promise<void>> {
  assertServerBuilt();
  const workers = Array.from({ length: count }, () =>
    start(
      [
        `${SERVER_DIST}cli.js`,
        'worker',
        '--redis',
        url,
        '--prefix',
        prefix,
        '--concurrency',
        String(WORKER_CONCURRENCY),
        '--operations',
        NOOP_OPERATIONS,
      ],
      {},
    ),
  );
  const stopAll = async (): Promise<void> => {
    await Promise.all(workers.map((worker) => stop(worker)));
  };
  try {
    await Promise.all(workers.map((worker) => waitFor(worker, /fusync worker \S+ started/)));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

/**
 * fusync over Redis with its worker in another process (`fusync worker` of
 * the built server): outcomes travel by mail instead of being handed over.
 * The run manager here is what `fusync serve` runs inside; leaving HTTP out
 * keeps the figure to the data path.
 */
export async function fusyncOverRedisWorkerProcess(url: string): Promise<FusyncOverRedis> {
  const prefix = 'bench-fusync-remote';
  const stopWorkers = await startFusyncWorkers(url, prefix, 1);
  // `fusync worker` takes jobs from the default queue.
  return fusyncManager({ url, prefix }, 'fusync', () => stopWorkers);
}

/** Raw BullMQ on the same Redis: a queue, a worker with the given processor, completions counted. */
export interface RawBullmq {
  readonly queue: Queue;
  /** Resolves once `count` more jobs have completed. */
  completions(count: number): Promise<void>;
  close(): Promise<void>;
}

export function rawBullmq(
  url: string,
  name: string,
  processor: (queue: Queue, data: { i: number }) => Promise<void>,
): RawBullmq {
  const connection = { url };
  const options = { connection: { ...connectionOf(connection) }, prefix: 'bench-bull' };
  const queue = new Queue(name, options);
  queue.on('error', () => {});
  let completed = 0;
  let target = Number.POSITIVE_INFINITY;
  let resolveTarget: (() => void) | undefined;
  const worker = new Worker(name, (job) => processor(queue, job.data as { i: number }), {
    ...options,
    concurrency: WORKER_CONCURRENCY,
  });
  worker.on('error', () => {});
  worker.on('completed', () => {
    completed++;
    if (completed >= target) resolveTarget?.();
  });
  return {
    queue,
    completions(count) {
      target = completed + count;
      return new Promise((resolve) => {
        resolveTarget = resolve;
      });
    },
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

const BULLMQ_WORKER = fileURLToPath(new URL('./bullmq-worker.mjs', import.meta.url));

/**
 * Raw BullMQ with its `Worker` (concurrency 50) in another process
 * (`bullmq-worker.mjs`) and its `Queue` here. `mode: 'chain'`: each job adds
 * the next one before it returns. `completions` is told by the worker process
 * over IPC once the jobs have completed; `events` are BullMQ's `QueueEvents`
 * here, for work that this process adds as jobs complete.
 */
export interface RawBullmqApart {
  readonly queue: Queue;
  readonly events: QueueEvents;
  completions(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function rawBullmqWorkerProcess(
  url: string,
  name: string,
  mode: 'noop' | 'chain',
): Promise<RawBullmqApart> {
  const options = { connection: { ...connectionOf({ url }) }, prefix: 'bench-bull-apart' };
  const worker = start(
    [
      BULLMQ_WORKER,
      JSON.stringify({
        url,
        prefix: options.prefix,
        queue: name,
        concurrency: WORKER_CONCURRENCY,
        mode,
      }),
    ],
    {},
    true,
  );
  const queue = new Queue(name, options);
  queue.on('error', () => {});
  const events = new QueueEvents(name, options);
  events.on('error', () => {});
  try {
    await Promise.all([
      waitFor(worker, /bullmq worker ready/),
      queue.waitUntilReady(),
      events.waitUntilReady(),
    ]);
  } catch (error) {
    await stop(worker);
    await Promise.all([queue.close(), events.close()]);
    throw error;
  }
  let expected = 0;
  return {
    queue,
    events,
    completions(count) {
      expected += count;
      const until = expected;
      return new Promise((resolve, reject) => {
        const onMessage = (message: { completed: number }): void => {
          if (message.completed < until) return;
          worker.process.off('message', onMessage);
          worker.process.off('exit', onExit);
          resolve();
        };
        const onExit = (): void =>
          reject(new Error(`the BullMQ worker process exited: ${worker.output().slice(0, 2000)}`));
        worker.process.on('message', onMessage);
        worker.process.once('exit', onExit);
        worker.process.send({ until });
      });
    },
    async close() {
      await stop(worker);
      await events.close();
      await queue.close();
    },
  };
}

/** BullMQ connection options from a `redis://host:port` URL. */
function connectionOf({ url }: { url: string }): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

export const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

/** Times the contenders interleaved (each once, untimed, under `--verify`), in their order. */
export async function measureContenders(
  context: ScenarioContext,
  contenders: Contender[],
): Promise<Measured[]> {
  const plan = context.verify ? { ...context.plan, warmups: 0, runs: 1 } : context.plan;
  return await interleave(contenders, {
    plan,
    onProgress: (line) => context.log(`  ${line}`),
  });
}

/** The `--verify` report: whether each contender finished its work (`problems` name the one that did not). */
export function verifyReport(
  label: string,
  items: number,
  measured: readonly Measured[],
  problems: string[],
): ScenarioReport {
  return {
    rows: measured.map((m) => ({
      scenario: label,
      runner: m.name,
      items: String(items),
      check: m.skip ?? (problems.some((p) => p.startsWith(m.name)) ? 'FAILED' : 'ok'),
    })),
    notes: problems,
    targets: [],
  };
}

/** Milliseconds per item of a contender (median run ÷ items). */
export function msPerItem(m: Measured, items: number): number {
  return median(m.times) / items;
}

/** One contender's timing row: median, items per second, ms per item. */
export function timingRow(label: string, items: number, m: Measured): Record<string, string> {
  return {
    scenario: label,
    runner: m.name,
    items: items.toLocaleString('en-US'),
    'median ms': m.skip ?? formatMs(median(m.times)),
    'per second': m.skip ? '—' : Math.round(1000 / msPerItem(m, items)).toLocaleString('en-US'),
    'ms per item': m.skip ? '—' : msPerItem(m, items).toFixed(3),
    runs: String(m.times.length),
  };
}

/** The fusync/redis contender: runs `sequence` and notes a run that did not succeed in full. */
export function fusyncContender(
  fusync: FusyncOverRedis,
  sequence: SequenceJson,
  problems: string[],
  name = 'fusync/redis',
): Contender {
  return {
    name,
    async run() {
      const outcome = await fusync.run(sequence);
      if (outcome.status !== 'succeeded' || outcome.succeeded !== sequence.layers.length)
        problems.push(`${name}: ${outcome.status}, ${outcome.succeeded} layers succeeded`);
    },
  };
}

/** The Redis scenarios' contenders, timed. */
export interface RedisFigures {
  /** fusync with its worker in this process. */
  ours: Measured;
  /** raw BullMQ with its worker in this process. */
  theirs: Measured;
  /** fusync with its worker in another process. */
  apart: Measured;
  /** raw BullMQ with its worker in another process. */
  theirsApart: Measured;
  /** Further contenders, in the order given. */
  extra: Measured[];
}

/**
 * Times fusync and raw BullMQ (`raw` submits its work and waits for it), each
 * with its worker in this process and in another process, and any `extra`
 * contenders, interleaved, on `sequence`.
 */
export async function measureRedisContenders(
  context: ScenarioContext,
  contenders: {
    fusync: FusyncOverRedis;
    remote: FusyncOverRedis;
    raw: () => Promise<void>;
    rawApart: () => Promise<void>;
    extra?: Contender[];
  },
  sequence: SequenceJson,
  problems: string[],
): Promise<RedisFigures> {
  const [ours, theirs, apart, theirsApart, ...extra] = (await measureContenders(context, [
    fusyncContender(contenders.fusync, sequence, problems),
    { name: 'raw BullMQ', run: contenders.raw },
    fusyncContender(contenders.remote, sequence, problems, WORKER_PROCESS),
    { name: BULLMQ_WORKER_PROCESS, run: contenders.rawApart },
    ...(contenders.extra ?? []),
  ])) as [Measured, Measured, Measured, Measured, ...Measured[]];
  return { ours, theirs, apart, theirsApart, extra };
}

/** A ratio target between two timed contenders, `n/a` when either has no figures. */
export function ratioTarget(
  goal: string,
  a: Measured,
  b: Measured,
  ratio: number,
  pass: (ratio: number) => boolean,
  figures: string,
  problems: readonly string[],
): Target {
  const missing = a.skip ?? b.skip;
  return {
    goal,
    measured:
      missing !== undefined ? `no figures (${missing})` : `${formatRatio(ratio)} (${figures})`,
    pass: missing !== undefined ? undefined : pass(ratio) && problems.length === 0,
  };
}
