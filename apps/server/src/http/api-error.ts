import type { FusyncErrorCode } from 'fusync';

/** Error codes of the HTTP layer itself (the engine's own codes are `FusyncErrorCode`). */
export type ApiErrorCode =
  | 'INVALID_BODY'
  | 'INVALID_PARAMETER'
  | 'INVALID_NAME'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN_HOST'
  | 'NOT_FOUND'
  | 'RUN_EXISTS'
  | 'RUN_FINISHED'
  | 'PAYLOAD_TOO_LARGE'
  | 'CLIENT_CLOSED'
  | 'TOO_MANY_RUNS'
  | 'INTERNAL';

/**
 * An error a route raises on purpose; `app.onError` turns it into
 * `{ error: { code, message, path? } }` with the status of its code.
 */
export class ApiError extends Error {
  readonly code: ApiErrorCode | FusyncErrorCode;
  readonly path: string | undefined;
  readonly layer: string | undefined;

  constructor(
    code: ApiErrorCode | FusyncErrorCode,
    message: string,
    options: { path?: string | undefined; layer?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.path = options.path;
    this.layer = options.layer;
  }
}

/** `404 NOT_FOUND` for a resource of `kind` named `id`. */
export function notFound(kind: string, id: string): ApiError {
  return new ApiError('NOT_FOUND', `There is no ${kind} \`${id}\`.`);
}
