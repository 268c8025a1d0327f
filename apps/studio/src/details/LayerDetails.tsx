import type { ErrorInfo } from 'fusync';
import { useEffect, useMemo, useRef } from 'react';
import { formatDuration, formatOffset } from '../gantt/gantt-model';
import { CopyButton } from '../panels/CopyButton';
import { rerunTarget } from '../run/rerun';
import { runStore, selectRunVersion, useRunStore } from '../stores/run-store';
import { selectFocusedAttempt, useUiStore } from '../stores/ui-store';
import { openRerunNow } from '../studio-actions';
import { JsonView } from './JsonView';
import { jsonText } from './json-value';
import { type AttemptDetails, layerDetails } from './layer-details';

const argumentLabel = (index: number) => `[${index}]`;

/** An error: name, code and message at once; the stack folded; Copy JSON copies all of it. */
function ErrorView({ error, testId }: { error: ErrorInfo; testId: string }) {
  return (
    <section className="details-error" data-testid={testId}>
      <header>
        <span>Error</span>
        <CopyButton text={jsonText(error)} label="Copy JSON" testId={`${testId}-copy`} />
      </header>
      <div className="details-error-body">
        <div>
          <b>{error.name}</b>
          {error.code && <span className="badge">{error.code}</span>}
        </div>
        <div data-testid={`${testId}-message`}>{error.message}</div>
        {error.stack && (
          <details>
            <summary>Stack</summary>
            <pre className="details-stack">{error.stack}</pre>
          </details>
        )}
      </div>
    </section>
  );
}

function AttemptCard({ attempt, focused }: { attempt: AttemptDetails; focused: boolean }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [focused]);
  const wait =
    attempt.waitMs === undefined
      ? undefined
      : `${formatDuration(attempt.waitMs)} ${attempt.waitSince === 'ready' ? 'in the queue' : 'after the previous attempt'}`;
  return (
    <article
      ref={ref}
      className={`attempt-card${focused ? ' focused' : ''}`}
      data-testid="attempt"
      data-attempt={attempt.attempt}
      data-outcome={attempt.outcome}
    >
      <header>
        <b>Attempt {attempt.attempt}</b>
        <span className={`status-chip ${attempt.outcome}`}>
          {attempt.outcome === 'retrying'
            ? 'failed, retried'
            : attempt.outcome === 'lost'
              ? 'worker lost, redelivered'
              : attempt.outcome}
        </span>
      </header>
      <dl className="attempt-facts">
        <dt>Started</dt>
        <dd data-testid="attempt-start">{formatOffset(attempt.startOffsetMs)}</dd>
        <dt>Duration</dt>
        <dd data-testid="attempt-duration">
          {attempt.durationMs === undefined ? 'running' : formatDuration(attempt.durationMs)}
        </dd>
        <dt title="From the layer being ready (first attempt) or the previous attempt's end, to this start">
          Waited
        </dt>
        <dd data-testid="attempt-wait">{wait ?? '—'}</dd>
        <dt>Worker</dt>
        <dd data-testid="attempt-worker">{attempt.worker ?? '—'}</dd>
      </dl>
      {attempt.args === undefined ? (
        <p className="muted details-note">No argument values recorded for this attempt.</p>
      ) : (
        <JsonView
          title={`Arguments (${attempt.args.length})`}
          value={attempt.args}
          itemLabels={argumentLabel}
          testId="attempt-args"
        />
      )}
      {attempt.result && (
        <JsonView title="Result" value={attempt.result.value} testId="attempt-result" />
      )}
      {attempt.error && <ErrorView error={attempt.error} testId="attempt-error" />}
    </article>
  );
}

/**
 * What the run on display did with one layer: its status, every attempt
 * with timing, wait, worker and argument values, and its result or error.
 */
export function LayerDetails({ name }: { name: string }) {
  const version = useRunStore(selectRunVersion);
  const record = useRunStore((state) => state.record);
  const focused = useUiStore(selectFocusedAttempt);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the record is mutated in place; `version` says when.
  const details = useMemo(
    () => (record ? layerDetails(record, name) : undefined),
    [record, version, name],
  );
  if (!record) {
    return (
      <p className="muted details-note" data-testid="layer-details-empty">
        No run yet. Run the sequence: every attempt of this layer shows up here, with its argument
        values and its result or error.
      </p>
    );
  }
  if (!details) {
    return (
      <p className="muted details-note" data-testid="layer-details-empty">
        Run <code>{record.runId}</code> has no layer <code>{name}</code>: it was added after the
        run.
      </p>
    );
  }
  const target = rerunTarget(runStore.getState());
  // The layer's own error and result, unless an attempt shows them already.
  const error = details.error;
  const layerError =
    error && !details.attempts.some((attempt) => attempt.error?.message === error.message)
      ? error
      : undefined;
  const layerResult = details.attempts.some((attempt) => attempt.result)
    ? undefined
    : details.result;
  return (
    <div className="layer-details" data-testid="layer-details" data-layer={name}>
      <p className="details-summary">
        <span className={`status-chip ${details.reusedFrom ? 'reused' : details.status}`}>
          {details.reusedFrom ? 'reused' : details.status}
        </span>{' '}
        in run <code title={details.runId}>{details.runId}</code>
        {details.operation && (
          <>
            {' '}
            · <code>{details.operation}</code>
          </>
        )}
      </p>
      <div className="details-actions">
        <button
          type="button"
          className="button"
          data-testid="rerun-from-layer"
          disabled={!target.ok}
          title={
            target.ok
              ? `Run \`${name}\` and everything downstream again; reuse the other layers' results`
              : target.reason
          }
          onClick={() => openRerunNow([name])}
        >
          ↻ Rerun from here
        </button>
      </div>
      {details.reusedFrom && (
        <p className="details-box" data-testid="layer-reused-from">
          Not executed in this run: its result is the one it had in run{' '}
          <code>{details.reusedFrom}</code>.
        </p>
      )}
      {details.skippedBecause && (
        <p className="details-box">
          Skipped: upstream <code>{details.skippedBecause}</code> failed.
        </p>
      )}
      {details.status === 'skipped' && !details.skippedBecause && (
        <p className="details-box">Skipped: the run stopped before it could start.</p>
      )}
      {(details.attemptCount > 1 || details.redeliveries > 0) && (
        <p className="muted details-note" data-testid="attempt-count">
          {details.attemptCount} {details.attemptCount === 1 ? 'attempt' : 'attempts'}
          {details.durationMs === undefined ? '' : ` over ${formatDuration(details.durationMs)}`}
          {details.redeliveries > 0
            ? `; redelivered ${details.redeliveries === 1 ? 'once' : `${details.redeliveries} times`} after a worker was lost`
            : ''}
        </p>
      )}
      {layerError && <ErrorView error={layerError} testId="layer-error" />}
      {layerResult && <JsonView title="Result" value={layerResult.value} testId="layer-result" />}
      {details.attempts.map((attempt) => (
        <AttemptCard
          // A redelivered attempt has a part per worker, each starting later: its number alone is not a key.
          key={`${attempt.attempt}@${attempt.startOffsetMs}`}
          attempt={attempt}
          focused={focused?.layer === name && focused.attempt === attempt.attempt}
        />
      ))}
    </div>
  );
}
