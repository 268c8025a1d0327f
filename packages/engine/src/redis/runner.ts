import { Queue } from 'bullmq';
import type { RunHandle } from '../core/executor.js';
import { silentLogger } from '../core/logger.js';
import type { RemoteRunner, RemoteRunRequest } from '../core/remote-runner.js';
import { createRunId } from '../core/run-id.js';
import { type RunResult, toRunResult } from '../core/run-result.js';
import type { RedisOptions } from '../core/types.js';
import { connect, prefixOf } from './connection.js';
import { RunCoordinator } from './coordinator.js';
import { logFailure } from './failures.js';
import { dedicatedInputsReader } from './inputs-reader.js';
import { bullPrefix, keySpace } from './keys.js';
import { LocalRuns } from './local-runs.js';
import type { LayerJobData } from './protocol.js';
import { startWorker } from './worker.js';

/**
 * The backend of `useRedis: true`: each run gets its own queue, coordinated
 * in this process and executed by an embedded worker that calls the
 * builder's own functions. Run state and events live in Redis; connections
 * are closed when the run ends.
 */
export function createRedisRunner(options: RedisOptions | undefined): RemoteRunner {
  return {
    run(request: RemoteRunRequest): RunHandle {
      const prefix = prefixOf(options);
      const keys = keySpace(prefix);
      const logger = request.logger ?? silentLogger;
      const redis = connect(options, { enableAutoPipelining: true }, { logger, role: 'commands' });
      const reader = connect(options, {}, { logger, role: 'mail reads' });
      const queueName = `local-${createRunId()}`;
      const queueConnection = connect(options, {}, { logger, role: 'queue' });
      const queue = new Queue<LayerJobData>(queueName, {
        connection: queueConnection,
        prefix: bullPrefix(prefix, queueName),
      });
      // Not logged here: the queue repeats its connection's errors, which that connection logs (see `connect`).
      queue.on('error', () => {});
      const concurrency = Number.isFinite(request.options.concurrency)
        ? request.options.concurrency
        : 100;
      // This run's coordinator and its embedded worker share one registry: outcomes never go by mail.
      const localRuns = new LocalRuns();
      const worker = startWorker({
        connection: options,
        localRuns,
        queue: queueName,
        concurrency,
        operations: (job) => request.graph.layers[job.layer]?.execute,
        logger,
      });
      const coordinator = new RunCoordinator({
        redis,
        mail: dedicatedInputsReader(reader),
        queue,
        queueConnection,
        keys,
        runId: request.runId,
        graph: request.graph,
        options: request.options,
        input: request.input,
        tracer: request.tracer,
        sequenceName: request.sequence.name,
        owner: `builder-${createRunId()}`,
        onEvent: request.onEvent,
        resumable: false,
        reuse: request.reuse,
        localRuns,
        logger,
      });
      const cancel = (reason: unknown): void => {
        coordinator
          .cancel(reason)
          .catch((error: unknown) =>
            logFailure(
              logger,
              'sending the cancel',
              { run: request.runId },
              error,
              'the run goes on; cancel it again once Redis answers',
            ),
          );
      };
      const onAbort = (): void => cancel(request.signal?.reason ?? 'aborted');
      request.signal?.addEventListener('abort', onAbort, { once: true });
      const result = (async (): Promise<RunResult> => {
        try {
          await coordinator.start({ sequence: request.sequence, input: request.input });
          return toRunResult(coordinator.record);
        } finally {
          request.signal?.removeEventListener('abort', onAbort);
          await worker.close();
          await queue
            .obliterate({ force: true })
            .catch((error: unknown) =>
              logFailure(
                logger,
                'removing the run’s queue',
                { run: request.runId, key: `${bullPrefix(prefix, queueName)}:${queueName}` },
                error,
                'its keys stay in Redis; delete them by hand',
              ),
            );
          await queue.close();
          queueConnection.disconnect();
          reader.disconnect();
          await redis.quit().catch(() => redis.disconnect());
        }
      })();
      return {
        runId: request.runId,
        result,
        cancel(reason?: unknown) {
          cancel(reason);
        },
      };
    },
  };
}
