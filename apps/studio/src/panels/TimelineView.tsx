import { type RunRecord, renderTimeline } from 'fusync';
import { useMemo } from 'react';
import { runStore, selectRunVersion, useRunStore } from '../stores/run-store';
import { CopyButton } from './CopyButton';
import { CutNames, TIMELINE_NAME_WIDTH } from './CutNames';
import { NoRun } from './no-run';

/**
 * Rows the view shows of a larger run; Copy still copies every row. A
 * 2,500-row timeline is not read in a side panel, and rendering only what is
 * shown keeps it off the Gantt chart's path (the view sits beside it).
 */
export const TIMELINE_ROW_LIMIT = 300;

/** The record cut to the first `limit` rows of the timeline (its row order: by first start, then the rest). */
function firstRows(record: RunRecord, limit: number): RunRecord {
  if (record.layers.length <= limit) return record;
  const started = record.layers.filter((layer) => layer.startedAt !== undefined);
  started.sort((a, b) => (a.startedAt as number) - (b.startedAt as number));
  const rows = [...started, ...record.layers.filter((layer) => layer.startedAt === undefined)];
  return { ...record, layers: rows.slice(0, limit) };
}

/** The engine's ASCII timeline of the run on display, as a terminal user would see it. */
export function TimelineView() {
  const version = useRunStore(selectRunVersion);
  const record = useRunStore((state) => state.record);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the record is mutated in place; `version` says when.
  const shown = useMemo(() => {
    if (!record) return undefined;
    const now =
      record.status === 'running' ? Date.now() - runStore.getState().clockSkewMs : undefined;
    const options = now === undefined ? {} : { now };
    return {
      text: renderTimeline(firstRows(record, TIMELINE_ROW_LIMIT), options),
      all: () => renderTimeline(record, options),
      cut: record.layers.length > TIMELINE_ROW_LIMIT ? record.layers.length : undefined,
    };
  }, [record, version]);
  if (shown === undefined) return <NoRun what="The ASCII timeline" />;
  const { text } = shown;
  return (
    <div className="ascii-view">
      <div className="view-toolbar">
        <span>renderTimeline(record): █ succeeded or running · ░ retried attempt · ▓ failed</span>
        <span className="spacer" />
        <CopyButton text={shown.all} testId="copy-timeline" />
      </div>
      <pre className="ascii" data-testid="ascii-timeline">
        {text}
        {shown.cut !== undefined &&
          `\n… the first ${TIMELINE_ROW_LIMIT} of ${shown.cut} rows: Copy copies them all.`}
      </pre>
      <CutNames
        names={record?.layers.map((layer) => layer.name) ?? []}
        width={TIMELINE_NAME_WIDTH}
      />
    </div>
  );
}
