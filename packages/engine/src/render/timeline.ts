import { ValidationError } from '../core/errors.js';
import type { AttemptRecord, LayerRecord, RunRecord } from '../core/run-record.js';

/**
 * How `renderTimeline` lays a run out.
 *
 * @example
 * const options: TimelineOptions = { width: 60, nameWidth: 20, now: Date.now() };
 * renderTimeline(liveRecord, options);
 */
export interface TimelineOptions {
  /** Cells of the progress column, spanning the whole run. Default `32`. */
  width?: number;
  /** Characters of the name column; longer names are cut, shorter ones padded. Default `14`. */
  nameWidth?: number;
  /** Epoch ms that attempts still running extend to. Default: the time of the record's last event. */
  now?: number;
}

const SUCCEEDED = '█';
const SUPERSEDED = '░';
const FINAL_FAILURE = '▓';
const LOST = '×';

/**
 * Renders a run as the seed's ASCII timeline: one row per layer in order of
 * first start (layers that never started last, in declaration order), a bar
 * scaled to the run's span and the times relative to the run's start.
 *
 * Each attempt gets its own cells: `█` for the attempt that succeeded (or is
 * still running), `░` for an attempt that was retried, `▓` for a final attempt
 * that failed or was cancelled, `×` for the part of an attempt lost with its
 * worker (redelivered to another one, over Redis). The time column covers
 * first start to final end and says when a layer `failed`, was `cancelled`
 * or is still `running`, and `redelivered` when a worker was lost on the way;
 * skipped layers read `skipped (upstream X failed)`; layers a rerun reused
 * have no bar and read `reused from <runId>`. Works on a finished run
 * or one still going. Returns the text without a trailing newline.
 *
 * @throws ValidationError (`code: 'INVALID_OPTION'`) when `width` or `nameWidth` is not an integer ≥ 1.
 *
 * @example
 * console.log(renderTimeline(record));
 * // --- Execution Timeline ---
 * //
 * // Task Name     │Progress                        │Execution Time
 * // ─────────────────────────────────────────────────────────────────
 * // checkInventory│   █████                        │+0.100s to +0.300s (0.200s)
 */
export function renderTimeline(record: RunRecord, options: TimelineOptions = {}): string {
  const width = positiveInteger('width', options.width ?? 32);
  const nameWidth = positiveInteger('nameWidth', options.nameWidth ?? 14);
  const now = options.now ?? record.events.at(-1)?.time ?? record.startedAt;
  if (!Number.isFinite(now)) {
    throw new ValidationError(
      'INVALID_OPTION',
      `Expected \`now\` to be a time in epoch ms, got \`${now}\`.`,
      {
        path: 'now',
      },
    );
  }
  const origin = record.startedAt;
  let end = record.finishedAt ?? now;
  for (const layer of record.layers) {
    for (const attempt of layer.attempts) end = Math.max(end, attempt.end ?? now);
  }
  const scale = { origin, span: Math.max(1, end - origin), width };

  const header = `${fitColumn('Task Name', nameWidth)}│${fitColumn('Progress', width)}│Execution Time`;
  // The seed's rule runs three cells past its header: 65 cells at the default widths.
  const lines = ['--- Execution Timeline ---', '', header, '─'.repeat(header.length + 3)];
  for (const layer of rowOrder(record.layers)) {
    lines.push(
      `${fitColumn(layer.name, nameWidth)}│${bar(layer, scale, now)}│${timeColumn(layer, origin, now)}`,
    );
  }
  return lines.join('\n');
}

/** Layers that started, by first start; then the others in declaration order. */
function rowOrder(layers: readonly LayerRecord[]): LayerRecord[] {
  const started = layers.filter((layer) => layer.startedAt !== undefined);
  started.sort((a, b) => (a.startedAt as number) - (b.startedAt as number));
  return [...started, ...layers.filter((layer) => layer.startedAt === undefined)];
}

interface Scale {
  origin: number;
  span: number;
  width: number;
}

function bar(layer: LayerRecord, scale: Scale, now: number): string {
  const cells: string[] = Array.from({ length: scale.width }, () => ' ');
  let drawn = false;
  layer.attempts.forEach((attempt, i) => {
    const final = i === layer.attempts.length - 1;
    drawn =
      fill(cells, scale, attempt.start, attempt.end ?? now, glyphOf(attempt, final, layer)) ||
      drawn;
  });
  // Attempts too short for a cell each still leave a layer that took time visible.
  const last = layer.attempts.at(-1);
  if (!drawn && last !== undefined && layer.startedAt !== undefined) {
    const end = layer.finishedAt ?? now;
    if (end > layer.startedAt) {
      const at = Math.min(scale.width - 1, cell(scale, layer.startedAt));
      cells[at] = glyphOf(last, true, layer);
    }
  }
  return cells.join('');
}

function glyphOf(attempt: AttemptRecord, final: boolean, layer: LayerRecord): string {
  if (attempt.outcome === 'lost') return LOST;
  if (attempt.outcome === 'succeeded' || attempt.outcome === 'running') return SUCCEEDED;
  if (final && (layer.status === 'failed' || layer.status === 'cancelled')) return FINAL_FAILURE;
  return SUPERSEDED;
}

/** Fills the cells of `[start, end]`; an interval of non-zero length gets at least one. */
function fill(cells: string[], scale: Scale, start: number, end: number, glyph: string): boolean {
  if (end <= start) return false;
  let from = cell(scale, start);
  let to = Math.max(cell(scale, end), from + 1);
  if (to > scale.width) {
    to = scale.width;
    from = Math.min(from, to - 1);
  }
  for (let at = from; at < to; at++) cells[at] = glyph;
  return true;
}

function cell(scale: Scale, time: number): number {
  const at = Math.round(((time - scale.origin) / scale.span) * scale.width);
  return Math.min(scale.width, Math.max(0, at));
}

function timeColumn(layer: LayerRecord, origin: number, now: number): string {
  if (layer.reusedFrom !== undefined) return `reused from ${layer.reusedFrom}`;
  if (layer.startedAt === undefined) {
    if (layer.status === 'skipped' && layer.skippedBecause !== undefined) {
      return `skipped (upstream ${layer.skippedBecause} failed)`;
    }
    return layer.status;
  }
  const start = layer.startedAt;
  const end = Math.max(start, layer.finishedAt ?? now);
  const status = layer.status === 'succeeded' ? '' : ` ${layer.status}`;
  const lost = layer.attempts.some((attempt) => attempt.outcome === 'lost') ? ' redelivered' : '';
  return `+${seconds(start - origin)}s to +${seconds(end - origin)}s (${seconds(end - start)}s)${status}${lost}`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Cuts or pads `text` to exactly `width` characters (code points, so no half emoji). */
function fitColumn(text: string, width: number): string {
  const chars = Array.from(text);
  return chars.length >= width
    ? chars.slice(0, width).join('')
    : text + ' '.repeat(width - chars.length);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new ValidationError(
      'INVALID_OPTION',
      `Expected \`${name}\` to be an integer ≥ 1, got \`${value}\`.`,
      {
        path: name,
      },
    );
  }
  return value;
}
