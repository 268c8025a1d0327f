import { type Tracer, trace } from '@opentelemetry/api';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { FusyncError } from '../core/errors.js';
import type { RunEvent } from '../core/events.js';
import { compileGraph, type SequenceGraph } from '../core/graph.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { resolveLayer, resolveOptions } from '../core/options.js';
import { planRerun, type RerunFrom } from '../core/rerun.js';
import { createRunId } from '../core/run-id.js';
import { type RunRecord, runRecordFromEvents } from '../core/run-record.js';
import type { RunReuse } from '../core/scheduler.js';
import { configFromJson, layersFromJson } from '../core/sequence-io.js';
import { parseSequenceJson, type SequenceJson } from '../core/sequence-json.js';
import type { ResolvedOptions } from '../core/types.js';
import {
  connect,
  isCluster,
  prefixOf,
  type RedisClient,
  type RedisConnectionInput,
} from './connection.js';
import { parseReuse, RunCoordinator } from './coordinator.js';
import { FailureEpisode, logFailure, pause } from './failures.js';
import { type InputsReader, NotifiedInputsReader, SharedInputsReader } from './inputs-reader.js';
import { bullPrefix, eventsOfEntries, eventsStartAfter, type KeySpace, keySpace } from './keys.js';
import { LocalRuns } from './local-runs.js';
import { sendMail } from './mail.js';
import type { LayerJobData } from './protocol.js';
import { DEFAULT_QUEUE } from './worker.js';

export interface RunManagerOptions {
  connection: RedisConnectionInput;
  /** BullMQ queue workers take layer jobs from. Default `fusync`. */
  queue?: string;
  /** Identifies this process in run leases. Default: a random id. */
  owner?: string;
  tracer?: Tracer;
  /** Lease time to live of a run's coordinator. Default 5000 ms. */
  leaseMs?: number;
  /** How often unowned runs are looked for and taken over. Default 2000 ms; 0 turns it off. */
  resumeIntervalMs?: number;
  /** Every event this process records, as it records it. */
  onEvent?: (event: RunEvent) => void;
  /**
   * Hears every failure the manager and its coordinators recover from, once
   * per episode at `warn` with its run, layer, key or attempt, once more when
   * it works again, and at `error` when it keeps failing. Default: silent.
   */
  logger?: Logger;
}

/** A run as listed: what its metadata says, without reading its sequence or events. */
export interface RunSummary {
  runId: string;
  status: string;
  sequenceName?: string;
  createdAt: number;
  finishedAt?: number;
  /** Layers of its sequence. */
  layerCount?: number;
  /** Set on a rerun: the run it reuses results of. */
  parentRunId?: string;
}

/** Options of `RedisRunManager#rerun`. */
export interface RedisRerunOptions {
  /** `'failed'` (default) or layer names: those and everything downstream run again. */
  from?: RerunFrom;
  /** Input of the rerun. Default: the parent run's input. */
  input?: Record<string, unknown>;
  /**
   * The sequence to run, e.g. with a fixed layer. Default: the parent run's.
   * Layers that are reused must exist there with the same dependencies.
   */
  sequence?: unknown;
  /** Id of the new run. Default: a random id. */
  runId?: string;
}

/**
 * A run id names the run's keys (its `{runId}` hash tag) and its BullMQ job
 * ids: no braces (the tag would end early, scattering the run's keys over a
 * cluster's slots), no `:` (BullMQ refuses it), not empty.
 */
function assertRunId(runId: string): void {
  if (runId === '' || /[{}:]/.test(runId)) {
    throw new FusyncError(
      'INVALID_OPTION',
      `Run id \`${runId}\` cannot name a run: use letters, digits, \`_\` and \`-\` (no \`{\`, \`}\` or \`:\`, not empty), or leave it out for a random one.`,
      { runId, path: 'runId' },
    );
  }
}

/** Resolves at the event loop's next turn, after the I/O waiting there. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    // Only the settling matters (shutdown steps that may fail while Redis is away): not logged.
    promise.then(
      () => {},
      () => {},
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

function sequenceGraph(json: SequenceJson): { graph: SequenceGraph; options: ResolvedOptions } {
  const options = resolveOptions(configFromJson(json));
  const layers = layersFromJson(json).map((layer, index) => resolveLayer(layer, index, options));
  return { graph: compileGraph(layers), options };
}

/**
 * Runs sequences over Redis for a server or CLI: starts runs (coordinated in
 * this process, executed by any number of workers), takes over runs whose
 * coordinator went away (crash, restart), lists runs, reads and follows
 * their event records, cancels them.
 */
