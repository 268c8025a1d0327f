/**
 * `fusync/redis` — the Redis backend (Node only): runs whose state and event
 * record live in Redis, layers executed by any number of worker processes
 * through BullMQ, runs that survive worker crashes and coordinator restarts.
 */

export {
  type ClusterNode,
  clusterNodesOf,
  connect,
  isCluster,
  parseClusterNode,
  type RedisClient,
  type RedisConnectionInput,
} from './connection.js';
export { type CoordinatorOptions, RunCoordinator } from './coordinator.js';
export { attemptJobId, bullPrefix, type KeySpace, keySpace, type RunKeys } from './keys.js';
export { type LocalRun, LocalRuns } from './local-runs.js';
export type { LayerJobData, RunInput } from './protocol.js';
export {
  type RedisRerunOptions,
  RedisRunManager,
  type RunManagerOptions,
  type RunSummary,
} from './run-manager.js';
export { createRedisRunner } from './runner.js';
export { DEFAULT_QUEUE, type FusyncWorker, startWorker, type WorkerOptions } from './worker.js';
