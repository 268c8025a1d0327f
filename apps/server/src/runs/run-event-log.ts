import type { RunEvent } from 'fusync';

/**
 * The event record of one run held in memory, with followers: each follower
 * replays what it missed and then waits for what comes next. Events carry
 * `seq` from 0 in order, so `seq` is the index into the list.
 */
export class RunEventLog {
  readonly #events: RunEvent[] = [];
  readonly #wakeUps = new Set<() => void>();

  get events(): readonly RunEvent[] {
    return this.#events;
  }

  get finished(): boolean {
    return this.#events.at(-1)?.type === 'run:finished';
  }

  append(event: RunEvent): void {
    this.#events.push(event);
    if (this.#wakeUps.size === 0) return;
    const wakeUps = [...this.#wakeUps];
    this.#wakeUps.clear();
    for (const wakeUp of wakeUps) wakeUp();
  }

  /** Events with `seq > after`, then live ones; ends after `run:finished` or when `signal` aborts. */
  async *follow(after = -1, signal?: AbortSignal): AsyncGenerator<RunEvent> {
    let next = Math.max(0, Math.floor(after) + 1);
    for (;;) {
      while (next < this.#events.length) {
        const event = this.#events[next++] as RunEvent;
        yield event;
        if (event.type === 'run:finished') return;
      }
      if (this.finished || signal?.aborted) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal?.removeEventListener('abort', done);
          this.#wakeUps.delete(done);
          resolve();
        };
        this.#wakeUps.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }
}