export class RedisRunManager {
  readonly keys: KeySpace;
  /** The runs this manager coordinates: pass it to workers of this process (`startWorker({ localRuns })`). */
  readonly localRuns = new LocalRuns();
  readonly #options: RunManagerOptions;
  readonly #redis: RedisClient;
  readonly #queueConnection: RedisClient;
  readonly #queue: Queue<LayerJobData>;
  readonly #owner: string;
  readonly #reader: RedisClient;
  readonly #mail: InputsReader & { close(): void };
  readonly #coordinators = new Map<string, RunCoordinator>();
  #resumeTimer: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  readonly #logger: Logger;
  readonly #resuming: FailureEpisode;

  constructor(options: RunManagerOptions) {
    this.#options = options;
    const logger = options.logger ?? silentLogger;
    this.#logger = logger;
    this.keys = keySpace(prefixOf(options.connection));
    this.#redis = connect(
      options.connection,
      { enableAutoPipelining: true },
      { logger, role: 'coordinator commands' },
    );
    this.#queueConnection = connect(options.connection, {}, { logger, role: 'coordinator queue' });
    // One blocking read of every coordinated run's mail, on a connection of its own; on a cluster,
    // where one read cannot span the runs' slots, the mail channel's messages on that connection.
    this.#reader = connect(options.connection, {}, { logger, role: 'coordinator mail reads' });
    this.#mail = isCluster(this.#redis)
      ? new NotifiedInputsReader(this.#reader, this.#redis, this.keys.mailChannel, logger)
      : new SharedInputsReader(this.#reader as Redis, this.#redis as Redis, logger);
    const queue = options.queue ?? DEFAULT_QUEUE;
    this.#queue = new Queue<LayerJobData>(queue, {
      connection: this.#queueConnection,
      prefix: bullPrefix(this.keys.prefix, queue),
    });
    // Not logged here: the queue repeats its connection's errors, which that connection logs (see `connect`).
    this.#queue.on('error', () => {});
    this.#owner = options.owner ?? `manager-${createRunId()}`;
    this.#resuming = new FailureEpisode(logger, 'looking for runs to take over', {
      key: this.keys.active,
    });
    const every = options.resumeIntervalMs ?? 2000;
    if (every > 0) {
      this.#resumeTimer = setInterval(() => {
        // Tried again at the next tick: one line when it starts failing, one when it works again.
        this.resumeOrphans().then(
          () => this.#resuming.succeeded(),
          (error: unknown) => void this.#resuming.failed(error),
        );
      }, every);
    }
  }

  /** Logs why a run this process was following stopped being followed (another process takes it over). */
  #followFailed(runId: string, error: unknown): void {
    logFailure(
      this.#logger,
      'following the run',
      { run: runId },
      error,
      'this process lets go of it; a manager takes it over once its lease lapses',
    );
  }

  /** The connection the manager uses for commands (shared with stores). */
  get redis(): RedisClient {
    return this.#redis;
  }

  #coordinator(
    runId: string,
    json: SequenceJson,
    input: Record<string, unknown>,
    reuse?: RunReuse,
    compiled: { graph: SequenceGraph; options: ResolvedOptions } = sequenceGraph(json),
  ): RunCoordinator {
    const { graph, options } = compiled;
    const coordinator = new RunCoordinator({
      redis: this.#redis,
      mail: this.#mail,
      queue: this.#queue,
      queueConnection: this.#queueConnection,
      keys: this.keys,
      runId,
      graph,
      options,
      input,
      tracer: this.#options.tracer ?? trace.getTracer('fusync'),
      sequenceName: json.name,
      owner: this.#owner,
      leaseMs: this.#options.leaseMs ?? 5000,
      onEvent: this.#options.onEvent,
      reuse,
      localRuns: this.localRuns,
      logger: this.#logger,
    });
    this.#coordinators.set(runId, coordinator);
    return coordinator;
  }

  /**
   * Validates a sequence (format, names, dependencies, cycle) and starts a
   * run of it. Nothing is written when validation fails.
   */
  async start(
    sequence: unknown,
    input: Record<string, unknown> = {},
    runId: string = createRunId(),
  ): Promise<{ runId: string }> {
    const json = parseSequenceJson(sequence);
    // Each step on a large sequence takes a while: other work of this process goes between them.
    await nextTurn();
    const compiled = sequenceGraph(json);
    await nextTurn();
    return this.#begin(runId, json, input, undefined, compiled);
  }

  /**
   * Starts a rerun of a finished run: the layers `from` names (default
   * `'failed'`: those that did not succeed) and everything downstream run
   * again, the others are reused with their results from the parent run's
   * record. Resolves `undefined` for an unknown parent run. A refused rerun
   * (`UNKNOWN_LAYER`, `RERUN_MISMATCH`, `RERUN_RESULT_MISSING`,
   * `RUN_NOT_FINISHED`) throws before anything is written.
   */
  async rerun(
    parentRunId: string,
    options: RedisRerunOptions = {},
  ): Promise<{ runId: string; parentRunId: string } | undefined> {
    const meta = await this.#redis.hmget(this.keys.run(parentRunId).meta, 'sequence', 'input');
    if (!meta[0]) return undefined;
    const json = parseSequenceJson(options.sequence ?? JSON.parse(meta[0]));
    const compiled = sequenceGraph(json);
    const { graph } = compiled;
    const plan = planRerun(graph.layers, await this.events(parentRunId), options.from);
    const results = new Map<number, unknown>();
    for (const [name, result] of plan.results)
      results.set(graph.indexOf.get(name) as number, result);
    const input =
      options.input ??
      (plan.input as Record<string, unknown> | undefined) ??
      (JSON.parse(meta[1] ?? '{}') as Record<string, unknown>);
    const { runId } = await this.#begin(
      options.runId ?? createRunId(),
      json,
      input,
      { parentRunId, results },
      compiled,
    );
    return { runId, parentRunId };
  }

  async #begin(
    runId: string,
    json: SequenceJson,
    input: Record<string, unknown>,
    reuse: RunReuse | undefined,
    compiled: { graph: SequenceGraph; options: ResolvedOptions },
  ): Promise<{ runId: string }> {
    assertRunId(runId);
    const coordinator = this.#coordinator(runId, json, input, reuse, compiled);
    try {
      await coordinator.begin({ sequence: json, input });
    } catch (error) {
      this.#coordinators.delete(runId);
      throw error;
    }
    coordinator
      .follow()
      .catch((error: unknown) => this.#followFailed(runId, error))
      .finally(() => this.#coordinators.delete(runId));
    return { runId };
  }

  /** Takes over every unfinished run that no live coordinator holds. Returns the run ids taken. */
  async resumeOrphans(): Promise<string[]> {
    if (this.#closed) return [];
    const active = await this.#redis.smembers(this.keys.active);
    const taken: string[] = [];
    for (const runId of active) {
      if (this.#coordinators.has(runId)) continue;
      const run = this.keys.run(runId);
      if ((await this.#redis.exists(run.lease)) === 1) continue;
      const meta = await this.#redis.hmget(run.meta, 'sequence', 'input', 'queue', 'reuse');
      // Only runs of this manager's queue: another queue's workers (or a `useRedis` script) own the others.
      if (!meta[0] || meta[2] !== this.#queue.name) continue;
      const json = parseSequenceJson(JSON.parse(meta[0]));
      const input = JSON.parse(meta[1] ?? '{}') as Record<string, unknown>;
      const coordinator = this.#coordinator(
        runId,
        json,
        input,
        meta[3] ? parseReuse(meta[3]) : undefined,
      );
      coordinator
        .resume()
        .catch((error: unknown) => this.#followFailed(runId, error))
        .finally(() => this.#coordinators.delete(runId));
      taken.push(runId);
    }
    return taken;
  }

  /**
   * Runs, newest first: at most `limit`, those after the run `after` when it
   * is given (the last of the previous page). Reads each run's summary
   * fields only — never its sequence or its events — so a page costs the
   * runs it lists. An `after` that is no listed run gives an empty page.
   */
  async list(limit = 100, after?: string): Promise<RunSummary[]> {
    let start = 0;
    if (after !== undefined) {
      const rank = await this.#redis.zrevrank(this.keys.runs, after);
      if (rank === null) return [];
      start = rank + 1;
    }
    const ids = await this.#redis.zrevrange(this.keys.runs, start, start + limit - 1);
    // Sent together (the connection pipelines them), each to its run's slot.
    const rows = await Promise.all(
      ids.map((runId) =>
        this.#redis.hmget(
          this.keys.run(runId).meta,
          'status',
          'createdAt',
          'finishedAt',
          'sequenceName',
          'parentRunId',
          'layerCount',
        ),
      ),
    );
    const out: RunSummary[] = [];
    ids.forEach((runId, i) => {
      const values = rows[i];
      if (!values?.[0]) return;
      const summary: RunSummary = { runId, status: values[0], createdAt: Number(values[1]) };
      if (values[2]) summary.finishedAt = Number(values[2]);
      if (values[3]) summary.sequenceName = values[3];
      if (values[4]) summary.parentRunId = values[4];
      if (values[5]) summary.layerCount = Number(values[5]);
      out.push(summary);
    });
    return out;
  }

  /** Recorded events with `seq > after` (all when `after` is undefined). */
  async events(runId: string, after?: number): Promise<RunEvent[]> {
    const entries = await this.#redis.xrange(
      this.keys.run(runId).events,
      eventsStartAfter(after),
      '+',
    );
    return eventsOfEntries<RunEvent>(entries, after);
  }

  /** Runs started and not finished yet, whichever process coordinates them. */
  async activeCount(): Promise<number> {
    return this.#redis.scard(this.keys.active);
  }

  /** Whether a run exists. */
  async has(runId: string): Promise<boolean> {
    return (await this.#redis.exists(this.keys.run(runId).meta)) === 1;
  }

  /** The run's record from its events, or undefined when there is no such run. */
  async record(runId: string): Promise<RunRecord | undefined> {
    if (!(await this.has(runId))) return undefined;
    return runRecordFromEvents(await this.events(runId));
  }

  /**
   * The run's events after `after`, then new ones as they are recorded, until
   * `run:finished` or `signal` aborts. Polls the events stream, so it
   * survives reconnects and works whichever process coordinates the run.
   */
  async *follow(
    runId: string,
    options: { after?: number; signal?: AbortSignal; pollMs?: number } = {},
  ): AsyncGenerator<RunEvent> {
    let after = options.after;
    const pollMs = options.pollMs ?? 100;
    const failures = new FailureEpisode(this.#logger, 'reading the run’s events', {
      run: runId,
      key: this.keys.run(runId).events,
    });
    while (!options.signal?.aborted && !this.#closed) {
      let batch: RunEvent[];
      try {
        batch = await this.events(runId, after);
        failures.succeeded();
      } catch (error) {
        // Redis away: the follower waits and reads again from where it was.
        await pause(failures.failed(error));
        batch = [];
      }
      for (const event of batch) {
        after = event.seq;
        yield event;
        if (event.type === 'run:finished') return;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Asks a run to stop. Returns false when there is no such unfinished run. */
  async cancel(runId: string, reason?: string): Promise<boolean> {
    const run = this.keys.run(runId);
    const status = await this.#redis.hget(run.meta, 'status');
    if (status !== 'running') return false;
    await sendMail(
      this.#redis,
      this.keys,
      run.mail,
      JSON.stringify(reason === undefined ? { k: 'cancel' } : { k: 'cancel', reason }),
    );
    return true;
  }

  /** Stops coordinating (runs stay in Redis for another process to take over) and closes connections. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#resumeTimer) clearInterval(this.#resumeTimer);
    const reachable = this.#redis.status === 'ready';
    // Releasing leases needs Redis; when it is away, leases lapse by themselves.
    if (reachable)
      await withTimeout(Promise.all([...this.#coordinators.values()].map((c) => c.detach())), 2000);
    this.#mail.close();
    this.#reader.disconnect();
    if (reachable) await withTimeout(this.#queue.close(), 2000);
    this.#queueConnection.disconnect();
    // withTimeout never rejects; a quit that fails is followed by the disconnect below.
    if (reachable) await withTimeout(this.#redis.quit(), 2000);
    this.#redis.disconnect();
  }
}
