import { parseRunInput } from '../run/run-input';
import {
  selectConnection,
  selectParentRunId,
  selectRunError,
  selectRunId,
  selectRunSource,
  selectRunStatus,
  selectSimulated,
  useRunStore,
} from '../stores/run-store';
import {
  selectInputText,
  selectSimulateConcurrency,
  uiStore,
  useUiStore,
} from '../stores/ui-store';

/** The run input, the simulation's concurrency, and what the last run is doing. */
export function RunControls() {
  const inputText = useUiStore(selectInputText);
  const concurrency = useUiStore(selectSimulateConcurrency);
  const status = useRunStore(selectRunStatus);
  const source = useRunStore(selectRunSource);
  const simulated = useRunStore(selectSimulated);
  const runId = useRunStore(selectRunId);
  const parentRunId = useRunStore(selectParentRunId);
  const connection = useRunStore(selectConnection);
  const error = useRunStore(selectRunError);
  const parsed = parseRunInput(inputText);
  const concurrencyInvalid =
    (concurrency.trim() !== '' && !/^(\d+|infinity)$/i.test(concurrency.trim())) ||
    concurrency.trim() === '0';
  return (
    <div className="run-controls">
      <div
        className="field"
        style={{
          marginBottom: 0,
          display: 'flex',
          flexDirection: 'column',
          flex: 1,
          minHeight: 120,
        }}
      >
        <label className="label" htmlFor="run-input">
          <span>Run input</span>
          <small>JSON object: build(input)</small>
        </label>
        <textarea
          id="run-input"
          className="textarea code"
          spellCheck={false}
          value={inputText}
          aria-invalid={!parsed.ok}
          data-testid="run-input"
          onChange={(event) => uiStore.getState().setInputText(event.target.value)}
        />
        {!parsed.ok && <div className="field-error">{parsed.message}</div>}
      </div>
      <div className="field" style={{ marginBottom: 0 }}>
        <label className="label" htmlFor="simulate-concurrency">
          <span>Simulation concurrency</span>
          <small>empty: the sequence's</small>
        </label>
        <input
          id="simulate-concurrency"
          className="input"
          inputMode="numeric"
          placeholder="e.g. 2"
          value={concurrency}
          aria-invalid={concurrencyInvalid}
          data-testid="simulate-concurrency"
          onChange={(event) => uiStore.getState().setSimulateConcurrency(event.target.value)}
        />
        {concurrencyInvalid && (
          <div className="field-error">Expected an integer ≥ 1 or Infinity.</div>
        )}
      </div>
      <div className="run-status" data-testid="run-summary">
        {status === 'idle' ? (
          <span className="muted">No run yet.</span>
        ) : (
          <>
            <span className={`pill ${status}`} data-simulated={simulated}>
              {simulated ? `simulated · ${status}` : status}
            </span>
            {source && (
              <span className="muted">
                {source === 'browser'
                  ? 'in this tab'
                  : source === 'server'
                    ? 'on the server'
                    : source === 'file'
                      ? 'from a file'
                      : 'virtual clock'}
              </span>
            )}
            {source === 'server' && connection !== 'idle' && (
              <span
                className={`pill ${connection}`}
                data-testid="connection-state"
                data-state={connection}
                title="Events stream of the run"
              >
                {connection === 'closed' ? 'stream ended' : `stream ${connection}`}
              </span>
            )}
            {runId && <code title={runId}>{runId}</code>}
          </>
        )}
      </div>
      {parentRunId && status !== 'idle' && (
        <div className="run-parent" data-testid="parent-run" data-parent-run-id={parentRunId}>
          ↻ rerun of <code>{parentRunId}</code>: layers marked <em>reused</em> kept its results
        </div>
      )}
      {error && (
        <div className="field-error" data-testid="run-error">
          {error}
        </div>
      )}
    </div>
  );
}
