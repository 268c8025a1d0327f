import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { demoSequence } from '../src/import-export/demo-sequence';
import { sequenceText } from '../src/import-export/export-sequence';
import {
  deleteStoredSequence,
  failureText,
  fetchStoredSequence,
  listStoredSequences,
  saveStoredSequence,
  storedNameFor,
  storedNameProblem,
} from '../src/import-export/sequences-api';
import { ServerError } from '../src/run/server-api';
import { createStoredSequencesStore } from '../src/stores/stored-sequences-store';

let fetchMock: Mock<(url: string, init?: RequestInit) => Promise<Response>>;

function answer(status: number, body?: unknown, headers: Record<string, string> = {}): Response {
  const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
  return new Response(text, {
    status,
    headers: {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
      ...headers,
    },
  });
}

function errorBody(code: string, message: string, extra: Record<string, string> = {}) {
  return { error: { code, message, ...extra } };
}

async function failure(promise: Promise<unknown>): Promise<ServerError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ServerError);
  return error as ServerError;
}

beforeEach(() => {
  fetchMock = vi.fn();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe('the /api/sequences client', () => {
  it('lists stored sequences, keeping the damaged ones with their reason', async () => {
    fetchMock.mockResolvedValue(
      answer(200, {
        sequences: [
          { name: 'broken', layerCount: 0, updatedAt: 5, error: 'Unexpected token' },
          { name: 'order', title: 'order-flow', layerCount: 5, updatedAt: 1_700_000_000_000 },
          { layerCount: 2 },
          'junk',
        ],
      }),
    );
    expect(await listStoredSequences()).toEqual([
      {
        name: 'broken',
        title: undefined,
        description: undefined,
        layerCount: 0,
        updatedAt: 5,
        error: 'Unexpected token',
      },
      {
        name: 'order',
        title: 'order-flow',
        description: undefined,
        layerCount: 5,
        updatedAt: 1_700_000_000_000,
        error: undefined,
      },
    ]);
    expect(fetchMock).toHaveBeenCalledWith('/api/sequences', undefined);
  });

  it('reads one sequence as text, its name encoded in the path', async () => {
    const text = sequenceText(demoSequence);
    fetchMock.mockImplementation(async () => answer(200, text));
    expect(await fetchStoredSequence('order_flow-2')).toBe(text);
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/sequences/order_flow-2');
    await fetchStoredSequence('a/b');
    expect(fetchMock.mock.calls[1]?.[0]).toBe('/api/sequences/a%2Fb');
  });

  it('puts exactly the JSON Export writes, and tells a creation from a replacement', async () => {
    fetchMock.mockResolvedValueOnce(answer(201, { name: 'order', created: true }));
    expect(await saveStoredSequence('order', demoSequence)).toEqual({
      name: 'order',
      created: true,
    });
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/sequences/order');
    expect(init?.method).toBe('PUT');
    expect(init?.headers).toEqual({ 'content-type': 'application/json' });
    expect(init?.body).toBe(sequenceText(demoSequence));

    fetchMock.mockResolvedValueOnce(answer(200, { name: 'order', created: false }));
    expect((await saveStoredSequence('order', demoSequence)).created).toBe(false);
    // An answer without a body still tells by its status.
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 201 }));
    expect((await saveStoredSequence('order', demoSequence)).created).toBe(true);
  });

  it('deletes: true on 204, false when the server had no such sequence', async () => {
    fetchMock.mockResolvedValueOnce(new Response(null, { status: 204 }));
    expect(await deleteStoredSequence('order')).toBe(true);
    expect(fetchMock.mock.calls[0]).toEqual(['/api/sequences/order', { method: 'DELETE' }]);
    fetchMock.mockResolvedValueOnce(answer(404, errorBody('NOT_FOUND', 'There is no sequence.')));
    expect(await deleteStoredSequence('order')).toBe(false);
  });
});

