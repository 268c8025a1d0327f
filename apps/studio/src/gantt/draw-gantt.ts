import { formatOffset, type GanttBar, type GanttModel, tickStep } from './gantt-model';

export const LABEL_WIDTH = 200;
export const HEADER_HEIGHT = 28;
export const ROW_HEIGHT = 22;
export const BAR_HEIGHT = 14;
export const RIGHT_PADDING = 48;
/** Bars are never thinner than this, so a 1 ms attempt stays visible and hoverable. */
export const MIN_BAR_WIDTH = 3;
/**
 * A failed, retried or cancelled attempt is never thinner than this: a 1 ms
 * failure is what the reader looks for, and its colour and hatching must show.
 */
export const MIN_PROBLEM_BAR_WIDTH = 8;

/** The narrowest a bar of this outcome is drawn. */
export function minBarWidth(outcome: GanttBar['outcome']): number {
  return outcome === 'failed' || outcome === 'retrying' || outcome === 'cancelled'
    ? MIN_PROBLEM_BAR_WIDTH
    : MIN_BAR_WIDTH;
}

export const OUTCOME_COLORS: Readonly<Record<GanttBar['outcome'], string>> = {
  succeeded: '#16a34a',
  retrying: '#f59e0b',
  failed: '#dc2626',
  cancelled: '#64748b',
  running: '#3b82f6',
  lost: '#94a3b8',
};

/**
 * Bars drawn hatched, so they tell apart without relying on colour alone: a
 * retried attempt, and the part of an attempt lost with its worker.
 */
export function isHatched(outcome: GanttBar['outcome']): boolean {
  return outcome === 'retrying' || outcome === 'lost';
}

const CRITICAL = '#7c3aed';
/** Layers a rerun kept from its parent run: grey, dashed, never a bar. */
const REUSED = '#94a3b8';

/** What part of the chart is on screen, and at what scale. */
export interface GanttView {
  width: number;
  height: number;
  scrollLeft: number;
  scrollTop: number;
  pxPerMs: number;
  /** Run-clock epoch ms that running bars extend to. */
  now: number;
  hoverRow: number | undefined;
  hoverBar: number | undefined;
}

/** Width of the scrollable content for a model at a scale. */
export function contentWidth(model: GanttModel, pxPerMs: number, now: number): number {
  return LABEL_WIDTH + spanOf(model, now) * pxPerMs + RIGHT_PADDING;
}

export function contentHeight(model: GanttModel): number {
  return HEADER_HEIGHT + model.rows.length * ROW_HEIGHT;
}

/** Milliseconds the time axis covers. */
export function spanOf(model: GanttModel, now: number): number {
  const end = model.running ? Math.max(model.end, now) : model.end;
  return Math.max(end - model.start, 1);
}

/** Scale at which the whole run fits the visible width. */
export function fitPxPerMs(model: GanttModel, width: number, now: number): number {
  return Math.max(width - LABEL_WIDTH - RIGHT_PADDING, 40) / spanOf(model, now);
}

/** Where a bar is drawn on the visible chart: its left and right x, at least its minimum width apart. */
export function barExtent(bar: GanttBar, model: GanttModel, view: GanttView): [number, number] {
  const x0 = LABEL_WIDTH + (bar.start - model.start) * view.pxPerMs - view.scrollLeft;
  const endTime = bar.end ?? Math.max(view.now, bar.start);
  const x1 = LABEL_WIDTH + (endTime - model.start) * view.pxPerMs - view.scrollLeft;
  return [x0, Math.max(x1, x0 + minBarWidth(bar.outcome))];
}

