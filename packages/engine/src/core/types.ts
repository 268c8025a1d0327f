import type { Tracer } from '@opentelemetry/api';
import type { Logger } from './logger.js';
import type { RemoteRunner } from './remote-runner.js';

/** How ready layers of equal priority are ordered: oldest first (FIFO) or newest first (LIFO). */
export type QueueType = 'FIFO' | 'LIFO';

/** What a failed layer does to the rest of the run. */
export type ErrorPolicy = 'continue' | 'abort';

/**
 * The context every layer function receives after its arguments.
 *
 * @example
 * const fetchUser = async (id: string, { signal }: LayerContext) =>
 *   (await fetch(`/users/${id}`, { signal })).json();
 */
export interface LayerContext {
  /** Aborted when the layer times out, the run is cancelled or an `abort` policy stops the run. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** The layer's name. */
  readonly layer: string;
  /** The id of the run this attempt belongs to. */
  readonly runId: string;
}

/**
 * A layer's function: called with its arguments, then its `LayerContext`;
 * may return a value or a promise of one (the layer's result).
 *
 * @example
 * const reserveInventory: LayerFunction = async (productId: string, quantity: number, { signal }: LayerContext) =>
 *   api.reserve(productId, quantity, { signal });
 */
// biome-ignore lint/suspicious/noExplicitAny: layer functions take any arguments; the context comes last.
export type LayerFunction = (...args: any[]) => unknown;

/**
 * One layer of a sequence: a single-purpose async function and what it needs.
 *
 * @example
 * sequence.addLayer({ name: 'reserveInventory', execute: reserveInventory,
 *   args: ['productId', 'quantity'], dependsOn: ['checkInventory'], priority: 2 });
 */
export interface LayerConfig {
  /** Unique name of the layer within its sequence. */
  name: string;
  /** The async function to run. Optional only for a sequence loaded from JSON whose operations are bound later. */
  execute?: LayerFunction;
  /**
   * The operation name `execute` is saved as, and re-bound from on load.
   * Defaults to the function's own name.
   */
  operation?: string;
  /** Names of the values passed to `execute`, resolved from upstream results and the run input. */
  args?: string[];
  /** Names of the layers that must succeed before this one starts. */
  dependsOn?: string[];
  /** Higher numbers start first among ready layers. Default `0`. */
  priority?: number;
  /** Retry attempts for this layer; overrides the sequence's `maxRetries`. */
  retries?: number;
  /** Delay in ms between retries of this layer; overrides the sequence's `retryDelay`. */
  retryDelay?: number;
  /** Time limit in ms of one attempt; overrides the sequence's `timeout`. */
  timeout?: number;
  /** What a final failure of this layer does to the run. Default `'abort'`. */
  onError?: ErrorPolicy;
  /** Free text shown in logs, the studio and spans. */
  description?: string;
}

/**
 * Options of a sequence. Every field is optional; defaults are listed per field.
 *
 * @example
 * new AdvancedSequenceBuilder({ verbose: true, queueType: 'FIFO', concurrency: 3 });
 */
export interface SequenceConfig {
  /** Log progress and print the timeline and metrics at the end. Default `false` (silent). */
  verbose?: boolean;
  /** Tie-break among ready layers of equal priority. Default `'FIFO'`. */
  queueType?: QueueType;
  /** Run layers through Redis (BullMQ) instead of in memory. Node only. Default `false`. */
  useRedis?: boolean;
  /** Connection options for Redis (ioredis options or a `redis://` URL in `url`). */
  redisOptions?: RedisOptions;
  /**
   * Where layers run when not in this process: a backend such as
   * `createRedisRunner(options)` from `fusync/redis`. `useRedis: true` is a
   * shortcut for that one, loaded when the first run starts.
   */
  backend?: RemoteRunner;
  /** Most layers of one run executing at once: an integer ≥ 1 or `Infinity`. Default `Infinity` (only the graph limits it). */
  concurrency?: number;
  /** Retry attempts of every layer that does not set `retries`. Default `0`. */
  maxRetries?: number;
  /** Delay in ms between retries. Default `0`. */
  retryDelay?: number;
  /** Time limit in ms of one attempt of every layer that does not set `timeout`. Default none. */
  timeout?: number;
  /** A name for the sequence, used in saved JSON, logs and spans. */
  name?: string;
  /** What the sequence does; kept in saved JSON. */
  description?: string;
  /** Where `verbose` output and warnings go. Default: the console when `verbose`, otherwise silent. */
  logger?: Logger;
  /** Tracer for spans. Default: the global tracer provider's `fusync` tracer (a no-op until an app registers one). */
  tracer?: Tracer;
}

/** Connection options for the Redis backend; passed to ioredis. */
export interface RedisOptions {
  url?: string;
  host?: string;
  port?: number;
  password?: string;
  username?: string;
  db?: number;
  /** Prefix of every key Fusync writes. Default `fusync`. */
  prefix?: string;
  /**
   * Seed nodes of a Redis Cluster (`'host:port'` or `{ host, port }`), instead
   * of `url`/`host`: each run's keys live on one slot, runs spread over the masters.
   */
  cluster?: readonly (string | { host: string; port: number })[];
  [option: string]: unknown;
}

/** A layer with every default applied: what the scheduler works from. */
export interface ResolvedLayer {
  readonly name: string;
  readonly index: number;
  readonly execute: LayerFunction | undefined;
  readonly operation: string | undefined;
  readonly args: readonly string[] | undefined;
  readonly dependsOn: readonly string[];
  readonly priority: number;
  readonly retries: number;
  readonly retryDelay: number;
  readonly timeout: number | undefined;
  readonly onError: ErrorPolicy;
  readonly description: string | undefined;
}

/** Sequence options with every default applied. */
export interface ResolvedOptions {
  readonly queueType: QueueType;
  readonly concurrency: number;
  readonly maxRetries: number;
  readonly retryDelay: number;
  readonly timeout: number | undefined;
}
