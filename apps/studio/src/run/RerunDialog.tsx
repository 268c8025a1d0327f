import type { RerunFrom } from 'fusync';
import { useId, useMemo, useState } from 'react';
import { DialogFrame } from '../components/DialogFrame';
import { failureText } from '../import-export/sequences-api';
import { currentSequenceJson } from '../stores/graph-store';
import { runStore } from '../stores/run-store';
import { selectRerunFrom, uiStore, useUiStore } from '../stores/ui-store';
import { rerunNow } from '../studio-actions';
import { previewRerun, rerunFromText, rerunTarget } from './rerun';
import { parseRunInput } from './run-input';

const close = () => uiStore.getState().closeRerun();

function LayerChips({ names, reused }: { names: readonly string[]; reused?: boolean }) {
  if (names.length === 0) return <span className="muted">none</span>;
  return (
    <span className="chips">
      {names.map((name) => (
        <span key={name} className={reused ? 'chip reused' : 'chip'} style={{ paddingRight: 8 }}>
          {name}
        </span>
      ))}
    </span>
  );
}

function RerunForm({ from }: { from: RerunFrom }) {
  // What the dialog was opened on: a run that starts meanwhile does not change it.
  const [found] = useState(() => rerunTarget(runStore.getState()));
  const [canvas] = useState(currentSequenceJson);
  const [text, setText] = useState(() => {
    const input = found.ok ? found.target.parent.input : undefined;
    return input ? JSON.stringify(input, null, 2) : uiStore.getState().inputText;
  });
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const inputId = useId();
  const preview = useMemo(
    () => (found.ok ? previewRerun(found.target, canvas, from) : undefined),
    [found, canvas, from],
  );
  const parsed = parseRunInput(text);
  const title = from === 'failed' ? 'Rerun from the failure' : `Rerun from ${from.join(', ')}`;

  const start = async () => {
    if (!parsed.ok || !preview?.ok || busy) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await rerunNow(from, parsed.value);
      uiStore.getState().setInputText(text);
      close();
    } catch (error) {
      setFailure(failureText(error));
      setBusy(false);
    }
  };

  return (
    <DialogFrame title={title} testId="rerun-dialog" onClose={close} className="narrow">
      <form
        className="dialog-form"
        onSubmit={(event) => {
          event.preventDefault();
          void start();
        }}
      >
        <div className="body single">
          {!found.ok ? (
            <div className="failure-box" role="alert">
              {found.reason}
            </div>
          ) : (
            <>
              <p className="drop-hint" data-testid="rerun-where">
                {found.target.kind === 'server' ? (
                  <>
                    Reruns server run <code>{found.target.parentRunId}</code> on the server, with
                    the sequence as it ran there: edits on the canvas are not sent.
                  </>
                ) : (
                  <>
                    Reruns run <code>{found.target.parent.runId}</code> in this tab, with the canvas
                    as it is now: edited layers run with their new settings.
                  </>
                )}{' '}
                From {rerunFromText(from)} and everything downstream; the other layers keep their
                results.
              </p>
              {preview?.ok ? (
                <div
                  className="rerun-plan"
                  data-testid="rerun-plan"
                  data-rerun={preview.rerun.join(',')}
                  data-reused={preview.reused.join(',')}
                >
                  <div>
                    <b>
                      {preview.rerun.length} layer{preview.rerun.length === 1 ? '' : 's'} will run
                      again:
                    </b>{' '}
                    <LayerChips names={preview.rerun} />
                  </div>
                  <div>
                    <b>{preview.reused.length} reused:</b>{' '}
                    <LayerChips names={preview.reused} reused />
                  </div>
                </div>
              ) : (
                preview && (
                  <div className="failure-box" role="alert" data-testid="rerun-refused">
                    {preview.message}
                  </div>
                )
              )}
            </>
          )}
          <div className="field">
            <label className="label" htmlFor={inputId}>
              <span>Run input</span>
              <small>JSON object · starts as the run's input</small>
            </label>
            <textarea
              id={inputId}
              className="textarea code"
              style={{ minHeight: 140 }}
              spellCheck={false}
              value={text}
              aria-invalid={!parsed.ok}
              data-testid="rerun-input"
              onChange={(event) => {
                setText(event.target.value);
                setFailure(undefined);
              }}
            />
            {!parsed.ok && <div className="field-error">{parsed.message}</div>}
          </div>
          {failure && (
            <div className="failure-box" role="alert" data-testid="rerun-error">
              The rerun did not start: {failure}
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
            className="button primary"
            data-testid="rerun-confirm"
            disabled={!parsed.ok || !preview?.ok || busy}
          >
            ↻ Rerun
          </button>
        </footer>
      </form>
    </DialogFrame>
  );
}

/**
 * Reruns the run on display from its failures or from chosen layers: shows
 * which layers run again and which are reused (the engine's `planRerun`)
 * and lets the run input be changed first.
 */
export function RerunDialog() {
  const from = useUiStore(selectRerunFrom);
  return from ? <RerunForm from={from} /> : null;
}
