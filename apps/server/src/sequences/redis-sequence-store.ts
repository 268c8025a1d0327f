import { parseSequenceJson, type SequenceJson } from 'fusync';
import type { RedisClient } from 'fusync/redis';
import { assertSequenceName } from './sequence-name.js';
import { type SequenceStore, type SequenceSummary, summarize } from './sequence-store.js';

/** A stored sequence with the time it was last written: one field of the hash. */
interface StoredSequence {
  updatedAt: number;
  sequence: unknown;
}

/**
 * Sequences in Redis, for `REDIS_URL` mode: one hash (`<prefix>:sequences`),
 * name → `{ updatedAt, sequence }` (the JSON `save()` writes), so every
 * server of a deployment sees the same ones.
 */
export class RedisSequenceStore implements SequenceStore {
  readonly #redis: RedisClient;
  readonly #key: string;

  /** `key`: the hash, e.g. `manager.keys.sequences` of the deployment's run manager. */
  constructor(redis: RedisClient, key: string) {
    this.#redis = redis;
    this.#key = key;
  }

  async list(): Promise<SequenceSummary[]> {
    const all = await this.#redis.hgetall(this.#key);
    return Object.keys(all)
      .sort()
      .map((name) => {
        let updatedAt = 0;
        try {
          const stored = JSON.parse(all[name] as string) as StoredSequence;
          updatedAt = Number(stored.updatedAt) || 0;
          return summarize(name, parseSequenceJson(stored.sequence), updatedAt);
        } catch (error) {
          // One damaged entry (another version, a hand edit) must not hide the others.
          const reason = error instanceof Error ? error.message : String(error);
          return { name, layerCount: 0, updatedAt, error: reason };
        }
      });
  }

  async get(name: string): Promise<SequenceJson | undefined> {
    const text = await this.#redis.hget(this.#key, assertSequenceName(name));
    return text === null
      ? undefined
      : parseSequenceJson((JSON.parse(text) as StoredSequence).sequence);
  }

  async put(name: string, sequence: SequenceJson): Promise<{ created: boolean }> {
    const stored: StoredSequence = { updatedAt: Date.now(), sequence };
    const added = await this.#redis.hset(
      this.#key,
      assertSequenceName(name),
      JSON.stringify(stored),
    );
    return { created: added === 1 };
  }

  async delete(name: string): Promise<boolean> {
    return (await this.#redis.hdel(this.#key, assertSequenceName(name))) === 1;
  }
}
