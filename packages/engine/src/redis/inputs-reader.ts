import type { Redis } from 'ioredis';

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

  /** `reader`: a connection used only for the blocking reads; `control`: any command connection. */
  constructor(reader: Redis, control: Redis) {
    this.#reader = reader;
    this.#control = control;
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

  async #unblock(): Promise<void> {
    this.#readerId ??= (this.#reader.client('ID') as Promise<number>).catch(() => undefined);
    const id = await this.#readerId;
    if (id !== undefined && this.#blocked) await this.#control.client('UNBLOCK', id).catch(() => 0);
  }

  async #loop(): Promise<void> {
    // Learn the reader's client id before the first block, so an unblock can find it.
    this.#readerId ??= (this.#reader.client('ID') as Promise<number>).catch(() => undefined);
    await this.#readerId;
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
      } catch {
        // Redis away: ioredis reconnects; the waiters ask again.
        await new Promise((resolve) => setTimeout(resolve, 200));
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
