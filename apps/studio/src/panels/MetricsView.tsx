import { computeMetrics, renderMetrics } from 'fusync';
import { useMemo } from 'react';
import { formatDuration } from '../gantt/gantt-model';
import { selectRunVersion, useRunStore } from '../stores/run-store';
import { CopyButton } from './CopyButton';
import { NoRun } from './no-run';

function duration(ms: number | undefined): string {
  return ms === undefined ? '—' : formatDuration(ms);
}

/** The run's metrics: the engine's `computeMetrics` as cards, its `renderMetrics` text beside them. */
export function MetricsView() {
  const version = useRunStore(selectRunVersion);
  const record = useRunStore((state) => state.record);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the record is mutated in place; `version` says when.
  const result = useMemo(
    () => (record ? { metrics: computeMetrics(record), text: renderMetrics(record) } : undefined),
    [record, version],
  );
  if (!result) return <NoRun what="The metrics" />;
  const { metrics, text } = result;
  const cards: [string, string, string][] = [
    ['total', 'Total time', duration(metrics.totalTimeMs)],
    ['tasks', 'Layers', String(metrics.totalTasks)],
    ['succeeded', 'Succeeded', String(metrics.succeeded)],
    ['failed', 'Failed', String(metrics.failed)],
    ['skipped', 'Skipped', String(metrics.skipped)],
    ['cancelled', 'Cancelled', String(metrics.cancelled)],
    ...(metrics.reused > 0
      ? [['reused', 'Reused', String(metrics.reused)] as [string, string, string]]
      : []),
    ...(metrics.lostDeliveries > 0
      ? [
          [
            'lost',
            'Lost with a worker',
            `${metrics.lostDeliveries} (${duration(metrics.lostTimeMs)})`,
          ] as [string, string, string],
        ]
      : []),
    ['rate', 'Success rate', `${(metrics.successRate * 100).toFixed(2)}%`],
    ['attempts', 'Attempts', String(metrics.totalAttempts)],
    ['retries', 'Retries', String(metrics.retries)],
    ['peak', 'Peak concurrency', String(metrics.peakConcurrency)],
    ['average', 'Average duration', duration(metrics.averageDurationMs)],
    ['max', 'Longest', duration(metrics.maxDurationMs)],
    ['min', 'Shortest', duration(metrics.minDurationMs)],
    ['critical', 'Critical path', duration(metrics.criticalPath.lengthMs)],
  ];
  return (
    <div className="metrics" data-testid="metrics">
      <div className="metric-cards">
        {cards.map(([key, name, value]) => (
          <div className="metric" key={key} data-testid={`metric-${key}`} data-value={value}>
            <div className="name">{name}</div>
            <div className="value">{value}</div>
          </div>
        ))}
      </div>
      <div className="ascii-view" style={{ borderLeft: '1px solid var(--border)' }}>
        <div className="view-toolbar">
          <span>renderMetrics(record)</span>
          <span className="spacer" />
          <CopyButton text={text} testId="copy-metrics" />
        </div>
        <pre className="ascii" data-testid="ascii-metrics">
          {text}
        </pre>
      </div>
    </div>
  );
}
