/**
 * Fusync: compose single-purpose async functions ("layers") into a
 * dependency graph and run it. This entry is isomorphic (browser and Node);
 * the Redis backend is `fusync/redis` (Node only).
 */

export { resolveArguments } from './core/arguments.js';
export { type Clock, systemClock, VirtualClock } from './core/clock.js';
export { type CriticalPath, criticalPath } from './core/critical-path.js';
export {
  ArgumentError,
  CycleError,
  FusyncError,
  type FusyncErrorCode,
  LayerTimeoutError,
  RunCancelledError,
  SequenceFormatError,
  ValidationError,
} from './core/errors.js';
export type {
  ErrorInfo,
  LayerFailedEvent,
  LayerQueuedEvent,
  LayerRetryingEvent,
  LayerReusedEvent,
  LayerSkippedEvent,
  LayerStartedEvent,
  LayerStatus,
  LayerSucceededEvent,
  RunEvent,
  RunEventType,
  RunFinishedEvent,
  RunStartedEvent,
  RunStatus,
} from './core/events.js';
export { toErrorInfo } from './core/events.js';
export { type ExecuteRunOptions, executeRun, type RunHandle } from './core/executor.js';
export {
  compileGraph,
  findCycle,
  type GraphNode,
  type SequenceGraph,
  wouldCloseCycle,
} from './core/graph.js';
export { LIMITS } from './core/limits.js';
export { consoleLogger, type Logger, silentLogger } from './core/logger.js';
export { computeMetrics, type RunMetrics, runCriticalPath } from './core/metrics.js';
export { resolveLayer, resolveOptions, validateLayerConfig } from './core/options.js';
export {
  compareReady,
  createReadyQueue,
  HeapReadyQueue,
  ListReadyQueue,
  type ReadyEntry,
  type ReadyQueue,
  readyScore,
} from './core/ready-queue.js';
export type { RemoteRunner, RemoteRunRequest } from './core/remote-runner.js';
export {
  planRerun,
  type RerunFrom,
  type RerunLayer,
  type RerunPlan,
} from './core/rerun.js';
export { createRunId } from './core/run-id.js';
export {
  type AttemptRecord,
  type LayerRecord,
  type RunRecord,
  RunRecorder,
  runRecordFromEvents,
} from './core/run-record.js';
export { type RunResult, toRunResult } from './core/run-result.js';
export {
  type FailureOutcome,
  type RunReuse,
  RunScheduler,
  type RunSchedulerOptions,
} from './core/scheduler.js';
export {
  bindOperation,
  configFromJson,
  functionOperationName,
  layersFromJson,
  type OperationRegistry,
  toSequenceJson,
} from './core/sequence-io.js';
export {
  LAYER_NAME_PATTERN,
  type LayerJson,
  parseSequenceJson,
  parseSequenceText,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceConfigJson,
  type SequenceJson,
  type StudioNodeJson,
} from './core/sequence-json.js';
export { type SimulateOptions, simulateRun } from './core/simulate.js';
export { defaultTracer, RunTelemetry } from './core/telemetry.js';
export type {
  ErrorPolicy,
  LayerConfig,
  LayerContext,
  LayerFunction,
  QueueType,
  RedisOptions,
  ResolvedLayer,
  ResolvedOptions,
  SequenceConfig,
} from './core/types.js';
export { progressLogger } from './core/verbose.js';
export {
  isOmittedValue,
  type OmittedValue,
  toWireArgs,
  toWireEvent,
  toWireValue,
  WIRE_VALUE_LIMIT,
} from './core/wire-value.js';
export * from './render/index.js';
export {
  AdvancedSequenceBuilder,
  type LoadOptions,
  type RerunOptions,
  type RunOptions,
} from './sequence-builder.js';
