import { useEffect, useId, useRef, useState } from 'react';
import { DialogFrame } from '../components/DialogFrame';
import { currentSequenceJson, graphStore } from '../stores/graph-store';
import {
  selectStoredDialog,
  selectStoredList,
  storedSequencesStore,
  useStoredSequencesStore,
} from '../stores/stored-sequences-store';
import { uiStore } from '../stores/ui-store';
import { layerCountText } from './open-sequence';
import {
  failureText,
  type StoredSequence,
  saveStoredSequence,
  storedNameFor,
  storedNameProblem,
} from './sequences-api';

const close = () => storedSequencesStore.getState().closeDialog();

/** The name a save starts with: the one last used for this canvas, else the sequence's own. */
function defaultName(): string {
  return storedSequencesStore.getState().lastName ?? storedNameFor(graphStore.getState().meta.name);
}

function SaveForm() {
  const list = useStoredSequencesStore(selectStoredList);
  const [name, setName] = useState(defaultName);
  const [busy, setBusy] = useState(false);
  const [replacing, setReplacing] = useState<StoredSequence | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const inputRef = useRef<HTMLInputElement>(null);
  const warningRef = useRef<HTMLDivElement>(null);
  const inputId = useId();
  const listId = useId();
  const problem = storedNameProblem(name);
  const { meta, nodes } = graphStore.getState();

  useEffect(() => {
    inputRef.current?.select();
  }, []);
  // The Save button was disabled while the list was asked for, which dropped focus to <body>:
  // it goes to the warning, read out, from which Tab reaches Cancel and Replace.
  useEffect(() => {
    if (replacing && !warningRef.current?.contains(document.activeElement))
      if (document.activeElement === document.body || document.activeElement === null)
        warningRef.current?.focus();
  }, [replacing]);

  const save = async (replace: boolean) => {
    if (problem || busy) return;
    setBusy(true);
    setFailure(undefined);
    if (!replace) {
      // Asked before writing; should the list be unreadable, the answer still tells a replacement.
      const existing = (await storedSequencesStore.getState().refresh())?.find(
        (entry) => entry.name === name,
      );
      if (existing) {
        setReplacing(existing);
        setBusy(false);
        return;
      }
    }
    const json = currentSequenceJson();
    try {
      const { created } = await saveStoredSequence(name, json);
      storedSequencesStore.getState().setLastName(name);
      close();
      uiStore
        .getState()
        .notify(
          'success',
          `${created ? 'Saved' : 'Replaced'} \`${name}\` on the server: ${layerCountText(json.layers.length)}.`,
        );
    } catch (error) {
      setReplacing(undefined);
      setFailure(failureText(error));
      setBusy(false);
    }
  };

  return (
    <DialogFrame
      title="Save to the server"
      testId="save-server-dialog"
      onClose={close}
      className="narrow"
    >
      <form
        className="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(replacing !== undefined);
        }}
      >
        <div className="body single">
          <p className="drop-hint">
            Stores {meta.name ? <strong>{meta.name}</strong> : 'the sequence'} (
            {layerCountText(nodes.length)}) as the JSON Export writes, positions included. The
            canvas does not change.
          </p>
          <div className="field">
            <label className="label" htmlFor={inputId}>
              <span>Name on the server</span>
              <small>letters, digits, _ and -</small>
            </label>
            <input
              ref={inputRef}
              id={inputId}
              className="input code"
              value={name}
              list={listId}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={Boolean(problem && name !== '')}
              onChange={(event) => {
                setName(event.target.value.trim());
                setReplacing(undefined);
                setFailure(undefined);
              }}
            />
            <datalist id={listId}>
              {list?.map((entry) => (
                <option key={entry.name} value={entry.name} />
              ))}
            </datalist>
            {problem && name !== '' && <div className="field-error">{problem}</div>}
          </div>
          {replacing && (
            <div
              ref={warningRef}
              tabIndex={-1}
              className="confirm-box"
              role="alert"
              data-testid="replace-warning"
            >
              <code>{name}</code> already exists on the server (
              {layerCountText(replacing.layerCount)}
              {replacing.updatedAt
                ? `, saved ${new Date(replacing.updatedAt).toLocaleString()}`
                : ''}
              ). Replace it with the canvas?
            </div>
          )}
          {failure && (
            <div className="failure-box" role="alert" data-testid="save-server-error">
              The server did not save it: {failure}
            </div>
          )}
        </div>
        <footer>
          <span className="spacer" />
          <button type="button" className="button ghost" onClick={close}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${replacing ? 'danger' : 'primary'}`}
            disabled={Boolean(problem) || busy}
            title={problem}
          >
            {replacing ? 'Replace' : 'Save'}
          </button>
        </footer>
      </form>
    </DialogFrame>
  );
}

/** Stores the canvas on the server under a name; asks before replacing one. */
export function SaveToServerDialog() {
  const dialog = useStoredSequencesStore(selectStoredDialog);
  return dialog === 'save' ? <SaveForm /> : null;
}
