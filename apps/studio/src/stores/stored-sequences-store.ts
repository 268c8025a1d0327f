import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { listStoredSequences, type StoredSequence } from '../import-export/sequences-api';

export type StoredDialog = 'save' | 'open';

export interface StoredSequencesState {
  dialog: StoredDialog | undefined;
  /** The stored name the canvas was last opened from or saved under; a file import forgets it. */
  lastName: string | undefined;
  /** The server's list as last read; `undefined` before the first answer. */
  list: readonly StoredSequence[] | undefined;
  listError: string | undefined;
  loading: boolean;
}

export interface StoredSequencesActions {
  openDialog(dialog: StoredDialog): void;
  closeDialog(): void;
  setLastName(name: string | undefined): void;
  /** Reads the list again; resolves to it, or `undefined` when the server refused. */
  refresh(): Promise<readonly StoredSequence[] | undefined>;
}

export type StoredSequencesStore = StoredSequencesState & StoredSequencesActions;

export function createStoredSequencesStore(fetchList = listStoredSequences) {
  // Only the newest request may write the list: an older, slower answer must not win.
  let latest = 0;
  return createStore<StoredSequencesStore>()((set, get) => ({
    dialog: undefined,
    lastName: undefined,
    list: undefined,
    listError: undefined,
    loading: false,
    openDialog: (dialog) => {
      set({ dialog });
      void get().refresh();
    },
    closeDialog: () => set({ dialog: undefined }),
    setLastName: (lastName) => set({ lastName }),
    refresh: async () => {
      const id = ++latest;
      set({ loading: true });
      try {
        const sequences = await fetchList();
        if (id === latest) set({ list: sequences, listError: undefined, loading: false });
        return sequences;
      } catch (error) {
        if (id === latest) set({ listError: (error as Error).message, loading: false });
        return undefined;
      }
    },
  }));
}

export const storedSequencesStore = createStoredSequencesStore();

export function useStoredSequencesStore<T>(selector: (state: StoredSequencesStore) => T): T {
  return useStore(storedSequencesStore, selector);
}

export const selectStoredDialog = (state: StoredSequencesStore) => state.dialog;
export const selectLastStoredName = (state: StoredSequencesStore) => state.lastName;
export const selectStoredList = (state: StoredSequencesStore) => state.list;
export const selectStoredListError = (state: StoredSequencesStore) => state.listError;
export const selectStoredLoading = (state: StoredSequencesStore) => state.loading;