/** The row and bar under a point of the visible chart. */
export function hitTest(
  model: GanttModel,
  view: GanttView,
  x: number,
  y: number,
): { row: number; bar: number | undefined } | undefined {
  if (y < HEADER_HEIGHT) return undefined;
  const row = Math.floor((y - HEADER_HEIGHT + view.scrollTop) / ROW_HEIGHT);
  const data = model.rows[row];
  if (!data) return undefined;
  if (x < LABEL_WIDTH) return { row, bar: undefined };
  for (let i = data.bars.length - 1; i >= 0; i--) {
    const [x0, x1] = barExtent(data.bars[i] as GanttBar, model, view);
    if (x >= x0 - 2 && x <= x1 + 2) return { row, bar: i };
  }
  return { row, bar: undefined };
}

/** Draws the visible rows of the chart. Cost grows with visible rows only, not with the run's size. */
export function drawGantt(ctx: CanvasRenderingContext2D, model: GanttModel, view: GanttView): void {
  const { width, height } = view;
  ctx.clearRect(0, 0, width, height);
  ctx.font = '12px Inter, system-ui, sans-serif';
  ctx.textBaseline = 'middle';

  const first = Math.max(0, Math.floor(view.scrollTop / ROW_HEIGHT));
  const last = Math.min(
    model.rows.length - 1,
    Math.ceil((view.scrollTop + height - HEADER_HEIGHT) / ROW_HEIGHT),
  );
  const step = tickStep(view.pxPerMs);
  const firstTick = Math.max(0, Math.floor(view.scrollLeft / view.pxPerMs / step) * step);
  const span = spanOf(model, view.now);

  // Grid lines behind the rows.
  ctx.strokeStyle = '#eef0f5';
  ctx.lineWidth = 1;
  for (let t = firstTick; t <= span + step; t += step) {
    const x = Math.round(LABEL_WIDTH + t * view.pxPerMs - view.scrollLeft) + 0.5;
    if (x < LABEL_WIDTH || x > width) continue;
    ctx.beginPath();
    ctx.moveTo(x, HEADER_HEIGHT);
    ctx.lineTo(x, height);
    ctx.stroke();
  }

  for (let row = first; row <= last; row++) {
    const data = model.rows[row];
    if (!data) continue;
    const top = HEADER_HEIGHT + row * ROW_HEIGHT - view.scrollTop;
    const middle = top + ROW_HEIGHT / 2;
    if (row === view.hoverRow) {
      ctx.fillStyle = '#f3f4ff';
      ctx.fillRect(0, top, width, ROW_HEIGHT);
    } else if (data.critical) {
      ctx.fillStyle = 'rgba(124, 58, 237, 0.05)';
      ctx.fillRect(LABEL_WIDTH, top, width - LABEL_WIDTH, ROW_HEIGHT);
    }
    if (data.status === 'skipped') {
      ctx.fillStyle = 'rgba(148, 163, 184, 0.14)';
      ctx.fillRect(LABEL_WIDTH, top + 2, width - LABEL_WIDTH, ROW_HEIGHT - 4);
      ctx.fillStyle = '#64748b';
      ctx.font = 'italic 11px Inter, system-ui, sans-serif';
      const reason = data.skippedBecause
        ? `skipped (upstream ${data.skippedBecause} failed)`
        : 'skipped';
      ctx.fillText(reason, LABEL_WIDTH + 8, middle);
      ctx.font = '12px Inter, system-ui, sans-serif';
    }
    if (data.reusedFrom !== undefined) {
      ctx.strokeStyle = '#94a3b8';
      ctx.setLineDash([4, 3]);
      ctx.strokeRect(LABEL_WIDTH + 2.5, top + 3.5, width - LABEL_WIDTH - 5, ROW_HEIGHT - 7);
      ctx.setLineDash([]);
      ctx.fillStyle = '#64748b';
      ctx.font = 'italic 11px Inter, system-ui, sans-serif';
      ctx.fillText(`reused from ${data.reusedFrom}`, LABEL_WIDTH + 8, middle);
      ctx.font = '12px Inter, system-ui, sans-serif';
    }
    // Waiting time: from ready to first start.
    const firstBar = data.bars[0];
    if (data.queuedAt !== undefined) {
      const waitEnd = firstBar ? firstBar.start : model.running ? view.now : undefined;
      if (waitEnd !== undefined && waitEnd > data.queuedAt) {
        const x0 = LABEL_WIDTH + (data.queuedAt - model.start) * view.pxPerMs - view.scrollLeft;
        const x1 = LABEL_WIDTH + (waitEnd - model.start) * view.pxPerMs - view.scrollLeft;
        ctx.strokeStyle = '#cbd5e1';
        ctx.setLineDash([2, 3]);
        ctx.beginPath();
        ctx.moveTo(Math.max(x0, LABEL_WIDTH), middle + 0.5);
        ctx.lineTo(x1, middle + 0.5);
        ctx.stroke();
        ctx.setLineDash([]);
      }
    }
    for (let i = 0; i < data.bars.length; i++) {
      const bar = data.bars[i] as GanttBar;
      let [x0, x1] = barExtent(bar, model, view);
      if (x1 < LABEL_WIDTH || x0 > width) continue;
      x0 = Math.max(x0, LABEL_WIDTH);
      const y = middle - BAR_HEIGHT / 2;
      ctx.fillStyle = OUTCOME_COLORS[bar.outcome];
      ctx.globalAlpha = row === view.hoverRow && i === view.hoverBar ? 1 : 0.88;
      roundRect(ctx, x0, y, x1 - x0, BAR_HEIGHT, 3);
      ctx.fill();
      ctx.globalAlpha = 1;
      if (isHatched(bar.outcome)) {
        ctx.save();
        roundRect(ctx, x0, y, x1 - x0, BAR_HEIGHT, 3);
        ctx.clip();
        ctx.strokeStyle = bar.outcome === 'lost' ? 'rgba(51,65,85,0.45)' : 'rgba(255,255,255,0.55)';
        for (let hx = x0 - BAR_HEIGHT; hx < x1; hx += 6) {
          ctx.beginPath();
          ctx.moveTo(hx, y + BAR_HEIGHT);
          ctx.lineTo(hx + BAR_HEIGHT, y);
          ctx.stroke();
        }
        ctx.restore();
      }
      if (data.critical && i === data.bars.length - 1 && bar.outcome === 'succeeded') {
        ctx.strokeStyle = CRITICAL;
        ctx.lineWidth = 2;
        roundRect(ctx, x0 - 1, y - 1, x1 - x0 + 2, BAR_HEIGHT + 2, 4);
        ctx.stroke();
        ctx.lineWidth = 1;
      }
      if (x1 - x0 > 28 && data.bars.length > 1) {
        ctx.fillStyle = '#ffffff';
        ctx.font = '10px Inter, system-ui, sans-serif';
        ctx.fillText(`#${bar.attempt}`, x0 + 4, middle + 0.5);
        ctx.font = '12px Inter, system-ui, sans-serif';
      }
    }
  }

  // Label column, drawn last so bars scroll under it.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, HEADER_HEIGHT, LABEL_WIDTH, height - HEADER_HEIGHT);
  for (let row = first; row <= last; row++) {
    const data = model.rows[row];
    if (!data) continue;
    const top = HEADER_HEIGHT + row * ROW_HEIGHT - view.scrollTop;
    const middle = top + ROW_HEIGHT / 2;
    if (row === view.hoverRow) {
      ctx.fillStyle = '#f3f4ff';
      ctx.fillRect(0, top, LABEL_WIDTH, ROW_HEIGHT);
    }
    ctx.fillStyle = data.reusedFrom === undefined ? statusDot(data.status) : REUSED;
    ctx.beginPath();
    ctx.arc(12, middle, 4, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle =
      data.status === 'skipped' || data.reusedFrom !== undefined
        ? '#64748b'
        : data.critical
          ? CRITICAL
          : '#1f2937';
    ctx.font = data.critical
      ? '600 12px Inter, system-ui, sans-serif'
      : '12px Inter, system-ui, sans-serif';
    ctx.fillText(ellipsize(ctx, data.name, LABEL_WIDTH - 32), 22, middle);
  }
  ctx.font = '12px Inter, system-ui, sans-serif';
  ctx.strokeStyle = '#e4e7ee';
  ctx.beginPath();
  ctx.moveTo(LABEL_WIDTH + 0.5, 0);
  ctx.lineTo(LABEL_WIDTH + 0.5, height);
  ctx.stroke();

  // Time axis.
  ctx.fillStyle = '#f8fafc';
  ctx.fillRect(0, 0, width, HEADER_HEIGHT);
  ctx.strokeStyle = '#e4e7ee';
  ctx.beginPath();
  ctx.moveTo(0, HEADER_HEIGHT - 0.5);
  ctx.lineTo(width, HEADER_HEIGHT - 0.5);
  ctx.stroke();
  ctx.fillStyle = '#475569';
  ctx.font = '600 11px Inter, system-ui, sans-serif';
  ctx.fillText(`Layer (${model.rows.length})`, 10, HEADER_HEIGHT / 2);
  ctx.font = '11px ui-monospace, SFMono-Regular, Menlo, monospace';
  for (let t = firstTick; t <= span + step; t += step) {
    const x = Math.round(LABEL_WIDTH + t * view.pxPerMs - view.scrollLeft) + 0.5;
    if (x < LABEL_WIDTH || x > width) continue;
    ctx.strokeStyle = '#cbd5e1';
    ctx.beginPath();
    ctx.moveTo(x, HEADER_HEIGHT - 6);
    ctx.lineTo(x, HEADER_HEIGHT);
    ctx.stroke();
    ctx.fillStyle = '#64748b';
    ctx.fillText(formatOffset(t), x + 4, HEADER_HEIGHT / 2);
  }
  if (model.running) {
    const x = LABEL_WIDTH + (view.now - model.start) * view.pxPerMs - view.scrollLeft;
    if (x >= LABEL_WIDTH && x <= width) {
      ctx.strokeStyle = 'rgba(59, 130, 246, 0.6)';
      ctx.beginPath();
      ctx.moveTo(x + 0.5, 0);
      ctx.lineTo(x + 0.5, height);
      ctx.stroke();
    }
  }
}

function statusDot(status: string): string {
  switch (status) {
    case 'succeeded':
      return '#16a34a';
    case 'failed':
      return '#dc2626';
    case 'running':
      return '#3b82f6';
    case 'retrying':
      return '#f59e0b';
    case 'queued':
      return '#a78bfa';
    case 'cancelled':
      return '#64748b';
    default:
      return '#cbd5e1';
  }
}

function roundRect(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  w: number,
  h: number,
  r: number,
): void {
  const radius = Math.min(r, w / 2, h / 2);
  ctx.beginPath();
  ctx.moveTo(x + radius, y);
  ctx.arcTo(x + w, y, x + w, y + h, radius);
  ctx.arcTo(x + w, y + h, x, y + h, radius);
  ctx.arcTo(x, y + h, x, y, radius);
  ctx.arcTo(x, y, x + w, y, radius);
  ctx.closePath();
}

const ellipsisCache = new Map<string, string>();

function ellipsize(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  const key = `${ctx.font}|${max}|${text}`;
  const cached = ellipsisCache.get(key);
  if (cached !== undefined) return cached;
  let out = text;
  if (ctx.measureText(text).width > max) {
    let low = 0;
    let high = text.length;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (ctx.measureText(`${text.slice(0, mid)}…`).width <= max) low = mid;
      else high = mid - 1;
    }
    out = `${text.slice(0, low)}…`;
  }
  if (ellipsisCache.size > 20_000) ellipsisCache.clear();
  ellipsisCache.set(key, out);
  return out;
}
