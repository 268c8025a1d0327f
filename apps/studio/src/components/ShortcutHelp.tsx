import '../find/find.css';
import { dialogsStore, selectOpenDialog, useDialogsStore } from '../stores/dialogs-store';
import { DialogFrame } from './DialogFrame';

/** Every keyboard shortcut of the studio; what `?` shows. */
export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'Ctrl K', what: 'Find a layer or an operation (Ctrl F on the canvas)' },
  { keys: 'Ctrl Z', what: 'Undo' },
  { keys: 'Ctrl ⇧ Z / Ctrl Y', what: 'Redo' },
  { keys: 'Ctrl C / Ctrl V', what: 'Copy / paste the selected layers' },
  { keys: 'Del / ⌫', what: 'Delete the selection' },
  { keys: 'Ctrl A', what: 'Select every layer' },
  { keys: 'Esc', what: 'Clear the selection; close a dialog' },
  { keys: 'Shift drag', what: 'Box select' },
  { keys: 'Ctrl click', what: 'Add to the selection' },
  { keys: 'Enter', what: 'Commit an inspector field (Esc restores it)' },
  { keys: '← →', what: 'Resize the Gantt chart and the ASCII view (on the bar between them)' },
  { keys: '?', what: 'This list' },
];

const close = () => dialogsStore.getState().show(undefined);

/** The keyboard shortcuts, on `?`. */
export function ShortcutHelp() {
  const open = useDialogsStore(selectOpenDialog);
  if (open !== 'help') return null;
  return (
    <DialogFrame
      title="Keyboard shortcuts"
      testId="shortcut-help"
      onClose={close}
      className="narrow"
    >
      <div className="body single">
        <p className="drop-hint">Ctrl is ⌘ on a Mac. Shortcuts wait while you type in a field.</p>
        <dl className="shortcut-list">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.keys} className="shortcut-row">
              <dt>
                <span className="kbd">{shortcut.keys}</span>
              </dt>
              <dd>{shortcut.what}</dd>
            </div>
          ))}
        </dl>
      </div>
    </DialogFrame>
  );
}
