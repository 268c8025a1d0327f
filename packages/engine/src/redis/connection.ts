import { type RedisOptions as IORedisOptions, Redis } from 'ioredis';
import type { RedisOptions } from '../core/types.js';

/** Connection settings: a `redis://` URL or fusync's `RedisOptions`. */
export type RedisConnectionInput = string | RedisOptions | undefined;

/** The key prefix for a connection input (default `fusync`). */
export function prefixOf(input: RedisConnectionInput): string {
  return typeof input === 'object' && typeof input.prefix === 'string' ? input.prefix : 'fusync';
}

/**
 * Opens an ioredis connection. `maxRetriesPerRequest: null` as BullMQ
 * requires for blocking connections: commands wait for a reconnect instead of
 * failing while Redis is away.
 */
export function connect(input: RedisConnectionInput, extra: IORedisOptions = {}): Redis {
  const redis = open(input, { maxRetriesPerRequest: null, ...extra });
  // ioredis reconnects by itself; without a listener every failed attempt is printed as "Unhandled error event".
  redis.on('error', () => {});
  return redis;
}

function open(input: RedisConnectionInput, base: IORedisOptions): Redis {
  if (input === undefined) return new Redis(base);
  if (typeof input === 'string') return new Redis(input, base);
  const { url, prefix: _prefix, ...rest } = input;
  const options = { ...(rest as IORedisOptions), ...base };
  return url ? new Redis(url, options) : new Redis(options);
}
