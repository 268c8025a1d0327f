import type { SequenceJson } from 'fusync';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** A shared sequence that waits for the user's word before it replaces the canvas. */
export interface PendingShare {
  /** The JSON text the link carried (checked: the engine accepts it). */
  text: string;
  json: SequenceJson;
}

export interface ShareState {
  /** The Share dialog is open. */
  open: boolean;
  pending: PendingShare | undefined;
}

export interface ShareActions {
  setOpen(open: boolean): void;
  setPending(pending: PendingShare | undefined): void;
}

export type ShareStore = ShareState & ShareActions;

export const shareStore = createStore<ShareStore>()((set) => ({
  open: false,
  pending: undefined,
  setOpen: (open) => set({ open }),
  setPending: (pending) => set({ pending }),
}));

export function useShareStore<T>(selector: (state: ShareStore) => T): T {
  return useStore(shareStore, selector);
}

export const selectShareOpen = (state: ShareStore) => state.open;
export const selectPendingShare = (state: ShareStore) => state.pending;
