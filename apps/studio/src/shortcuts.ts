import { dialogsStore } from './stores/dialogs-store';
import { graphStore } from './stores/graph-store';
import { storedSequencesStore } from './stores/stored-sequences-store';
import { uiStore } from './stores/ui-store';
import { copySelectionNow, deleteSelectionNow, pasteNow } from './studio-actions';

function isEditing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Keyboard shortcuts of the editor; ignored while typing in a field or with a dialog open. */
export function installShortcuts(): () => void {
  const onKeyDown = (event: KeyboardEvent) => {
    // Find opens from anywhere, a field included, as in editors and browsers' command menus.
    if (
      (event.ctrlKey || event.metaKey) &&
      !event.shiftKey &&
      event.key.toLowerCase() === 'k' &&
      document.querySelector('[role=dialog][aria-modal=true]') === null
    ) {
      event.preventDefault();
      dialogsStore.getState().show('find');
      return;
    }
    if (
      isEditing(event.target) ||
      uiStore.getState().importOpen ||
      document.querySelector('[role=dialog][aria-modal=true]') !== null ||
      storedSequencesStore.getState().dialog !== undefined
    )
      return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === 'z' && !event.shiftKey) graphStore.getState().undo();
    else if (mod && ((key === 'z' && event.shiftKey) || key === 'y')) graphStore.getState().redo();
    else if (mod && key === 'c') copySelectionNow();
    else if (mod && key === 'v') pasteNow();
    else if (mod && key === 'a') graphStore.getState().selectAll();
    else if (mod && key === 'f') dialogsStore.getState().show('find');
    else if (!mod && event.key === '?') dialogsStore.getState().show('help');
    else if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) deleteSelectionNow();
    else if (event.key === 'Escape') graphStore.getState().clearSelection();
    else return;
    event.preventDefault();
  };
  window.addEventListener('keydown', onKeyDown);
  return () => window.removeEventListener('keydown', onKeyDown);
}
