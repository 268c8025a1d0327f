import { currentSequenceJson, type GraphStoreApi } from '../stores/graph-store';
import { demoSequence } from './demo-sequence';
import { readSequence } from './read-sequence';

/** Where the current sequence is kept between visits. */
export const STORAGE_KEY = 'fusync.studio.sequence';

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Opens the sequence saved by the last visit, or the demo sequence on a first visit. */
export function restoreSequence(store: GraphStoreApi): 'restored' | 'demo' {
  const text = storage()?.getItem(STORAGE_KEY);
  if (text) {
    const read = readSequence(text);
    if (read.ok) {
      store.getState().loadSequence(read.json, { recordHistory: false });
      return 'restored';
    }
  }
  store.getState().loadSequence(demoSequence, { recordHistory: false });
  return 'demo';
}

/** Saves the sequence after every change (debounced) and when the page goes away, so a reload loses nothing. */
export function persistSequence(store: GraphStoreApi, delayMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    timer = undefined;
    try {
      storage()?.setItem(STORAGE_KEY, JSON.stringify(currentSequenceJson(store.getState())));
    } catch {
      // A full or unavailable storage must not break editing.
    }
  };
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.revision === previous.revision) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  });
  const flush = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      save();
    }
  };
  globalThis.addEventListener?.('pagehide', flush);
  globalThis.addEventListener?.('beforeunload', flush);
  return () => {
    flush();
    unsubscribe();
    globalThis.removeEventListener?.('pagehide', flush);
    globalThis.removeEventListener?.('beforeunload', flush);
  };
}
