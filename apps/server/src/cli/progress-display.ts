import {
  type LayerRecord,
  type LayerStatus,
  progressLogger,
  type RunEvent,
  RunRecorder,
} from 'fusync';

/** Shows a run's progress while it runs. */
export interface ProgressDisplay {
  onEvent(event: RunEvent): void;
  /** Draws the final state and stops redrawing. */
  finish(): void;
}

/** The part of a terminal stream the display uses. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  rows?: number;
  columns?: number;
}

const ICON: Record<LayerStatus, string> = {
  pending: '·',
  queued: '…',
  running: '▶',
  retrying: '↻',
  succeeded: '✔',
  failed: '✖',
  skipped: '⤼',
  cancelled: '■',
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(3)}s`;

/**
 * One line per state change (the engine's `progressLogger`), for logs, pipes
 * and CI: nothing is ever redrawn.
 */
export function lineProgress(stream: ProgressStream): ProgressDisplay {
  const write = (line: string): void => void stream.write(`${line}\n`);
  const log = progressLogger({ info: write, warn: write, error: write });
  return { onEvent: log, finish() {} };
}

/** What a rerun did not execute: the same mark as the engine's progress lines. */
const REUSED = '≡';

function layerLine(layer: LayerRecord, now: number, width: number): string {
  if (layer.reusedFrom !== undefined)
    return `${REUSED} ${layer.name} reused from ${layer.reusedFrom}`.slice(0, width);
  // The attempt's number, not the record's entries: a redelivered attempt has one per worker.
  const number = layer.attempts.at(-1)?.attempt ?? 0;
  const attempt = number > 1 ? ` (attempt ${number})` : '';
  const start = layer.startedAt;
  const elapsed = start === undefined ? '' : ` ${seconds((layer.finishedAt ?? now) - start)}`;
  const why =
    layer.status === 'skipped' && layer.skippedBecause
      ? ` (upstream ${layer.skippedBecause} failed)`
      : '';
  const error = layer.status === 'failed' && layer.error ? `: ${layer.error.message}` : '';
  return `${ICON[layer.status]} ${layer.name} ${layer.status}${attempt}${elapsed}${why}${error}`.slice(
    0,
    width,
  );
}

/**
 * A status block redrawn in place on a terminal: a header with counts, then
 * one line per layer. When the layers do not fit the terminal, only the
 * active and failed ones are listed. Redraws at most every `intervalMs`,
 * and every 250 ms so running times keep counting.
 */
export function ttyProgress(stream: ProgressStream, intervalMs = 80): ProgressDisplay {
  const recorder = new RunRecorder('');
  let drawnLines = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Keeps the elapsed times of running layers moving between events.
  let ticker: ReturnType<typeof setInterval> | undefined;
  let done = false;

  const draw = (): void => {
    timer = undefined;
    const record = recorder.record;
    const now = Date.now();
    // A pseudo-terminal may report 0 × 0: fall back to 80 × 24.
    const width = Math.max(20, (stream.columns || 80) - 1);
    const counts = new Map<LayerStatus, number>();
    let reused = 0;
    for (const layer of record.layers) {
      counts.set(layer.status, (counts.get(layer.status) ?? 0) + 1);
      if (layer.reusedFrom !== undefined) reused++;
    }
    const finished =
      (counts.get('succeeded') ?? 0) +
      (counts.get('failed') ?? 0) +
      (counts.get('skipped') ?? 0) +
      (counts.get('cancelled') ?? 0);
    const rerun = record.parentRunId === undefined ? '' : ` (rerun of ${record.parentRunId})`;
    const reusedCount = reused === 0 ? '' : `, ${reused} reused`;
    const header = `Run ${record.events[0]?.runId ?? ''}${rerun} ${record.status}: ${finished}/${record.layers.length} done${reusedCount}, ${counts.get('running') ?? 0} running, ${counts.get('failed') ?? 0} failed, ${seconds((record.finishedAt ?? now) - record.startedAt)}`;
    const room = Math.max(1, (stream.rows || 24) - 2);
    let layers = record.layers;
    if (layers.length > room) {
      const active = layers.filter(
        (layer) =>
          layer.status === 'running' || layer.status === 'retrying' || layer.status === 'failed',
      );
      layers = active.slice(0, room - 1);
    }
    const lines = [header.slice(0, width), ...layers.map((layer) => layerLine(layer, now, width))];
    if (layers.length < record.layers.length)
      lines.push(`  … ${record.layers.length - layers.length} more layers`);
    // Move up over the previous block, then rewrite every line and clear what is left below.
    let out = drawnLines > 0 ? `\x1b[${drawnLines}F` : '';
    for (const line of lines) out += `\x1b[2K${line}\n`;
    out += '\x1b[0J';
    stream.write(out);
    drawnLines = lines.length;
  };

  return {
    onEvent(event) {
      recorder.apply(event);
      if (done) return;
      if (timer === undefined) timer = setTimeout(draw, intervalMs);
      if (ticker === undefined) {
        ticker = setInterval(draw, 250);
        ticker.unref();
      }
    },
    finish() {
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      if (ticker !== undefined) clearInterval(ticker);
      draw();
    },
  };
}

/** The redrawn block on a terminal, one line per change otherwise. */
export function progressDisplay(stream: ProgressStream): ProgressDisplay {
  return stream.isTTY ? ttyProgress(stream) : lineProgress(stream);
}
