import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import { FailureEpisode, pause } from './failures.js';

/** Entries of a Redis stream: `[id, [field, value, …]]`. */
export type StreamEntries = [string, string[]][];

/** Where a coordinator waits for the next entries of its run's inputs stream. */
export interface InputsReader {
  /**
   * Entries of `key` after `afterId`. Resolves with `undefined` when none came
   * within about a second, so the caller can look at its own state and ask again.
   */
  read(key: string, afterId: string): Promise<StreamEntries | undefined>;
}

type XReadReply = [string, StreamEntries][] | null;

/** Waits on one connection of its own: one run, one blocking read (the builder's `useRedis`). */
export function dedicatedInputsReader(connection: Redis): InputsReader {
  return {
    async read(key, afterId) {
      const reply = (await connection.xread(
        'COUNT',
        5000,
        'BLOCK',
        1000,
        'STREAMS',
        key,
        afterId,
      )) as XReadReply;
      return reply?.[0]?.[1];
    },
  };
}

interface Waiter {
  afterId: string;
  resolve: (entries: StreamEntries | undefined) => void;
}

/**
 * Waits for the inputs of every run a process coordinates with one blocking
 * `XREAD` over all their streams, on one connection — instead of a connection
 * per running run. A run that starts waiting while the read blocks wakes it
 * (`CLIENT UNBLOCK`), so the next read includes it.
 */
export class SharedInputsReader implements InputsReader {
  readonly #reader: Redis;
  readonly #control: Redis;
  readonly #waiting = new Map<string, Waiter>();
  #readerId: Promise<number | undefined> | undefined;
  #looping = false;
  #blocked = false;
  #closed = false;
  readonly #failures: FailureEpisode;

  /**
   * `reader`: a connection used only for the blocking reads; `control`: any
   * command connection; `logger` hears when the reads fail and when they work again.
   */
  constructor(reader: Redis, control: Redis, logger?: Logger) {
    this.#reader = reader;
    this.#control = control;
    this.#failures = new FailureEpisode(logger, 'reading the runs’ mail (XREAD)');
  }

  read(key: string, afterId: string): Promise<StreamEntries | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#waiting.get(key)?.resolve(undefined);
      this.#waiting.set(key, { afterId, resolve });
      if (!this.#looping) {
        this.#looping = true;
        void this.#loop();
      } else if (this.#blocked) {
        void this.#unblock();
      }
    });
  }

  // Both best effort, not logged: without the reader's id or a working unblock, a run that starts
  // waiting is read at the next turn of the loop, within the read's 1 s block; an outage that makes
  // them fail is reported by the connection and by the read itself.
  #readerIdOnce(): Promise<number | undefined> {
    this.#readerId ??= (this.#reader.client('ID') as Promise<number>).catch(() => undefined);
    return this.#readerId;
  }

  async #unblock(): Promise<void> {
    const id = await this.#readerIdOnce();
    if (id !== undefined && this.#blocked) await this.#control.client('UNBLOCK', id).catch(() => 0);
  }

  async #loop(): Promise<void> {
    // Learn the reader's client id before the first block, so an unblock can find it.
    await this.#readerIdOnce();
    while (this.#waiting.size > 0 && !this.#closed) {
      const asked = new Map(this.#waiting);
      const keys = [...asked.keys()];
      let reply: XReadReply = null;
      this.#blocked = true;
      try {
        reply = (await this.#reader.xread(
          'COUNT',
          5000,
          'BLOCK',
          1000,
          'STREAMS',
          ...keys,
          ...keys.map((key) => (asked.get(key) as Waiter).afterId),
        )) as XReadReply;
        this.#failures.succeeded();
      } catch (error) {
        // Redis away or refusing: ioredis reconnects; the waiters ask again after a pause.
        if (!this.#closed) await pause(this.#failures.failed(error));
      } finally {
        this.#blocked = false;
      }
      const answered = new Map(reply ?? []);
      for (const [key, waiter] of asked) {
        // A waiter replaced meanwhile was already answered with `undefined`.
        if (this.#waiting.get(key) !== waiter) continue;
        this.#waiting.delete(key);
        waiter.resolve(answered.get(key));
      }
    }
    this.#looping = false;
  }

  /** Answers every waiter with `undefined` and stops reading. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiting.values()) waiter.resolve(undefined);
    this.#waiting.clear();
  }
}
