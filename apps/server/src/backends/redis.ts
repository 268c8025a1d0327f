import type { RedisOptions, RunEvent } from 'fusync';
import {
  type FusyncWorker,
  isCluster,
  type RedisClient,
  RedisRunManager,
  startWorker,
} from 'fusync/redis';
import { ApiError, notFound } from '../http/api-error.js';
import type { OperationCatalog } from '../operations/operation-catalog.js';
import { assertRunId } from '../runs/run-id.js';
import {
  DEFAULT_PAGE_SIZE,
  type RerunOptions,
  type RunEventsOptions,
  type RunPage,
  type RunService,
  type RunSummary,
  type RunView,
  type StartRunOptions,
} from '../runs/run-service.js';
import { runViewOf, summaryOfEvents, unknownCursor } from '../runs/run-view.js';
import { RedisSequenceStore } from '../sequences/redis-sequence-store.js';
import { validateSequence } from '../sequences/validate-sequence.js';
import type { Backend, RedisBackendOptions } from './backend.js';
import { durabilityWarnings } from './redis-durability.js';

/**
 * Runs over Redis: this process coordinates the runs it starts (and takes
 * over runs another server left), workers — external processes, and
 * optionally one embedded here — execute the layers. Every view derives from
 * the run's event stream in Redis, so a restarted server shows whole
 * histories.
 */
export class RedisRunService implements RunService {
  readonly #manager: RedisRunManager;
  readonly #operations: OperationCatalog;
  readonly #probe: RedisClient;

  /**
   * `probe`: a connection of its own for the run count and the health check,
   * answered while the manager's connection carries a large run's writes.
   */
  constructor(manager: RedisRunManager, operations: OperationCatalog, probe: RedisClient) {
    this.#manager = manager;
    this.#operations = operations;
    this.#probe = probe;
  }

  async start(
    sequence: unknown,
    input: Record<string, unknown>,
    options: StartRunOptions = {},
  ): Promise<{ runId: string }> {
    await this.#assertNewRunId(options.runId);
    const { json } = await validateSequence(sequence, this.#operations.registry, {
      toRun: true,
    });
    return this.#manager.start(json, input, options.runId);
  }

  async rerun(
    parentRunId: string,
    options: RerunOptions = {},
  ): Promise<{ runId: string; parentRunId: string } | undefined> {
    await this.#assertNewRunId(options.runId);
    // The manager reruns the sequence as the parent ran it, and refuses before it writes anything.
    return this.#manager.rerun(parentRunId, {
      ...(options.from === undefined ? {} : { from: options.from }),
      ...(options.input === undefined ? {} : { input: options.input }),
      ...(options.runId === undefined ? {} : { runId: options.runId }),
    });
  }

  async #assertNewRunId(runId: string | undefined): Promise<void> {
    if (runId === undefined) return;
    assertRunId(runId);
    if (await this.#manager.has(runId)) {
      throw new ApiError('RUN_EXISTS', `A run with id \`${runId}\` already exists.`, {
        path: 'runId',
      });
    }
  }

  async activeCount(): Promise<number> {
    return this.#probe.scard(this.#manager.keys.active);
  }

  async list(page: RunPage = {}): Promise<RunSummary[]> {
    if (page.after !== undefined && !(await this.#manager.has(page.after)))
      throw unknownCursor(page.after);
    // Each run's summary fields, written as it starts and finishes: never its events.
    const runs = await this.#manager.list(page.limit ?? DEFAULT_PAGE_SIZE, page.after);
    return runs.map((run) => {
      const summary: RunSummary = {
        runId: run.runId,
        sequenceName: run.sequenceName,
        status: run.status as RunSummary['status'],
        startedAt: run.createdAt,
        finishedAt: run.finishedAt,
        durationMs: run.finishedAt === undefined ? undefined : run.finishedAt - run.createdAt,
        layerCount: run.layerCount ?? 0,
      };
      if (run.parentRunId !== undefined) summary.parentRunId = run.parentRunId;
      return summary;
    });
  }

  async get(runId: string): Promise<RunView | undefined> {
    if (!(await this.#manager.has(runId))) return undefined;
    return runViewOf(await this.#manager.events(runId));
  }

  async *events(runId: string, options: RunEventsOptions = {}): AsyncGenerator<RunEvent> {
    if (!(await this.#manager.has(runId))) throw notFound('run', runId);
    if (options.follow === false) {
      yield* await this.#manager.events(runId, options.after);
      return;
    }
    const follow: { after?: number; signal?: AbortSignal } = {};
    if (options.after !== undefined) follow.after = options.after;
    if (options.signal !== undefined) follow.signal = options.signal;
    yield* this.#manager.follow(runId, follow);
  }

  async cancel(
    runId: string,
  ): Promise<{ status: RunView['status']; cancelled: boolean } | undefined> {
    if (!(await this.#manager.has(runId))) return undefined;
    const cancelled = await this.#manager.cancel(runId, 'Cancelled through the API.');
    return { status: summaryOfEvents(runId, await this.#manager.events(runId)).status, cancelled };
  }

  async close(): Promise<void> {
    await this.#manager.close();
  }
}

/**
 * `REDIS_URL` (or `FUSYNC_REDIS_CLUSTER`) mode: runs and sequences in Redis,
 * layers on workers (and optionally here).
 */
export async function createRedisBackend(options: RedisBackendOptions): Promise<Backend> {
  const prefix = options.prefix ?? 'fusync';
  let connection: RedisOptions;
  if (options.cluster) connection = { cluster: options.cluster, prefix };
  else if (options.url) connection = { url: options.url, prefix };
  else throw new Error('The Redis backend needs REDIS_URL or FUSYNC_REDIS_CLUSTER.');
  // The engine's failures (a refused write, a lost connection) go to the server's log, with their fields.
  const logger = options.logger;
  const manager = new RedisRunManager({ connection, logger });
  let worker: FusyncWorker | undefined;
  if (options.embeddedWorker) {
    worker = startWorker({
      connection,
      operations: options.operations.registry,
      localRuns: manager.localRuns,
      logger,
    });
  }
  const probe = manager.redis.duplicate();
  // Connected before the server answers its first health check.
  await probe.ping();
  const runs = new RedisRunService(manager, options.operations, probe);
  const sequences = new RedisSequenceStore(manager.redis, manager.keys.sequences);
  // On a cluster, every master's settings: each holds runs of its own.
  const warnings = [
    ...new Set(
      (
        await Promise.all(
          (isCluster(manager.redis) ? manager.redis.nodes('master') : [manager.redis]).map(
            durabilityWarnings,
          ),
        )
      ).flat(),
    ),
  ];
  for (const warning of warnings) options.logger.warn(warning);
  // Runs a previous server left unfinished are taken over now, not only at the next periodic check.
  await manager.resumeOrphans().catch((error: unknown) => {
    options.logger.warn('could not resume unfinished runs', { error: String(error) });
  });
  return {
    kind: 'redis',
    runs,
    sequences,
    warnings,
    healthCheck: async () => {
      if (probe.status !== 'ready') return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Late after a second, judged a turn later: a reply that came in while this process was busy
      // elsewhere is read before the check gives up, so the answer is about Redis, not this process.
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => setImmediate(resolve, 'late'), 1000);
      });
      try {
        return (await Promise.race([probe.ping(), late])) === 'PONG';
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await runs.close();
      await worker?.close();
      probe.disconnect();
    },
  };
}
