import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/** Overlays opened from the keyboard: Find (Ctrl+K) and the shortcut help (?). */
export type StudioDialog = 'find' | 'help';

export interface DialogsStore {
  open: StudioDialog | undefined;
  show(dialog: StudioDialog | undefined): void;
}

export const dialogsStore = createStore<DialogsStore>()((set) => ({
  open: undefined,
  show: (open) => set({ open }),
}));

export function useDialogsStore<T>(selector: (state: DialogsStore) => T): T {
  return useStore(dialogsStore, selector);
}

export const selectOpenDialog = (state: DialogsStore) => state.open;
