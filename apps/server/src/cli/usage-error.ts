/** A problem with what the CLI was given: reported on one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
