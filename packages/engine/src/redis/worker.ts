import { context as otelContext } from '@opentelemetry/api';
import { type Job, Worker } from 'bullmq';
import { FusyncError, LayerTimeoutError } from '../core/errors.js';
import { toErrorInfo } from '../core/events.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { bindOperation, type OperationRegistry } from '../core/sequence-io.js';
import type { LayerFunction } from '../core/types.js';
import { AttemptAbort } from './attempt-abort.js';
import {
  connect,
  isCluster,
  prefixOf,
  type RedisClient,
  type RedisConnectionInput,
} from './connection.js';
import { FailureEpisode, logFailure, pause, RETRY_CAP_MS } from './failures.js';
import { bullPrefix, keySpace } from './keys.js';
import type { LocalRuns, OutcomeInput, WorkerInput } from './local-runs.js';
import { LoggedWaits } from './logged-waits.js';
import { mailChannelFor, sendMail } from './mail.js';
import { attemptField, type LayerJobData } from './protocol.js';
import { RECORD_OUTCOME } from './scripts.js';
import { fromTraceparent } from './trace-context.js';

/** Default BullMQ queue of layer jobs. */
export const DEFAULT_QUEUE = 'fusync';

/**
 * Longest a worker holds a job's slot after mailing its outcome, waiting to
 * hear it logged (see `LoggedWaits`): a coordinator logs mail within a few
 * ms; one that is away costs each outcome this much, no more.
 */
export const LOGGED_WAIT_MS = 20;

/**
 * An attempt still running this long notes which worker holds it (see the
 * run's `deliveries` hash): a worker taking it over after this one died
 * names the lost one. Shorter attempts, most of them, write no note: one
 * whose worker dies that early is recorded as lost without a name.
 */
export const DELIVERY_NOTE_AFTER_MS = 100;

export interface WorkerOptions {
  /** Redis URL or options (the `prefix` there sets the key prefix, default `fusync`). */
  connection: RedisConnectionInput;
  /** Operation name → function; or a function choosing the function of a job. */
  operations: OperationRegistry | ((job: LayerJobData) => LayerFunction | undefined);
  /** BullMQ queue name. Default `fusync`. */
  queue?: string;
  /** Layer attempts this worker runs at once (all runs together). Default 50. */
  concurrency?: number;
  /** Names the worker in outcomes and logs. Default `<hostname-less> pid`. */
  name?: string;
  /**
   * Lock of a job while it runs; a worker that dies loses it and the job is
   * handed to another worker after the next stalled check. Defaults
   * (2000 ms lock, 1000 ms check) bring a killed worker's layer back within
   * about 3 s; BullMQ's own (30 s / 30 s) would take about a minute.
   */
  lockDuration?: number;
  stalledInterval?: number;
  /** Times a job may be recovered from a dead worker before BullMQ fails it. Default 10. */
  maxStalledCount?: number;
  /**
   * The runs coordinated in this process (`manager.localRuns`): their
   * outcomes are handed over directly instead of by mail.
   */
  localRuns?: LocalRuns;
  /** Hears the failures the worker recovers from, and outcomes it could not record. Default: silent. */
  logger?: Logger;
}

/** A running worker. */
export interface FusyncWorker {
  readonly name: string;
  readonly worker: Worker<LayerJobData>;
  /** Stops taking jobs, lets running attempts finish (or hands them back), closes connections. */
  close(): Promise<void>;
}

/**
 * Starts a worker that runs layer attempts from the queue: it skips attempts
 * already recorded or of stopped runs, calls the operation with the
 * arguments the coordinator resolved and the layer context, enforces the
 * timeout through the layer's `AbortSignal`, aborts on cancel, and records the
 * outcome exactly once.
 *
 * @example
 * const worker = startWorker({ connection: 'redis://127.0.0.1:6379', operations: { wait, fetchUser } });
 * process.on('SIGTERM', () => worker.close());
 */
