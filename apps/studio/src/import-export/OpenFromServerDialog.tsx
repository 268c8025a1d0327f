import { useState } from 'react';
import { DialogFrame } from '../components/DialogFrame';
import {
  selectStoredDialog,
  selectStoredList,
  selectStoredListError,
  selectStoredLoading,
  storedSequencesStore,
  useStoredSequencesStore,
} from '../stores/stored-sequences-store';
import { uiStore } from '../stores/ui-store';
import { layerCountText, openSequenceText } from './open-sequence';
import {
  deleteStoredSequence,
  failureText,
  fetchStoredSequence,
  type StoredSequence,
} from './sequences-api';

const close = () => storedSequencesStore.getState().closeDialog();
const refresh = () => void storedSequencesStore.getState().refresh();
const notify = (kind: 'info' | 'success', text: string) => uiStore.getState().notify(kind, text);

interface RowProps {
  entry: StoredSequence;
  /** Another row is being opened or deleted. */
  locked: boolean;
  onBusy(busy: boolean): void;
}

function StoredRow({ entry, locked, onBusy }: RowProps) {
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const { name } = entry;

  const act = async (action: () => Promise<void>) => {
    onBusy(true);
    setFailure(undefined);
    try {
      await action();
    } catch (error) {
      setFailure(failureText(error));
    } finally {
      onBusy(false);
    }
  };
  const open = () =>
    act(async () => {
      const result = openSequenceText(await fetchStoredSequence(name), name);
      if (!result.ok) {
        const first = result.problems[0];
        throw new Error(`${first?.path || '(root)'}: ${first?.message ?? 'not a sequence'}`);
      }
      close();
      notify(
        'success',
        `Opened \`${name}\` from the server: ${layerCountText(result.json.layers.length)}. Ctrl Z brings the previous canvas back.`,
      );
    });
  const remove = () =>
    act(async () => {
      const deleted = await deleteStoredSequence(name);
      setConfirming(false);
      await storedSequencesStore.getState().refresh();
      notify(
        'info',
        deleted
          ? `Deleted \`${name}\` from the server.`
          : `\`${name}\` was no longer on the server.`,
      );
    });

  return (
    <tr data-testid="stored-sequence" data-name={name} className={entry.error ? 'bad' : undefined}>
      <td>
        <div className="stored-name">{name}</div>
        {entry.title && entry.title !== name && <div className="muted">{entry.title}</div>}
        {(entry.error ?? failure) && (
          <div className="row-failure" role="alert">
            {entry.error ? `Cannot be opened: ${entry.error}` : failure}
          </div>
        )}
      </td>
      <td>{entry.error ? '—' : layerCountText(entry.layerCount)}</td>
      <td>{entry.updatedAt ? new Date(entry.updatedAt).toLocaleString() : '—'}</td>
      <td>
        <div className="row-actions">
          {confirming ? (
            <>
              <span>Delete it from the server?</span>
              <button
                type="button"
                className="button small danger"
                aria-label={`Confirm deleting ${name}`}
                disabled={locked}
                onClick={() => void remove()}
              >
                Delete
              </button>
              <button
                type="button"
                className="button small ghost"
                onClick={() => setConfirming(false)}
              >
                Keep
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                className="button small primary"
                aria-label={`Open ${name}`}
                disabled={locked || entry.error !== undefined}
                title={
                  entry.error ? `Cannot be opened: ${entry.error}` : 'Replace the canvas with it'
                }
                onClick={() => void open()}
              >
                Open
              </button>
              <button
                type="button"
                className="button small ghost"
                aria-label={`Delete ${name}`}
                disabled={locked}
                onClick={() => setConfirming(true)}
              >
                Delete
              </button>
            </>
          )}
        </div>
      </td>
    </tr>
  );
}

function OpenList() {
  const list = useStoredSequencesStore(selectStoredList);
  const listError = useStoredSequencesStore(selectStoredListError);
  const loading = useStoredSequencesStore(selectStoredLoading);
  const [busy, setBusy] = useState(false);

  return (
    <DialogFrame
      title="Open from the server"
      testId="open-server-dialog"
      onClose={close}
      className="narrow"
    >
      <div className="body single">
        <p className="drop-hint">
          Opening a stored sequence replaces the canvas, checked and laid out as Import does;{' '}
          <span className="kbd">Ctrl Z</span> brings the old one back.
        </p>
        {listError && (
          <div className="failure-box" role="alert">
            The server did not list its sequences: {listError}
          </div>
        )}
        {list && list.length === 0 ? (
          <div className="empty-state" style={{ height: 'auto', padding: '24px 0' }}>
            <strong>Nothing stored yet</strong>
            <span>
              <em>Save to server</em> stores the canvas here.
            </span>
          </div>
        ) : (
          <table className="data" aria-label="Sequences on the server" aria-busy={loading}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Layers</th>
                <th>Saved</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list?.map((entry) => (
                <StoredRow key={entry.name} entry={entry} locked={busy} onBusy={setBusy} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      <footer>
        <button type="button" className="button" onClick={refresh} disabled={loading}>
          Refresh
        </button>
        <span className="spacer" />
        <button type="button" className="button ghost" onClick={close}>
          Done
        </button>
      </footer>
    </DialogFrame>
  );
}

/** Lists the server's sequences: open one in place of the canvas, or delete it. */
export function OpenFromServerDialog() {
  const dialog = useStoredSequencesStore(selectStoredDialog);
  return dialog === 'open' ? <OpenList /> : null;
}
