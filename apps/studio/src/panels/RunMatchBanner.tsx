import { openRunGraph, useRunMismatch } from '../run/run-belongs';
import { mismatchText } from '../run/run-match';
import { runStore } from '../stores/run-store';
import { uiStore } from '../stores/ui-store';

const openGraph = () => {
  if (openRunGraph())
    uiStore
      .getState()
      .notify(
        'info',
        "The canvas shows the run's graph; arguments, retries and timeouts are not in a run's events and were left to their defaults.",
      );
};

/**
 * Says when the run on display is not of the canvas as it is: the canvas
 * was edited after the run started (the views show the run as it ran, an
 * older version of the sequence), or the run is of another sequence (its
 * statuses are not painted on the canvas; its graph can be opened).
 */
export function RunMatchBanner() {
  const found = useRunMismatch();
  if (!found) return null;
  const { kind, mismatch } = found;
  const changes = mismatchText(mismatch);
  if (kind === 'edited') {
    return (
      <div className="run-match-banner" role="status" data-testid="run-mismatch" data-kind="edited">
        <b>Older version.</b> The canvas was edited after this run started ({changes}): the run
        views show the sequence as it ran.
      </div>
    );
  }
  const name = runStore.getState().record?.sequenceName;
  return (
    <div
      className="run-match-banner other"
      role="status"
      data-testid="run-mismatch"
      data-kind="other"
    >
      <b>Another sequence.</b> This run{name ? ` of ${name}` : ''} does not match the canvas (
      {changes}): its statuses are not shown on the canvas.
      <button
        type="button"
        className="button small"
        onClick={openGraph}
        data-testid="open-run-graph"
      >
        Open its graph
      </button>
    </div>
  );
}
