import { type RunEvent, runRecordFromEvents, toWireEvent } from 'fusync';
import type { StoreApi } from 'zustand';
import { type RunSource, type RunStoreApi, selectIsRunning } from '../stores/run-store';
import type { AsciiView, PanelTab, UiStore } from '../stores/ui-store';
import { readRunEvents } from './read-run-events';

/** Where the run input and the panel the user had open are kept between visits. */
export const SESSION_KEY = 'fusync.studio.session';
/** Where the last finished run's events are kept between visits. */
export const LAST_RUN_KEY = 'fusync.studio.last-run';
/**
 * Largest run record kept (characters of JSON). localStorage holds about
 * 5 MB per origin, shared with the sequence; a run larger than this is not
 * kept, rather than push the sequence out.
 */
export const LAST_RUN_LIMIT = 2_000_000;
/** Runs with more events are not kept: their JSON would pass `LAST_RUN_LIMIT` anyway, and is not even made. */
export const LAST_RUN_EVENT_LIMIT = 12_000;
/** A finished run is written this long after it is shown, off the path of its first paint. */
const LAST_RUN_DELAY_MS = 1000;

const PANEL_TABS: readonly PanelTab[] = ['gantt', 'spans', 'runs'];
const ASCII_VIEWS: readonly AsciiView[] = ['timeline', 'graph', 'metrics'];
const SOURCES: readonly RunSource[] = ['browser', 'server', 'simulation', 'file'];

interface SessionJson {
  inputText?: unknown;
  simulateConcurrency?: unknown;
  panelTab?: unknown;
  asciiView?: unknown;
  splitRatio?: unknown;
  panelOpen?: unknown;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

function readJson(key: string): unknown {
  try {
    const text = storage()?.getItem(key);
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function write(key: string, value: string | undefined): void {
  try {
    if (value === undefined) storage()?.removeItem(key);
    else storage()?.setItem(key, value);
  } catch {
    // A full or unavailable storage loses only what a reload would have shown.
  }
}

/** Brings back the run input, the panel and the last finished run of the last visit. */
export function restoreSession(ui: StoreApi<UiStore>, run: RunStoreApi): void {
  const session = readJson(SESSION_KEY) as SessionJson | undefined;
  if (session && typeof session === 'object') {
    const patch: Partial<UiStore> = {};
    if (typeof session.inputText === 'string') patch.inputText = session.inputText;
    if (typeof session.simulateConcurrency === 'string')
      patch.simulateConcurrency = session.simulateConcurrency;
    if (PANEL_TABS.includes(session.panelTab as PanelTab))
      patch.panelTab = session.panelTab as PanelTab;
    if (ASCII_VIEWS.includes(session.asciiView as AsciiView))
      patch.asciiView = session.asciiView as AsciiView;
    if (typeof session.panelOpen === 'boolean') patch.panelOpen = session.panelOpen;
    ui.setState(patch);
    if (typeof session.splitRatio === 'number') ui.getState().setSplitRatio(session.splitRatio);
  }
  const last = readJson(LAST_RUN_KEY) as { source?: unknown; events?: unknown } | undefined;
  const events = last ? readRunEvents(last) : undefined;
  if (!last || !events || !SOURCES.includes(last.source as RunSource)) return;
  try {
    run.getState().show(runRecordFromEvents(events as RunEvent[]), last.source as RunSource);
  } catch {
    // A record this version cannot fold is dropped: the next run replaces it.
    write(LAST_RUN_KEY, undefined);
  }
}

/**
 * Keeps the session for the next visit: the run input, simulation
 * concurrency and panel as they change (debounced), and each run a second
 * after it has ended or been shown, or when the page goes away (a run still
 * going is not kept: a reload ends a browser run, and a server run is
 * reopened from Server runs; a run of more than `LAST_RUN_EVENT_LIMIT` events
 * is not kept). Clearing the run views forgets it.
 */
export function persistSession(ui: StoreApi<UiStore>, run: RunStoreApi, delayMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveSession = () => {
    timer = undefined;
    const { inputText, simulateConcurrency, panelTab, asciiView, splitRatio, panelOpen } =
      ui.getState();
    write(
      SESSION_KEY,
      JSON.stringify({
        inputText,
        simulateConcurrency,
        panelTab,
        asciiView,
        splitRatio,
        panelOpen,
      }),
    );
  };
  const unsubscribeUi = ui.subscribe((state, previous) => {
    if (
      state.inputText === previous.inputText &&
      state.simulateConcurrency === previous.simulateConcurrency &&
      state.panelTab === previous.panelTab &&
      state.asciiView === previous.asciiView &&
      state.splitRatio === previous.splitRatio &&
      state.panelOpen === previous.panelOpen
    )
      return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(saveSession, delayMs);
  });
  let runTimer: ReturnType<typeof setTimeout> | undefined;
  const saveRun = () => {
    runTimer = undefined;
    const { record, source, status } = run.getState();
    if (!record || !source || status === 'idle' || selectIsRunning(run.getState())) return;
    if (record.events.length > LAST_RUN_EVENT_LIMIT) {
      write(LAST_RUN_KEY, undefined);
      return;
    }
    const text = JSON.stringify({ source, events: record.events.map(toWireEvent) });
    write(LAST_RUN_KEY, text.length <= LAST_RUN_LIMIT ? text : undefined);
  };
  const unsubscribeRun = run.subscribe((state, previous) => {
    if (state.version === previous.version) return;
    if (runTimer !== undefined) clearTimeout(runTimer);
    runTimer = undefined;
    if (state.status === 'idle') {
      write(LAST_RUN_KEY, undefined);
      return;
    }
    if (selectIsRunning(state) || !state.record || !state.source) return;
    if (selectIsRunning(previous) || state.record !== previous.record)
      runTimer = setTimeout(saveRun, LAST_RUN_DELAY_MS);
  });
  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      saveSession();
    }
    if (runTimer !== undefined) {
      clearTimeout(runTimer);
      saveRun();
    }
  };
  globalThis.addEventListener?.('pagehide', flush);
  return () => {
    flush();
    unsubscribeUi();
    unsubscribeRun();
    globalThis.removeEventListener?.('pagehide', flush);
  };
}
