/**
 * Where the engine reads time and sets timers. The system clock is the
 * default; a `VirtualClock` makes runs instant and deterministic (simulation,
 * tests).
 */
export interface Clock {
  /** Milliseconds since the epoch (may carry a fraction). */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const timeOrigin = performance.timeOrigin;

/**
 * Real time: `performance.now()` anchored at `performance.timeOrigin`, real
 * timers. What runs use unless given a `clock`.
 *
 * @example
 * await sequence.build(input, { clock: systemClock }); // the default
 */
export const systemClock: Clock = {
  now: () => timeOrigin + performance.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) =>
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

interface VirtualTimer {
  at: number;
  order: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to. Timers fire in time order (ties in
 * the order they were set) as `advanceTo` or `runAll` pass them.
 *
 * @example
 * const clock = new VirtualClock(0);
 * clock.setTimeout(() => console.log(clock.now()), 50);
 * clock.runAll(); // prints 50
 */
export class VirtualClock implements Clock {
  #now: number;
  #order = 0;
  #timers: VirtualTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: VirtualTimer = {
      at: this.#now + Math.max(0, ms),
      order: this.#order++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(handle: unknown): void {
    if (handle && typeof handle === 'object' && 'cancelled' in handle)
      (handle as VirtualTimer).cancelled = true;
  }

  /** Number of timers still due. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Fires the earliest timer, moving time to it. Returns false when none is left. */
  step(): boolean {
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    if (this.#timers.length === 0) return false;
    let next = this.#timers[0] as VirtualTimer;
    for (const timer of this.#timers) {
      if (timer.at < next.at || (timer.at === next.at && timer.order < next.order)) next = timer;
    }
    this.#timers.splice(this.#timers.indexOf(next), 1);
    this.#now = Math.max(this.#now, next.at);
    next.callback();
    return true;
  }

  /** Fires every timer due up to `time`, then sets the clock to `time`. */
  advanceTo(time: number): void {
    for (;;) {
      const due = this.#timers.filter((t) => !t.cancelled && t.at <= time);
      if (due.length === 0) break;
      this.step();
    }
    this.#now = Math.max(this.#now, time);
  }

  /** Fires timers until none is left (timers set by timers included). */
  runAll(limit = 1_000_000): void {
    for (let i = 0; i < limit && this.step(); i++) {}
  }
}
