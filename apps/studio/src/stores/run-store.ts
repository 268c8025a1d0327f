import {
  type LayerStatus,
  type RunEvent,
  type RunRecord,
  RunRecorder,
  type RunStatus,
} from 'fusync';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** Where the run on display came from. */
export type RunSource = 'browser' | 'server' | 'simulation' | 'file';

/** A layer's status on display: the engine's, or `reused` for a layer a rerun did not execute. */
export type LiveStatus = LayerStatus | 'reused';

/** State of the events stream of a server run. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RunState {
  source: RunSource | undefined;
  runId: string | undefined;
  /** On a rerun: the run whose results it reused. */
  parentRunId: string | undefined;
  /** `idle`: nothing shown; `starting`: asked for, no event yet. */
  status: RunStatus | 'idle' | 'starting';
  /**
   * The record the events fold into. It is mutated in place as events arrive
   * (10,000 bars would be too many to copy per frame): read it together with
   * `version`, which changes whenever it does.
   */
  record: RunRecord | undefined;
  version: number;
  /** Live status of each layer: nodes subscribe to their own key only. */
  layerStatus: Readonly<Record<string, LiveStatus>>;
  /** Attempts started per layer. */
  layerAttempts: Readonly<Record<string, number>>;
  connection: ConnectionState;
  /** Why the run could not start or stopped following, in words. */
  error: string | undefined;
  /** Browser epoch ms minus the run clock's epoch ms, so running bars grow in the run's time. */
  clockSkewMs: number;
  /**
   * The canvas shows this run's statuses. A run started from the canvas is
   * attached; one opened from the server's list or a file is attached only
   * when its layers are the canvas' (see `run-match.ts`).
   */
  attached: boolean;
  /** The run is a simulation (virtual clock, expected durations), not a real run. */
  simulated: boolean;
}

/** How a run is shown: attached to the canvas (default) or not, simulated or not. */
export interface ShowOptions {
  attached?: boolean;
  simulated?: boolean;
}

export interface RunActions {
  /** A new run is about to start: clears what was shown. */
  begin(source: RunSource, runId?: string, options?: ShowOptions): void;
  /** Folds a batch of events (one animation frame's worth) into the record; ignored once cleared. */
  receive(events: readonly RunEvent[]): void;
  /** Shows a complete record (a simulation). */
  show(record: RunRecord, source: RunSource, options?: ShowOptions): void;
  /** Shows (true) or hides (false) the run's statuses on the canvas. */
  attach(attached: boolean): void;
  setConnection(connection: ConnectionState): void;
  fail(message: string): void;
  clear(): void;
}

export type RunStore = RunState & RunActions;

const idle: RunState = {
  source: undefined,
  runId: undefined,
  parentRunId: undefined,
  status: 'idle',
  record: undefined,
  version: 0,
  layerStatus: {},
  layerAttempts: {},
  connection: 'idle',
  error: undefined,
  clockSkewMs: 0,
  attached: true,
  simulated: false,
};

