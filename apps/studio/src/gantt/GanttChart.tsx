import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { runEventsText } from '../import-export/read-run-events';
import { graphStore } from '../stores/graph-store';
import { runStore, selectRunVersion, selectSimulated, useRunStore } from '../stores/run-store';
import { uiStore } from '../stores/ui-store';
import {
  contentHeight,
  contentWidth,
  drawGantt,
  fitPxPerMs,
  type GanttView,
  HEADER_HEIGHT,
  hitTest,
  LABEL_WIDTH,
  OUTCOME_COLORS,
} from './draw-gantt';
import { barTooltip, formatDuration, type GanttModel, ganttModel } from './gantt-model';

/** The legend's mark of a part of an attempt lost with its worker: the bar's grey, hatched. */
const LOST_SWATCH = {
  backgroundColor: OUTCOME_COLORS.lost,
  backgroundImage:
    'repeating-linear-gradient(-45deg, rgba(51,65,85,0.45) 0 2px, transparent 2px 5px)',
};

/** Rows also listed in an accessible table (assistive tech and tests read it); beyond, the canvas alone. */
const ACCESSIBLE_ROW_LIMIT = 300;

interface Tooltip {
  x: number;
  y: number;
  lines: string[];
  title: string;
}

function saveEvents(): void {
  const { record, simulated } = runStore.getState();
  if (!record) return;
  const blob = new Blob([runEventsText(record.events, { simulated })], {
    type: 'application/json',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `run-${record.runId}.events.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function runNow(model: GanttModel): number {
  const { clockSkewMs } = runStore.getState();
  return model.running ? Date.now() - clockSkewMs : model.end;
}

/**
 * The run as a Gantt chart on a <canvas>: one row per layer, one bar per
 * attempt, retries hatched amber, failures red, the part of an attempt lost
 * with its worker (Redis mode) hatched grey, skipped rows marked, the
 * critical path outlined in violet. Only the rows on screen are drawn, so
 * 10,000 bars scroll as smoothly as 10.
 */
export function GanttChart() {
  const version = useRunStore(selectRunVersion);
  const record = useRunStore((state) => state.record);
  const simulated = useRunStore(selectSimulated);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the record is mutated in place; `version` says when.
  const model = useMemo(() => (record ? ganttModel(record) : undefined), [record, version]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ width: 800, height: 240 });
  const [zoom, setZoom] = useState(1);
  const [tooltip, setTooltip] = useState<Tooltip | undefined>();
  const hover = useRef<{ row: number | undefined; bar: number | undefined }>({
    row: undefined,
    bar: undefined,
  });
  const [, forceLayout] = useState(0);
  /** Where to scroll once a zoom is laid out: set by `zoomAround`. */
  const pendingAnchor = useRef<{ zoom: number; scrollLeft: number } | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the scroll element exists only while there is a model.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setSize({ width: element.clientWidth, height: element.clientHeight }),
    );
    observer.observe(element);
    setSize({ width: element.clientWidth, height: element.clientHeight });
    return () => observer.disconnect();
  }, [model === undefined]);

  const view = useCallback((): GanttView | undefined => {
    const element = scrollRef.current;
    if (!element || !model) return undefined;
    const now = runNow(model);
    return {
      width: size.width,
      height: size.height,
      scrollLeft: element.scrollLeft,
      scrollTop: element.scrollTop,
      pxPerMs: fitPxPerMs(model, size.width, now) * zoom,
      now,
      hoverRow: hover.current.row,
      hoverBar: hover.current.bar,
    };
  }, [model, size, zoom]);

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    const current = view();
    if (!canvas || !model || !current) return;
    const ratio = window.devicePixelRatio || 1;
    const pixelWidth = Math.round(current.width * ratio);
    const pixelHeight = Math.round(current.height * ratio);
    if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
      canvas.width = pixelWidth;
      canvas.height = pixelHeight;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawGantt(ctx, model, current);
  }, [model, view]);

  useEffect(() => {
    draw();
  }, [draw]);

  // Running bars grow with the clock: redraw every frame while the run lasts.
  useEffect(() => {
    if (!model?.running) return;
    let frame = 0;
    let lastLayout = 0;
    const tick = (time: number) => {
      draw();
      // The scroll content widens as the run goes on; re-layout a few times a second, not per frame.
      if (zoom !== 1 && time - lastLayout > 250) {
        lastLayout = time;
        forceLayout((n) => n + 1);
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [model, draw, zoom]);

  const onMove = (event: React.MouseEvent<HTMLDivElement>) => {
    const element = scrollRef.current;
    const current = view();
    if (!element || !model || !current) return;
    const bounds = element.getBoundingClientRect();
    const x = event.clientX - bounds.left;
    const y = event.clientY - bounds.top;
    const hit = hitTest(model, current, x, y);
    const changed = hit?.row !== hover.current.row || hit?.bar !== hover.current.bar;
    hover.current = { row: hit?.row, bar: hit?.bar };
    if (changed) draw();
    if (!hit) {
      setTooltip(undefined);
      return;
    }
    const row = model.rows[hit.row];
    if (!row) return;
    const lines: string[] = [];
    let title = row.name;
    const bar = hit.bar === undefined ? undefined : row.bars[hit.bar];
    if (bar) {
      const tip = barTooltip(row.name, bar, model, current.now);
      title = tip.title;
      lines.push(...tip.lines);
    } else if (row.reusedFrom !== undefined) {
      lines.push(`reused from ${row.reusedFrom}: not executed in this run`);
    } else {
      lines.push(`status: ${row.status}`);
      const attempts = row.bars.at(-1)?.attempt ?? 0;
      lines.push(`${attempts} attempt${attempts === 1 ? '' : 's'}`);
      if (row.skippedBecause) lines.push(`skipped: upstream ${row.skippedBecause} failed`);
    }
    if (row.critical) lines.push('on the critical path');
    setTooltip({ x: Math.min(x + 14, bounds.width - 260), y: y + 14, lines, title });
  };

  // What was under the pointer has scrolled away: its tooltip goes until the pointer moves again.
  const onScroll = () => {
    if (tooltip) {
      hover.current = { row: undefined, bar: undefined };
      setTooltip(undefined);
    }
    draw();
  };

  const onLeave = () => {
    hover.current = { row: undefined, bar: undefined };
    setTooltip(undefined);
    draw();
  };

  /**
   * Zooms the time axis, keeping the time under `clientX` (the pointer) or
   * the middle of the chart where it is on screen. The scroll position is
   * set after React has laid out the wider content (`pendingAnchor`).
   */
  const zoomAround = (factor: number, clientX?: number) => {
    const element = scrollRef.current;
    if (!element || !model) return;
    const current = pendingAnchor.current?.zoom ?? zoom;
    const next = Math.min(Math.max(current * factor, 1), 500);
    if (next === current) return;
    const bounds = element.getBoundingClientRect();
    const anchor = Math.max(
      LABEL_WIDTH,
      clientX === undefined ? (bounds.width + LABEL_WIDTH) / 2 : clientX - bounds.left,
    );
    const fit = fitPxPerMs(model, size.width, runNow(model));
    const scrollLeft = pendingAnchor.current?.scrollLeft ?? element.scrollLeft;
    const timeAtAnchor = (scrollLeft + anchor - LABEL_WIDTH) / (fit * current);
    pendingAnchor.current = {
      zoom: next,
      scrollLeft: Math.max(0, timeAtAnchor * fit * next - anchor + LABEL_WIDTH),
    };
    setZoom(next);
  };
  const zoomRef = useRef(zoomAround);
  zoomRef.current = zoomAround;

  // Once the zoomed content is laid out, scroll so that the anchored time stays under the pointer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the zoom changes.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    const pending = pendingAnchor.current;
    pendingAnchor.current = undefined;
    if (!element || !pending) return;
    element.scrollLeft = pending.scrollLeft;
    draw();
  }, [zoom]);

  // Ctrl+wheel zooms the chart, not the page: React's wheel listeners are passive, so this one is
  // added by hand with `passive: false` (preventDefault would be refused and logged otherwise).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the scroll element exists only while there is a model.
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      // The bars move under the pointer: a tooltip of the bar that was there would be wrong.
      hover.current = { row: undefined, bar: undefined };
      setTooltip(undefined);
      zoomRef.current(event.deltaY < 0 ? 1.25 : 0.8, event.clientX);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [model === undefined]);

  const selectRow = (event: React.MouseEvent<HTMLDivElement>) => {
    const element = scrollRef.current;
    const current = view();
    if (!element || !model || !current) return;
    const bounds = element.getBoundingClientRect();
    const hit = hitTest(model, current, event.clientX - bounds.left, event.clientY - bounds.top);
    const row = hit ? model.rows[hit.row] : undefined;
    if (!row) return;
    if (!graphStore.getState().nodes.some((node) => node.id === row.name)) {
      uiStore
        .getState()
        .notify('info', `Layer \`${row.name}\` is not on the canvas: its details cannot be shown.`);
      return;
    }
    graphStore.getState().selectLayers([row.name]);
    const bar = hit?.bar === undefined ? undefined : row.bars[hit.bar];
    uiStore.getState().showDetails(row.name, bar?.attempt);
  };

  if (!model) {
    return (
      <div className="empty-state" data-testid="gantt-empty">
        <strong>No run yet</strong>
        <span>
          Press <em>Run in browser</em>, <em>Run on server</em> or <em>Simulate</em> in the toolbar:
          every attempt of every layer shows up here as a bar.
        </span>
      </div>
    );
  }

  const now = runNow(model);
  const pxPerMs = fitPxPerMs(model, size.width, now) * zoom;
  const critical = model.criticalPath.join(' -> ');
  return (
    <div className="gantt">
      <div className="gantt-toolbar">
        {simulated && (
          <span
            className="sim-badge"
            data-testid="gantt-simulated"
            title="A simulation: each attempt took its layer's expected duration on a virtual clock; no operation ran"
          >
            Simulated
          </span>
        )}
        <div className="legend">
          {(['succeeded', 'retrying', 'failed', 'running', 'cancelled'] as const).map((outcome) => (
            <span key={outcome} className="legend-item">
              <i className={`swatch swatch-${outcome}`} />
              {outcome === 'retrying' ? 'retried' : outcome}
            </span>
          ))}
          <span className="legend-item">
            <i className="swatch swatch-skipped" />
            skipped
          </span>
          {model.rows.some((row) => row.bars.some((bar) => bar.outcome === 'lost')) && (
            <span className="legend-item">
              <i className="swatch" style={LOST_SWATCH} />
              lost with its worker
            </span>
          )}
          {model.rows.some((row) => row.reusedFrom !== undefined) && (
            <span className="legend-item">
              <i className="swatch swatch-reused" />
              reused
            </span>
          )}
          <span className="legend-item">
            <i className="swatch swatch-critical" />
            critical path
          </span>
        </div>
        <div className="gantt-summary" data-testid="critical-path" title={critical}>
          {model.criticalPath.length > 0 ? (
            <>
              Critical path <b>{formatDuration(model.criticalLengthMs)}</b>: {critical}
            </>
          ) : (
            'Critical path appears once layers finish'
          )}
        </div>
        <div className="zoom">
          <button
            type="button"
            className="icon-button wide"
            onClick={saveEvents}
            title="Save the run's events as JSON (Import opens them again)"
            data-testid="save-events"
          >
            Save events
          </button>
          <button
            type="button"
            className="icon-button"
            onClick={() => zoomAround(0.8)}
            disabled={zoom <= 1}
            aria-label="Zoom out"
          >
            −
          </button>
          <button
            type="button"
            className="icon-button wide"
            onClick={() => zoomAround(1 / zoom)}
            aria-label="Fit the run"
          >
            Fit
          </button>
          <button
            type="button"
            className="icon-button"
            onClick={() => zoomAround(1.25)}
            aria-label="Zoom in"
          >
            +
          </button>
        </div>
      </div>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: clicking a row selects its layer and shows its run details; the keyboard reaches both through the canvas and the inspector. */}
      <div
        ref={scrollRef}
        className="gantt-scroll"
        data-testid="gantt"
        data-row-count={model.rows.length}
        data-bar-count={model.barCount}
        data-critical-path={critical}
        data-status={record?.status}
        data-simulated={simulated}
        data-px-per-ms={pxPerMs}
        role="img"
        aria-label={`${simulated ? 'Simulated run, ' : ''}Gantt chart: ${model.rows.length} layers, ${model.barCount} attempts`}
        onScroll={onScroll}
        onMouseMove={onMove}
        onMouseLeave={onLeave}
        onClick={selectRow}
      >
        <div className="gantt-sticky">
          <canvas ref={canvasRef} style={{ width: size.width, height: size.height }} />
        </div>
        <div
          style={{
            width: contentWidth(model, pxPerMs, now),
            height: Math.max(contentHeight(model), HEADER_HEIGHT),
          }}
        />
        {tooltip && (
          <div
            className="gantt-tooltip"
            style={{
              left: tooltip.x + (scrollRef.current?.scrollLeft ?? 0),
              top: tooltip.y + (scrollRef.current?.scrollTop ?? 0),
            }}
          >
            <b>{tooltip.title}</b>
            {tooltip.lines.map((line) => (
              <div key={line}>{line}</div>
            ))}
          </div>
        )}
      </div>
      {model.rows.length <= ACCESSIBLE_ROW_LIMIT && (
        <table className="sr-only" data-testid="gantt-table">
          <caption>Attempts per layer</caption>
          <tbody>
            {model.rows.map((row) => (
              <tr
                key={row.name}
                data-layer={row.name}
                data-status={row.status}
                data-attempts={row.bars.at(-1)?.attempt ?? 0}
                data-critical={row.critical}
                data-reused-from={row.reusedFrom}
              >
                <th scope="row">{row.name}</th>
                <td>{row.status}</td>
                <td>
                  {row.reusedFrom !== undefined
                    ? `reused from ${row.reusedFrom}`
                    : row.bars.map((bar) => `#${bar.attempt} ${bar.outcome}`).join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
