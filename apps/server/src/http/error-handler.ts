import { FusyncError } from 'fusync';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ServerLogger } from '../logger.js';
import { ApiError } from './api-error.js';
import { ERROR_STATUS } from './error-status.js';

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; path?: string; layer?: string };
}

function body(code: string, message: string, path?: string, layer?: string): ErrorBody {
  const error: ErrorBody['error'] = { code, message };
  if (path !== undefined) error.path = path;
  if (layer !== undefined) error.layer = layer;
  return { error };
}

/** Seconds a client refused for too many running runs is asked to wait before it tries again. */
const RETRY_AFTER_S = 5;

/** Whether reading a request failed because the client went away (Node's `aborted`, a reset socket). */
function isClientAbort(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return error.message === 'aborted' || code === 'ECONNRESET';
}

/**
 * `app.onError`: the one place errors become responses. Typed errors keep
 * their code, message, path and layer; anything else is logged and answered
 * with a bare 500 so no internals leak.
 */
export function errorHandler(logger: ServerLogger): (error: Error, c: Context) => Response {
  return (error, c) => {
    if (error instanceof ApiError || error instanceof FusyncError) {
      const status = (ERROR_STATUS[error.code] ?? 500) as ContentfulStatusCode;
      if (status >= 500)
        logger.error('request failed', {
          code: error.code,
          message: error.message,
          path: c.req.path,
        });
      if (error.code === 'UNAUTHORIZED') c.header('WWW-Authenticate', 'Bearer');
      if (error.code === 'TOO_MANY_RUNS') c.header('Retry-After', String(RETRY_AFTER_S));
      return c.json(body(error.code, error.message, error.path, error.layer), status);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      const code =
        status === 413
          ? 'PAYLOAD_TOO_LARGE'
          : status === 401
            ? 'UNAUTHORIZED'
            : status < 500
              ? 'INVALID_REQUEST'
              : 'INTERNAL';
      return c.json(body(code, error.message || 'Request refused.'), status);
    }
    if (isClientAbort(error)) {
      // Nobody reads the answer; what happened is worth a line, not an alarm.
      logger.info('client closed the connection mid-body', { path: c.req.path });
      return c.json(
        body('CLIENT_CLOSED', 'The client closed the connection before the whole body arrived.'),
        ERROR_STATUS.CLIENT_CLOSED as ContentfulStatusCode,
      );
    }
    logger.error('unexpected error', {
      message: error.message,
      stack: error.stack,
      path: c.req.path,
    });
    return c.json(body('INTERNAL', 'Internal server error.'), 500);
  };
}
