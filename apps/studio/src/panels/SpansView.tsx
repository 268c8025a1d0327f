import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import { formatDuration } from '../gantt/gantt-model';
import {
  type SpanRow,
  selectExportError,
  selectExported,
  selectExportState,
  selectOtlpEndpoint,
  selectSpans,
  traceStore,
  useTraceStore,
} from '../stores/trace-store';
import { setOtlpEndpoint } from '../tracing/tracing';

/** Rows listed at most (the store keeps 5,000 spans); the newest traces come first. */
const ROW_LIMIT = 5000;
const ROW_HEIGHT = 26;

interface TreeRow {
  span: SpanRow;
  depth: number;
  offset: number;
  scale: number;
}

/** Spans grouped by trace, each child under its parent, newest trace first. */
function spanTree(spans: readonly SpanRow[]): TreeRow[] {
  const byTrace = new Map<string, SpanRow[]>();
  for (const span of spans) {
    const list = byTrace.get(span.traceId);
    if (list) list.push(span);
    else byTrace.set(span.traceId, [span]);
  }
  const traces = [...byTrace.values()].sort(
    (a, b) => Math.max(...b.map((s) => s.start)) - Math.max(...a.map((s) => s.start)),
  );
  const rows: TreeRow[] = [];
  for (const trace of traces) {
    const ids = new Set(trace.map((span) => span.spanId));
    const children = new Map<string | undefined, SpanRow[]>();
    for (const span of trace) {
      const parent =
        span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
      const list = children.get(parent);
      if (list) list.push(span);
      else children.set(parent, [span]);
    }
    const start = Math.min(...trace.map((span) => span.start));
    const end = Math.max(...trace.map((span) => span.start + span.durationMs));
    const scale = 100 / Math.max(end - start, 1);
    const visit = (parent: string | undefined, depth: number) => {
      for (const span of (children.get(parent) ?? []).sort((a, b) => a.start - b.start)) {
        rows.push({ span, depth, offset: (span.start - start) * scale, scale });
        if (rows.length >= ROW_LIMIT) return;
        visit(span.spanId, depth + 1);
      }
    };
    visit(undefined, 0);
    if (rows.length >= ROW_LIMIT) break;
  }
  return rows;
}

/** Spans of browser runs (from the studio's tracer provider), and where to export them over OTLP/HTTP. */
export function SpansView() {
  const spans = useTraceStore(selectSpans);
  const endpoint = useTraceStore(selectOtlpEndpoint);
  const exportState = useTraceStore(selectExportState);
  const exportError = useTraceStore(selectExportError);
  const exported = useTraceStore(selectExported);
  const [draft, setDraft] = useState(endpoint);
  const rows = useMemo(() => spanTree(spans), [spans]);
  const invalid = draft.trim() !== '' && !/^https?:\/\/\S+$/.test(draft.trim());
  return (
    <div className="spans-layout">
      <div className="view-toolbar">
        <label htmlFor="otlp-endpoint">OTLP/HTTP endpoint</label>
        <input
          id="otlp-endpoint"
          className="input code"
          style={{ width: 320, height: 26 }}
          placeholder="http://localhost:4318/v1/traces"
          value={draft}
          aria-invalid={invalid}
          data-testid="otlp-endpoint"
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !invalid) setOtlpEndpoint(draft);
          }}
        />
        <button
          type="button"
          className="button small"
          disabled={
            invalid ||
            (draft.trim() === '' && exportState === 'off') ||
            (draft.trim() === endpoint && exportState !== 'off')
          }
          onClick={() => setOtlpEndpoint(draft)}
          data-testid="otlp-apply"
        >
          {draft.trim() === '' ? 'Stop exporting' : 'Export there'}
        </button>
        <span
          className={`pill ${exportState === 'on' ? 'online' : exportState === 'error' ? 'offline' : ''}`}
          title={exportError}
        >
          {exportState === 'off'
            ? 'export off'
            : exportState === 'on'
              ? `exporting · ${exported} sent`
              : `export error: ${exportError ?? ''}`}
        </span>
        <span className="spacer" />
        <span>{spans.length} spans</span>
        <button
          type="button"
          className="button small"
          onClick={() => traceStore.getState().clearSpans()}
          disabled={spans.length === 0}
        >
          Clear
        </button>
      </div>
      {rows.length === 0 ? (
        <div className="empty-state">
          <strong>No spans yet</strong>
          <span>
            Every browser run records one <code>fusync.run</code> span and one span per layer
            attempt with the studio's tracer. Run the sequence in the browser to see them here.
          </span>
        </div>
      ) : (
        <SpanList rows={rows} />
      )}
    </div>
  );
}

const COLUMNS = 'minmax(220px, 1.2fr) 90px 70px minmax(160px, 1fr) minmax(200px, 1.4fr)';

/** The span rows, virtualised: only the rows in view are in the DOM. */
function SpanList({ rows }: { rows: readonly TreeRow[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  return (
    <div
      className="table-wrap"
      ref={scrollRef}
      data-testid="spans-table"
      data-span-count={rows.length}
    >
      <div className="span-row span-head" style={{ gridTemplateColumns: COLUMNS }}>
        <span>Span</span>
        <span>Duration</span>
        <span>Status</span>
        <span>Timeline</span>
        <span>Attributes</span>
      </div>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const { span, depth, offset, scale } = rows[item.index] as TreeRow;
          return (
            <div
              key={span.spanId}
              className="span-row"
              data-testid="span-row"
              style={{
                gridTemplateColumns: COLUMNS,
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: ROW_HEIGHT,
                transform: `translateY(${item.start}px)`,
              }}
            >
              <span className="mono" style={{ paddingLeft: depth * 16 }} title={span.name}>
                {span.name}
              </span>
              <span className="mono">{formatDuration(span.durationMs)}</span>
              <span>
                {span.status === 'error' ? (
                  <span className="status-chip failed" title={span.statusMessage}>
                    error
                  </span>
                ) : (
                  span.status
                )}
              </span>
              <span>
                <span className="span-bar">
                  <i
                    className={span.status}
                    style={{
                      left: `${offset}%`,
                      width: `${Math.max(span.durationMs * scale, 0.5)}%`,
                    }}
                  />
                </span>
              </span>
              <span className="mono muted" title={JSON.stringify(span.attributes, null, 1)}>
                {Object.entries(span.attributes)
                  .filter(([key]) => key !== 'fusync.run.id')
                  .map(([key, value]) => `${key.replace(/^fusync\./, '')}=${String(value)}`)
                  .join('  ')}
                {span.links > 0 ? `  links=${span.links}` : ''}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
