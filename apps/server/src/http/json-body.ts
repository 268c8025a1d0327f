import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { LARGE_BODY_BYTES } from './large-requests.js';
import { nextTurn } from './next-turn.js';

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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError('INVALID_BODY', `The body is not valid JSON: ${(error as Error).message}`);
  }
  // Parsing a large body takes a while; checking it takes as long again: other requests go between.
  if (text.length > LARGE_BODY_BYTES) await nextTurn();
  assertPlainJson(value);
  return value;
}

/**
 * Deepest nesting of objects and arrays a body may hold. Sequences nest
 * five levels, run inputs rarely twenty; a body nested thousands deep is
 * refused here, on every backend, before code that walks it recursively
 * (`JSON.stringify` into Redis) overflows the stack.
 */
export const MAX_BODY_DEPTH = 100;

/**
 * Refuses, naming the field, what parsed JSON holds but cannot be sent on:
 * nesting deeper than `MAX_BODY_DEPTH`, and numbers too large for a double
 * (`1e400` parses as `Infinity`, which JSON writes as `null`). Walks the
 * value without recursion.
 */
function assertPlainJson(root: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: root, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as (typeof stack)[number];
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new ApiError(
        'INVALID_BODY',
        `Invalid request body at \`${path || '(root)'}\`: a number too large for JSON (it reads as ${value}). Send a finite number.`,
        { path },
      );
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_BODY_DEPTH) {
      throw new ApiError(
        'INVALID_BODY',
        `Invalid request body at \`${path || '(root)'}\`: it nests deeper than ${MAX_BODY_DEPTH} levels of objects and arrays. Send flatter data.`,
        { path },
      );
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
    } else {
      for (const [key, item] of Object.entries(value))
        stack.push({ value: item, path: path === '' ? key : `${path}.${key}`, depth: depth + 1 });
    }
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
