/**
 * Runs on a backend that executes layers elsewhere (`backend`, or the Redis
 * one `useRedis` loads): loaded with the first such run (see `on-demand.ts`).
 */
import type { Tracer } from '@opentelemetry/api';
import { FusyncError } from './core/errors.js';
import type { RunHandle } from './core/executor.js';
import type { RemoteRunner, RemoteRunRequest } from './core/remote-runner.js';
import { toSequenceJson } from './core/sequence-io.js';
import type { StudioNodeJson } from './core/sequence-json.js';
import { defaultTracer } from './core/telemetry.js';
import type { LayerConfig, RedisOptions, SequenceConfig } from './core/types.js';

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

/** Hands a run to `backend`, or to the Redis backend built from `redisOptions` when none is given. */
export async function startRemote(start: {
  backend: RemoteRunner | undefined;
  redisOptions: RedisOptions | undefined;
  tracer: Tracer | undefined;
  /** The builder's sequence, stored with the run for its workers. */
  sequence: {
    config: SequenceConfig;
    layers: readonly LayerConfig[];
    nodes: Record<string, StudioNodeJson>;
  };
  request: Omit<RemoteRunRequest, 'tracer' | 'sequence'>;
}): Promise<RunHandle> {
  const runner = start.backend ?? (await loadRedisRunner(start.redisOptions));
  const { config, layers, nodes } = start.sequence;
  // The embedded worker calls layers by index: an unnamed function still needs a name in the stored JSON.
  const sequence = toSequenceJson(
    config,
    layers.map((layer) =>
      layer.operation !== undefined || layer.execute?.name
        ? layer
        : { ...layer, operation: layer.name },
    ),
    { nodes },
  );
  return runner.run({ ...start.request, sequence, tracer: start.tracer ?? defaultTracer() });
}
