import { useReactFlow } from '@xyflow/react';
import { CannotRunBadge, cannotRunText, useCannotRun } from '../run/CannotRunBadge';
import { useRunMismatch } from '../run/run-belongs';
import { shareStore } from '../share/share-store';
import {
  graphStore,
  selectCanRedo,
  selectCanUndo,
  selectLayerCount,
  selectMeta,
  useGraphStore,
} from '../stores/graph-store';
import {
  selectIsRunning,
  selectRunSource,
  selectRunStatus,
  selectSimulated,
  useRunStore,
} from '../stores/run-store';
import { storedSequencesStore } from '../stores/stored-sequences-store';
import { type ServerState, selectServerState, uiStore, useUiStore } from '../stores/ui-store';
import {
  cancelRunNow,
  copyJsonNow,
  downloadNow,
  newSequenceNow,
  openRerunNow,
  runInBrowserNow,
  runOnServerNow,
  simulateNow,
} from '../studio-actions';
import { ThemeToggle } from '../theme/ThemeToggle';

const undo = () => graphStore.getState().undo();
const redo = () => graphStore.getState().redo();
const layout = () => graphStore.getState().autoLayout('TB');
const openShare = () => shareStore.getState().setOpen(true);
const openImport = () => uiStore.getState().setImportOpen(true);
const openSave = () => storedSequencesStore.getState().openDialog('save');
const openStored = () => storedSequencesStore.getState().openDialog('open');

/** Why the server's buttons are off, or `undefined` when a server answers. */
function serverAbsence(state: ServerState): string | undefined {
  if (state === 'online') return undefined;
  return state === 'unknown' ? 'Looking for a server at /api…' : 'No server answers at /api';
}

export function Toolbar() {
  const canUndo = useGraphStore(selectCanUndo);
  const canRedo = useGraphStore(selectCanRedo);
  const meta = useGraphStore(selectMeta);
  const layers = useGraphStore(selectLayerCount);
  const running = useRunStore(selectIsRunning);
  const status = useRunStore(selectRunStatus);
  const source = useRunStore(selectRunSource);
  const simulated = useRunStore(selectSimulated);
  const mismatch = useRunMismatch();
  const serverState = useUiStore(selectServerState);
  const { fitView } = useReactFlow();
  const cannotRunInBrowser = useCannotRun('browser');
  const cannotRunOnServer = useCannotRun('server');
  const absence = serverAbsence(serverState);
  // Offered once a run (not a simulation) has ended without succeeding.
  const canRerun =
    (status === 'failed' || status === 'cancelled') && source !== undefined && !simulated;

  return (
    <header className="toolbar">
      <div className="brand">
        <span className="brand-mark">F</span>
        <span className="brand-name">Fusync Studio</span>
        <ThemeToggle />
      </div>
      <span className="sequence-name" title="Sequence name (edit it in the inspector)">
        {meta.name ?? 'untitled'} · {layers} layer{layers === 1 ? '' : 's'}
      </span>
      <div className="toolbar-group">
        <button
          type="button"
          className="button ghost"
          onClick={undo}
          disabled={!canUndo}
          title="Undo (Ctrl+Z)"
          aria-label="Undo"
        >
          ↶
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={redo}
          disabled={!canRedo}
          title="Redo (Ctrl+Shift+Z)"
          aria-label="Redo"
        >
          ↷
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={layout}
          disabled={layers === 0}
          title="Arrange the layers with dagre (one undo step)"
        >
          Layout
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={() => void fitView({ padding: 0.15, maxZoom: 1, duration: 200 })}
          title="Show every layer"
        >
          Fit
        </button>
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          className="button ghost"
          onClick={newSequenceNow}
          data-testid="new-sequence"
          title="Start an empty sequence (Ctrl+Z brings this one back)"
        >
          New
        </button>
        <button type="button" className="button" onClick={openImport} data-testid="open-import">
          Import
        </button>
        <button
          type="button"
          className="button"
          onClick={downloadNow}
          data-testid="export-download"
          title="Download the sequence JSON"
        >
          Export
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={copyJsonNow}
          data-testid="export-copy"
          title="Copy the sequence JSON"
        >
          Copy JSON
        </button>
        <button
          type="button"
          className="button ghost"
          onClick={openShare}
          data-testid="share-open"
          title="A link that opens this sequence (layers, options, canvas positions)"
        >
          Share
        </button>
      </div>
      <div className="toolbar-spacer" />
      <div className="toolbar-group">
        <button
          type="button"
          className="button primary"
          onClick={runInBrowserNow}
          disabled={running}
          data-testid="run-browser"
          title={
            cannotRunInBrowser.length > 0
              ? cannotRunText('browser', cannotRunInBrowser)
              : 'Run in this tab'
          }
        >
          ▶ Run in browser
          <CannotRunBadge target="browser" names={cannotRunInBrowser} />
        </button>
        <button
          type="button"
          className="button"
          onClick={runOnServerNow}
          disabled={running || serverState !== 'online'}
          data-testid="run-server"
          title={
            serverState !== 'online'
              ? 'No server answers at /api'
              : cannotRunOnServer.length > 0
                ? cannotRunText('server', cannotRunOnServer)
                : 'Run on the server and follow it live'
          }
        >
          Run on server
          <CannotRunBadge target="server" names={cannotRunOnServer} />
        </button>
        <button
          type="button"
          className="button"
          onClick={simulateNow}
          disabled={running}
          data-testid="simulate"
          title="Preview the run on a virtual clock"
        >
          Simulate
        </button>
        {/* Cancel is off once a run has ended: a run that did not succeed offers its rerun in that place. */}
        {canRerun ? (
          <button
            type="button"
            className="button"
            onClick={() => openRerunNow('failed')}
            data-testid="rerun-failed"
            title={`Run the layers that did not succeed, and everything downstream, again ${source === 'server' ? 'on the server' : 'in this tab'}; reuse the other results`}
          >
            ↻ Rerun from failure
          </button>
        ) : (
          <button
            type="button"
            className="button danger"
            onClick={cancelRunNow}
            disabled={!running}
            data-testid="cancel-run"
          >
            Cancel
          </button>
        )}
      </div>
      <div className="toolbar-group" style={{ gap: 4 }}>
        {status !== 'idle' && (
          <span
            className={`pill ${status}${mismatch ? ' stale' : ''}`}
            data-testid="run-status"
            data-status={status}
            data-simulated={simulated}
            data-mismatch={mismatch?.kind}
            title={`${simulated ? 'Simulated run' : source ? `Last run: ${source}` : 'Run'}${mismatch ? (mismatch.kind === 'edited' ? ' of an older version of the sequence: the canvas was edited since' : ' of another sequence than the canvas') : ''}`}
          >
            {simulated ? `simulated · ${status}` : status}
            {mismatch ? (mismatch.kind === 'edited' ? ' · older' : ' · other') : ''}
          </span>
        )}
        <span
          className={`pill ${serverState === 'online' ? 'online' : 'offline'}`}
          data-testid="server-state"
          title="Server at /api"
        >
          server {serverState === 'unknown' ? '…' : serverState}
        </span>
        <button
          type="button"
          className="button small"
          onClick={openSave}
          disabled={absence !== undefined}
          title={absence ?? 'Store the sequence on the server under a name'}
          aria-label="Save to server"
        >
          Save
        </button>
        <button
          type="button"
          className="button small"
          onClick={openStored}
          disabled={absence !== undefined}
          title={absence ?? 'Open or delete a sequence stored on the server'}
          aria-label="Open from server"
        >
          Open
        </button>
      </div>
    </header>
  );
}
