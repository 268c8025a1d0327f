/**
 * Fusync: compose single-purpose async functions ("layers") into a
 * dependency graph and run it. This entry is isomorphic (browser and Node);
 * the Redis backend is `fusync/redis` (Node only).
 */
export { AdvancedSequenceBuilder, type LoadOptions, type RunOptions } from './core/sequence-builder.js';
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
export type {
  ErrorInfo,
  LayerFailedEvent,
  LayerQueuedEvent,
  LayerRetryingEvent,
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
export { type Clock, VirtualClock, systemClock } from './core/clock.js';
export { type Logger, consoleLogger, silentLogger } from './core/logger.js';
export { type GraphNode, type SequenceGraph, compileGraph, findCycle, wouldCloseCycle } from './core/graph.js';
export { resolveLayer, resolveOptions, validateLayerConfig } from './core/options.js';
export { type ReadyEntry, type ReadyQueue, HeapReadyQueue, ListReadyQueue, compareReady, createReadyQueue, readyScore } from './core/ready-queue.js';
export { type FailureOutcome, RunScheduler, type RunSchedulerOptions } from './core/scheduler.js';
export { type ExecuteRunOptions, type RunHandle, executeRun } from './core/executor.js';
export { resolveArguments } from './core/arguments.js';
export { type AttemptRecord, type LayerRecord, type RunRecord, RunRecorder, runRecordFromEvents } from './core/run-record.js';
export { type RunResult, toRunResult } from './core/run-result.js';
export { type SimulateOptions, simulateRun } from './core/simulate.js';
export { RunTelemetry, defaultTracer } from './core/telemetry.js';
export { progressLogger } from './core/verbose.js';
export { type RemoteRunRequest, type RemoteRunner } from './core/remote-runner.js';
export {
  LAYER_NAME_PATTERN,
  type LayerJson,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceConfigJson,
  type SequenceJson,
  type StudioNodeJson,
  parseSequenceJson,
  parseSequenceText,
} from './core/sequence-json.js';
export { type OperationRegistry, bindOperation, layersFromJson, toSequenceJson } from './core/sequence-io.js';
export { createRunId } from './core/run-id.js';
export * from './render/index.js';
