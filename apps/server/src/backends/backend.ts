import type { ServerLogger } from '../logger.js';
import type { OperationCatalog } from '../operations/operation-catalog.js';
import type { RunService } from '../runs/run-service.js';
import type { SequenceStore } from '../sequences/sequence-store.js';

/** Where runs execute and sequences are kept: the in-memory pair or the Redis pair. */
export interface Backend {
  readonly kind: 'memory' | 'redis';
  readonly runs: RunService;
  readonly sequences: SequenceStore;
  /** Whether the backend answers (`GET /api/health`); absent when there is nothing to check. */
  healthCheck?: () => Promise<boolean>;
  /** What could lose accepted runs, found at start (e.g. a Redis that persists nothing); `/api/health` reports it. */
  readonly warnings?: readonly string[];
  /** Stops runs this process drives and closes connections. */
  close(): Promise<void>;
}

/**
 * What `./redis.ts` receives. That module exports
 * `createRedisBackend(options: RedisBackendOptions): Promise<Backend>`.
 */
export interface RedisBackendOptions {
  /** `REDIS_URL` (or `cluster`). */
  url?: string | undefined;
  /** `FUSYNC_REDIS_CLUSTER`: the seed nodes of a Redis Cluster, `host:port` each. */
  cluster?: string[] | undefined;
  /** Key prefix of every key (and of the BullMQ queue): `FUSYNC_REDIS_PREFIX`, default `fusync`. */
  prefix?: string;
  /** The operations posted sequences may name (validation, and the embedded worker if any). */
  operations: OperationCatalog;
  /** Run layers in this process too, besides external workers. */
  embeddedWorker: boolean;
  logger: ServerLogger;
}
