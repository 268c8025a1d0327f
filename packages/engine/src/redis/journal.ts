import type { JobsOptions, Queue } from 'bullmq';
import type { RunEvent } from '../core/events.js';
import type { SequenceGraph } from '../core/graph.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { toWireEvent } from '../core/wire-value.js';
import { isCluster, type RedisClient } from './connection.js';
import { FailureEpisode, logFailure, pause } from './failures.js';
import { attemptJobId, type KeySpace, type RunKeys } from './keys.js';
import type { RunLease } from './lease.js';
import type { LayerJobData } from './protocol.js';
import { PUBLISH_AT, WRITE_RUN } from './scripts.js';

/** The most events one flush writes; more wait for the next flush. */
const FLUSH_EVENTS = 8192;

/**
 * Seconds a finished job's record is kept. While it exists, adding the same
 * attempt again (deterministic job id) is ignored by BullMQ: that is what
 * keeps an attempt from running twice when a coordinator takes a run over, or
 * wakes up after stalling past its lease.
 */
export const COMPLETED_JOB_RETENTION_S = 24 * 3600;

/** BullMQ options of an attempt's job: its deterministic id, kept a while once finished. */
function jobOptions(data: LayerJobData): JobsOptions {
  return {
    jobId: attemptJobId(data.runId, data.layer, data.attempt),
    removeOnComplete: { age: COMPLETED_JOB_RETENTION_S },
    removeOnFail: { age: COMPLETED_JOB_RETENTION_S },
  };
}

/** The id of the n-th entry of a run's inputs log (`0-0`: before the first). */
export const logId = (n: number): string => `${n}-0`;

/** One entry of the run's inputs log, waiting to be written. */
interface LogEntry {
  id: string;
  input: string;
  /** The mail entry it came from, if any. */
  mail: string;
  /** The `done` field of an outcome, if it is one. */
  done: string | undefined;
}

export interface RunJournalOptions {
  /** Connection for commands (auto-pipelined is best). */
  redis: RedisClient;
  /** The ioredis connection `queue` was built on: the log write goes on it too (see `RunCoordinator`). */
  queueConnection: RedisClient;
  queue: Queue<LayerJobData>;
  keys: KeySpace;
  runId: string;
  graph: SequenceGraph;
  /** Identifies the coordinator in the run's lease. */
  owner: string;
  lease: RunLease;
  /** Called when a write finds the run held by another coordinator now. */
  onLost: () => void;
  /** Whether the coordinator gave the run up (detached): a failing write is not tried again. */
  stopped: () => boolean;
  logger?: Logger | undefined;
}

/**
 * What a coordinator has applied and not yet written: log entries (the
 * inputs), the events they produced, the jobs they admitted, and the
 * workers of this process waiting to hear their outcome is logged. Flushes
 * write them in one lease-checked step (entries and events), then queue the
 * jobs; they run one after another, a failed one repeated before any later
 * one, so event entries reach Redis in order.
 */
export class RunJournal {
  readonly #o: RunJournalOptions;
  readonly #keys: RunKeys;
  readonly #failing: FailureEpisode;
  #pendingEvents: RunEvent[] = [];
  #pendingJobs: LayerJobData[] = [];
  #pendingLog: LogEntry[] = [];
  /** Outcomes handed over in this process, waiting for the flush that logs them. */
  #waiters: ((logged: boolean) => void)[] = [];
  #chain: Promise<void> = Promise.resolve();
  /** Entries in the inputs log, those still to be written included. */
  #logged = 0;
  /** Entries in the inputs log known written. */
  #written = 0;
  /** Events in the run's events stream: those before are not written again. */
  #recordedEvents = 0;

