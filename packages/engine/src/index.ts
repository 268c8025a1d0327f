/**
 * Fusync: compose single-purpose async functions ("layers") into a
 * dependency graph and run it. This entry is isomorphic (browser and Node)
 * and is the documented API; `fusync/redis` is the Redis backend (Node only)
 * and `fusync/internal` the engine's unstable building blocks.
 *
 * @example
 * import { AdvancedSequenceBuilder, renderTimeline } from 'fusync';
 * const run = await new AdvancedSequenceBuilder({ concurrency: 3 })
 *   .addLayer({ name: 'a', execute: async () => 1 })
 *   .build();
 * console.log(renderTimeline(run));
 */

export { type Clock, systemClock, VirtualClock } from './core/clock.js';
export { type CriticalPath, criticalPath } from './core/critical-path.js';
// Errors.
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
// The event record and what is derived from it.
export type {
  ErrorInfo,
  LayerFailedEvent,
  LayerQueuedEvent,
  LayerRedeliveredEvent,
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
export type { RunHandle } from './core/executor.js';
export { findCycle, type GraphNode, wouldCloseCycle } from './core/graph.js';
export { LIMITS } from './core/limits.js';
export { consoleLogger, type Logger, silentLogger } from './core/logger.js';
export { computeMetrics, type RunMetrics, runCriticalPath } from './core/metrics.js';
export { resolveOptions, validateLayerConfig } from './core/options.js';
export type { RemoteRunner, RemoteRunRequest } from './core/remote-runner.js';
// Debugging: what crossed a boundary, and reruns.
export {
  type PreviousRun,
  planRerun,
  type RerunFrom,
  type RerunLayer,
  type RerunPlan,
} from './core/rerun.js';
export {
  type AttemptRecord,
  type LayerRecord,
  type RunRecord,
  RunRecorder,
  runRecordFromEvents,
} from './core/run-record.js';
export type { RunResult } from './core/run-result.js';
export {
  configFromJson,
  layersFromJson,
  type OperationRegistry,
  toSequenceJson,
} from './core/sequence-io.js';
// Sequences as JSON, and the rules every field follows.
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
export type { SimulateOptions } from './core/simulate.js';
export type {
  ErrorPolicy,
  LayerConfig,
  LayerContext,
  LayerFunction,
  QueueType,
  RedisOptions,
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
// Building and running sequences.
export {
  AdvancedSequenceBuilder,
  type LoadOptions,
  type RerunOptions,
  type RunOptions,
} from './sequence-builder.js';
export { simulate } from './simulate.js';
