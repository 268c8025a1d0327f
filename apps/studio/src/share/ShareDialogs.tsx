import { useEffect, useState } from 'react';
import { DialogFrame } from '../components/DialogFrame';
import { layerCountText } from '../import-export/open-sequence';
import { CopyButton } from '../panels/CopyButton';
import {
  currentSequenceJson,
  selectLayerCount,
  selectMeta,
  useGraphStore,
} from '../stores/graph-store';
import { downloadNow } from '../studio-actions';
import { acceptShare } from './open-shared-link';
import { SHARE_LINK_LIMIT, shareLink } from './share-link';
import { selectPendingShare, selectShareOpen, shareStore, useShareStore } from './share-store';

const closeShare = () => shareStore.getState().setOpen(false);

function ShareDialog() {
  const [link, setLink] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const layers = useGraphStore(selectLayerCount);
  useEffect(() => {
    const base = globalThis.location.href.split('#')[0] ?? globalThis.location.href;
    shareLink(currentSequenceJson(), base).then(setLink, (error: unknown) =>
      setFailure((error as Error).message),
    );
  }, []);
  const tooLong = link !== undefined && link.length > SHARE_LINK_LIMIT;
  return (
    <DialogFrame
      title="Share by link"
      testId="share-dialog"
      onClose={closeShare}
      className="narrow"
    >
      <div className="body single">
        <p className="drop-hint">
          The whole sequence — {layerCountText(layers)}, its options and canvas positions — goes
          into the link's fragment (after <code>#</code>), compressed: browsers never send it to a
          server. Opening the link shows this canvas; it replaces someone's own work only after they
          confirm.
        </p>
        {failure && (
          <div className="failure-box" role="alert">
            The link could not be made: {failure}
          </div>
        )}
        {link === undefined && !failure && <p className="muted">Compressing…</p>}
        {link !== undefined && !tooLong && (
          <div className="field">
            <label className="label" htmlFor="share-link">
              <span>Link</span>
              <small data-testid="share-length">
                {link.length.toLocaleString('en')} characters
              </small>
            </label>
            <input
              id="share-link"
              className="input code"
              readOnly
              value={link}
              data-testid="share-link"
              onFocus={(event) => event.currentTarget.select()}
            />
          </div>
        )}
        {tooLong && (
          <div className="confirm-box" role="alert" data-testid="share-too-long">
            This link would be {link.length.toLocaleString('en')} characters long: more than the{' '}
            {SHARE_LINK_LIMIT.toLocaleString('en')} that links travel safely (servers, proxies and
            chat apps cut or refuse longer ones). Send the sequence as a JSON file instead: the one
            Export downloads, which Import opens.
          </div>
        )}
      </div>
      <footer>
        <span className="spacer" />
        <button type="button" className="button ghost" onClick={closeShare}>
          Close
        </button>
        {tooLong ? (
          <button
            type="button"
            className="button primary"
            data-testid="share-download"
            onClick={() => {
              downloadNow();
              closeShare();
            }}
          >
            Download JSON
          </button>
        ) : (
          link !== undefined && <CopyButton text={link} label="Copy link" testId="share-copy" />
        )}
      </footer>
    </DialogFrame>
  );
}

function ConfirmSharedDialog({
  text,
  name,
  layers,
}: {
  text: string;
  name: string;
  layers: number;
}) {
  const meta = useGraphStore(selectMeta);
  const current = useGraphStore(selectLayerCount);
  const decline = () => shareStore.getState().setPending(undefined);
  return (
    <DialogFrame
      title="Open the shared sequence?"
      testId="share-confirm"
      onClose={decline}
      className="narrow"
    >
      <div className="body single">
        <p className="drop-hint">
          The link carries <strong>{name}</strong> ({layerCountText(layers)}). Opening it replaces
          the sequence on your canvas, <strong>{meta.name ?? 'untitled'}</strong> (
          {layerCountText(current)}); <span className="kbd">Ctrl Z</span> brings yours back.
        </p>
      </div>
      <footer>
        <span className="spacer" />
        <button
          type="button"
          className="button ghost"
          onClick={decline}
          data-testid="share-decline"
        >
          Keep mine
        </button>
        <button
          type="button"
          className="button primary"
          onClick={() => acceptShare(text)}
          data-testid="share-accept"
        >
          Open the shared sequence
        </button>
      </footer>
    </DialogFrame>
  );
}

/** The Share dialog, and the confirmation a link asks for before it replaces the user's work. */
export function ShareDialogs() {
  const open = useShareStore(selectShareOpen);
  const pending = useShareStore(selectPendingShare);
  return (
    <>
      {open && <ShareDialog />}
      {pending && (
        <ConfirmSharedDialog
          text={pending.text}
          name={pending.json.name ?? 'untitled'}
          layers={pending.json.layers.length}
        />
      )}
    </>
  );
}
