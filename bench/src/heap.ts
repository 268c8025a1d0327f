const MB = 1024 * 1024;

/**
 * Peak `heapUsed` of one run, above the heap left after a full collection
 * just before it. Sampled on a timer and wherever the run calls `sample()`:
 * a run made of microtasks alone never lets a timer fire, so scenarios
 * sample from inside their layers too.
 */
export class HeapProbe {
  #baseline = 0;
  #peak = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    collectGarbage();
    this.#baseline = process.memoryUsage().heapUsed;
    this.#peak = this.#baseline;
    this.#timer = setInterval(() => this.sample(), 5);
  }

  sample(): void {
    const used = process.memoryUsage().heapUsed;
    if (used > this.#peak) this.#peak = used;
  }

  /** Stops sampling; returns the peak above the baseline, in MB. */
  stop(): number {
    this.sample();
    clearInterval(this.#timer);
    this.#timer = undefined;
    return (this.#peak - this.#baseline) / MB;
  }
}

/** A full collection when node runs with `--expose-gc`; otherwise nothing. */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export function canCollectGarbage(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}
