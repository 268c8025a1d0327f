import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** One finished span, as the Spans panel lists it. */
export interface SpanRow {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** Epoch ms. */
  start: number;
  durationMs: number;
  status: 'unset' | 'ok' | 'error';
  statusMessage: string | undefined;
  attributes: Readonly<Record<string, unknown>>;
  links: number;
  events: number;
}

export type ExportState = 'off' | 'on' | 'error';

export interface TraceState {
  spans: readonly SpanRow[];
  otlpEndpoint: string;
  exportState: ExportState;
  exportError: string | undefined;
  exported: number;
}

export interface TraceActions {
  addSpans(spans: readonly SpanRow[]): void;
  clearSpans(): void;
  setOtlpEndpoint(endpoint: string): void;
  setExportState(state: ExportState, error?: string): void;
  countExported(count: number): void;
}

export type TraceStore = TraceState & TraceActions;

/** Spans kept for the panel; older ones are dropped first. */
export const SPAN_LIMIT = 5000;

const ENDPOINT_KEY = 'fusync.studio.otlpEndpoint';

function savedEndpoint(): string {
  try {
    return globalThis.localStorage?.getItem(ENDPOINT_KEY) ?? '';
  } catch {
    return '';
  }
}

export function createTraceStore() {
  return createStore<TraceStore>()((set, get) => ({
    spans: [],
    otlpEndpoint: savedEndpoint(),
    exportState: 'off',
    exportError: undefined,
    exported: 0,
    addSpans(spans) {
      if (spans.length === 0) return;
      const all = [...get().spans, ...spans];
      set({ spans: all.length > SPAN_LIMIT ? all.slice(all.length - SPAN_LIMIT) : all });
    },
    clearSpans: () => set({ spans: [] }),
    setOtlpEndpoint(otlpEndpoint) {
      try {
        globalThis.localStorage?.setItem(ENDPOINT_KEY, otlpEndpoint);
      } catch {
        // Storage may be unavailable (private mode); the endpoint then lasts for this tab only.
      }
      set({ otlpEndpoint });
    },
    setExportState: (exportState, exportError) => set({ exportState, exportError }),
    countExported: (count) => set({ exported: get().exported + count }),
  }));
}

export const traceStore = createTraceStore();

export function useTraceStore<T>(selector: (state: TraceStore) => T): T {
  return useStore(traceStore, selector);
}

export const selectSpans = (state: TraceStore) => state.spans;
export const selectOtlpEndpoint = (state: TraceStore) => state.otlpEndpoint;
export const selectExportState = (state: TraceStore) => state.exportState;
export const selectExportError = (state: TraceStore) => state.exportError;
export const selectExported = (state: TraceStore) => state.exported;
