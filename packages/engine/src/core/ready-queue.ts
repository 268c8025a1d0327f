import { keepShape } from './shapes.js';
import type { QueueType } from './types.js';

/**
 * The ready set of one run: layers whose dependencies have all succeeded,
 * waiting for a concurrency slot. `pop` returns the layer that starts next,
 * under `compareReady`.
 *
 * Deliberately left out: slots, timers, persistence and delivery. The
 * scheduler owns admission; a store that sorts by one number (a Redis sorted
 * set, say) can order the same way with `readyScore`.
 */
export interface ReadyQueue {
  /** Adds a ready layer: its index, its priority, and its readiness order (`seq`, increasing). */
  push(layer: number, priority: number, seq: number): void;
  /** Removes and returns the layer that starts next, or `undefined` when none is ready. */
  pop(): number | undefined;
  readonly size: number;
  clear(): void;
}

/** A ready layer as `compareReady` orders it. */
export interface ReadyEntry {
  readonly layer: number;
  readonly priority: number;
  /** Readiness order: increases by one each time a layer becomes ready. */
  readonly seq: number;
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
 * Exact for integer priorities within ±1,000,000 and seq < 2^31.
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

  push(layer: number, priority: number, seq: number): void {
    const entry: ReadyEntry = { layer, priority, seq };
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

  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top?.layer;
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
    return top.layer;
  }

  clear(): void {
    this.#items.length = 0;
  }
}

/**
 * FIFO or LIFO for a run whose layers all share one priority: O(1) both ways,
 * layer indices only, in a ring of 32-bit integers. A layer is in the queue
 * at most once at a time, so a ring as long as the run has layers never
 * fills; it grows all the same if it must.
 */
export class ListReadyQueue implements ReadyQueue {
  #items: Int32Array;
  #head = 0;
  #size = 0;
  readonly #lifo: boolean;

  constructor(queueType: QueueType, capacity = 16) {
    this.#lifo = queueType === 'LIFO';
    this.#items = new Int32Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.#size;
  }

  push(layer: number): void {
    const items = this.#items;
    if (this.#size === items.length) {
      this.#grow();
      this.push(layer);
      return;
    }
    let at = this.#head + this.#size;
    if (at >= items.length) at -= items.length;
    items[at] = layer;
    this.#size++;
  }

  pop(): number | undefined {
    if (this.#size === 0) return undefined;
    const items = this.#items;
    this.#size--;
    if (this.#lifo) {
      let at = this.#head + this.#size;
      if (at >= items.length) at -= items.length;
      return items[at];
    }
    const layer = items[this.#head];
    this.#head = this.#head + 1 === items.length ? 0 : this.#head + 1;
    return layer;
  }

  clear(): void {
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    const items = this.#items;
    const next = new Int32Array(items.length * 2);
    for (let i = 0; i < this.#size; i++) {
      let at = this.#head + i;
      if (at >= items.length) at -= items.length;
      next[i] = items[at] as number;
    }
    this.#items = next;
    this.#head = 0;
  }
}

// Kept, for the shapes of both queues (see `keepShape`).
keepShape(new HeapReadyQueue('FIFO'));
keepShape(new ListReadyQueue('FIFO', 1));

/** Whether every layer has the same priority: a plain list then orders the ready layers as a heap would. */
export function samePriority(layers: readonly { readonly priority: number }[]): boolean {
  const first = layers[0]?.priority;
  for (let i = 1; i < layers.length; i++) {
    if ((layers[i] as { priority: number }).priority !== first) return false;
  }
  return true;
}

/**
 * The in-memory ready queue for a run of `capacity` layers: a plain list
 * when every priority is equal (`samePriority`), a heap otherwise.
 */
export function readyQueueFor(queueType: QueueType, same: boolean, capacity: number): ReadyQueue {
  return same ? new ListReadyQueue(queueType, capacity) : new HeapReadyQueue(queueType);
}

/** The in-memory ready queue for a run whose layers have these priorities. */
export function createReadyQueue(
  queueType: QueueType,
  priorities: readonly number[] | Iterable<number>,
): ReadyQueue {
  // An array is read by index: iterating it would build a result object per layer.
  const list = Array.isArray(priorities) ? (priorities as readonly number[]) : [...priorities];
  const first = list[0];
  let same = true;
  for (let i = 1; i < list.length && same; i++) same = list[i] === first;
  return readyQueueFor(queueType, same, list.length);
}
