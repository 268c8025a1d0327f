import type { SequenceJson } from 'fusync';
import { ServerError, serverError } from '../run/server-api';
import { sequenceText } from './export-sequence';

/** One sequence the server stores, as `GET /api/sequences` lists it. */
export interface StoredSequence {
  name: string;
  /** The sequence's own `name` and `description`, when it has them. */
  title: string | undefined;
  description: string | undefined;
  layerCount: number;
  /** Epoch ms of the last save. */
  updatedAt: number | undefined;
  /** Why the stored copy cannot be opened (a damaged file on the server). */
  error: string | undefined;
}

/**
 * The server's rule for stored names (`SEQUENCE_NAME_PATTERN` in
 * apps/server). Checked here only to explain a bad name before a round trip
 * and to keep `.`/`..` out of the URL, where they would leave `/api/sequences`;
 * the server stays the judge.
 */
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Why `name` cannot be a stored name, or `undefined` when it can. */
export function storedNameProblem(name: string): string | undefined {
  if (name === '') return 'Give the sequence a name.';
  if (name.length > 128) return 'Use at most 128 characters.';
  if (!NAME_PATTERN.test(name)) return 'Use only letters, digits, `_` or `-`.';
  return undefined;
}

/** A stored name made from a sequence's own name (`Order flow` → `Order-flow`); empty when nothing is left. */
export function storedNameFor(sequenceName: string | undefined): string {
  return (sequenceName ?? '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 128);
}

const sequenceUrl = (name: string) => `/api/sequences/${encodeURIComponent(name)}`;

/** `fetch`, with a lost connection turned into a `ServerError` the dialogs can show like any other. */
async function request(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ServerError(0, `No answer from the server at /api: ${(error as Error).message}`, {
      code: 'UNREACHABLE',
    });
  }
}

function toStoredSequence(item: unknown): StoredSequence[] {
  if (typeof item !== 'object' || item === null) return [];
  const entry = item as Record<string, unknown>;
  if (typeof entry.name !== 'string' || entry.name === '') return [];
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return [
    {
      name: entry.name,
      title: text(entry.title),
      description: text(entry.description),
      layerCount: typeof entry.layerCount === 'number' ? entry.layerCount : 0,
      updatedAt: typeof entry.updatedAt === 'number' ? entry.updatedAt : undefined,
      error: text(entry.error),
    },
  ];
}

/** `GET /api/sequences`: every stored sequence, in the server's order (by name). */
export async function listStoredSequences(signal?: AbortSignal): Promise<StoredSequence[]> {
  const response = await request('/api/sequences', signal ? { signal } : undefined);
  if (!response.ok) throw await serverError(response);
  const body = (await response.json()) as { sequences?: unknown };
  return Array.isArray(body.sequences) ? body.sequences.flatMap(toStoredSequence) : [];
}

/** `GET /api/sequences/:name`: the stored JSON as text, for the same reader as Import. */
export async function fetchStoredSequence(name: string): Promise<string> {
  const response = await request(sequenceUrl(name));
  if (!response.ok) throw await serverError(response);
  return response.text();
}

/** `PUT /api/sequences/:name` with the JSON Export writes; `created` is false when it replaced one. */
export async function saveStoredSequence(
  name: string,
  json: SequenceJson,
): Promise<{ name: string; created: boolean }> {
  const response = await request(sequenceUrl(name), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: sequenceText(json),
  });
  if (!response.ok) throw await serverError(response);
  const body = (await response.json().catch(() => ({}))) as { created?: unknown };
  return {
    name,
    created: typeof body.created === 'boolean' ? body.created : response.status === 201,
  };
}

/** `DELETE /api/sequences/:name`; false when there was no such sequence (any more). */
export async function deleteStoredSequence(name: string): Promise<boolean> {
  const response = await request(sequenceUrl(name), { method: 'DELETE' });
  if (response.status === 404) return false;
  if (!response.ok) throw await serverError(response);
  return true;
}

/** What a dialog shows of a failure: the server's own message, and where in the sequence it points. */
export function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const at = error instanceof ServerError && error.path ? ` (at \`${error.path}\`)` : '';
  return `${error.message}${at}`;
}
