import { ApiError } from '../http/api-error.js';

/**
 * Ids chosen by callers: letters, digits, `_` and `-`, not digits only (the
 * Redis queue's job ids forbid `:` and all-digit ids), at most 128.
 */
export const RUN_ID_PATTERN = /^(?![0-9]+$)[A-Za-z0-9_-]{1,128}$/;

export function assertRunId(runId: string): string {
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new ApiError(
      'INVALID_PARAMETER',
      `\`${runId.slice(0, 140)}\` is not a valid run id: use 1 to 128 letters, digits, \`_\` or \`-\`, not only digits.`,
      { path: 'runId' },
    );
  }
  return runId;
}
