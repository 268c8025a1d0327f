import type { Tracer } from '@opentelemetry/api';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { resolveArguments } from '../core/arguments.js';
import { systemClock } from '../core/clock.js';
import { type RunEvent, toErrorInfo } from '../core/events.js';
import type { SequenceGraph } from '../core/graph.js';
import { RunRecorder } from '../core/run-record.js';
import { RunScheduler } from '../core/scheduler.js';
import { RunTelemetry } from '../core/telemetry.js';
import type { ResolvedOptions } from '../core/types.js';
import type { InputsReader, StreamEntries } from './inputs-reader.js';
import { attemptJobId, eventsOfEntries, type KeySpace } from './keys.js';
import { errorFromInfo, type LayerJobData, type RunInput } from './protocol.js';
import { RELEASE_LEASE, TAKE_LEASE } from './scripts.js';
import { toTraceparent } from './trace-context.js';

export interface CoordinatorOptions {
  /** Connection for commands (auto-pipelined is best). */
  redis: Redis;
  /** Where the coordinator waits for its run's inputs (one shared blocking read per process, or its own). */
  inputs: InputsReader;
  queue: Queue<LayerJobData>;
  keys: KeySpace;
  runId: string;
  graph: SequenceGraph;
  options: ResolvedOptions;
  input: Record<string, unknown>;
  tracer: Tracer;
  sequenceName?: string | undefined;
  /** Identifies this coordinator in the run's lease. */
  owner: string;
  /** Lease time to live; another coordinator takes over a run whose lease lapsed. Default 5000 ms. */
  leaseMs?: number;
  /** Every event of the run, as it is recorded. */
  onEvent?: ((event: RunEvent) => void) | undefined;
  /**
   * Whether another process may take the run over when this one goes away.
   * Default true; false for runs whose functions live only in this process
   * (`useRedis` from the builder), which nobody else could execute.
   */
  resumable?: boolean;
}

/** Seconds finished runs' keys are kept. */
const FINISHED_RUN_TTL_S = 7 * 24 * 3600;

/**
 * Seconds a finished job's record is kept. While it exists, adding the same
 * attempt again (deterministic job id) is ignored by BullMQ: that is what
 * keeps an attempt from running twice when a coordinator takes a run over, or
 * wakes up after stalling past its lease.
 */
export const COMPLETED_JOB_RETENTION_S = 24 * 3600;

/**
 * Drives one run over Redis with the engine's own `RunScheduler`: it reads
 * the run's inputs stream (attempt outcomes from workers, retry timers,
 * cancels) in order, applies each to the scheduler, appends the events to the
 * run's events stream and enqueues the attempts the scheduler admits as
 * BullMQ jobs with deterministic ids. The scheduler is deterministic, so a
 * coordinator that takes over a run (after a crash or restart) replays the
 * inputs stream into a new scheduler and continues where the last one
 * stopped; events already recorded are not written again.
 */
export class RunCoordinator {
  readonly runId: string;
  readonly #o: CoordinatorOptions;
  readonly #keys: ReturnType<KeySpace['run']>;
  readonly #scheduler: RunScheduler;
  readonly #recorder: RunRecorder;
  readonly #telemetry: RunTelemetry;
  readonly #results: unknown[];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #recordedEvents = 0;
  #replaying = false;
  #pendingEvents: RunEvent[] = [];
  #pendingJobs: LayerJobData[] = [];
  #flushChain: Promise<void> = Promise.resolve();
  #stopRequested = false;
  #lastInputId = '0-0';
  #leaseTimer: ReturnType<typeof setInterval> | undefined;
  #lostLease = false;

