import { Cluster, type ClusterOptions, type RedisOptions as IORedisOptions, Redis } from 'ioredis';
import { FusyncError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { RedisOptions } from '../core/types.js';
import { FailureEpisode } from './failures.js';

/** Connection settings: a `redis://` URL or fusync's `RedisOptions` (with `cluster` for a Redis Cluster). */
export type RedisConnectionInput = string | RedisOptions | undefined;

/** A connection of the Redis backend: one Redis, or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** A node of a Redis Cluster. */
export interface ClusterNode {
  host: string;
  port: number;
}

/** The key prefix for a connection input (default `fusync`). */
export function prefixOf(input: RedisConnectionInput): string {
  return typeof input === 'object' && typeof input.prefix === 'string' ? input.prefix : 'fusync';
}

/**
 * Reads `host:port` (a hostname, an IPv4 address, or `[IPv6]`) into a
 * cluster node; `source` names where it came from in the error.
 */
export function parseClusterNode(text: string, source = 'a cluster node'): ClusterNode {
  const match = /^\s*(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\s*$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new FusyncError(
      'INVALID_OPTION',
      `Expected ${source} to be \`host:port\` (e.g. \`10.0.0.5:7000\`, \`[::1]:7000\`), got \`${text}\`.`,
      { path: source },
    );
  }
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * The seed nodes of `input` when it names a Redis Cluster (`cluster: […]`),
 * checked; undefined for a single Redis.
 */
export function clusterNodesOf(input: RedisConnectionInput): ClusterNode[] | undefined {
  if (typeof input !== 'object' || input.cluster === undefined) return undefined;
  const given: unknown = input.cluster;
  if (!Array.isArray(given) || given.length === 0) {
    throw new FusyncError(
      'INVALID_OPTION',
      'Expected `redisOptions.cluster` to be a non-empty list of seed nodes such as `["10.0.0.5:7000", "10.0.0.6:7000"]`.',
      { path: 'cluster' },
    );
  }
  if (typeof input.url === 'string' && input.url !== '') {
    throw new FusyncError(
      'INVALID_OPTION',
      '`redisOptions` has both `url` and `cluster`: give `cluster` (its seed nodes) for a Redis Cluster, `url` for one Redis.',
      { path: 'url' },
    );
  }
  return given.map((node: unknown, at) => {
    const source = `\`redisOptions.cluster[${at}]\``;
    if (typeof node === 'string') return parseClusterNode(node, source);
    const { host, port } = (node ?? {}) as Partial<ClusterNode>;
    if (typeof host === 'string' && Number.isInteger(port)) return { host, port: port as number };
    throw new FusyncError(
      'INVALID_OPTION',
      `Expected ${source} to be \`host:port\` or \`{ host, port }\`, got \`${JSON.stringify(node)}\`.`,
      { path: `cluster[${at}]` },
    );
  });
}

/** Whether a connection is to a Redis Cluster. */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as Cluster).isCluster === true;
}

/** Where a connection reports its outages, and what it is for (`commands`, `mail reads`, …). */
export interface ConnectionLog {
  logger?: Logger | undefined;
  role: string;
}

/**
 * Opens an ioredis connection (a `Cluster` when the input names one).
 * `maxRetriesPerRequest: null` as BullMQ requires for blocking connections:
 * commands wait for a reconnect instead of failing while Redis is away.
 * ioredis reconnects by itself and emits an error at every failed attempt:
 * the first of an outage is logged at `warn` (with the connection's role and
 * address), the reconnect once more.
 */
export function connect(
  input: RedisConnectionInput,
  extra: IORedisOptions = {},
  log: ConnectionLog = { role: 'commands' },
): RedisClient {
  const redis = open(input, { maxRetriesPerRequest: null, ...extra });
  const episode = new FailureEpisode(
    log.logger,
    'Redis connection',
    { connection: `${log.role} to ${addressOf(input, redis)}` },
    'ioredis reconnects by itself, commands wait',
  );
  redis.on('error', (error: unknown) => episode.failed(error));
  redis.on('ready', () => episode.succeeded());
  return redis;
}

function addressOf(input: RedisConnectionInput, redis: RedisClient): string {
  const nodes = clusterNodesOf(input);
  if (nodes) return `the cluster of ${nodes.map((node) => `${node.host}:${node.port}`).join(', ')}`;
  const { host, port, path } = (redis as Redis).options;
  return path ?? `${host}:${port}`;
}

function open(input: RedisConnectionInput, base: IORedisOptions): RedisClient {
  if (input === undefined) return new Redis(base);
  if (typeof input === 'string') return new Redis(input, base);
  const nodes = clusterNodesOf(input);
  const { url, prefix: _prefix, cluster: _cluster, ...rest } = input;
  const options = { ...(rest as IORedisOptions), ...base };
  if (nodes) {
    // Pipelining is the cluster's own option (it groups commands by node); the rest goes to each node.
    const { enableAutoPipelining, ...redisOptions } = options;
    const clusterOptions: ClusterOptions = { redisOptions };
    if (enableAutoPipelining !== undefined)
      clusterOptions.enableAutoPipelining = enableAutoPipelining;
    // A keyless PUBLISH would join the pipeline of the node owning its channel name's slot yet go to
    // a node picked at random: one not answering would hold up that node's later commands. Sent
    // alone instead (the project's own publishes go through `PUBLISH_AT`, routed by their run).
    if (enableAutoPipelining) clusterOptions.autoPipeliningIgnoredCommands = ['publish'];
    return new Cluster(nodes, clusterOptions);
  }
  return url ? new Redis(url, options) : new Redis(options);
}
