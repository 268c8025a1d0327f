import type { Tracer } from '@opentelemetry/api';
import type { RunEvent } from './events.js';
import type { RunHandle } from './executor.js';
import type { SequenceGraph } from './graph.js';
import type { Logger } from './logger.js';
import type { RunReuse } from './scheduler.js';
import type { SequenceJson } from './sequence-json.js';
import type { ResolvedOptions } from './types.js';

/** A run handed to a backend that executes layers elsewhere (Redis workers). */
export interface RemoteRunRequest {
  graph: SequenceGraph;
  options: ResolvedOptions;
  sequence: SequenceJson;
  input: Record<string, unknown>;
  runId: string;
  onEvent: (event: RunEvent) => void;
  tracer: Tracer;
  signal?: AbortSignal | undefined;
  /** A rerun: the layers kept from the parent run, with their results. */
  reuse?: RunReuse | undefined;
  /** Hears the failures the backend recovers from (the builder's `logger`). */
  logger?: Logger | undefined;
}

/**
 * A backend that runs a sequence's layers elsewhere: what `createRedisRunner`
 * from `fusync/redis` returns, and what `SequenceConfig.backend` takes.
 */
export interface RemoteRunner {
  run(request: RemoteRunRequest): RunHandle;
}
