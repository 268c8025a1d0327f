/**
 * `fusync/internal`: the engine's building blocks, for the project's own
 * server, studio, benchmarks and tests, and for backends written outside
 * it. **Unstable**: these names and shapes change between any two versions
 * without notice. Applications use the main entry, `fusync`.
 */

export { resolveArguments } from './core/arguments.js';
export { toErrorInfo } from './core/events.js';
export { type ExecuteRunOptions, executeRun } from './core/executor.js';
export {
  compileGraph,
  downstreamOf,
  reachable,
  type SequenceGraph,
  topologicalOrder,
  upstreamOf,
} from './core/graph.js';
export { resolveLayer } from './core/options.js';
export {
  compareReady,
  createReadyQueue,
  HeapReadyQueue,
  ListReadyQueue,
  type ReadyEntry,
  type ReadyQueue,
  readyScore,
} from './core/ready-queue.js';
export { createRunId } from './core/run-id.js';
export { EventCode, RunLog } from './core/run-log.js';
export { runResultFromLog, toRunResult } from './core/run-result.js';
export {
  type FailureOutcome,
  type RunReuse,
  RunScheduler,
  type RunSchedulerOptions,
  START_SLICE,
} from './core/scheduler.js';
export { bindOperation, functionOperationName } from './core/sequence-io.js';
export { type SimulateOptions, simulateRun } from './core/simulate.js';
export { defaultTracer, RunTelemetry } from './core/telemetry.js';
export { type Topology, topologyOf } from './core/topology.js';
export type { ResolvedLayer, ResolvedOptions } from './core/types.js';
