import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error.js';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json(?:\s*;|\s*$)/i;

/**
 * The request body as parsed JSON. The `Content-Type` must be JSON: a
 * cross-site form or `text/plain` post then needs a CORS preflight, which the
 * server refuses for origins it does not know.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  if (!JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as JSON with `Content-Type: application/json`.',
    );
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError('INVALID_BODY', `The body is not valid JSON: ${(error as Error).message}`);
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** `value` checked against `schema`, or `INVALID_BODY` naming the first bad field. */
export function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue ? formatPath(issue.path) : '';
  throw new ApiError(
    'INVALID_BODY',
    `Invalid request body at \`${path || '(root)'}\`: ${issue?.message ?? 'invalid'}.`,
    { path },
  );
}
