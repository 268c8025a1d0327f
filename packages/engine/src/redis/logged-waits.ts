/**
 * Workers of this process waiting to hear that the outcomes they mailed are
 * logged (the coordinator publishes `<run id>\n<mail id>` on the logged
 * channel once it has logged a run's mail up to that entry and queued the
 * jobs those outcomes admitted). A worker holds its job's slot meanwhile, so
 * BullMQ's fetch as the job finishes finds the next jobs — instead of an idle
 * slot woken for each of them, fetched one after another. A wait ends after
 * `ms` without a word: the message is only a hint (pub/sub may lose it, a
 * coordinator may be gone), never what the outcome's safety depends on.
 */
export class LoggedWaits {
  readonly #waiting = new Map<string, Waiter[]>();
  /**
   * The last mail id heard logged, by run: the message can overtake the
   * answer that starts a wait (they come on two connections).
   */
  readonly #heard = new Map<string, string>();

  /** Resolves once `mailId` of the run is heard logged, or after `ms`. */
  wait(runId: string, mailId: string, ms: number): Promise<void> {
    const heard = this.#heard.get(runId);
    if (heard !== undefined && streamIdAtMost(mailId, heard)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: Waiter = { mailId, resolve, timer: undefined };
      waiter.timer = setTimeout(() => this.#end(runId, waiter), ms);
      const list = this.#waiting.get(runId);
      if (list) list.push(waiter);
      else this.#waiting.set(runId, [waiter]);
    });
  }

  /** A message of the logged channel: ends the waits it covers. */
  heard(message: string): void {
    const at = message.indexOf('\n');
    if (at < 0) return;
    const runId = message.slice(0, at);
    const logged = message.slice(at + 1);
    // Runs that finished are never forgotten one by one: past a bound, all are (the next wait of a
    // run still going then lasts until its next message).
    if (this.#heard.size >= HEARD_RUNS_KEPT && !this.#heard.has(runId)) this.#heard.clear();
    const before = this.#heard.get(runId);
    if (before === undefined || streamIdAtMost(before, logged)) this.#heard.set(runId, logged);
    const list = this.#waiting.get(runId);
    if (!list) return;
    const left = list.filter((waiter) => {
      if (!streamIdAtMost(waiter.mailId, logged)) return true;
      clearTimeout(waiter.timer);
      waiter.resolve();
      return false;
    });
    if (left.length === 0) this.#waiting.delete(runId);
    else if (left.length < list.length) this.#waiting.set(runId, left);
  }

  #end(runId: string, waiter: Waiter): void {
    const list = this.#waiting.get(runId);
    const at = list ? list.indexOf(waiter) : -1;
    if (list && at >= 0) {
      list.splice(at, 1);
      if (list.length === 0) this.#waiting.delete(runId);
    }
    waiter.resolve();
  }
}

/** Runs whose last logged mail id is kept (see `LoggedWaits#heard`). */
const HEARD_RUNS_KEPT = 1024;

interface Waiter {
  mailId: string;
  resolve: () => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Whether stream entry id `a` (`<ms>-<seq>`) comes no later than `b`. */
export function streamIdAtMost(a: string, b: string): boolean {
  const dashA = a.indexOf('-');
  const dashB = b.indexOf('-');
  const msA = Number(a.slice(0, dashA));
  const msB = Number(b.slice(0, dashB));
  if (msA !== msB) return msA < msB;
  return Number(a.slice(dashA + 1)) <= Number(b.slice(dashB + 1));
}
