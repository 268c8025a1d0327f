/**
 * Bounds shared by option validation and the sequence JSON schema, so a
 * sequence the builder accepts can always be saved and loaded again.
 */
export const LIMITS = {
  /** Largest delay a JavaScript timer can wait (2^31 − 1 ms, about 24.8 days). */
  maxDelayMs: 2_147_483_647,
  /** Priorities are integers in ±this. */
  maxPriority: 1_000_000,
  /** Most retries of a layer. */
  maxRetries: 1000,
  /** Longest operation, argument and sequence name. */
  maxNameLength: 200,
  /** Longest description. */
  maxDescriptionLength: 10_000,
  /** Most argument names of a layer. */
  maxArgs: 1000,
  /** Most dependencies of a layer. */
  maxDependencies: 10_000,
  /** Most layers of a sequence. */
  maxLayers: 200_000,
} as const;
