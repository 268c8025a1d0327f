import { type RedisOptions as IORedisOptions, Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { RedisOptions } from '../core/types.js';
import { FailureEpisode } from './failures.js';

/** Connection settings: a `redis://` URL or fusync's `RedisOptions`. */
export type RedisConnectionInput = string | RedisOptions | undefined;

/** The key prefix for a connection input (default `fusync`). */
export function prefixOf(input: RedisConnectionInput): string {
  return typeof input === 'object' && typeof input.prefix === 'string' ? input.prefix : 'fusync';
}

/** Where a connection reports its outages, and what it is for (`commands`, `mail reads`, …). */
export interface ConnectionLog {
  logger?: Logger | undefined;
  role: string;
}

/**
 * Opens an ioredis connection. `maxRetriesPerRequest: null` as BullMQ
 * requires for blocking connections: commands wait for a reconnect instead of
 * failing while Redis is away. ioredis reconnects by itself and emits an
 * error at every failed attempt: the first of an outage is logged at `warn`
 * (with the connection's role and address), the reconnect once more.
 */
export function connect(
  input: RedisConnectionInput,
  extra: IORedisOptions = {},
  log: ConnectionLog = { role: 'commands' },
): Redis {
  const redis = open(input, { maxRetriesPerRequest: null, ...extra });
  const { host, port, path } = redis.options;
  const episode = new FailureEpisode(
    log.logger,
    'Redis connection',
    { connection: `${log.role} to ${path ?? `${host}:${port}`}` },
    'ioredis reconnects by itself, commands wait',
  );
  redis.on('error', (error: unknown) => episode.failed(error));
  redis.on('ready', () => episode.succeeded());
  return redis;
}

function open(input: RedisConnectionInput, base: IORedisOptions): Redis {
  if (input === undefined) return new Redis(base);
  if (typeof input === 'string') return new Redis(input, base);
  const { url, prefix: _prefix, ...rest } = input;
  const options = { ...(rest as IORedisOptions), ...base };
  return url ? new Redis(url, options) : new Redis(options);
}
