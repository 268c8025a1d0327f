/**
 * The HTTP app over the Redis backend exactly as `REDIS_URL` mode builds it
 * (`createRedisBackend` with an embedded worker), one per test, each on a
 * logical database of its own of the file's private redis-server.
 */
import type { Hono } from 'hono';
import { Redis } from 'ioredis';
import { afterEach, expect } from 'vitest';
import { type AppOptions, createApp } from '../src/app.js';
import type { Backend } from '../src/backends/backend.js';
import { createRedisBackend } from '../src/backends/redis.js';
import { type ServerLogger, silentServerLogger } from '../src/logger.js';
import type { OperationDefinition } from '../src/operations/operation.js';
import { createBuiltinOperations, OperationCatalog } from '../src/operations/operation-catalog.js';
import type { RunService, RunView } from '../src/runs/run-service.js';
import type { PrivateRedis } from './private-redis.js';

export interface RedisTestApp {
  app: Hono;
  backend: Backend;
  runs: RunService;
  operations: OperationCatalog;
  /** The database this app's backend uses. */
  url: string;
  /** Closes the backend now (otherwise it is closed after the test). */
  close(): Promise<void>;
}

/**
 * `redisApp(options)` builds an app over a fresh database of `redis()`;
 * every backend it built is closed after each test.
 */
export function useRedisApps(redis: () => PrivateRedis) {
  const open: Backend[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((backend) => backend.close()));
  });
  return async function redisApp(
    options: Partial<Omit<AppOptions, 'runs' | 'sequences' | 'operations' | 'queue'>> & {
      extra?: OperationDefinition[];
      url?: string;
      /** Key prefix (`FUSYNC_REDIS_PREFIX`); the backend's default otherwise. */
      prefix?: string;
      /** `false`: the test closes the backend itself (e.g. once the Redis it stopped is back). */
      closeAfterTest?: boolean;
      /** Where the backend logs (its start-up warnings). Default: silent. */
      backendLogger?: ServerLogger;
    } = {},
  ): Promise<RedisTestApp> {
    const {
      extra = [],
      url = redis().freshDatabase(),
      closeAfterTest = true,
      prefix,
      backendLogger = silentServerLogger,
      ...rest
    } = options;
    const operations = new OperationCatalog([
      ...createBuiltinOperations({ latencyScale: 0 }),
      ...extra,
    ]);
    const backend = await createRedisBackend({
      url,
      ...(prefix === undefined ? {} : { prefix }),
      operations,
      embeddedWorker: true,
      logger: backendLogger,
    });
    if (closeAfterTest) open.push(backend);
    const app = createApp({
      runs: backend.runs,
      sequences: backend.sequences,
      operations,
      queue: backend.kind,
      ...(backend.healthCheck ? { healthCheck: backend.healthCheck } : {}),
      ...(backend.warnings ? { warnings: backend.warnings } : {}),
      ...rest,
    });
    const close = async (): Promise<void> => {
      const at = open.indexOf(backend);
      if (at >= 0) open.splice(at, 1);
      await backend.close();
    };
    return { app, backend, runs: backend.runs, operations, url, close };
  };
}

export { finished, startRun } from '../src/runs/run-routes.contract.js';

/** `GET /api/runs/:id` as a view. */
export async function runView(app: Hono, runId: string): Promise<RunView> {
  const res = await app.request(`/api/runs/${runId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as RunView;
}

/** How many runs `GET /api/runs` lists. */
export async function runCount(app: Hono): Promise<number> {
  const res = await app.request('/api/runs');
  expect(res.status).toBe(200);
  return ((await res.json()) as { runs: unknown[] }).runs.length;
}

/** Run keys (run list, active set, per-run keys) in a database, read straight from Redis. */
export async function runKeys(url: string): Promise<string[]> {
  const client = new Redis(url);
  try {
    return (await client.keys('fusync:run*')).sort();
  } finally {
    client.disconnect();
  }
}
