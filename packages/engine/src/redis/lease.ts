import { type Logger, silentLogger } from '../core/logger.js';
import type { RedisClient } from './connection.js';
import { FailureEpisode, logFailure } from './failures.js';
import { RELEASE_LEASE, TAKE_LEASE } from './scripts.js';

/** Default time to live of a run's lease, in ms. */
export const DEFAULT_LEASE_MS = 5000;

export interface RunLeaseOptions {
  redis: RedisClient;
  runId: string;
  /** The run's lease key. */
  leaseKey: string;
  /** The run's inputs log: a lapsed lease is taken back only while it ends where `lastWritten` says. */
  inputsKey: string;
  /** Identifies the coordinator in the lease. */
  owner: string;
  /** Time to live; another coordinator takes over a run whose lease lapsed. Default 5000 ms. */
  leaseMs?: number | undefined;
  /** The id of the last log entry this owner knows written (`0-0`: none). */
  lastWritten: () => string;
  /** Called when a renewal finds the run held by someone else (taken over). */
  onLost: () => void;
  /** Hears renewals that fail and a release that fails. */
  logger?: Logger | undefined;
}

/**
 * The lease of a run's coordinator, and nothing else (as BullMQ's
 * `LockManager` owns only the lock): taken when the coordinator starts or
 * takes the run over, renewed a few times per time to live, released when
 * it finishes or detaches. A coordinator whose lease lapsed (it stalled)
 * renews it only if nobody wrote the run's log meanwhile.
 */
export class RunLease {
  readonly #o: RunLeaseOptions;
  readonly #ms: number;
  readonly #renewing: FailureEpisode;
  #until = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: RunLeaseOptions) {
    this.#o = options;
    this.#ms = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#renewing = new FailureEpisode(options.logger, 'renewing the run’s lease', {
      run: options.runId,
    });
  }

  /** Time to live of the lease, in ms. */
  get ms(): number {
    return this.#ms;
  }

  /** Takes the run: resolves false when another coordinator holds it. */
  take(): Promise<boolean> {
    return this.#set('');
  }

  async #set(lastWritten: string): Promise<boolean> {
    const sentAt = performance.now();
    const taken = await this.#o.redis.eval(
      TAKE_LEASE,
      2,
      this.#o.leaseKey,
      this.#o.inputsKey,
      this.#o.owner,
      String(this.#ms),
      lastWritten,
    );
    // Redis set the lease's time to live after `sentAt`, so it is ours at least until then.
    if (taken === 1) this.#until = sentAt + this.#ms;
    return taken === 1;
  }

  /** Whether the lease is surely still ours: renewed recently enough that it cannot have lapsed. */
  held(): boolean {
    return performance.now() < this.#until - this.#ms / 5;
  }

  /** Renews the lease every third of its time to live until `stop` or `release`. */
  hold(): void {
    const every = Math.max(250, Math.floor(this.#ms / 3));
    this.#timer = setInterval(() => {
      this.#set(this.#o.lastWritten()).then(
        (held) => {
          this.#renewing.succeeded();
          if (!held) this.#o.onLost();
        },
        // Tried again at the next tick; a lease that lapses meanwhile is taken over elsewhere.
        (error: unknown) => void this.#renewing.failed(error),
      );
    }, every);
  }

  /** Stops renewing: the lease lapses by itself (a coordinator that lost the run, or gives it up). */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Stops renewing and releases the lease if this owner still holds it. Never rejects. */
  async release(): Promise<void> {
    this.stop();
    await this.#o.redis
      .eval(RELEASE_LEASE, 1, this.#o.leaseKey, this.#o.owner)
      .catch((error: unknown) =>
        logFailure(
          this.#o.logger ?? silentLogger,
          'releasing the run’s lease',
          { run: this.#o.runId, key: this.#o.leaseKey },
          error,
          `it lapses by itself within ${this.#ms} ms`,
        ),
      );
  }
}
