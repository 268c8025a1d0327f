import type { RunEvent, RunEventType, SequenceJson } from 'fusync';
import { RunEventBatcher, type RunStoreApi, runStore } from '../stores/run-store';
import { cancelActiveRun, setActiveRun } from './active-run';
import { cancelServerRun, postRun } from './server-api';

const EVENT_TYPES: readonly RunEventType[] = [
  'run:started',
  'layer:queued',
  'layer:started',
  'layer:retrying',
  'layer:succeeded',
  'layer:failed',
  'layer:skipped',
  'run:finished',
];

let following: EventSource | undefined;

/** Stops following the server run on display (the run itself goes on). */
export function stopFollowing(store: RunStoreApi = runStore): void {
  following?.close();
  following = undefined;
  if (store.getState().connection !== 'idle') store.getState().setConnection('closed');
}

/**
 * Follows a server run over its events stream (`GET /api/runs/:id/events`).
 * A finished run replays its whole record; a running one streams live. After
 * a network blip the browser's EventSource reconnects by itself and sends
 * `Last-Event-ID`, so the server resumes where the stream broke.
 */
export function followServerRun(runId: string, store: RunStoreApi = runStore): void {
  stopFollowing(store);
  const batcher = new RunEventBatcher(store);
  if (store.getState().runId !== runId || store.getState().source !== 'server')
    store.getState().begin('server', runId);
  store.getState().setConnection('connecting');
  const source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
  following = source;
  let finished = false;
  source.onopen = () => {
    if (following === source) store.getState().setConnection('open');
  };
  source.onerror = () => {
    if (following !== source) return;
    if (finished || source.readyState === EventSource.CLOSED) {
      if (!finished)
        store
          .getState()
          .fail(
            'The events stream closed before the run finished. Open the run again from the Runs tab.',
          );
      store.getState().setConnection('closed');
      following = undefined;
      return;
    }
    store.getState().setConnection('reconnecting');
  };
  const onMessage = (message: MessageEvent<string>) => {
    let event: RunEvent;
    try {
      event = JSON.parse(message.data) as RunEvent;
    } catch {
      return;
    }
    batcher.push(event);
    if (event.type === 'run:finished') {
      finished = true;
      batcher.flush();
      source.close();
      if (following === source) following = undefined;
      store.getState().setConnection('closed');
      setActiveRun(undefined);
    }
  };
  for (const type of EVENT_TYPES) source.addEventListener(type, onMessage as EventListener);
  setActiveRun(() => {
    void cancelServerRun(runId).catch((error: unknown) =>
      store.getState().fail(`Cancel failed: ${(error as Error).message}`),
    );
  });
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
