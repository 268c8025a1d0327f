import { randomUUID } from 'node:crypto';
import {
  type OperationRegistry,
  planRerun,
  type RunEvent,
  type RunHandle,
  type SequenceJson,
} from 'fusync';
import { ApiError, notFound } from '../http/api-error.js';
import { validateSequence } from '../sequences/validate-sequence.js';
import { RunEventLog } from './run-event-log.js';
import { assertRunId } from './run-id.js';
import {
  DEFAULT_PAGE_SIZE,
  type RerunOptions,
  type RunEventsOptions,
  type RunPage,
  type RunService,
  type RunSummary,
  type RunView,
  type StartRunOptions,
} from './run-service.js';
import { runViewOf, summaryOfEvents, unknownCursor } from './run-view.js';

/** Options of `MemoryRunService`. */
export interface MemoryRunServiceOptions {
  /** The operations posted sequences may name. */
  operations: OperationRegistry;
  /** Finished runs kept for `list`, `get` and `events`; older ones are dropped first. Default `1000`. */
  maxFinishedRuns?: number;
}

interface MemoryRun {
  readonly log: RunEventLog;
  readonly handle: RunHandle;
  /** The sequence as it ran, validated: a rerun runs it again. */
  readonly sequence: SequenceJson;
}

/**
 * Runs sequences inside the server process with the engine's in-memory
 * executor (the embedded default when no Redis is configured). Each run's
 * event list is its only record.
 */
export class MemoryRunService implements RunService {
  readonly #operations: OperationRegistry;
  readonly #maxFinishedRuns: number;
  /** In start order, which `list` reverses and pruning walks from the oldest. */
  readonly #runs = new Map<string, MemoryRun>();
  #closed = false;

  constructor(options: MemoryRunServiceOptions) {
    const max = options.maxFinishedRuns ?? 1000;
    if (!Number.isInteger(max) || max < 0)
      throw new TypeError(`Expected \`maxFinishedRuns\` to be an integer ≥ 0, got \`${max}\`.`);
    this.#operations = options.operations;
    this.#maxFinishedRuns = max;
  }

  async start(
    sequence: unknown,
    input: Record<string, unknown>,
    options: StartRunOptions = {},
  ): Promise<{ runId: string }> {
    if (this.#closed) throw new ApiError('INTERNAL', 'The run service is shutting down.');
    if (options.runId !== undefined) assertRunId(options.runId);
    const { builder, json } = await validateSequence(sequence, this.#operations, {
      toRun: true,
    });
    const runId = this.#newRunId(options.runId);
    const log = new RunEventLog();
    const handle = builder.run(input, { runId, onEvent: (event) => log.append(event) });
    this.#track(runId, { log, handle, sequence: json });
    return { runId };
  }

  async rerun(
    parentRunId: string,
    options: RerunOptions = {},
  ): Promise<{ runId: string; parentRunId: string } | undefined> {
    if (this.#closed) throw new ApiError('INTERNAL', 'The run service is shutting down.');
    if (options.runId !== undefined) assertRunId(options.runId);
    const parent = this.#runs.get(parentRunId);
    if (!parent) return undefined;
    const events = parent.log.events;
    // Planned here as well as by the builder so a refusal (a run still going, `from` naming no
    // layer, …) throws before the run is registered.
    planRerun(parent.sequence.layers, events, options.from);
    const { builder } = await validateSequence(parent.sequence, this.#operations);
    const runId = this.#newRunId(options.runId);
    const log = new RunEventLog();
    const handle = builder.startRerun(events, {
      runId,
      onEvent: (event) => log.append(event),
      ...(options.from === undefined ? {} : { from: options.from }),
      ...(options.input === undefined ? {} : { input: options.input }),
    });
    this.#track(runId, { log, handle, sequence: parent.sequence });
    return { runId, parentRunId };
  }

  async activeCount(): Promise<number> {
    let active = 0;
    for (const run of this.#runs.values()) if (!run.log.finished) active++;
    return active;
  }

  async list(page: RunPage = {}): Promise<RunSummary[]> {
    const newestFirst = [...this.#runs.keys()].reverse();
    let start = 0;
    if (page.after !== undefined) {
      start = newestFirst.indexOf(page.after) + 1;
      if (start === 0) throw unknownCursor(page.after);
    }
    return newestFirst
      .slice(start, start + (page.limit ?? DEFAULT_PAGE_SIZE))
      .map((runId) => summaryOfEvents(runId, (this.#runs.get(runId) as MemoryRun).log.events));
  }

  async get(runId: string): Promise<RunView | undefined> {
    const run = this.#runs.get(runId);
    return run && runViewOf(run.log.events);
  }

  async *events(runId: string, options: RunEventsOptions = {}): AsyncGenerator<RunEvent> {
    const run = this.#runs.get(runId);
    if (!run) throw notFound('run', runId);
    if (options.follow === false) {
      const after = options.after ?? -1;
      yield* run.log.events.filter((event) => event.seq > after);
      return;
    }
    yield* run.log.follow(options.after, options.signal);
  }

  async cancel(
    runId: string,
  ): Promise<{ status: RunView['status']; cancelled: boolean } | undefined> {
    const run = this.#runs.get(runId);
    if (!run) return undefined;
    const cancelled = !run.log.finished;
    if (cancelled) run.handle.cancel(new Error('Cancelled through the API.'));
    return { status: summaryOfEvents(runId, run.log.events).status, cancelled };
  }

  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#runs.values()].filter((run) => !run.log.finished);
    for (const run of running) run.handle.cancel(new Error('The server is shutting down.'));
    await Promise.allSettled(running.map((run) => run.handle.result));
  }

  #newRunId(requested: string | undefined): string {
    const runId = requested ?? randomUUID();
    if (this.#runs.has(runId))
      throw new ApiError('RUN_EXISTS', `A run with id \`${runId}\` already exists.`, {
        path: 'runId',
      });
    return runId;
  }

  #track(runId: string, run: MemoryRun): void {
    this.#runs.set(runId, run);
    // The sequence (and a rerun's plan) was checked first, so `result` settles only when the run ends.
    void run.handle.result.finally(() => this.#prune());
  }

  #prune(): void {
    let finished = 0;
    for (const run of this.#runs.values()) if (run.log.finished) finished++;
    for (const [runId, run] of this.#runs) {
      if (finished <= this.#maxFinishedRuns) break;
      if (run.log.finished) {
        this.#runs.delete(runId);
        finished--;
      }
    }
  }
}
