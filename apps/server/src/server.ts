import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import type { Backend } from './backends/backend.js';
import { loadRedisBackend } from './backends/load-redis-backend.js';
import { createMemoryBackend } from './backends/memory.js';
import { readServerConfig } from './config.js';
import type { ServerLogger } from './logger.js';
import { createBuiltinOperations, OperationCatalog } from './operations/operation-catalog.js';
import { loadOperationsModule } from './operations/operations-module.js';
import { startTelemetry } from './telemetry.js';

/** The studio build next to this package in the monorepo (`apps/studio/dist`). */
export const DEFAULT_STUDIO_DIR = fileURLToPath(new URL('../../studio/dist', import.meta.url));

/** A listening server. */
export interface RunningServer {
  url: string;
  queue: Backend['kind'];
  /** Stops accepting requests, cancels the runs it drives, flushes telemetry. */
  close(): Promise<void>;
}

/** The built-in operations (latency per `FUSYNC_DEMO_LATENCY_SCALE`) plus a user module's, which win on a name clash. */
export async function buildOperationCatalog(options: {
  latencyScale: number;
  module?: string | undefined;
  /** Origins `httpRequest` may fetch; default any http(s) URL. */
  httpAllow?: readonly string[] | undefined;
  logger?: ServerLogger;
}): Promise<OperationCatalog> {
  const allowed = options.httpAllow && new Set(options.httpAllow);
  const catalog = new OperationCatalog(
    createBuiltinOperations({
      latencyScale: options.latencyScale,
      ...(allowed ? { allowUrl: (url: URL) => allowed.has(url.origin) } : {}),
    }),
  );
  if (options.module !== undefined) {
    for (const definition of await loadOperationsModule(options.module)) {
      if (catalog.has(definition.name))
        options.logger?.warn('operation replaced by the operations module', {
          operation: definition.name,
        });
      catalog.add(definition);
    }
  }
  return catalog;
}

function closeHttp(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * Starts the HTTP server from environment variables (see `readServerConfig`):
 * telemetry if asked for, the operations, the in-memory or Redis backend, the
 * app, the socket.
 */
export async function startServer(
  env: NodeJS.ProcessEnv,
  logger: ServerLogger,
  overrides: { operationsModule?: string } = {},
): Promise<RunningServer> {
  const config = readServerConfig(env, { studioDir: DEFAULT_STUDIO_DIR });
  const telemetry = await startTelemetry(env);
  const operations = await buildOperationCatalog({
    latencyScale: config.demoLatencyScale,
    module: overrides.operationsModule ?? config.operationsModule,
    httpAllow: config.httpAllow,
    logger,
  });
  const backend =
    config.redisUrl || config.redisCluster
      ? await loadRedisBackend({
          ...(config.redisCluster ? { cluster: config.redisCluster } : { url: config.redisUrl }),
          prefix: config.redisPrefix,
          operations,
          embeddedWorker: config.embeddedWorker,
          logger,
        })
      : createMemoryBackend({
          operations,
          sequencesDir: config.sequencesDir,
          maxFinishedRuns: config.maxFinishedRuns,
        });
  const app = createApp({
    runs: backend.runs,
    sequences: backend.sequences,
    operations,
    queue: backend.kind,
    ...(backend.healthCheck ? { healthCheck: backend.healthCheck } : {}),
    ...(backend.warnings ? { warnings: backend.warnings } : {}),
    token: config.token,
    allowedHosts: config.allowedHosts,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    maxActiveRuns: config.maxActiveRuns,
    studioDir: config.studioDir,
    logger,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const created = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () =>
      resolve(created as Server),
    ) as Server;
    created.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    queue: backend.kind,
    async close() {
      const closing = closeHttp(server, 5_000);
      await backend.close();
      await closing;
      await telemetry?.shutdown();
    },
  };
}