export function startWorker(options: WorkerOptions): FusyncWorker {
  const name =
    options.name ??
    `worker-${globalThis.process?.pid ?? 0}-${Math.random().toString(36).slice(2, 6)}`;
  const prefix = prefixOf(options.connection);
  const keys = keySpace(prefix);
  // Auto-pipelined: outcomes of many jobs finishing together go out in one write.
  const logger = options.logger;
  const redis = connect(
    options.connection,
    { enableAutoPipelining: true },
    { logger, role: `worker ${name} commands` },
  ) as RedisClient & {
    fusyncRecordOutcome(
      done: string,
      mail: string,
      field: string,
      outcome: string,
      channel: string,
    ): Promise<string | number>;
  };
  redis.defineCommand('fusyncRecordOutcome', { numberOfKeys: 2, lua: RECORD_OUTCOME });
  // BullMQ's connection for finishing jobs. An outcome sent on it before the job's completion reaches
  // Redis before it: on one Redis the slot need not wait for the outcome's answer (see below).
  const workerConnection = connect(options.connection, {}, { logger, role: `worker ${name} jobs` });
  const inOrder = !isCluster(workerConnection);
  // On a cluster the queue's keys and the run's are on different slots: the queue's length is read
  // on BullMQ's connection, so that no auto-pipelined batch of the commands client mixes slots (a
  // batch sent to a node that left is redirected whole only when all its commands are redirected
  // alike).
  const lengths = inOrder ? redis : workerConnection;
  const subscriber: RedisClient = connect(
    options.connection,
    {},
    { logger, role: `worker ${name} cancels` },
  );
  const running = new Map<string, Set<AttemptAbort>>();
  const resolveFunction =
    typeof options.operations === 'function'
      ? options.operations
      : (job: LayerJobData): LayerFunction =>
          bindOperation(
            options.operations as OperationRegistry,
            job.name,
            job.operation ?? job.name,
          );

  const noting = new FailureEpisode(
    logger,
    'noting which worker holds its attempts',
    { worker: name },
    'the attempts run on; a worker taking one over cannot name this one',
  );
  // Errors of attempts already logged with their context (the `failed` event does not repeat them).
  const reported = new WeakSet<object>();
  /** Aborted as the worker closes: outcomes still failing to record are given up. */
  const closing = new AbortController();
  /**
   * Records an outcome whose first recording failed (`error`): tried again, backing off, until it
   * is recorded or the worker closes. The script sets the attempt's field only if unset, so a try
   * whose answer was lost (a dropped connection, a cluster redirection answered for a whole
   * pipeline) is never recorded twice. One line when it starts failing, one if it keeps failing,
   * one when it works again.
   */
  const recordUntilDone = async (
    data: LayerJobData,
    record: () => Promise<string | number>,
    error: unknown,
  ): Promise<string | number> => {
    const episode = new FailureEpisode(
      logger,
      'recording the attempt’s outcome',
      { run: data.runId, layer: data.name, attempt: data.attempt, worker: name },
      `retrying, backing off up to ${RETRY_CAP_MS / 1000} s (the run waits for the attempt meanwhile)`,
    );
    let last = error;
    for (;;) {
      await pause(episode.failed(last), closing.signal);
      if (closing.signal.aborted) {
        attemptFailed(data, last);
        throw last;
      }
      try {
        const recorded = await record();
        episode.succeeded();
        return recorded;
      } catch (next) {
        last = next;
      }
    }
  };
  const attemptFailed = (data: LayerJobData, error: unknown): void => {
    if (typeof error === 'object' && error !== null) reported.add(error);
    logFailure(
      logger ?? silentLogger,
      'recording the attempt’s outcome',
      { run: data.runId, layer: data.name, attempt: data.attempt, worker: name },
      error,
      'given up as the worker closes: the attempt is not recorded; when its job is not delivered again (it is when its lock lapses), the run waits for it until it is cancelled',
    );
  };

  const loggedWaits = new LoggedWaits();
  const slots = options.concurrency ?? 50;
  /** Jobs in the queue's wait list, as last read. */
  let waitingJobs = 0;
  /** The read of that length on its way, which outcomes meanwhile share. */
  let counting: Promise<number> | undefined;
  const countWaitingJobs = (): Promise<number> => {
    counting ??= lengths.llen(worker.keys.wait ?? '').then(
      (length) => {
        counting = undefined;
        waitingJobs = length;
        return length;
      },
      // Only a hint for the next outcome: a failed read (Redis away, which the connection logs)
      // keeps the last length.
      () => {
        counting = undefined;
        return waitingJobs;
      },
    );
    return counting;
  };
  subscriber
    .subscribe(keys.cancelChannel, keys.loggedChannel)
    .catch((error: unknown) =>
      logFailure(
        logger ?? silentLogger,
        'subscribing to cancels and logged outcomes',
        { worker: name, key: keys.cancelChannel },
        error,
        'layers of stopped runs run on to their end instead of being aborted, and slots wait out each mailed outcome',
      ),
    );
  subscriber.on('message', (channel: string, message: string) => {
    if (channel === keys.loggedChannel) {
      loggedWaits.heard(message);
      return;
    }
    for (const attempt of running.get(message) ?? [])
      attempt.abort(
        new FusyncError('RUN_CANCELLED', `Run ${message} was stopped.`, { runId: message }),
      );
  });

  const processor = async (job: Job<LayerJobData>): Promise<void> => {
    const data = job.data;
    const space = data.prefix === prefix ? keys : keySpace(data.prefix);
    const run = space.run(data.runId);
    const field = attemptField(data.layer, data.attempt);
    const local = options.localRuns?.get(data.prefix, data.runId);
    // A job delivered again (its worker died, its lock lapsed) may have run: skip it if its outcome is
    // recorded or its run stopped. A first delivery needs no check: job ids are deterministic and
    // finished jobs are kept for a while (see COMPLETED_JOB_RETENTION_S), so a coordinator taking a run
    // over, or one waking up after stalling past its lease, cannot add an attempt that already ran.
    if (job.attemptsStarted > 1 || job.stalledCounter > 0) {
      const checks = await redis
        .pipeline()
        .hexists(run.done, field)
        .exists(run.stopped)
        .hget(run.deliveries, field)
        .hset(run.deliveries, field, name)
        .exec();
      if (checks?.[0]?.[1] === 1 || checks?.[1]?.[1] === 1) return;
      // The record shows the time lost with the worker that held the job, and who runs it now. Told
      // before the function runs, by the path its outcome will take, so the two arrive in order.
      const lostWorker = checks?.[2]?.[1];
      const notice: WorkerInput =
        typeof lostWorker === 'string'
          ? { k: 'redelivered', layer: data.layer, attempt: data.attempt, worker: name, lostWorker }
          : { k: 'redelivered', layer: data.layer, attempt: data.attempt, worker: name };
      if (!(local && (await local.recordFromWorker(notice))))
        await sendMail(redis, space, run.mail, JSON.stringify(notice));
    }
    // Who holds the attempt, for the worker it is redelivered to should this one die — once it has
    // run a while (a redelivered one noted it above). Not awaited: auto-pipelined with the other
    // workers' writes. Best effort, as a missing note only leaves the lost worker unnamed: one line
    // per outage.
    const note =
      job.attemptsStarted > 1 || job.stalledCounter > 0
        ? undefined
        : setTimeout(() => {
            redis.hset(run.deliveries, field, name).then(
              () => noting.succeeded(),
              (error: unknown) => void noting.failed(error),
            );
          }, DELIVERY_NOTE_AFTER_MS);

    const abort = new AttemptAbort();
    let own = running.get(data.runId);
    if (!own) {
      own = new Set();
      running.set(data.runId, own);
    }
    own.add(abort);

    const outcome = await new Promise<OutcomeInput>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const fail = (error: unknown, retryable: boolean): void =>
        resolve({
          k: 'outcome',
          layer: data.layer,
          attempt: data.attempt,
          ok: false,
          error: toErrorInfo(error),
          retryable,
          worker: name,
        });
      if (data.timeout !== undefined) {
        const timeout = data.timeout;
        timer = setTimeout(() => {
          const error = new LayerTimeoutError(data.name, timeout, data.runId);
          abort.abort(error);
          fail(error, true);
        }, timeout);
      }
      const settle = (): void => {
        if (timer !== undefined) clearTimeout(timer);
      };
      try {
        const execute = resolveFunction(data);
        if (!execute) {
          throw new FusyncError(
            'UNKNOWN_OPERATION',
            `Layer \`${data.name}\`: this worker has no function for operation \`${data.operation ?? data.name}\`.`,
            {
              layer: data.name,
              runId: data.runId,
            },
          );
        }
        const given = [...data.args];
        for (const at of data.undefinedArgs ?? []) given[at] = undefined;
        const args = [
          ...given,
          {
            get signal() {
              return abort.signal;
            },
            attempt: data.attempt,
            layer: data.name,
            runId: data.runId,
          },
        ];
        const returned = otelContext.with(fromTraceparent(data.traceparent), () =>
          execute(...args),
        );
        Promise.resolve(returned).then(
          (result) => {
            settle();
            resolve({
              k: 'outcome',
              layer: data.layer,
              attempt: data.attempt,
              ok: true,
              result,
              worker: name,
            });
          },
          (error: unknown) => {
            settle();
            fail(error, !abort.aborted || abort.reason instanceof LayerTimeoutError);
          },
        );
      } catch (error) {
        settle();
        fail(error, !(error instanceof FusyncError));
      }
    });

    clearTimeout(note);
    own.delete(abort);
    if (own.size === 0) running.delete(data.runId);
    // The run's coordinator in this process takes the outcome directly; its next jobs are queued when
    // this resolves, so BullMQ's fetch after this job finds them. Otherwise the outcome goes by mail.
    const coordinator = options.localRuns?.get(data.prefix, data.runId);
    if (coordinator && (await coordinator.recordFromWorker(outcome))) return;
    const outcomeText = JSON.stringify(outcome);
    const channel = mailChannelFor(redis, space);
    const mailing = data.prefix === prefix;
    // Jobs are waiting for every slot of this worker (as last read): BullMQ's fetch as this job
    // finishes finds one without the coordinator's next write. (Fewer waiting, as in a run whose
    // `concurrency` admits a job only once an outcome is logged, and the slot does better to wait
    // for the jobs its outcome admits.) On one Redis the outcome then goes on
    // BullMQ's own connection, right before the job's completion, and the slot moves on without a
    // round trip: Redis records the outcome first, so a worker dying in between leaves a job that is
    // delivered again and skipped (its outcome recorded), never a completed job without an outcome.
    // A failed recording is retried as on the other path (there the slot holds the job meanwhile,
    // here it has moved on). Sent as EVAL, the script itself: an
    // EVALSHA refused for an emptied script cache would be sent again after the completion. Not on a
    // cluster: the run's keys and the queue's are on different nodes, which keep no order between
    // them.
    const record = (): Promise<string | number> =>
      redis.fusyncRecordOutcome(run.done, run.mail, field, outcomeText, channel);
    if (inOrder && mailing && waitingJobs >= slots) {
      workerConnection
        .eval(RECORD_OUTCOME, 2, run.done, run.mail, field, outcomeText, channel)
        // Retried on the other connection, after the completion: still at most once (see above).
        .catch((error: unknown) => recordUntilDone(data, record, error))
        // Given up only as the worker closes, which `recordUntilDone` logged.
        .catch(() => {});
      void countWaitingJobs();
      return;
    }
    const counted = countWaitingJobs();
    const mailed = await record().catch((error: unknown) => recordUntilDone(data, record, error));
    // Recorded: the slot waits until the coordinator has logged it (or a short while), so the jobs
    // it admits are queued by the time BullMQ fetches this slot's next job.
    if (typeof mailed === 'string' && mailing && (await counted) < slots)
      await loggedWaits.wait(data.runId, mailed, LOGGED_WAIT_MS);
  };

  const queue = options.queue ?? DEFAULT_QUEUE;
  const worker = new Worker<LayerJobData>(queue, processor, {
    connection: workerConnection,
    concurrency: slots,
    lockDuration: options.lockDuration ?? 2000,
    stalledInterval: options.stalledInterval ?? 1000,
    maxStalledCount: options.maxStalledCount ?? 10,
    prefix: bullPrefix(prefix, queue),
  });
  // Connection errors: ioredis reconnects and BullMQ resumes. One line when taking jobs starts
  // failing, one when the worker takes a job again.
  const fetching = new FailureEpisode(logger, 'taking and finishing jobs', { worker: name });
  worker.on('error', (error) => void fetching.failed(error));
  worker.on('active', () => fetching.succeeded());
  // The processor throws only when Redis refused what it asked (operation errors are outcomes).
  worker.on('failed', (job, error) => {
    if (job && !reported.has(error)) attemptFailed(job.data, error);
  });

  return {
    name,
    worker,
    async close() {
      closing.abort();
      await worker.close();
      subscriber.disconnect();
      workerConnection.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