/** Creates a run store. The studio uses one (`runStore`); tests make their own. */
export function createRunStore() {
  let recorder: RunRecorder | undefined;
  /** Set by `clear()` until the next `begin()`: late events of the run that was cleared are dropped. */
  let dropping = false;
  return createStore<RunStore>()((set, get) => ({
    ...idle,

    begin(source, runId, options = {}) {
      recorder = undefined;
      dropping = false;
      set({
        ...idle,
        source,
        runId,
        status: 'starting',
        version: get().version + 1,
        attached: options.attached ?? true,
        simulated: options.simulated ?? source === 'simulation',
      });
    },

    receive(events) {
      const state = get();
      // Cleared (another sequence was loaded): the events of the run that was on display are dropped.
      if (events.length === 0 || dropping) return;
      const first = events[0] as RunEvent;
      if (!recorder || recorder.record.runId !== first.runId)
        recorder = new RunRecorder(first.runId);
      const seen = recorder.record.events.length;
      const status: Record<string, LiveStatus> = { ...state.layerStatus };
      const attempts: Record<string, number> = { ...state.layerAttempts };
      let runStatus = state.status;
      let parentRunId = state.parentRunId;
      let attemptsChanged = false;
      for (const event of events) {
        // A resumed stream may repeat events the record already holds.
        if (event.seq < seen && recorder.record.events[event.seq]?.seq === event.seq) continue;
        recorder.apply(event);
        switch (event.type) {
          case 'run:started':
            runStatus = 'running';
            parentRunId = event.parentRunId;
            for (const layer of event.layers) status[layer.name] = 'pending';
            break;
          case 'layer:reused':
            status[event.layer] = 'reused';
            break;
          case 'run:finished':
            runStatus = event.status;
            break;
          case 'layer:started':
            status[event.layer] = 'running';
            attempts[event.layer] = event.attempt;
            attemptsChanged = true;
            break;
          case 'layer:queued':
            status[event.layer] = 'queued';
            break;
          case 'layer:retrying':
            status[event.layer] = 'retrying';
            break;
          case 'layer:succeeded':
            status[event.layer] = 'succeeded';
            break;
          case 'layer:failed':
            status[event.layer] = event.cancelled ? 'cancelled' : 'failed';
            break;
          case 'layer:skipped':
            status[event.layer] = 'skipped';
            break;
        }
      }
      const last = events[events.length - 1] as RunEvent;
      const skew = state.record === recorder.record ? state.clockSkewMs : Date.now() - last.time;
      set({
        record: recorder.record,
        runId: recorder.record.runId,
        parentRunId,
        version: state.version + 1,
        status: runStatus,
        layerStatus: status,
        ...(attemptsChanged ? { layerAttempts: attempts } : {}),
        clockSkewMs: Math.min(skew, Date.now() - last.time),
      });
    },

    show(record, source, options = {}) {
      recorder = undefined;
      const status: Record<string, LiveStatus> = {};
      const attempts: Record<string, number> = {};
      for (const layer of record.layers) {
        status[layer.name] = layer.reusedFrom === undefined ? layer.status : 'reused';
        // The attempt's number: a redelivered attempt has an entry per worker in the record.
        attempts[layer.name] = layer.attempts.at(-1)?.attempt ?? 0;
      }
      set({
        ...idle,
        source,
        runId: record.runId,
        parentRunId: record.parentRunId,
        status: record.status,
        record,
        version: get().version + 1,
        layerStatus: status,
        layerAttempts: attempts,
        attached: options.attached ?? true,
        simulated: options.simulated ?? source === 'simulation',
      });
    },

    attach(attached) {
      if (get().attached !== attached) set({ attached });
    },

    setConnection(connection) {
      if (get().connection !== connection) set({ connection });
    },

    fail(message) {
      set({ error: message, status: get().status === 'starting' ? 'failed' : get().status });
    },

    clear() {
      recorder = undefined;
      dropping = true;
      set({ ...idle, version: get().version + 1 });
    },
  }));
}

export type RunStoreApi = ReturnType<typeof createRunStore>;

/** The studio's run store. */
export const runStore: RunStoreApi = createRunStore();

export function useRunStore<T>(selector: (state: RunStore) => T): T {
  return useStore(runStore, selector);
}

export const selectRunStatus = (state: RunStore) => state.status;
export const selectRunSource = (state: RunStore) => state.source;
export const selectRunVersion = (state: RunStore) => state.version;
export const selectRunError = (state: RunStore) => state.error;
export const selectConnection = (state: RunStore) => state.connection;
export const selectRunId = (state: RunStore) => state.runId;
export const selectParentRunId = (state: RunStore) => state.parentRunId;
export const selectIsRunning = (state: RunStore) =>
  state.status === 'running' || state.status === 'starting';
/** A selector for one layer's live status. */
/** A selector for one layer's live status; none for a run not attached to the canvas. */
export const selectLayerStatus = (name: string) => (state: RunStore) =>
  state.attached ? state.layerStatus[name] : undefined;
export const selectLayerAttempts = (name: string) => (state: RunStore) => state.layerAttempts[name];
export const selectSimulated = (state: RunStore) => state.simulated;
export const selectAttached = (state: RunStore) => state.attached;
/**
 * One layer's status, attempts and whether the run is simulated in one
 * string (`running|2|`, `succeeded|1|sim`): one subscription per node,
 * compared by value. Empty for a run not attached to the canvas.
 */
export const selectLayerLive = (name: string) => (state: RunStore) =>
  state.attached
    ? `${state.layerStatus[name] ?? ''}|${state.layerAttempts[name] ?? 0}|${state.simulated ? 'sim' : ''}`
    : '|0|';

/**
 * Collects events and hands them to the store once per animation frame, so
 * a burst of events costs one store update and one render.
 */
export class RunEventBatcher {
  #buffer: RunEvent[] = [];
  #scheduled = false;
  readonly #store: RunStoreApi;

  constructor(store: RunStoreApi = runStore) {
    this.#store = store;
  }

  push = (event: RunEvent): void => {
    this.#buffer.push(event);
    if (this.#scheduled) return;
    this.#scheduled = true;
    const schedule =
      typeof requestAnimationFrame === 'function' &&
      typeof document !== 'undefined' &&
      !document.hidden
        ? requestAnimationFrame
        : (callback: () => void) => setTimeout(callback, 16);
    schedule(() => this.flush());
  };

  /** Hands every buffered event to the store now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#buffer.length === 0) return;
    const batch = this.#buffer;
    this.#buffer = [];
    this.#store.getState().receive(batch);
  }
}