  constructor(options: RunJournalOptions) {
    this.#o = options;
    this.#keys = options.keys.run(options.runId);
    this.#failing = new FailureEpisode(
      options.logger,
      'writing the run’s log, events and next jobs',
      { run: options.runId },
    );
  }

  /** The id of the last log entry known written (`0-0`: none): what the lease renews against. */
  lastWritten(): string {
    return logId(this.#written);
  }

  /** A takeover found `count` events in the events stream: the replay's are not written again. */
  skipEvents(count: number): void {
    this.#recordedEvents = count;
  }

  /** A takeover found `entries` entries in the inputs log: the next one written is entry `entries + 1`. */
  restoreLog(entries: number): void {
    this.#logged = entries;
    this.#written = entries;
  }

  /** Queues an input for the log (`mail`: the mail entry it came from, or ''). */
  append(input: string, mail: string, done: string | undefined): void {
    this.#logged++;
    this.#pendingLog.push({ id: logId(this.#logged), input, mail, done });
  }

  /** Queues an event for the events stream; false when it is recorded already (a replay). */
  event(event: RunEvent): boolean {
    if (event.seq < this.#recordedEvents) return false;
    this.#pendingEvents.push(event);
    return true;
  }

  /** Queues an admitted attempt's job, queued once the log holds what admitted it. */
  job(job: LayerJobData): void {
    this.#pendingJobs.push(job);
  }

  /** Resolves true once what is queued now is in the log, false if it never will be by this coordinator. */
  logged(): Promise<boolean> {
    return new Promise<boolean>((resolve) => this.#waiters.push(resolve));
  }

  /** Answers every waiting worker `false`: they send their outcomes by mail instead. */
  letWaitersGo(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve(false);
  }

  /** Resolves once every flush scheduled so far is done (or given up). */
  settled(): Promise<void> {
    return this.#chain;
  }

  /**
   * A flush whose failure its caller sees (a run's first write: `begin`
   * rejects); later flushes queue behind it.
   */
  first(): Promise<void> {
    const flushed = this.#flush();
    // Not logged here: the caller gets the failure (`begin` rejects, `resume` is logged by its manager).
    this.#chain = flushed.catch(() => {});
    return flushed;
  }

  /**
   * Flushes run one after another, never side by side: a flush that fails is
   * repeated before any later one. Flushes scheduled while one is on its way
   * are taken together by the next.
   */
  schedule(): void {
    this.#chain = this.#chain.then(() => this.#flushWithRetry());
  }

  async #flushWithRetry(): Promise<void> {
    for (;;) {
      try {
        await this.#flush();
        this.#failing.succeeded();
        return;
      } catch (error) {
        if (this.#o.stopped()) return;
        await pause(this.#failing.failed(error));
      }
    }
  }

  /** Writes what was applied since the last flush: log entries and events, then jobs. */
  async #flush(): Promise<void> {
    const log = this.#pendingLog;
    const jobs = this.#pendingJobs;
    const waiters = this.#waiters;
    if (log.length === 0 && this.#pendingEvents.length === 0 && jobs.length === 0) return;
    // Taken now: what is recorded while this flush is on its way belongs to the next one. A wide
    // start records many events at once (100,000 `layer:queued`): they go in several writes, so
    // none holds the event loop long; the inputs stream keeps the run whole meanwhile.
    let events = this.#pendingEvents;
    const more = events.length > FLUSH_EVENTS;
    if (more) {
      this.#pendingEvents = events.slice(FLUSH_EVENTS);
      events = events.slice(0, FLUSH_EVENTS);
    } else this.#pendingEvents = [];
    this.#pendingLog = [];
    this.#pendingJobs = [];
    this.#waiters = [];
    let told = false;
    const tell = (logged: boolean): void => {
      if (told) return;
      told = true;
      for (const resolve of waiters) resolve(logged);
    };
    let written: boolean;
    try {
      written = await this.#write(log, events, jobs, () => tell(true));
    } catch (error) {
      this.#pendingLog = log.concat(this.#pendingLog);
      this.#pendingEvents = events.concat(this.#pendingEvents);
      this.#pendingJobs = jobs.concat(this.#pendingJobs);
      if (!told) this.#waiters = waiters.concat(this.#waiters);
      throw error;
    }
    tell(written);
    // Behind this flush in the chain, never beside it.
    if (more && written) this.schedule();
  }

  /**
   * Writes the log entries and events (atomically, under the lease), then
   * queues the jobs; `logged` is called once the entries are in the log.
   * Returns false, having queued nothing, when another coordinator holds the
   * run now.
   */
  async #write(
    log: LogEntry[],
    events: RunEvent[],
    jobs: LayerJobData[],
    logged: () => void,
  ): Promise<boolean> {
    if (log.length === 0 && events.length === 0) return this.#queue(events, jobs);
    const lastEntry = log[log.length - 1];
    // Not on a cluster: the jobs would go to another node than the log write, and could be applied
    // without it should this process die in between — jobs for decisions no log holds.
    const pipelined = this.#o.lease.held() && !isCluster(this.#o.queueConnection);
    // Workers elsewhere wait, their slots held, to hear their mailed outcomes logged: the jobs those
    // admitted are queued by then, and BullMQ's fetch as each of their jobs finishes finds them.
    let lastMail = '';
    for (const entry of log) if (entry.mail !== '') lastMail = entry.mail;
    const heard = lastMail === '' ? '' : `${this.#o.runId}\n${lastMail}`;
    const args: string[] = [
      this.#o.owner,
      logId(this.#written),
      lastEntry ? lastEntry.id : logId(this.#written),
      // Pipelined, the write tells the workers itself: the jobs are on the wire right behind it,
      // applied before a worker that hears it asks BullMQ for its next job.
      pipelined && heard !== '' ? this.#o.keys.loggedChannel : '',
      heard,
      String(log.length),
    ];
    for (const entry of log) args.push(entry.id, entry.input, entry.mail);
    const last = events[events.length - 1];
    // One events entry per flush, with an explicit, increasing id (last seq + 1): writing the same
    // events again is refused by Redis, so a repeated flush or a replay cannot duplicate them.
    // Arguments cross as JSON, each value capped: the stream is read by servers, studios and reruns.
    if (last) args.push(`${last.seq + 1}-0`, JSON.stringify(events.map(toWireEvent)));
    else args.push('', '');
    // An outcome that came by mail is in the `done` hash already: `RECORD_OUTCOME` put it there.
    for (const entry of log)
      if (entry.done !== undefined && entry.mail === '') args.push(entry.done);
    // Written on the queue's own connection, as EVAL (never retried as another command), so Redis
    // applies it before any job this flush queues behind it on that connection.
    const logWrite = this.#o.queueConnection.eval(
      WRITE_RUN,
      4,
      this.#keys.lease,
      this.#keys.inputs,
      this.#keys.events,
      this.#keys.done,
      ...args,
    );
    if (pipelined) {
      // Nobody else can write the run until the lease lapses: the jobs go out right behind the log
      // write instead of a round trip later, and workers may finish the jobs whose outcomes it logs
      // as soon as it is applied.
      const queued = this.#queue(events, jobs);
      let written: unknown;
      try {
        written = await logWrite;
      } catch (error) {
        // Waited for, not reported: the flush fails with the log write's error and is repeated whole.
        await queued.catch(() => {});
        throw error;
      }
      if (!this.#logWritten(written, last, lastEntry)) return false;
      logged();
      return queued;
    }
    if (!this.#logWritten(await logWrite, last, lastEntry)) return false;
    const queued = this.#queue(events, jobs);
    // A failed queueing fails the flush, which its caller repeats: nothing to tell until then.
    if (heard !== '')
      queued.then(
        () => this.#tellLogged(heard),
        () => {},
      );
    // The outcomes are logged, so their workers may finish their jobs — a turn of the event loop
    // later, once the jobs admitted here are on the wire: BullMQ's fetch as each job finishes then
    // finds the next ones instead of waking an idle slot for them.
    setImmediate(logged);
    return queued;
  }

  /**
   * Tells the workers waiting on mailed outcomes that they are logged. Best
   * effort, not logged: a worker that does not hear it gives its slot back
   * after a short wait (see `startWorker`); the connection logs its outages.
   */
  #tellLogged(heard: string): void {
    this.#o.redis
      .eval(PUBLISH_AT, 1, this.#keys.lease, this.#o.keys.loggedChannel, heard)
      .catch(() => 0);
  }

  /** Takes in the answer of a log write: false when another coordinator holds the run now. */
  #logWritten(
    written: unknown,
    last: RunEvent | undefined,
    lastEntry: LogEntry | undefined,
  ): boolean {
    if (written !== 1) {
      this.#o.onLost();
      return false;
    }
    if (last) this.#recordedEvents = last.seq + 1;
    if (lastEntry) this.#written = Number.parseInt(lastEntry.id, 10);
    return true;
  }

  /** Queues the admitted attempts; stop signals go out when the run stopped. */
  async #queue(events: RunEvent[], jobs: LayerJobData[]): Promise<true> {
    const writes: Promise<unknown>[] = [];
    const cancelled: string[] = [];
    let stopped = false;
    for (const event of events) {
      if (event.type === 'run:finished') stopped = true;
      if (event.type === 'layer:failed' && event.cancelled) {
        stopped = true;
        const layer = this.#o.graph.indexOf.get(event.layer);
        if (layer !== undefined) cancelled.push(attemptJobId(this.#o.runId, layer, event.attempt));
      }
    }
    if (stopped) {
      writes.push(
        this.#o.redis
          .pipeline()
          .set(this.#keys.stopped, '1')
          .publish(this.#o.keys.cancelChannel, this.#o.runId)
          .exec(),
      );
    }
    const [only] = jobs;
    // One job (every step of a chain) goes as one command; several as one pipeline.
    if (jobs.length === 1 && only)
      writes.push(this.#o.queue.add(only.name, only, jobOptions(only)));
    else if (jobs.length > 1)
      writes.push(
        this.#o.queue.addBulk(
          jobs.map((data) => ({ name: data.name, data, opts: jobOptions(data) })),
        ),
      );
    // Idempotent (deterministic job ids): a failed flush is simply repeated.
    await Promise.all(writes);
    // Jobs of cancelled attempts still waiting are taken out; running ones were told through the channel.
    for (const jobId of cancelled)
      await this.#o.queue
        .remove(jobId)
        .catch((error: unknown) =>
          logFailure(
            this.#o.logger ?? silentLogger,
            'removing a cancelled attempt’s waiting job',
            { run: this.#o.runId, key: jobId },
            error,
            'a worker that takes it finds the run stopped and skips it',
          ),
        );
    return true;
  }
}
