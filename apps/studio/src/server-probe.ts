import { checkHealth, fetchServerOperations } from './run/server-api';
import { uiStore } from './stores/ui-store';

/** Asks whether a server answers at /api, and for its operations; again every `intervalMs`. */
export function probeServer(intervalMs = 15_000): () => void {
  let stopped = false;
  const probe = async () => {
    const online = await checkHealth();
    if (stopped) return;
    if (!online) {
      uiStore.getState().setServer('offline', []);
      return;
    }
    try {
      const operations = await fetchServerOperations();
      if (!stopped) uiStore.getState().setServer('online', operations);
    } catch {
      if (!stopped) uiStore.getState().setServer('online', []);
    }
  };
  void probe();
  const timer = setInterval(() => void probe(), intervalMs);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
