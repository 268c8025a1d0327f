import type { QueueType } from './types.js';

/** A layer that may start: its index, its priority and when it became ready. */
export interface ReadyEntry {
  readonly layer: number;
  readonly priority: number;
  /** Readiness order: increases by one each time a layer becomes ready. */
  readonly seq: number;
}

/**
 * The ready set of one run: layers whose dependencies have all succeeded,
 * waiting for a concurrency slot. `pop` returns the layer that starts next.
 *
 * Deliberately left out: slots, timers, persistence and delivery. The
 * scheduler owns admission; a distributed backend keeps its own ready set
 * (e.g. a Redis sorted set scored by `readyScore`) under the same order.
 */
export interface ReadyQueue {
  push(entry: ReadyEntry): void;
  pop(): ReadyEntry | undefined;
  readonly size: number;
  clear(): void;
}

/**
 * The one ordering rule of ready layers: higher priority first; among equal
 * priorities, FIFO takes the oldest (lowest seq), LIFO the newest.
 * Negative when `a` starts before `b`.
 */
export function compareReady(queueType: QueueType, a: ReadyEntry, b: ReadyEntry): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return queueType === 'FIFO' ? a.seq - b.seq : b.seq - a.seq;
}

/**
 * A single number ordering ready layers as `compareReady` does (lower starts
 * first), for stores that sort by one score, such as a Redis sorted set.
 * Exact for |priority| ≤ 1,000,000 and seq < 2^31.
 */
export function readyScore(queueType: QueueType, priority: number, seq: number): number {
  const tieBreak = queueType === 'FIFO' ? seq : 2 ** 31 - seq;
  return -priority * 2 ** 32 + tieBreak;
}

/** A binary heap under `compareReady`: O(log n) push and pop. */
export class HeapReadyQueue implements ReadyQueue {
  readonly #items: ReadyEntry[] = [];
  readonly #queueType: QueueType;

  constructor(queueType: QueueType) {
    this.#queueType = queueType;
  }

  get size(): number {
    return this.#items.length;
  }

  push(entry: ReadyEntry): void {
    const items = this.#items;
    let at = items.length;
    items.push(entry);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const above = items[parent] as ReadyEntry;
      if (compareReady(this.#queueType, entry, above) >= 0) break;
      items[at] = above;
      at = parent;
    }
    items[at] = entry;
  }

  pop(): ReadyEntry | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let at = 0;
    const size = items.length;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (
        right < size &&
        compareReady(this.#queueType, items[right] as ReadyEntry, items[left] as ReadyEntry) < 0
      ) {
        child = right;
      }
      if (compareReady(this.#queueType, items[child] as ReadyEntry, last) >= 0) break;
      items[at] = items[child] as ReadyEntry;
      at = child;
    }
    items[at] = last;
    return top;
  }

  clear(): void {
    this.#items.length = 0;
  }
}

/**
 * FIFO or LIFO for a run whose layers all share one priority: O(1) both ways.
 * Uses a head index, not `Array.prototype.shift`, which is slow on long arrays.
 */
export class ListReadyQueue implements ReadyQueue {
  #items: ReadyEntry[] = [];
  #head = 0;
  readonly #lifo: boolean;

  constructor(queueType: QueueType) {
    this.#lifo = queueType === 'LIFO';
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(entry: ReadyEntry): void {
    this.#items.push(entry);
  }

  pop(): ReadyEntry | undefined {
    if (this.#head >= this.#items.length) return undefined;
    if (this.#lifo) return this.#items.pop();
    const entry = this.#items[this.#head];
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return entry;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}

/** The in-memory ready queue for a run: a plain list when every priority is equal, a heap otherwise. */
export function createReadyQueue(queueType: QueueType, priorities: Iterable<number>): ReadyQueue {
  let first: number | undefined;
  for (const priority of priorities) {
    if (first === undefined) first = priority;
    else if (priority !== first) return new HeapReadyQueue(queueType);
  }
  return new ListReadyQueue(queueType);
}
