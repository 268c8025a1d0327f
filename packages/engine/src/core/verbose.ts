import type { RunEvent } from './events.js';
import type { Logger } from './logger.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** What `verbose: true` logs: one line per state change, derived from the run's events. */
export function progressLogger(logger: Logger): (event: RunEvent) => void {
  const started = new Map<string, number>();
  let runStart = 0;
  return (event) => {
    switch (event.type) {
      case 'run:started':
        runStart = event.time;
        logger.info(
          `[fusync] Run ${event.runId} started: ${event.layers.length} layers, concurrency ${Number.isFinite(event.concurrency) ? event.concurrency : 'unlimited'}, ${event.queueType}${event.parentRunId === undefined ? '' : `, rerun of ${event.parentRunId}`}`,
        );
        break;
      case 'layer:reused':
        logger.info(`[fusync] ≡ ${event.layer} reused from ${event.reusedFrom}`);
        break;
      case 'layer:queued':
        break;
      case 'layer:started':
        if (!started.has(event.layer)) started.set(event.layer, event.time);
        logger.info(
          `[fusync] ▶ ${event.layer} started${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`,
        );
        break;
      case 'layer:redelivered':
        logger.warn(
          `[fusync] ⇄ ${event.layer} attempt ${event.attempt}: worker ${event.lostWorker ?? '(unknown)'} went away; redelivered to ${event.worker}`,
        );
        break;
      case 'layer:retrying':
        logger.warn(
          `[fusync] ↻ ${event.layer} failed on attempt ${event.attempt}: ${event.error.message}; retrying in ${event.delayMs} ms`,
        );
        break;
      case 'layer:succeeded':
        logger.info(
          `[fusync] ✔ ${event.layer} succeeded in ${seconds(event.time - (started.get(event.layer) ?? event.time))}`,
        );
        break;
      case 'layer:failed':
        if (event.cancelled)
          logger.warn(`[fusync] ■ ${event.layer} cancelled: ${event.error.message}`);
        else
          logger.error(
            `[fusync] ✖ ${event.layer} failed after ${event.attempt} attempt(s): ${event.error.message}`,
          );
        break;
      case 'layer:skipped':
        logger.warn(
          `[fusync] ⤼ ${event.layer} skipped${event.because ? ` (upstream ${event.because} failed)` : ' (run stopped)'}`,
        );
        break;
      case 'run:finished':
        logger.info(
          `[fusync] Run ${event.runId} ${event.status} in ${seconds(event.time - runStart)}`,
        );
        break;
    }
  };
}
