import { DEFAULT_BODY_LIMIT, DEFAULT_CORS_ORIGINS } from './app.js';
import { LOOPBACK_HOSTS } from './http/host-guard.js';
import { DEFAULT_MAX_ACTIVE_RUNS } from './runs/runs.routes.js';

/** Everything the server reads from its environment, checked. */
export interface ServerConfig {
  /** `HOST`, default `127.0.0.1`. */
  host: string;
  /** `PORT`, default `3000`. */
  port: number;
  /** `FUSYNC_TOKEN`: required when `host` is not loopback; then every `/api` call needs it. */
  token: string | undefined;
  /** `FUSYNC_CORS_ORIGINS` (comma-separated origins), default the Vite dev server. */
  corsOrigins: string[];
  /** Hosts accepted in the `Host` header; `undefined` when a token protects the server instead. */
  allowedHosts: string[] | undefined;
  /** `FUSYNC_BODY_LIMIT` in bytes (`512kb`, `10mb` also accepted), default 10 MiB. */
  bodyLimit: number;
  /** `FUSYNC_MAX_ACTIVE_RUNS`: most runs going at once. */
  maxActiveRuns: number;
  /** `REDIS_URL`: Redis queue and store instead of the in-memory ones. */
  redisUrl: string | undefined;
  /**
   * `FUSYNC_REDIS_CLUSTER` (`host:port,host:port,…`): the seed nodes of a
   * Redis Cluster, instead of `REDIS_URL`.
   */
  redisCluster: string[] | undefined;
  /** `FUSYNC_REDIS_PREFIX`, default `fusync`: the key prefix, so deployments can share one Redis. */
  redisPrefix: string;
  /** `FUSYNC_EMBEDDED_WORKER` (`true`/`1`): in Redis mode, run layers in the server process too. */
  embeddedWorker: boolean;
  /** `FUSYNC_OPERATIONS`: a module whose exports add operations. */
  operationsModule: string | undefined;
  /** `FUSYNC_SEQUENCES_DIR`, default `.fusync-data/sequences`; `memory` keeps them in the process. */
  sequencesDir: string | 'memory';
  /** `FUSYNC_STUDIO_DIR`: the built studio. */
  studioDir: string;
  /** `FUSYNC_DEMO_LATENCY_SCALE`: multiplies the demo operations' simulated latency, default `1`. */
  demoLatencyScale: number;
  /** `FUSYNC_MAX_RUNS`: finished runs kept in memory, default `1000`. */
  maxFinishedRuns: number;
  /** `FUSYNC_HTTP_ALLOW`: origins the `httpRequest` operation may fetch; `undefined` allows any http(s) URL. */
  httpAllow: string[] | undefined;
}

/** A bad environment variable: the server refuses to start and says which and why. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Tokens shorter than this are refused: the token is the only lock of an exposed server. */
export const MIN_TOKEN_LENGTH = 16;

/** Whether `host` only listens on this machine. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare);
}

function integer(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `Expected ${name} to be an integer from ${min} to ${max}, got \`${raw}\`.`,
    );
  }
  return value;
}

/** `true`/`1`/`yes` or `false`/`0`/`no` (any case); unset or empty is false. */
function flag(name: string, raw: string | undefined): boolean {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0' || value === 'no') return false;
  if (value === 'true' || value === '1' || value === 'yes') return true;
  throw new ConfigError(`Expected ${name} to be \`true\` or \`false\` (or 1/0), got \`${raw}\`.`);
}

/** Default key prefix of the Redis backend. */
export const DEFAULT_REDIS_PREFIX = 'fusync';

/**
 * A Redis key prefix: letters, digits, `_`, `-` and `.`, at most 64, so it
 * cannot run into the keys' own `:`-separated parts. Empty or unset → `fusync`.
 */
export function redisPrefix(name: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_REDIS_PREFIX;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw)) {
    throw new ConfigError(
      `Expected ${name} to be 1 to 64 letters, digits, \`_\`, \`-\` or \`.\`, got \`${raw}\`.`,
    );
  }
  return raw;
}

/**
 * The seed nodes of a Redis Cluster, `host:port,host:port,…` (hostnames,
 * IPv4, `[IPv6]`; a port from 1 to 65535 each). Empty or unset → undefined.
 */
export function redisClusterNodes(name: string, raw: string | undefined): string[] | undefined {
  const nodes = list(raw);
  if (!nodes) return undefined;
  for (const node of nodes) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(node);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      throw new ConfigError(
        `${name} lists \`${node}\`, which is not \`host:port\`. Give the cluster's nodes as \`host:port,host:port,…\` (e.g. \`10.0.0.5:7000,10.0.0.6:7000\`; IPv6 as \`[::1]:7000\`).`,
      );
    }
  }
  return nodes;
}

