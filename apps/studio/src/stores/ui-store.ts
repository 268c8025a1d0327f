import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { defaultRunInput, type OperationInfo } from '../operations';

export type PanelTab = 'gantt' | 'timeline' | 'graph' | 'metrics' | 'spans' | 'runs';
/** The text view beside the Gantt chart in the run tab. */
export type AsciiView = 'timeline' | 'graph' | 'metrics';
/** Share of the run tab's width the Gantt chart takes; the ASCII view has the rest. */
export const SPLIT_LIMITS = { min: 0.25, max: 0.8, initial: 0.58 } as const;
/** What the inspector shows of a selected layer: its fields, or what the run did with it. */
export type InspectorTab = 'settings' | 'details';
export type NoticeKind = 'error' | 'info' | 'success';
export type ServerState = 'unknown' | 'online' | 'offline';

export interface Notice {
  id: number;
  kind: NoticeKind;
  text: string;
}

export interface UiState {
  /** The panel's tab: `gantt` is the run tab (the Gantt chart beside an ASCII view). */
  panelTab: PanelTab;
  asciiView: AsciiView;
  /** Width of the Gantt chart in the run tab, as a share of it (`SPLIT_LIMITS`). */
  splitRatio: number;
  panelOpen: boolean;
  /** Height of the run panel in px. */
  panelHeight: number;
  notice: Notice | undefined;
  importOpen: boolean;
  inspectorTab: InspectorTab;
  /** The attempt the details panel scrolls to (a Gantt bar was clicked). */
  focusedAttempt: { layer: string; attempt: number } | undefined;
  /** The rerun dialog, open when set: where the rerun starts. */
  rerunFrom: 'failed' | readonly string[] | undefined;
  /** The run input as the user typed it (a JSON object). */
  inputText: string;
  /** Concurrency of simulations, as typed (empty: the sequence's own). */
  simulateConcurrency: string;
  serverState: ServerState;
  serverOperations: readonly OperationInfo[];
}

export interface UiActions {
  /** Opens a tab; `timeline`, `graph` and `metrics` open the run tab with that view beside the Gantt chart. */
  setPanelTab(tab: PanelTab): void;
  setSplitRatio(ratio: number): void;
  togglePanel(open?: boolean): void;
  setPanelHeight(height: number): void;
  /** Shows a notice in place of the last; all but errors leave by themselves after `NOTICE_MS`. */
  notify(kind: NoticeKind, text: string): void;
  dismissNotice(id?: number): void;
  setImportOpen(open: boolean): void;
  setInspectorTab(tab: InspectorTab): void;
  /** Shows a layer's run details, scrolled to one attempt when given. */
  showDetails(layer: string, attempt?: number): void;
  openRerun(from: 'failed' | readonly string[]): void;
  closeRerun(): void;
  setInputText(text: string): void;
  setSimulateConcurrency(text: string): void;
  setServer(state: ServerState, operations?: readonly OperationInfo[]): void;
}

export type UiStore = UiState & UiActions;

/** How long an information or success notice stays; errors stay until dismissed. */
export const NOTICE_MS = 5000;

export function createUiStore() {
  let noticeId = 0;
  let noticeTimer: ReturnType<typeof setTimeout> | undefined;
  return createStore<UiStore>()((set, get) => ({
    panelTab: 'gantt',
    asciiView: 'timeline',
    splitRatio: SPLIT_LIMITS.initial,
    panelOpen: true,
    // 340 px, or less on a short window, so the canvas keeps more than half of it (dragging sets any height).
    panelHeight: Math.min(340, Math.round((globalThis.innerHeight || 1000) * 0.46)),
    notice: undefined,
    importOpen: false,
    inspectorTab: 'settings',
    focusedAttempt: undefined,
    rerunFrom: undefined,
    inputText: JSON.stringify(defaultRunInput, null, 2),
    simulateConcurrency: '',
    serverState: 'unknown',
    serverOperations: [],
    setPanelTab: (tab) =>
      set(
        tab === 'timeline' || tab === 'graph' || tab === 'metrics'
          ? { panelTab: 'gantt', asciiView: tab, panelOpen: true }
          : { panelTab: tab, panelOpen: true },
      ),
    setSplitRatio: (ratio) =>
      set({ splitRatio: Math.min(Math.max(ratio, SPLIT_LIMITS.min), SPLIT_LIMITS.max) }),
    togglePanel: (open) => set({ panelOpen: open ?? !get().panelOpen }),
    setPanelHeight: (height) =>
      set({ panelHeight: Math.round(Math.min(Math.max(height, 160), 900)) }),
    notify: (kind, text) => {
      const id = ++noticeId;
      set({ notice: { id, kind, text } });
      if (noticeTimer !== undefined) clearTimeout(noticeTimer);
      noticeTimer =
        kind === 'error' ? undefined : setTimeout(() => get().dismissNotice(id), NOTICE_MS);
    },
    dismissNotice: (id) => {
      const notice = get().notice;
      if (notice && (id === undefined || notice.id === id)) set({ notice: undefined });
    },
    setImportOpen: (importOpen) => set({ importOpen }),
    setInspectorTab: (inspectorTab) => set({ inspectorTab, focusedAttempt: undefined }),
    showDetails: (layer, attempt) =>
      set({
        inspectorTab: 'details',
        focusedAttempt: attempt === undefined ? undefined : { layer, attempt },
      }),
    openRerun: (rerunFrom) => set({ rerunFrom }),
    closeRerun: () => set({ rerunFrom: undefined }),
    setInputText: (inputText) => set({ inputText }),
    setSimulateConcurrency: (simulateConcurrency) => set({ simulateConcurrency }),
    setServer: (serverState, operations) =>
      set({ serverState, ...(operations ? { serverOperations: operations } : {}) }),
  }));
}

export const uiStore = createUiStore();

export function useUiStore<T>(selector: (state: UiStore) => T): T {
  return useStore(uiStore, selector);
}

export const selectPanelTab = (state: UiStore) => state.panelTab;
export const selectAsciiView = (state: UiStore) => state.asciiView;
export const selectSplitRatio = (state: UiStore) => state.splitRatio;
export const selectPanelOpen = (state: UiStore) => state.panelOpen;
export const selectPanelHeight = (state: UiStore) => state.panelHeight;
export const selectNotice = (state: UiStore) => state.notice;
export const selectImportOpen = (state: UiStore) => state.importOpen;
export const selectInspectorTab = (state: UiStore) => state.inspectorTab;
export const selectFocusedAttempt = (state: UiStore) => state.focusedAttempt;
export const selectRerunFrom = (state: UiStore) => state.rerunFrom;
export const selectInputText = (state: UiStore) => state.inputText;
export const selectSimulateConcurrency = (state: UiStore) => state.simulateConcurrency;
export const selectServerState = (state: UiStore) => state.serverState;
export const selectServerOperations = (state: UiStore) => state.serverOperations;