  constructor(options: CoordinatorOptions) {
    this.#o = options;
    this.runId = options.runId;
    this.#keys = options.keys.run(options.runId);
    this.#results = new Array(options.graph.layers.length);
    this.#recorder = new RunRecorder(options.runId);
    this.#telemetry = new RunTelemetry(options.tracer);
    this.#scheduler = new RunScheduler({
      graph: options.graph,
      options: options.options,
      runId: options.runId,
      clock: systemClock,
      sequenceName: options.sequenceName,
      onEvent: (event) => this.#onEvent(event),
    });
  }

  /** The run as its events describe it so far. */
  get record() {
    return this.#recorder.record;
  }

  #onEvent(event: RunEvent): void {
    if (event.seq < this.#recordedEvents) return;
    this.#pendingEvents.push(event);
    this.#recorder.apply(event);
    this.#telemetry.onEvent(event);
    this.#o.onEvent?.(event);
  }

  async #takeLease(): Promise<boolean> {
    const taken = await this.#o.redis.eval(
      TAKE_LEASE,
      1,
      this.#keys.lease,
      this.#o.owner,
      String(this.#o.leaseMs ?? 5000),
    );
    return taken === 1;
  }

  #holdLease(): void {
    const every = Math.max(250, Math.floor((this.#o.leaseMs ?? 5000) / 3));
    this.#leaseTimer = setInterval(() => {
      this.#takeLease().then(
        (held) => {
          if (!held) this.#lostLease = true;
        },
        () => {},
      );
    }, every);
  }

  /** Starts a new run and follows it to the end. */
  async start(meta: { sequence: unknown; input: Record<string, unknown> }): Promise<void> {
    await this.begin(meta);
    await this.follow();
  }

  /**
   * Records a new run (metadata, run lists, first events) and queues its first
   * layers. When it resolves the run exists for every reader and can be cancelled.
   */
  async begin(meta: { sequence: unknown; input: Record<string, unknown> }): Promise<void> {
    const keys = this.#o.keys;
    if (!(await this.#takeLease()))
      throw new Error(`Run ${this.runId} is already coordinated elsewhere.`);
    const register = this.#o.redis
      .multi()
      .hset(this.#keys.meta, {
        sequence: JSON.stringify(meta.sequence),
        input: JSON.stringify(meta.input),
        status: 'running',
        createdAt: String(Date.now()),
        queue: this.#o.queue.name,
      })
      .zadd(keys.runs, Date.now(), this.runId);
    // Only resumable runs are listed for takeover.
    if (this.#o.resumable !== false) register.sadd(keys.active, this.runId);
    await register.exec();
    this.#holdLease();
    this.#startAll(this.#scheduler.start());
    await this.#flush();
  }

  /** Takes over a run another coordinator left: replays its inputs, re-enqueues running attempts, follows it. */
  async resume(): Promise<boolean> {
    if (!(await this.#takeLease())) return false;
    this.#holdLease();
    const existing = eventsOfEntries<RunEvent>(
      await this.#o.redis.xrange(this.#keys.events, '-', '+'),
    );
    this.#recordedEvents = existing.length;
    for (const event of existing) {
      this.#recorder.apply(event);
      this.#o.onEvent?.(event);
    }
    this.#replaying = true;
    this.#startAll(this.#scheduler.start());
    const inputs = await this.#o.redis.xrange(this.#keys.inputs, '-', '+');
    for (const [id, fields] of inputs) {
      this.#apply(JSON.parse(fields[1] as string) as RunInput);
      this.#lastInputId = id;
    }
    this.#replaying = false;
    for (let layer = 0; layer < this.#o.graph.layers.length; layer++) {
      const status = this.#scheduler.status(layer);
      if (status === 'running') this.#enqueue(layer);
      if (status === 'retrying')
        this.#armRetry(
          layer,
          this.#scheduler.attempt(layer),
          this.#o.graph.layers[layer]?.retryDelay ?? 0,
        );
    }
    await this.#flush();
    await this.follow();
    return true;
  }

  /** Asks the run to stop: appended to its inputs so every coordinator sees it in order. */
  async cancel(reason?: unknown): Promise<void> {
    const input: RunInput =
      reason === undefined ? { k: 'cancel' } : { k: 'cancel', error: toErrorInfo(reason) };
    await this.#o.redis.xadd(this.#keys.inputs, '*', 'd', JSON.stringify(input));
  }

  /** Stops following the run without finishing it (shutdown): another coordinator can take it over. */
  async detach(): Promise<void> {
    this.#stopRequested = true;
    this.#clearTimers();
    await this.#o.redis.eval(RELEASE_LEASE, 1, this.#keys.lease, this.#o.owner).catch(() => {});
  }

  #clearTimers(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#leaseTimer) clearInterval(this.#leaseTimer);
  }

  /** Applies the run's inputs as they arrive until the run finishes, the coordinator detaches or loses its lease. */
  async follow(): Promise<void> {
    while (!this.#scheduler.finished && !this.#stopRequested && !this.#lostLease) {
      let batch: StreamEntries | undefined;
      try {
        batch = await this.#o.inputs.read(this.#keys.inputs, this.#lastInputId);
      } catch {
        if (this.#stopRequested) break;
        // Redis away: ioredis reconnects; try again shortly.
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
      if (!batch) continue;
      for (const [id, fields] of batch) {
        this.#apply(JSON.parse(fields[1] as string) as RunInput);
        this.#lastInputId = id;
      }
      // Not awaited: the next inputs are read while this flush is on its way.
      this.#scheduleFlush();
    }
    await this.#flushChain;
    if (this.#scheduler.finished) await this.#finish();
    // Lost or detached: stop renewing the lease (and retry timers), or this process would hold the run forever.
    else this.#clearTimers();
  }

  /**
   * Flushes run one after another, never side by side: a flush that fails is
   * repeated before any later one, so event entries reach Redis in order
   * (their ids only grow). Flushes scheduled while one is on its way are
   * taken together by the next.
   */
  #scheduleFlush(): void {
    this.#flushChain = this.#flushChain.then(() => this.#flushWithRetry());
  }

  async #flushWithRetry(): Promise<void> {
    for (;;) {
      try {
        await this.#flush();
        return;
      } catch {
        if (this.#stopRequested) return;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  #apply(input: RunInput): void {
    const scheduler = this.#scheduler;
    switch (input.k) {
      case 'outcome': {
        if (
          scheduler.status(input.layer) !== 'running' ||
          scheduler.attempt(input.layer) !== input.attempt
        )
          return;
        if (input.ok) {
          this.#results[input.layer] = input.result;
          this.#startAll(scheduler.succeeded(input.layer, input.result));
        } else {
          this.#afterFailure(input.layer, errorFromInfo(input.error), input.retryable);
        }
        return;
      }
      case 'retry':
        if (
          scheduler.status(input.layer) !== 'retrying' ||
          scheduler.attempt(input.layer) !== input.attempt
        )
          return;
        this.#startAll(scheduler.retryDue(input.layer));
        return;
      case 'cancel':
        scheduler.cancel(
          input.error !== undefined
            ? errorFromInfo(input.error)
            : input.reason === undefined
              ? undefined
              : new Error(input.reason),
        );
        return;
    }
  }

  #afterFailure(layer: number, error: Error, retryable: boolean): void {
    const attempt = this.#scheduler.attempt(layer);
    const outcome = this.#scheduler.failed(layer, error, retryable);
    if (outcome.kind === 'retry' && !this.#replaying)
      this.#armRetry(layer, attempt, outcome.delayMs);
    this.#startAll(outcome.start);
  }

  #armRetry(layer: number, attempt: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const input: RunInput = { k: 'retry', layer, attempt };
      this.#o.redis.xadd(this.#keys.inputs, '*', 'd', JSON.stringify(input)).catch(() => {
        // Redis away: the next coordinator re-arms retries of layers still waiting.
      });
    }, delayMs);
    this.#timers.add(timer);
  }

  #startAll(layers: readonly number[]): void {
    for (const layer of layers) this.#enqueue(layer);
  }

  /**
   * Resolves an admitted layer's arguments and queues its job. During a replay
   * the arguments are still resolved (an unresolvable one fails the layer, as
   * it did the first time) but no job is queued.
   */
  #enqueue(layer: number): void {
    const spec = this.#o.graph.layers[layer];
    if (!spec) return;
    let args: unknown[];
    try {
      args = resolveArguments(this.#o.graph, layer, this.#results, this.#o.input, this.runId);
    } catch (error) {
      this.#afterFailure(layer, error as Error, false);
      return;
    }
    if (this.#replaying) return;
    const job: LayerJobData = {
      runId: this.runId,
      prefix: this.#o.keys.prefix,
      layer,
      name: spec.name,
      attempt: this.#scheduler.attempt(layer),
      args,
    };
    const undefinedArgs = args.flatMap((value, at) => (value === undefined ? [at] : []));
    if (undefinedArgs.length > 0) job.undefinedArgs = undefinedArgs;
    if (spec.operation !== undefined) job.operation = spec.operation;
    if (spec.timeout !== undefined) job.timeout = spec.timeout;
    const traceparent = toTraceparent(this.#telemetry.contextFor(spec.name));
    if (traceparent !== undefined) job.traceparent = traceparent;
    this.#pendingJobs.push(job);
  }

  /** Writes pending events, then adds pending jobs; stop signals go out when the run stopped. */
  async #flush(): Promise<void> {
    const events = this.#pendingEvents;
    const jobs = this.#pendingJobs;
    if (events.length === 0 && jobs.length === 0) return;
    // Taken now: events and jobs recorded while this flush is on its way belong to the next one.
    this.#pendingEvents = [];
    this.#pendingJobs = [];
    try {
      await this.#write(events, jobs);
    } catch (error) {
      this.#pendingEvents = events.concat(this.#pendingEvents);
      this.#pendingJobs = jobs.concat(this.#pendingJobs);
      throw error;
    }
  }

  async #write(events: RunEvent[], jobs: LayerJobData[]): Promise<void> {
    const writes: Promise<unknown>[] = [];
    const cancelled: string[] = [];
    if (events.length > 0) {
      const pipeline = this.#o.redis.pipeline();
      const last = events[events.length - 1] as RunEvent;
      // One entry per flush, with an explicit, increasing id (last seq + 1): writing the same events
      // again is refused by Redis, so a repeated flush or a replay cannot duplicate them.
      pipeline.xadd(this.#keys.events, `${last.seq + 1}-0`, 'e', JSON.stringify(events));
      let stopped = false;
      for (const event of events) {
        if (event.type === 'run:finished') stopped = true;
        if (event.type === 'layer:failed' && event.cancelled) {
          stopped = true;
          const layer = this.#o.graph.indexOf.get(event.layer);
          if (layer !== undefined) cancelled.push(attemptJobId(this.runId, layer, event.attempt));
        }
      }
      if (stopped) {
        pipeline.set(this.#keys.stopped, '1');
        pipeline.publish(this.#o.keys.cancelChannel, this.runId);
      }
      writes.push(pipeline.exec());
    }
    if (jobs.length > 0) {
      writes.push(
        this.#o.queue.addBulk(
          jobs.map((data) => ({
            name: data.name,
            data,
            opts: {
              jobId: attemptJobId(data.runId, data.layer, data.attempt),
              removeOnComplete: { age: COMPLETED_JOB_RETENTION_S },
              removeOnFail: { age: COMPLETED_JOB_RETENTION_S },
            },
          })),
        ),
      );
    }
    // Both are idempotent (explicit event ids, deterministic job ids), so they go out together and a
    // failed flush is simply repeated.
    await Promise.all(writes);
    if (events.length > 0) this.#recordedEvents = (events[events.length - 1] as RunEvent).seq + 1;
    // Jobs of cancelled attempts still waiting are taken out; running ones were told through the channel.
    for (const jobId of cancelled) await this.#o.queue.remove(jobId).catch(() => 0);
  }

  async #finish(): Promise<void> {
    this.#clearTimers();
    const keys = this.#o.keys;
    const run = this.#keys;
    const record = this.#recorder.record;
    await this.#o.redis
      .multi()
      .hset(run.meta, {
        status: record.status,
        finishedAt: String(record.finishedAt ?? Date.now()),
      })
      .srem(keys.active, this.runId)
      // Runs older than the keys' time to live have no record left: drop them from the list too.
      .zremrangebyscore(keys.runs, '-inf', Date.now() - FINISHED_RUN_TTL_S * 1000)
      .expire(run.meta, FINISHED_RUN_TTL_S)
      .expire(run.events, FINISHED_RUN_TTL_S)
      .expire(run.inputs, FINISHED_RUN_TTL_S)
      .expire(run.done, FINISHED_RUN_TTL_S)
      .expire(run.stopped, FINISHED_RUN_TTL_S)
      .exec();
    await this.#o.redis.eval(RELEASE_LEASE, 1, run.lease, this.#o.owner).catch(() => {});
  }
}
