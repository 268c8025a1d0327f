/**
 * The abort signal of one layer attempt, made only when something asks for
 * it: most layers never read `context.signal`, and an `AbortController` for
 * every attempt costs a few microseconds and garbage. An abort before the
 * signal exists is remembered and shows on it. (The worker's processor does
 * not take BullMQ's own job signal, which only `Worker.cancelJob` aborts and
 * BullMQ would otherwise make for every job: fusync's cancels and timeouts
 * come through this class.)
 */
export class AttemptAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;

  /** The attempt's signal (made at the first read). */
  get signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#aborted) controller.abort(this.#reason);
    return controller.signal;
  }

  /** Whether the attempt was aborted (a cancel or its timeout). */
  get aborted(): boolean {
    return this.#aborted;
  }

  /** Why it was aborted, if it was. */
  get reason(): unknown {
    return this.#reason;
  }

  /** Aborts the attempt; the first reason stands. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }
}
