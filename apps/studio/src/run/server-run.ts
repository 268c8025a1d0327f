import type { RunEvent, RunEventType, SequenceJson } from 'fusync';
import { RunEventBatcher, type RunStoreApi, runStore } from '../stores/run-store';
import { cancelActiveRun, setActiveRun } from './active-run';
import { cancelServerRun, postRerun, postRun } from './server-api';

const EVENT_TYPES: readonly RunEventType[] = [
  'run:started',
  'layer:queued',
  'layer:started',
  'layer:redelivered',
  'layer:retrying',
  'layer:succeeded',
  'layer:failed',
  'layer:skipped',
  'layer:reused',
  'run:finished',
];

/** Waits between reconnection attempts of our own: 0.5 s, 1 s, 2 s, … up to 10 s. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 10_000];

/** The stream being followed; `stop()` ends it for good. */
let following: { stop(): void } | undefined;

/** Stops following the server run on display (the run itself goes on). */
export function stopFollowing(store: RunStoreApi = runStore): void {
  following?.stop();
  following = undefined;
  if (store.getState().connection !== 'idle') store.getState().setConnection('closed');
}

/**
 * Follows a server run over its events stream (`GET /api/runs/:id/events`).
 * A finished run replays its whole record; a running one streams live.
 * After a network blip the browser's EventSource reconnects by itself with
 * `Last-Event-ID`; when it gives up instead (Chromium does when the network
 * is gone), a new stream resumes with `?after=<last seq>`, after a short
 * back-off or as soon as the browser is back online. The connection state
 * is shown in the run panel.
 */
export function followServerRun(runId: string, store: RunStoreApi = runStore): void {
  stopFollowing(store);
  const batcher = new RunEventBatcher(store);
  if (store.getState().runId !== runId || store.getState().source !== 'server') {
    store.getState().begin('server', runId);
  }
  store.getState().setConnection('connecting');
  const url = `/api/runs/${encodeURIComponent(runId)}/events`;
  let lastSeq = -1;
  let finished = false;
  let stopped = false;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let source: EventSource | undefined;

  const finish = () => {
    finished = true;
    batcher.flush();
    stop();
    store.getState().setConnection('closed');
    setActiveRun(undefined);
  };

  const onMessage = (message: MessageEvent<string>) => {
    let event: RunEvent;
    try {
      event = JSON.parse(message.data) as RunEvent;
    } catch {
      return;
    }
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    batcher.push(event);
    if (event.type === 'run:finished') finish();
  };

  const open = () => {
    retryTimer = undefined;
    if (stopped) return;
    const current = new EventSource(lastSeq >= 0 ? `${url}?after=${lastSeq}` : url);
    source = current;
    current.onopen = () => {
      attempt = 0;
      if (source === current) store.getState().setConnection('open');
    };
    current.onerror = () => {
      if (source !== current || finished || stopped) return;
      store.getState().setConnection('reconnecting');
      if (current.readyState !== EventSource.CLOSED) return;
      // The browser gave up: reconnect ourselves, resuming after the last event received.
      current.close();
      const delay = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length - 1)] as number;
      attempt++;
      retryTimer = setTimeout(open, delay);
      if (attempt >= 3) {
        // A server restarted in memory mode forgets its runs: stop retrying once it says so.
        void fetch(`/api/runs/${encodeURIComponent(runId)}`).then(
          (response) => {
            if (response.status !== 404 || stopped) return;
            stop();
            store.getState().setConnection('closed');
            store.getState().fail(`The server no longer knows run ${runId}.`);
          },
          () => {},
        );
      }
    };
    for (const type of EVENT_TYPES) current.addEventListener(type, onMessage as EventListener);
  };

  const onOnline = () => {
    if (retryTimer !== undefined) {
      clearTimeout(retryTimer);
      open();
    }
  };

  function stop(): void {
    stopped = true;
    source?.close();
    source = undefined;
    if (retryTimer !== undefined) clearTimeout(retryTimer);
    globalThis.removeEventListener?.('online', onOnline);
    if (following === handle) following = undefined;
  }

  const handle = { stop };
  following = handle;
  globalThis.addEventListener?.('online', onOnline);
  open();
  setActiveRun(() => {
    void cancelServerRun(runId).catch((error: unknown) =>
      store.getState().fail(`Cancel failed: ${(error as Error).message}`),
    );
  }, 'server');
}

/** Starts a server run of the sequence and follows it live. Resolves to the run id. */
export async function runOnServer(
  json: SequenceJson,
  input: Record<string, unknown>,
  store: RunStoreApi = runStore,
): Promise<string> {
  cancelActiveRun();
  stopFollowing(store);
  store.getState().begin('server');
  let runId: string;
  try {
    runId = await postRun(json, input);
  } catch (error) {
    store.getState().fail((error as Error).message);
    throw error;
  }
  followServerRun(runId, store);
  return runId;
}

/**
 * Reruns a finished server run (`POST /api/runs/:id/rerun`) and follows the
 * new run live. The run on display stays until the server has accepted the
 * rerun, so a refusal (a ServerError naming the layer) loses nothing.
 * Resolves to the new run's id.
 */
export async function rerunOnServer(
  parentRunId: string,
  rerun: { from: 'failed' | readonly string[]; input: Record<string, unknown> },
  store: RunStoreApi = runStore,
): Promise<string> {
  const runId = await postRerun(parentRunId, rerun);
  cancelActiveRun();
  followServerRun(runId, store);
  return runId;
}
