import type { Logger } from 'fusync';
import type { OperationCatalog } from '../operations/operation-catalog.js';
import { UsageError } from './usage-error.js';

/** What this command needs of `fusync/redis`. */
interface RedisEntry {
  startWorker?: (options: {
    connection: { url?: string | undefined; cluster?: string[]; prefix: string };
    operations: OperationCatalog['registry'];
    concurrency?: number;
    logger?: Logger;
  }) => { readonly name: string; close(): Promise<void> };
}

/**
 * The worker's log: one line per message on stderr, `<level>: <message>`
 * (the message names the run, layer, attempt or connection it is about).
 */
export function stderrLogger(stderr: { write(text: string): unknown }): Logger {
  const line =
    (level: 'info' | 'warn' | 'error') =>
    (message: string): void => {
      stderr.write(`${level}: ${message}\n`);
    };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}

// A variable keeps the Redis entry (BullMQ, ioredis) out of everything but this command.
const REDIS_ENTRY = 'fusync/redis';

/** Options of `fusync worker`. */
export interface WorkerCommandOptions {
  /** One Redis; or `redisCluster`. */
  redisUrl?: string | undefined;
  /** The seed nodes of a Redis Cluster (`host:port` each). */
  redisCluster?: string[] | undefined;
  /** Key prefix in Redis: the same as the server's (`FUSYNC_REDIS_PREFIX`). */
  redisPrefix: string;
  operations: OperationCatalog;
  /** Layer attempts this worker runs at once. Default: the backend's. */
  concurrency?: number | undefined;
  stderr: { write(text: string): unknown };
}

/**
 * `fusync worker --redis URL --operations ops.js`: runs layers of Redis runs
 * until SIGINT or SIGTERM, then lets running attempts finish (or hands them
 * back) and exits. Resolves to the exit code.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  let entry: RedisEntry;
  try {
    entry = (await import(REDIS_ENTRY)) as RedisEntry;
  } catch (error) {
    throw new UsageError(
      `Workers need the Redis backend (fusync/redis with bullmq and ioredis installed), which could not be loaded: ${(error as Error).message}`,
    );
  }
  if (typeof entry.startWorker !== 'function')
    throw new UsageError('This version of fusync/redis does not provide `startWorker`.');
  const worker = entry.startWorker({
    connection: options.redisCluster
      ? { cluster: options.redisCluster, prefix: options.redisPrefix }
      : { url: options.redisUrl, prefix: options.redisPrefix },
    operations: options.operations.registry,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    logger: stderrLogger(options.stderr),
  });
  options.stderr.write(
    `fusync worker ${worker.name} started (${options.operations.list().length} operations, key prefix \`${options.redisPrefix}\`${options.redisCluster ? `, Redis Cluster of ${options.redisCluster.join(',')}` : ''}).\n`,
  );
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  options.stderr.write(`fusync worker ${worker.name}: ${signal}, finishing the layers it holds…\n`);
  await worker.close();
  return 0;
}
