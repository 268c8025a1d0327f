import type { RunEvent } from 'fusync';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { ApiError, notFound } from '../http/api-error.js';
import { atSequenceField } from '../http/field-path.js';
import { parseBody, readJsonBody } from '../http/json-body.js';
import { nextTurn } from '../http/next-turn.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type RunService } from './run-service.js';
import { eventToJson, runTimelineOf } from './run-view.js';

const startRunBody = z
  .object({
    sequence: z.record(z.string(), z.unknown()),
    input: z.record(z.string(), z.unknown()).optional(),
    runId: z.string().optional(),
  })
  .strict();

const rerunBody = z
  .object({
    from: z
      .union([z.literal('failed'), z.array(z.string().min(1)).min(1)], {
        error: "Expected `from` to be 'failed' or a non-empty list of layer names",
      })
      .optional(),
    input: z.record(z.string(), z.unknown()).optional(),
    runId: z.string().optional(),
  })
  .strict();

/** Options of the runs router. */
export interface RunsRoutesOptions {
  runs: RunService;
  /** Comment lines sent on idle event streams so proxies keep them open, in ms. Default 15 000. */
  sseHeartbeatMs?: number;
  /** Most runs going at once; a new one beyond it is refused with 429. Default `DEFAULT_MAX_ACTIVE_RUNS`. */
  maxActiveRuns?: number;
}

/** `FUSYNC_MAX_ACTIVE_RUNS` unless set: runs started and not finished, all backends alike. */
export const DEFAULT_MAX_ACTIVE_RUNS = 1000;

/** Refuses a new run while `max` are going: 429, `Retry-After`, and nothing created. */
async function assertRoomForRun(runs: RunService, max: number): Promise<void> {
  const active = await runs.activeCount();
  if (active >= max) {
    throw new ApiError(
      'TOO_MANY_RUNS',
      `${active} runs are going, the most this server takes at once (FUSYNC_MAX_ACTIVE_RUNS=${max}). Retry when some have finished.`,
    );
  }
}

/** `?limit=`: 1 to `MAX_PAGE_SIZE`, default `DEFAULT_PAGE_SIZE`. */
function pageSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PAGE_SIZE;
  const value = Number(raw);
  if (!/^\d{1,7}$/.test(raw) || value < 1 || value > MAX_PAGE_SIZE) {
    throw new ApiError(
      'INVALID_PARAMETER',
      `Expected \`limit\` to be an integer from 1 to ${MAX_PAGE_SIZE}, got \`${raw}\`.`,
      { path: 'limit' },
    );
  }
  return value;
}

/** `Last-Event-ID` (what an `EventSource` sends when it reconnects) wins over `?after=`. */
function resumePoint(header: string | undefined, query: string | undefined): number {
  const [raw, field] = header !== undefined ? [header, 'Last-Event-ID'] : [query, 'after'];
  if (raw === undefined || raw === '') return -1;
  if (!/^(?:-1|\d{1,15})$/.test(raw.trim())) {
    throw new ApiError(
      'INVALID_PARAMETER',
      `\`${field}\` must be an event seq (an integer ≥ -1), got \`${raw.slice(0, 40)}\`.`,
      { path: field },
    );
  }
  return Number(raw.trim());
}

/**
 * `/api/runs`: start runs, list them, read one, stream its events (SSE,
 * resumable), render its timeline, cancel it, rerun it.
 */
export function runsRoutes({
  runs,
  sseHeartbeatMs = 15_000,
  maxActiveRuns = DEFAULT_MAX_ACTIVE_RUNS,
}: RunsRoutesOptions): Hono {
  const app = new Hono();

  app.post('/', async (c) => {
    const body = parseBody(startRunBody, await readJsonBody(c));
    await assertRoomForRun(runs, maxActiveRuns);
    await nextTurn();
    // The service validates the whole sequence; errors are re-pointed into this body (`sequence.layers[1].dependsOn`).
    const started = await atSequenceField('sequence', body.sequence, () =>
      runs.start(
        body.sequence,
        body.input ?? {},
        body.runId === undefined ? {} : { runId: body.runId },
      ),
    );
    c.header('Location', `/api/runs/${encodeURIComponent(started.runId)}`);
    return c.json({ runId: started.runId }, 202);
  });

  app.post('/:id/rerun', async (c) => {
    const id = c.req.param('id');
    const body = parseBody(rerunBody, await readJsonBody(c));
    await assertRoomForRun(runs, maxActiveRuns);
    // Refusals (`from` naming no layer, a run still going, …) are typed errors thrown before any run exists.
    const started = await runs.rerun(id, {
      ...(body.from === undefined ? {} : { from: body.from }),
      ...(body.input === undefined ? {} : { input: body.input }),
      ...(body.runId === undefined ? {} : { runId: body.runId }),
    });
    if (!started) throw notFound('run', id);
    c.header('Location', `/api/runs/${encodeURIComponent(started.runId)}`);
    return c.json({ runId: started.runId, parentRunId: started.parentRunId }, 202);
  });

  app.get('/', async (c) => {
    const limit = pageSize(c.req.query('limit'));
    const after = c.req.query('after');
    const page = await runs.list(
      after === undefined || after === '' ? { limit } : { limit, after },
    );
    // A full page may have more after it: `next` is where the following one starts.
    const next = page.length === limit ? page[page.length - 1]?.runId : undefined;
    return c.json(next === undefined ? { runs: page } : { runs: page, next });
  });

  app.get('/:id', async (c) => {
    const id = c.req.param('id');
    const view = await runs.get(id);
    if (!view) throw notFound('run', id);
    return c.json(view);
  });

  app.get('/:id/events', async (c) => {
    const id = c.req.param('id');
    const after = resumePoint(c.req.header('last-event-id'), c.req.query('after'));
    const view = await runs.get(id);
    if (!view) throw notFound('run', id);
    // 204 is how SSE tells an EventSource to stop reconnecting: the run is over and the client has it all.
    if (view.status !== 'running' && after >= view.lastEventSeq) return c.body(null, 204);
    c.header('X-Accel-Buffering', 'no');
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      c.req.raw.signal.addEventListener('abort', () => stop.abort(), { once: true });
      const heartbeat = setInterval(() => void stream.write(': keep-alive\n\n'), sseHeartbeatMs);
      try {
        for await (const event of runs.events(id, { after, signal: stop.signal })) {
          await stream.writeSSE({
            id: String(event.seq),
            event: event.type,
            data: eventToJson(event),
          });
        }
      } finally {
        clearInterval(heartbeat);
      }
    });
  });

  app.get('/:id/timeline', async (c) => {
    const id = c.req.param('id');
    const view = await runs.get(id);
    if (!view) throw notFound('run', id);
    const events: RunEvent[] = [];
    for await (const event of runs.events(id, { follow: false })) events.push(event);
    const text = runTimelineOf(events);
    const accept = c.req.header('accept') ?? '';
    if (accept.includes('text/plain') && !accept.includes('application/json')) {
      return c.text(`${text.timeline}\n\n${text.graph}\n\n${text.metrics}\n`);
    }
    return c.json({ runId: id, status: view.status, ...text });
  });

  app.post('/:id/cancel', async (c) => {
    const id = c.req.param('id');
    const outcome = await runs.cancel(id);
    if (!outcome) throw notFound('run', id);
    if (!outcome.cancelled) {
      throw new ApiError(
        'RUN_FINISHED',
        `Run \`${id}\` has already finished (${outcome.status}); there is nothing to cancel.`,
      );
    }
    return c.json({ runId: id, status: outcome.status }, 202);
  });

  return app;
}
