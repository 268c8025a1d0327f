/** Every error code Fusync raises. The server maps them to HTTP statuses in one place. */
export type FusyncErrorCode =
  | 'INVALID_OPTION'
  | 'INVALID_LAYER'
  | 'DUPLICATE_LAYER'
  | 'UNKNOWN_LAYER'
  | 'UNKNOWN_DEPENDENCY'
  | 'CYCLE_DETECTED'
  | 'EMPTY_SEQUENCE'
  | 'OPERATION_NOT_BOUND'
  | 'UNKNOWN_OPERATION'
  | 'ARGUMENT_UNRESOLVED'
  | 'ARGUMENT_AMBIGUOUS'
  | 'LAYER_TIMEOUT'
  | 'RUN_CANCELLED'
  | 'INVALID_SEQUENCE_JSON'
  | 'UNSUPPORTED_ENVIRONMENT'
  | 'BACKEND_ERROR'
  | 'INVALID_RUN_RECORD'
  | 'RUN_NOT_FINISHED'
  | 'RERUN_MISMATCH'
  | 'RERUN_RESULT_MISSING';

export interface FusyncErrorDetails {
  /** The layer the error concerns, when it concerns one. */
  layer?: string;
  /** The run the error happened in. */
  runId?: string;
  /** Where in an input the problem is, e.g. `layers[2].priority`. */
  path?: string;
  cause?: unknown;
}

/**
 * The base of every error Fusync throws: a stable `code`, the layer/run it
 * concerns and the underlying `cause`. Messages name the thing and the fix.
 *
 * @example
 * try { await sequence.build(input) } catch (e) {
 *   if (e instanceof FusyncError && e.code === 'CYCLE_DETECTED') console.error(e.message);
 * }
 */
export class FusyncError extends Error {
  readonly code: FusyncErrorCode;
  readonly layer: string | undefined;
  readonly runId: string | undefined;
  readonly path: string | undefined;

  constructor(code: FusyncErrorCode, message: string, details: FusyncErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.layer = details.layer;
    this.runId = details.runId;
    this.path = details.path;
  }
}

/** A sequence or option that cannot run: raised before anything runs. */
export class ValidationError extends FusyncError {}

/** The dependency graph contains a cycle; `cycle` lists it, first name repeated at the end. */
export class CycleError extends ValidationError {
  readonly cycle: readonly string[];
  /** `message` replaces the general one, e.g. for a layer that depends on itself. */
  constructor(cycle: readonly string[], message?: string) {
    super(
      'CYCLE_DETECTED',
      message ??
        `The dependencies form a cycle: ${cycle.join(' -> ')}. Remove one of these dependencies.`,
      cycle[0] === undefined ? {} : { layer: cycle[0] },
    );
    this.cycle = cycle;
  }
}

/** A layer's argument names nothing the layer can see, or names two things. */
export class ArgumentError extends FusyncError {}

/** One attempt of a layer ran longer than its `timeout`. */
export class LayerTimeoutError extends FusyncError {
  constructor(layer: string, timeoutMs: number, runId: string) {
    super(
      'LAYER_TIMEOUT',
      `Layer \`${layer}\` timed out after ${timeoutMs} ms. Raise its \`timeout\` or make it honour \`signal\`.`,
      { layer, runId },
    );
  }
}

/** The run was cancelled before this work finished. */
export class RunCancelledError extends FusyncError {
  constructor(runId: string, reason?: unknown) {
    super('RUN_CANCELLED', `Run ${runId} was cancelled.`, { runId, cause: reason });
  }
}

/** Sequence JSON that does not match the format; `path` points at the bad field. */
export class SequenceFormatError extends FusyncError {
  readonly issues: readonly { path: string; message: string }[];
  constructor(issues: readonly { path: string; message: string }[]) {
    const first = issues[0] ?? { path: '', message: 'invalid sequence' };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      'INVALID_SEQUENCE_JSON',
      `Invalid sequence JSON at \`${first.path || '(root)'}\`: ${first.message}${more}`,
      { path: first.path },
    );
    this.issues = issues;
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      const substitution = previous + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, substitution);
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** `" Did you mean `x`?"` when a known name is close to `name`, otherwise `""`. */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` Did you mean \`${best}\`?`;
}
