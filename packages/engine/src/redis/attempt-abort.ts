/**
 * The abort signal of one layer attempt, made only when something asks for
 * it: most layers never read `context.signal`, and an `AbortController` with
 * a listener on BullMQ's job signal costs every attempt a few microseconds.
 * An abort before the signal exists is remembered and shows on it.
 */
export class AttemptAbort {
  readonly #jobSignal: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #onJobAbort: (() => void) | undefined;

  /** `jobSignal`: BullMQ's signal of the job, which aborts the attempt too. */
  constructor(jobSignal?: AbortSignal) {
    this.#jobSignal = jobSignal;
  }

  /** The attempt's signal (made at the first read). */
  get signal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = new AbortController();
    this.#controller = controller;
    const job = this.#jobSignal;
    if (this.#aborted) controller.abort(this.#reason);
    else if (job?.aborted) controller.abort(job.reason);
    else if (job) {
      this.#onJobAbort = () => controller.abort(job.reason);
      job.addEventListener('abort', this.#onJobAbort, { once: true });
    }
    return controller.signal;
  }

  /** Whether the attempt was aborted (a cancel, its timeout, or BullMQ's job signal). */
  get aborted(): boolean {
    return (
      this.#aborted ||
      this.#controller?.signal.aborted === true ||
      this.#jobSignal?.aborted === true
    );
  }

  /** Why it was aborted, if it was. */
  get reason(): unknown {
    if (this.#aborted) return this.#reason;
    if (this.#controller?.signal.aborted) return this.#controller.signal.reason;
    return this.#jobSignal?.aborted ? this.#jobSignal.reason : undefined;
  }

  /** Aborts the attempt; the first reason stands. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  /** The attempt is over: stops listening to BullMQ's job signal. */
  dispose(): void {
    if (this.#onJobAbort) this.#jobSignal?.removeEventListener('abort', this.#onJobAbort);
  }
}
