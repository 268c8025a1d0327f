import type { SequenceJson } from 'fusync';
import type { OperationInfo } from '../operations';

/** A run as the server lists it. Fields the server leaves out stay undefined. */
export interface ServerRunSummary {
  runId: string;
  status: string | undefined;
  sequenceName: string | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  durationMs: number | undefined;
  layers: number | undefined;
  /** Set when the run is a rerun: the run whose results it reused. */
  parentRunId: string | undefined;
}

/** An error answer of the server: `{ error: { code, message, path?, layer? } }`. */
export class ServerError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  /** Where in the request body, e.g. `sequence.layers[1].dependsOn`. */
  readonly path: string | undefined;
  readonly layer: string | undefined;
  constructor(
    status: number,
    message: string,
    details: {
      code?: string | undefined;
      path?: string | undefined;
      layer?: string | undefined;
    } = {},
  ) {
    super(message);
    this.name = 'ServerError';
    this.status = status;
    this.code = details.code;
    this.path = details.path;
    this.layer = details.layer;
  }
}

/** The `ServerError` an error answer stands for, whatever its body (JSON, text, nothing). */
export async function serverError(response: Response): Promise<ServerError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error as
      | { message?: unknown; code?: unknown; path?: unknown; layer?: unknown }
      | string
      | undefined;
    if (typeof error === 'string') return new ServerError(response.status, error);
    if (error && typeof error.message === 'string') {
      return new ServerError(response.status, error.message, {
        code: typeof error.code === 'string' ? error.code : undefined,
        path: typeof error.path === 'string' ? error.path : undefined,
        layer: typeof error.layer === 'string' ? error.layer : undefined,
      });
    }
    if (typeof body.message === 'string') return new ServerError(response.status, body.message);
  } catch {
    // Not JSON: the text itself is the best message there is.
  }
  return new ServerError(
    response.status,
    text.trim() || `${response.status} ${response.statusText}`,
  );
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw await serverError(response);
  return (await response.json()) as T;
}

function toTime(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

/** `GET /api/operations`: the operations the server's workers can run. */
export async function fetchServerOperations(signal?: AbortSignal): Promise<OperationInfo[]> {
  const body = await json<unknown>(await fetch('/api/operations', signal ? { signal } : {}));
  const list = Array.isArray(body) ? body : ((body as { operations?: unknown[] }).operations ?? []);
  return list.flatMap((item): OperationInfo[] => {
    if (typeof item !== 'object' || item === null) return [];
    const { name, description, args } = item as {
      name?: unknown;
      description?: unknown;
      args?: unknown;
    };
    if (typeof name !== 'string' || name.length === 0) return [];
    return [
      {
        name,
        description: typeof description === 'string' ? description : '',
        // Each argument is a name, or `{ name, type, description, optional }`.
        args: Array.isArray(args)
          ? args.flatMap((arg: unknown) => {
              if (typeof arg === 'string') return [arg];
              const name = (arg as { name?: unknown } | null)?.name;
              const optional = (arg as { optional?: unknown } | null)?.optional === true;
              return typeof name === 'string' && !optional ? [name] : [];
            })
          : [],
        source: 'server',
      },
    ];
  });
}

/** `POST /api/runs`: starts a server run; resolves to its id. */
export async function postRun(
  sequence: SequenceJson,
  input: Record<string, unknown>,
): Promise<string> {
  const body = await json<{ runId?: unknown; id?: unknown }>(
    await fetch('/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sequence, input }),
    }),
  );
  const runId = body.runId ?? body.id;
  if (typeof runId !== 'string') throw new Error('The server accepted the run but sent no run id.');
  return runId;
}

/**
 * `POST /api/runs/:id/rerun`: starts a rerun of a finished server run (the
 * sequence as it ran there); resolves to the new run's id. `from` and `input`
 * left out take the server's defaults: the failures, the parent's input.
 */
export async function postRerun(
  parentRunId: string,
  body: { from?: 'failed' | readonly string[]; input?: Record<string, unknown> },
): Promise<string> {
  const answer = await json<{ runId?: unknown }>(
    await fetch(`/api/runs/${encodeURIComponent(parentRunId)}/rerun`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  if (typeof answer.runId !== 'string')
    throw new Error('The server accepted the rerun but sent no run id.');
  return answer.runId;
}

/** `POST /api/runs/:id/cancel`. */
export async function cancelServerRun(runId: string): Promise<void> {
  await json<unknown>(
    await fetch(`/api/runs/${encodeURIComponent(runId)}/cancel`, { method: 'POST' }),
  );
}

/** `GET /api/runs`: past and current runs, newest first. */
export async function fetchServerRuns(): Promise<ServerRunSummary[]> {
  const body = await json<unknown>(await fetch('/api/runs'));
  const list = Array.isArray(body) ? body : ((body as { runs?: unknown[] }).runs ?? []);
  const runs = list.flatMap((item): ServerRunSummary[] => {
    if (typeof item !== 'object' || item === null) return [];
    const run = item as Record<string, unknown>;
    const runId = run.runId ?? run.id;
    if (typeof runId !== 'string') return [];
    const layers = run.layerCount ?? run.layers;
    return [
      {
        runId,
        status: typeof run.status === 'string' ? run.status : undefined,
        sequenceName:
          typeof run.sequenceName === 'string'
            ? run.sequenceName
            : typeof run.name === 'string'
              ? run.name
              : undefined,
        startedAt: toTime(run.startedAt ?? run.createdAt),
        finishedAt: toTime(run.finishedAt),
        durationMs: typeof run.durationMs === 'number' ? run.durationMs : undefined,
        layers:
          typeof layers === 'number' ? layers : Array.isArray(layers) ? layers.length : undefined,
        parentRunId: typeof run.parentRunId === 'string' ? run.parentRunId : undefined,
      },
    ];
  });
  return runs.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
}

/** `GET /api/health`: whether a server answers. */
export async function checkHealth(signal?: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch('/api/health', signal ? { signal } : {});
    return response.ok;
  } catch {
    return false;
  }
}
