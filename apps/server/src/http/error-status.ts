import type { FusyncErrorCode } from 'fusync';
import type { ApiErrorCode } from './api-error.js';

/**
 * The one table from error codes to HTTP statuses. Validation problems in a
 * request are the client's (400/422); runtime codes that can only come from a
 * broken server or backend are 500/503.
 */
export const ERROR_STATUS: Readonly<Record<FusyncErrorCode | ApiErrorCode, number>> = {
  // The request body or a parameter cannot be read as what the endpoint expects.
  INVALID_BODY: 400,
  CLIENT_CLOSED: 400,
  TOO_MANY_RUNS: 429,
  INVALID_PARAMETER: 400,
  INVALID_NAME: 400,
  INVALID_SEQUENCE_JSON: 400,
  INVALID_OPTION: 400,
  INVALID_LAYER: 400,
  // Well-formed JSON describing a sequence that cannot run.
  DUPLICATE_LAYER: 422,
  UNKNOWN_LAYER: 422,
  UNKNOWN_DEPENDENCY: 422,
  CYCLE_DETECTED: 422,
  EMPTY_SEQUENCE: 422,
  UNKNOWN_OPERATION: 422,
  OPERATION_NOT_BOUND: 422,
  ARGUMENT_UNRESOLVED: 422,
  ARGUMENT_AMBIGUOUS: 422,
  // A rerun whose plan cannot hold: a layer to reuse has no result in the parent run.
  RERUN_MISMATCH: 422,
  RERUN_RESULT_MISSING: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN_HOST: 403,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  RUN_EXISTS: 409,
  RUN_FINISHED: 409,
  RUN_CANCELLED: 409,
  // Rerunning a run that is still going: wait for it or cancel it first.
  RUN_NOT_FINISHED: 409,
  PAYLOAD_TOO_LARGE: 413,
  LAYER_TIMEOUT: 500,
  UNSUPPORTED_ENVIRONMENT: 500,
  INTERNAL: 500,
  // The server reruns runs from its own stored records: a record it cannot read is its fault.
  INVALID_RUN_RECORD: 500,
  BACKEND_ERROR: 503,
};
