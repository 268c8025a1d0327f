import { type Logger, silentLogger } from '../core/logger.js';

/** What a failure concerns, printed with it and passed as the log line's fields. */
export interface FailureContext {
  run?: string | undefined;
  layer?: string | undefined;
  attempt?: number | undefined;
  key?: string | undefined;
  worker?: string | undefined;
  /** Which connection (`commands`, `mail reads`, …) and where it points. */
  connection?: string | undefined;
}

/** First pause before retrying an operation that failed, in ms; each further failure doubles it. */
export const RETRY_BASE_MS = 200;
/** Longest pause between retries, in ms. */
export const RETRY_CAP_MS = 5_000;
/** An operation still failing this long after its first failure is reported once at `error`. */
export const PERSISTENT_FAILURE_MS = 30_000;

/** The pause before the `failures`-th retry: 200 ms doubling up to 5 s. */
export function retryDelay(failures: number): number {
  return Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error's message inside a sentence: without its own final period. */
function inSentence(message: string): string {
  return message.replace(/\.\s*$/, '');
}

function describe(context: FailureContext): string {
  const parts: string[] = [];
  if (context.run !== undefined) parts.push(`run ${context.run}`);
  if (context.layer !== undefined) parts.push(`layer ${context.layer}`);
  if (context.attempt !== undefined) parts.push(`attempt ${context.attempt}`);
  if (context.key !== undefined) parts.push(`key ${context.key}`);
  if (context.worker !== undefined) parts.push(`worker ${context.worker}`);
  if (context.connection !== undefined) parts.push(`connection ${context.connection}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** Fields of a log line: the context without its unset entries. */
function fieldsOf(
  context: FailureContext,
  extra: Record<string, unknown>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = { source: 'fusync/redis' };
  for (const [name, value] of Object.entries(context))
    if (value !== undefined) fields[name] = value;
  return { ...fields, ...extra };
}

/** Logs, once at `warn`, an error that is given up on (a best-effort step), with its context. */
export function logFailure(
  logger: Logger,
  what: string,
  context: FailureContext,
  error: unknown,
  consequence: string,
): void {
  const message = errorMessage(error);
  logger.warn(
    `fusync/redis: ${what} failed${describe(context)}: ${inSentence(message)}; ${consequence}.`,
    fieldsOf(context, { error: message }),
  );
}

/**
 * The failures of one operation that is retried until it works (a write, a
 * blocking read, a connection): one `warn` line when it starts failing, one
 * `error` line if it still fails after `PERSISTENT_FAILURE_MS`, one `warn`
 * line when it works again — never a line per try. `failed` returns how long
 * to wait before the next try (backing off to `RETRY_CAP_MS`).
 */
export class FailureEpisode {
  readonly #logger: Logger;
  readonly #what: string;
  readonly #context: FailureContext;
  readonly #retrying: string;
  #failures = 0;
  #since = 0;
  #reported = false;

  /** `retrying`: how it is tried again, when not by the caller's backoff (e.g. ioredis reconnecting). */
  constructor(
    logger: Logger | undefined,
    what: string,
    context: FailureContext = {},
    retrying = `retrying, backing off up to ${RETRY_CAP_MS / 1000} s`,
  ) {
    this.#logger = logger ?? silentLogger;
    this.#what = what;
    this.#context = context;
    this.#retrying = retrying;
  }

  /** Whether the operation is failing now (an episode is open). */
  get failing(): boolean {
    return this.#failures > 0;
  }

  /** Records a failed try; returns the pause before the next one, in ms. */
  failed(error: unknown): number {
    const now = Date.now();
    const message = errorMessage(error);
    this.#failures++;
    if (this.#failures === 1) {
      this.#since = now;
      this.#logger.warn(
        `fusync/redis: ${this.#what} failed${describe(this.#context)}: ${inSentence(message)}; ${this.#retrying}.`,
        fieldsOf(this.#context, { error: message }),
      );
    } else if (!this.#reported && now - this.#since >= PERSISTENT_FAILURE_MS) {
      this.#reported = true;
      this.#logger.error(
        `fusync/redis: ${this.#what} still failing${describe(this.#context)} after ${this.#failures} tries over ${Math.round((now - this.#since) / 1000)} s: ${inSentence(message)}. Check that Redis is reachable and accepts writes (memory, persistence errors, replicas).`,
        fieldsOf(this.#context, { error: message, tries: this.#failures }),
      );
    }
    return retryDelay(this.#failures);
  }

  /** Records a try that worked: closes the episode with one line if one was open. */
  succeeded(): void {
    if (this.#failures === 0) return;
    const seconds = ((Date.now() - this.#since) / 1000).toFixed(1);
    this.#logger.warn(
      `fusync/redis: ${this.#what} works again${describe(this.#context)} after ${this.#failures} failed ${this.#failures === 1 ? 'try' : 'tries'} over ${seconds} s.`,
      fieldsOf(this.#context, { tries: this.#failures }),
    );
    this.#failures = 0;
    this.#reported = false;
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts (at once if it has). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, signal.aborted ? 0 : ms);
    signal.addEventListener('abort', done);
  });
}