/** `1048576`, `512kb`, `10mb` (powers of 1024) → bytes. */
export function parseByteSize(name: string, raw: string): number {
  const match = /^\s*(\d+)\s*(b|kb|mb|gb)?\s*$/i.exec(raw);
  if (!match?.[1])
    throw new ConfigError(
      `Expected ${name} to be a size such as \`10mb\`, \`512kb\` or \`1048576\`, got \`${raw}\`.`,
    );
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = unit === 'gb' ? 1024 ** 3 : unit === 'mb' ? 1024 ** 2 : unit === 'kb' ? 1024 : 1;
  const bytes = Number(match[1]) * factor;
  if (bytes < 1 || !Number.isSafeInteger(bytes))
    throw new ConfigError(`${name} must be at least 1 byte, got \`${raw}\`.`);
  return bytes;
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function origins(name: string, raw: string | undefined): string[] | undefined {
  const values = list(raw);
  if (!values) return undefined;
  for (const value of values) {
    let origin: string | undefined;
    try {
      origin = new URL(value).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== value) {
      throw new ConfigError(
        `${name} lists \`${value}\`, which is not an origin such as \`https://studio.example.com\` (scheme, host, optional port; no path, no \`*\`).`,
      );
    }
  }
  return values;
}

/**
 * Reads and checks the server's environment. Refuses to listen beyond
 * loopback without `FUSYNC_TOKEN`.
 */
export function readServerConfig(
  env: NodeJS.ProcessEnv,
  defaults: { studioDir: string },
): ServerConfig {
  const host = env.HOST?.trim() || '127.0.0.1';
  const port =
    env.PORT === undefined || env.PORT === '' ? 3000 : integer('PORT', env.PORT, 0, 65_535);
  const token =
    env.FUSYNC_TOKEN === undefined || env.FUSYNC_TOKEN === '' ? undefined : env.FUSYNC_TOKEN;
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `FUSYNC_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 32\`).`,
    );
  }
  // A bearer header cannot carry whitespace inside or around the token: every request would get 401.
  if (token !== undefined && /\s/.test(token)) {
    throw new ConfigError(
      'FUSYNC_TOKEN must not contain spaces, tabs or line breaks: no `Authorization: Bearer` header could match it. Use e.g. `openssl rand -hex 32`.',
    );
  }
  if (!isLoopback(host) && token === undefined) {
    throw new ConfigError(
      `Refusing to listen on ${host} without a token: anyone who can reach it could run sequences. Set FUSYNC_TOKEN (e.g. \`openssl rand -hex 32\`) and send it as \`Authorization: Bearer <token>\`, or bind to 127.0.0.1.`,
    );
  }
  const extraHosts = list(env.FUSYNC_ALLOWED_HOSTS);
  const allowedHosts =
    token === undefined
      ? [...LOOPBACK_HOSTS, ...(extraHosts ?? [])]
      : extraHosts && [...LOOPBACK_HOSTS, ...extraHosts];
  const latency = env.FUSYNC_DEMO_LATENCY_SCALE;
  const demoLatencyScale = latency === undefined || latency === '' ? 1 : Number(latency);
  if (!Number.isFinite(demoLatencyScale) || demoLatencyScale < 0) {
    throw new ConfigError(
      `Expected FUSYNC_DEMO_LATENCY_SCALE to be a number ≥ 0, got \`${latency}\`.`,
    );
  }
  const redisUrl = env.REDIS_URL || undefined;
  const redisCluster = redisClusterNodes('FUSYNC_REDIS_CLUSTER', env.FUSYNC_REDIS_CLUSTER);
  if (redisUrl !== undefined && redisCluster !== undefined) {
    throw new ConfigError(
      'Both REDIS_URL and FUSYNC_REDIS_CLUSTER are set: set REDIS_URL for one Redis, or FUSYNC_REDIS_CLUSTER for a Redis Cluster, not both.',
    );
  }
  return {
    host,
    port,
    token,
    corsOrigins: origins('FUSYNC_CORS_ORIGINS', env.FUSYNC_CORS_ORIGINS) ?? [
      ...DEFAULT_CORS_ORIGINS,
    ],
    allowedHosts,
    bodyLimit: env.FUSYNC_BODY_LIMIT
      ? parseByteSize('FUSYNC_BODY_LIMIT', env.FUSYNC_BODY_LIMIT)
      : DEFAULT_BODY_LIMIT,
    maxActiveRuns: env.FUSYNC_MAX_ACTIVE_RUNS
      ? integer('FUSYNC_MAX_ACTIVE_RUNS', env.FUSYNC_MAX_ACTIVE_RUNS, 1, 1_000_000)
      : DEFAULT_MAX_ACTIVE_RUNS,
    redisUrl,
    redisCluster,
    redisPrefix: redisPrefix('FUSYNC_REDIS_PREFIX', env.FUSYNC_REDIS_PREFIX),
    embeddedWorker: flag('FUSYNC_EMBEDDED_WORKER', env.FUSYNC_EMBEDDED_WORKER),
    operationsModule: env.FUSYNC_OPERATIONS || undefined,
    sequencesDir: env.FUSYNC_SEQUENCES_DIR || '.fusync-data/sequences',
    studioDir: env.FUSYNC_STUDIO_DIR || defaults.studioDir,
    demoLatencyScale,
    httpAllow: origins('FUSYNC_HTTP_ALLOW', env.FUSYNC_HTTP_ALLOW),
    maxFinishedRuns: env.FUSYNC_MAX_RUNS
      ? integer('FUSYNC_MAX_RUNS', env.FUSYNC_MAX_RUNS, 0, 1_000_000)
      : 1000,
  };
}
