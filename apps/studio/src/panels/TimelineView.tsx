import { renderTimeline } from 'fusync';
import { useMemo } from 'react';
import { runStore, selectRunVersion, useRunStore } from '../stores/run-store';
import { CopyButton } from './CopyButton';
import { NoRun } from './no-run';

/** The engine's ASCII timeline of the run on display, as a terminal user would see it. */
export function TimelineView() {
  const version = useRunStore(selectRunVersion);
  const record = useRunStore((state) => state.record);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the record is mutated in place; `version` says when.
  const text = useMemo(() => {
    if (!record) return undefined;
    const now =
      record.status === 'running' ? Date.now() - runStore.getState().clockSkewMs : undefined;
    return renderTimeline(record, now === undefined ? {} : { now });
  }, [record, version]);
  if (text === undefined) return <NoRun what="The ASCII timeline" />;
  return (
    <div className="ascii-view">
      <div className="view-toolbar">
        <span>renderTimeline(record): █ succeeded or running · ░ retried attempt · ▓ failed</span>
        <span className="spacer" />
        <CopyButton text={text} testId="copy-timeline" />
      </div>
      <pre className="ascii" data-testid="ascii-timeline">
        {text}
      </pre>
    </div>
  );
}
