import type { Tracer } from '@opentelemetry/api';
import { FusyncError } from './errors.js';
import type { RunEvent } from './events.js';
import type { RunHandle } from './executor.js';
import type { SequenceGraph } from './graph.js';
import type { RunReuse } from './scheduler.js';
import type { SequenceJson } from './sequence-json.js';
import type { RedisOptions, ResolvedOptions } from './types.js';

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
}

/** What `fusync/redis` provides to the builder for `useRedis: true`. */
export interface RemoteRunner {
  run(request: RemoteRunRequest): RunHandle;
}

// A variable, not a literal: bundlers leave the Node-only entry out of browser builds.
const REDIS_ENTRY = 'fusync/redis';

/** Loads the Redis backend lazily, so the main entry never reaches BullMQ or ioredis. */
export async function loadRedisRunner(options: RedisOptions | undefined): Promise<RemoteRunner> {
  let module: { createRedisRunner?: (options: RedisOptions | undefined) => RemoteRunner };
  try {
    module = (await import(/* @vite-ignore */ REDIS_ENTRY)) as typeof module;
  } catch (error) {
    throw new FusyncError(
      'UNSUPPORTED_ENVIRONMENT',
      `\`useRedis: true\` needs Node.js with \`bullmq\` and \`ioredis\` installed (npm i bullmq ioredis): ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (typeof module.createRedisRunner !== 'function') {
    throw new FusyncError(
      'UNSUPPORTED_ENVIRONMENT',
      '`fusync/redis` does not provide `createRedisRunner`.',
    );
  }
  return module.createRedisRunner(options);
}
