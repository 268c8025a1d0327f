import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { healthRoutes } from './health/health.routes.js';
import { ApiError } from './http/api-error.js';
import { bearerAuth } from './http/bearer-auth.js';
import { errorHandler } from './http/error-handler.js';
import { hostGuard } from './http/host-guard.js';
import { largeRequestsInTurn } from './http/large-requests.js';
import { requestLog } from './http/request-log.js';
import { studioRoutes } from './http/studio.js';
import { type ServerLogger, silentServerLogger } from './logger.js';
import type { OperationCatalog } from './operations/operation-catalog.js';
import { operationsRoutes } from './operations/operations.routes.js';
import type { RunService } from './runs/run-service.js';
import { DEFAULT_MAX_ACTIVE_RUNS, runsRoutes } from './runs/runs.routes.js';
import type { SequenceStore } from './sequences/sequence-store.js';
import { sequencesRoutes } from './sequences/sequences.routes.js';

/** Default most bytes of a request body: 10 MiB. */
export const DEFAULT_BODY_LIMIT = 10 * 1024 * 1024;
/** Origins allowed by default besides the server's own: the studio's Vite dev server. */
export const DEFAULT_CORS_ORIGINS: readonly string[] = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
];

/** Everything the HTTP app needs; `main.ts` builds it from the environment, tests build it by hand. */
export interface AppOptions {
  runs: RunService;
  sequences: SequenceStore;
  operations: OperationCatalog;
  /** Which queue runs layers, as `GET /api/health` reports it. */
  queue: 'memory' | 'redis';
  /** What could lose accepted runs, as `GET /api/health` reports it (`warnings`). */
  warnings?: readonly string[];
  /** Backend check behind `GET /api/health` (e.g. a Redis ping). */
  healthCheck?: () => Promise<boolean>;
  /** When set, every `/api` request needs `Authorization: Bearer <token>`. */
  token?: string | undefined;
  /** When set, requests whose `Host` is not listed are refused (DNS rebinding guard for loopback servers). */
  allowedHosts?: readonly string[] | undefined;
  /** Cross-origin callers allowed to use the API. Default: the Vite dev server. */
  corsOrigins?: readonly string[];
  /** Most bytes of a request body. Default 10 MiB. */
  bodyLimit?: number;
  /** Most runs going at once (`FUSYNC_MAX_ACTIVE_RUNS`); beyond it `POST /api/runs` answers 429. Default 1000. */
  maxActiveRuns?: number;
  /** Directory of the built studio. Without one, `/` explains how to build it. */
  studioDir?: string | undefined;
  /** Request and error logs. Default: silent. */
  logger?: ServerLogger;
  /** Idle event streams get a comment line this often, in ms. Default 15 000. */
  sseHeartbeatMs?: number;
}

/**
 * The Fusync HTTP API as a Hono app: pure (no socket, no environment), so
 * tests drive it with `app.request()`.
 *
 * @example
 * const app = createApp({ runs, sequences, operations, queue: 'memory' });
 * const res = await app.request('/api/health');
 */
export function createApp(options: AppOptions): Hono {
  const logger = options.logger ?? silentServerLogger;
  const maxBytes = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const app = new Hono();

  app.onError(errorHandler(logger));
  app.use('*', requestLog(logger));
  if (options.allowedHosts) app.use('*', hostGuard(options.allowedHosts));
  app.use('*', secureHeaders({ strictTransportSecurity: false }));

  app.use(
    '/api/*',
    cors({
      origin: [...(options.corsOrigins ?? DEFAULT_CORS_ORIGINS)],
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Content-Type', 'Authorization', 'Last-Event-ID'],
      exposeHeaders: ['Location'],
      maxAge: 600,
    }),
  );
  if (options.token !== undefined) app.use('/api/*', bearerAuth(options.token));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ApiError(
          'PAYLOAD_TOO_LARGE',
          `The request body is larger than the limit of ${maxBytes} bytes (FUSYNC_BODY_LIMIT).`,
        );
      },
    }),
  );

  app.use('/api/*', largeRequestsInTurn());

  const maxActiveRuns = options.maxActiveRuns ?? DEFAULT_MAX_ACTIVE_RUNS;
  const health = {
    queue: options.queue,
    activeRuns: () => options.runs.activeCount(),
    maxActiveRuns,
    ...(options.healthCheck ? { check: options.healthCheck } : {}),
    ...(options.warnings?.length ? { warnings: options.warnings } : {}),
  };
  app.route('/api/health', healthRoutes(health));
  app.route('/api/operations', operationsRoutes(options.operations));
  app.route(
    '/api/runs',
    runsRoutes({
      runs: options.runs,
      maxActiveRuns,
      ...(options.sseHeartbeatMs ? { sseHeartbeatMs: options.sseHeartbeatMs } : {}),
    }),
  );
  app.route(
    '/api/sequences',
    sequencesRoutes({ sequences: options.sequences, operations: options.operations }),
  );
  app.all('/api/*', (c) => {
    throw new ApiError('NOT_FOUND', `There is no endpoint ${c.req.method} ${c.req.path}.`);
  });

  if (options.studioDir !== undefined) app.route('/', studioRoutes(options.studioDir));
  return app;
}
