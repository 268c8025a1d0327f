import { useCallback, useEffect, useState } from 'react';
import { formatDuration } from '../gantt/gantt-model';
import { openServerRun } from '../run/run-belongs';
import { fetchServerRuns, type ServerRunSummary } from '../run/server-api';
import { selectRunId, useRunStore } from '../stores/run-store';
import { selectServerState, uiStore, useUiStore } from '../stores/ui-store';

/** Runs the server knows of; opening one replays its events into the Gantt chart. */
export function ServerRunsView() {
  const serverState = useUiStore(selectServerState);
  const currentRunId = useRunStore(selectRunId);
  const [runs, setRuns] = useState<ServerRunSummary[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const refresh = useCallback(() => {
    fetchServerRuns().then(
      (list) => {
        setRuns(list);
        setError(undefined);
      },
      (failure: unknown) => setError((failure as Error).message),
    );
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new run on display refreshes the list.
  useEffect(() => {
    if (serverState === 'online') refresh();
  }, [serverState, refresh, currentRunId]);

  if (serverState !== 'online') {
    return (
      <div className="empty-state">
        <strong>No server</strong>
        <span>
          No server answers at /api. Start it with <code>pnpm start</code> and open the studio it
          serves to run sequences there.
        </span>
      </div>
    );
  }
  return (
    <div className="spans-layout">
      <div className="view-toolbar">
        <span>Runs on the server, newest first. Open one to replay its events.</span>
        <span className="spacer" />
        {error && <span style={{ color: 'var(--danger)' }}>{error}</span>}
        <button type="button" className="button small" onClick={refresh} data-testid="refresh-runs">
          Refresh
        </button>
      </div>
      {runs && runs.length === 0 ? (
        <div className="empty-state">
          <strong>No server runs yet</strong>
          <span>
            Press <em>Run on server</em> to start one.
          </span>
        </div>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="server-runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Sequence</th>
                <th>Status</th>
                <th>Started</th>
                <th>Duration</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(runs ?? []).map((run) => (
                <tr
                  key={run.runId}
                  data-testid="server-run-row"
                  data-run-id={run.runId}
                  data-parent-run-id={run.parentRunId}
                >
                  <td className="mono">
                    {run.runId}
                    {run.parentRunId && (
                      <span
                        className="rerun-of"
                        data-testid="server-run-parent"
                        data-parent-run-id={run.parentRunId}
                      >
                        ↻ rerun of {run.parentRunId}
                      </span>
                    )}
                  </td>
                  <td>{run.sequenceName ?? '—'}</td>
                  <td>
                    {run.status ? (
                      <span className={`status-chip ${run.status}`}>{run.status}</span>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{run.startedAt ? new Date(run.startedAt).toLocaleTimeString() : '—'}</td>
                  <td className="mono">
                    {run.durationMs !== undefined
                      ? formatDuration(run.durationMs)
                      : run.finishedAt !== undefined && run.startedAt !== undefined
                        ? formatDuration(run.finishedAt - run.startedAt)
                        : run.status === 'running'
                          ? 'running'
                          : '—'}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      onClick={() => {
                        openServerRun(run.runId);
                        uiStore.getState().setPanelTab('gantt');
                      }}
                    >
                      {run.runId === currentRunId ? 'Reopen' : 'Open'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
