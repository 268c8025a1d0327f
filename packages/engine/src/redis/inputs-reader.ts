import type { Redis } from 'ioredis';
import type { Logger } from '../core/logger.js';
import type { RedisClient } from './connection.js';
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
export function dedicatedInputsReader(connection: RedisClient): InputsReader {
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

/**
 * A mail channel message: the stream's key alone, or (from `RECORD_OUTCOME`)
 * the key, the id of the entry before, the new entry's id and its input, one
 * per line (JSON holds no raw line break).
 */
function parseMailMessage(message: string): {
  key: string;
  entry?: { before: string; id: string; input: string };
} {
  const first = message.indexOf('\n');
  if (first < 0) return { key: message };
  const second = message.indexOf('\n', first + 1);
  const third = second < 0 ? -1 : message.indexOf('\n', second + 1);
  if (third < 0) return { key: message.slice(0, first) };
  return {
    key: message.slice(0, first),
    entry: {
      before: message.slice(first + 1, second),
      id: message.slice(second + 1, third),
      input: message.slice(third + 1),
    },
  };
}

interface NotifiedWaiter {
  afterId: string;
  resolve: (entries: StreamEntries | undefined) => void;
  /** A read of the stream is on its way. */
  reading: boolean;
  /** The channel rang while it was: read again. */
  rung: boolean;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Waits for the inputs of every run a process coordinates on a Redis
 * Cluster, where one blocking `XREAD` cannot span the runs (their streams
 * are on different slots, often different nodes). Whoever writes a run's
 * mail publishes the stream's key on the mail channel; this reader, subscribed to it,
 * reads that stream (a plain `XREAD`, routed to its node) — or, when the
 * message carries the entry and it is the very next one, takes it from the
 * message without a read. Pub/sub may lose a
 * message (a reconnect): every wait also reads once when it starts, and ends
 * empty after about a second, so the next wait reads again.
 */
export class NotifiedInputsReader implements InputsReader {
  readonly #commands: RedisClient;
  readonly #waitMs: number;
  readonly #waiting = new Map<string, NotifiedWaiter>();
  readonly #subscribed: Promise<unknown>;
  #closed = false;
  readonly #failures: FailureEpisode;

  /**
   * `subscriber`: a connection of its own, subscribed to `channel`;
   * `commands`: any command connection; `logger` hears when reads fail;
   * `waitMs` (default 1000): how long a wait lasts without a message.
   */
  constructor(
    subscriber: RedisClient,
    commands: RedisClient,
    channel: string,
    logger?: Logger,
    waitMs = 1000,
  ) {
    this.#commands = commands;
    this.#waitMs = waitMs;
    this.#failures = new FailureEpisode(logger, 'reading the runs’ mail (XREAD)', {
      key: channel,
    });
    // A failed subscribe leaves the one-second rereads: slower, never stuck. The connection logs it.
    this.#subscribed = subscriber.subscribe(channel).catch(() => undefined);
    subscriber.on('message', (_channel: string, message: string) => {
      const { key, entry } = parseMailMessage(message);
      const waiter = this.#waiting.get(key);
      if (!waiter) return;
      // The entry right after the one the wait starts from: nothing between them, no read needed.
      if (entry && !waiter.reading && entry.before === waiter.afterId) {
        this.#finish(key, [[entry.id, ['d', entry.input]]]);
        return;
      }
      if (waiter.reading) waiter.rung = true;
      else void this.#readFor(key, waiter);
    });
  }

  read(key: string, afterId: string): Promise<StreamEntries | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.#finish(key, undefined);
      const waiter: NotifiedWaiter = {
        afterId,
        resolve,
        reading: false,
        rung: false,
        timer: setTimeout(() => this.#finish(key, undefined), this.#waitMs),
      };
      this.#waiting.set(key, waiter);
      // Subscribed first, then read: mail written after this read rings the channel.
      void this.#subscribed.then(() => this.#readFor(key, waiter));
    });
  }

  async #readFor(key: string, waiter: NotifiedWaiter): Promise<void> {
    do {
      if (this.#waiting.get(key) !== waiter) return;
      waiter.reading = true;
      waiter.rung = false;
      let entries: StreamEntries | undefined;
      try {
        const reply = (await this.#commands.xread(
          'COUNT',
          5000,
          'STREAMS',
          key,
          waiter.afterId,
        )) as XReadReply;
        this.#failures.succeeded();
        entries = reply?.[0]?.[1];
      } catch (error) {
        // Redis away or refusing: the waiter ends empty at its timer and the coordinator asks again.
        this.#failures.failed(error);
      } finally {
        waiter.reading = false;
      }
      if (entries && entries.length > 0) {
        if (this.#waiting.get(key) === waiter) this.#finish(key, entries);
        return;
      }
    } while (waiter.rung);
  }

  #finish(key: string, entries: StreamEntries | undefined): void {
    const waiter = this.#waiting.get(key);
    if (!waiter) return;
    this.#waiting.delete(key);
    clearTimeout(waiter.timer);
    waiter.resolve(entries);
  }

  /** Answers every waiter with `undefined` and stops reading. */
  close(): void {
    this.#closed = true;
    for (const key of [...this.#waiting.keys()]) this.#finish(key, undefined);
  }
}
