import { ApiError } from '../http/api-error.js';

/**
 * Names of stored sequences: letters, digits, `_` and `-`, 1 to 128 of them.
 * No dot, slash, backslash, percent or NUL can pass, so a name is always a
 * single plain file name (`..`, `a/b`, `%2F`, `\0` are refused).
 */
export const SEQUENCE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Throws `INVALID_NAME` (400) unless `name` is a valid stored-sequence name. */
export function assertSequenceName(name: string): string {
  if (!SEQUENCE_NAME_PATTERN.test(name)) {
    throw new ApiError(
      'INVALID_NAME',
      `\`${name.slice(0, 140)}\` is not a valid sequence name: use 1 to 128 letters, digits, \`_\` or \`-\`.`,
      { path: 'name' },
    );
  }
  return name;
}