describe('errors of the /api/sequences client', () => {
  it('keeps the code, message and path of a refused save', async () => {
    const message = '`a.b` is not a valid sequence name: use 1 to 128 letters, digits, `_` or `-`.';
    fetchMock.mockResolvedValue(answer(400, errorBody('INVALID_NAME', message, { path: 'name' })));
    const error = await failure(saveStoredSequence('a.b', demoSequence));
    expect(error).toMatchObject({ status: 400, code: 'INVALID_NAME', message, path: 'name' });
    expect(failureText(error)).toBe(`${message} (at \`name\`)`);
  });

  it('shows where a sequence the server refuses is wrong', async () => {
    fetchMock.mockResolvedValue(
      answer(
        422,
        errorBody('UNKNOWN_OPERATION', 'Unknown operation `eval`.', {
          path: 'layers[0].operation',
        }),
      ),
    );
    const error = await failure(saveStoredSequence('x', demoSequence));
    expect(error).toMatchObject({ status: 422, code: 'UNKNOWN_OPERATION' });
    expect(failureText(error)).toBe('Unknown operation `eval`. (at `layers[0].operation`)');
  });

  it('reads a 413 whether the server or a proxy in front of it answered', async () => {
    const limit = 'The request body is larger than the limit of 1024 bytes (FUSYNC_BODY_LIMIT).';
    fetchMock.mockResolvedValueOnce(answer(413, errorBody('PAYLOAD_TOO_LARGE', limit)));
    expect(await failure(saveStoredSequence('big', demoSequence))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: limit,
    });
    fetchMock.mockResolvedValueOnce(answer(413, '413 Request Entity Too Large'));
    expect(await failure(saveStoredSequence('big', demoSequence))).toMatchObject({
      status: 413,
      code: undefined,
      message: '413 Request Entity Too Large',
    });
  });

  it('reports a missing sequence, a failed list and a failed delete with the server message', async () => {
    fetchMock.mockResolvedValueOnce(
      answer(404, errorBody('NOT_FOUND', 'There is no sequence `gone`.')),
    );
    expect((await failure(fetchStoredSequence('gone'))).message).toBe(
      'There is no sequence `gone`.',
    );
    fetchMock.mockResolvedValueOnce(
      answer(
        401,
        errorBody('UNAUTHORIZED', 'This server requires `Authorization: Bearer <token>`.'),
      ),
    );
    expect(await failure(listStoredSequences())).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
    fetchMock.mockResolvedValueOnce(answer(500, errorBody('INTERNAL', 'Internal server error.')));
    expect((await failure(deleteStoredSequence('x'))).status).toBe(500);
  });

  it('turns a lost connection into an error the dialogs can show', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    const error = await failure(listStoredSequences());
    expect(error).toMatchObject({ status: 0, code: 'UNREACHABLE' });
    expect(error.message).toBe('No answer from the server at /api: Failed to fetch');
  });
});

describe('stored names', () => {
  it('follows the server rule: letters, digits, _ and -, 1 to 128', () => {
    expect(storedNameProblem('order_flow-2')).toBeUndefined();
    expect(storedNameProblem('x'.repeat(128))).toBeUndefined();
    expect(storedNameProblem('')).toBe('Give the sequence a name.');
    expect(storedNameProblem('x'.repeat(129))).toBe('Use at most 128 characters.');
    for (const bad of ['a.json', '..', 'a/b', 'café', 'a b'])
      expect(storedNameProblem(bad)).toBe('Use only letters, digits, `_` or `-`.');
  });

  it('makes a name from the sequence name', () => {
    expect(storedNameFor('order-flow')).toBe('order-flow');
    expect(storedNameFor('  Orders v1.2 / EU ')).toBe('Orders-v1-2-EU');
    expect(storedNameFor('...')).toBe('');
    expect(storedNameFor(undefined)).toBe('');
  });
});

describe('the stored sequences store', () => {
  it('keeps the newest list when answers come back out of order', async () => {
    const answers: ((list: { name: string }[]) => void)[] = [];
    const store = createStoredSequencesStore(
      () =>
        new Promise((resolve) => {
          answers.push((list) =>
            resolve(
              list.map((item) => ({
                ...item,
                title: undefined,
                description: undefined,
                layerCount: 1,
                updatedAt: 1,
                error: undefined,
              })),
            ),
          );
        }),
    );
    const first = store.getState().refresh();
    const second = store.getState().refresh();
    answers[1]?.([{ name: 'new' }]);
    await second;
    answers[0]?.([{ name: 'old' }]);
    await first;
    expect(store.getState().list?.map((entry) => entry.name)).toEqual(['new']);
    expect(store.getState().loading).toBe(false);
  });

  it('keeps the last list and shows why a refresh failed', async () => {
    const fetchList = vi
      .fn()
      .mockResolvedValueOnce([])
      .mockRejectedValueOnce(new ServerError(503, 'Redis is down.'));
    const store = createStoredSequencesStore(fetchList);
    await store.getState().refresh();
    expect(await store.getState().refresh()).toBeUndefined();
    expect(store.getState()).toMatchObject({ list: [], listError: 'Redis is down.' });
  });
});
