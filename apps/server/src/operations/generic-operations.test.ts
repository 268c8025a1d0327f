import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LayerContext } from 'fusync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenericOperations } from './generic-operations.js';
import type { OperationDefinition } from './operation.js';

function context(
  layer = 'l',
  runId = 'run-1',
  signal = new AbortController().signal,
): LayerContext {
  return { signal, attempt: 1, layer, runId };
}

function operation(
  name: string,
  options: Parameters<typeof createGenericOperations>[0] = {},
): OperationDefinition {
  const found = createGenericOperations(options).find((o) => o.name === name);
  if (!found) throw new Error(name);
  return found;
}

describe('wait', () => {
  it('waits the given milliseconds and reports them', async () => {
    await expect(operation('wait').execute(0, context())).resolves.toEqual({ waitedMs: 0 });
  });

  it('stops at once with the reason when the layer signal aborts', async () => {
    const controller = new AbortController();
    const waiting = operation('wait').execute(600_000, context('l', 'r', controller.signal));
    controller.abort(new Error('timed out'));
    await expect(waiting).rejects.toThrow('timed out');
  });

  it('refuses a duration that is not a whole number of milliseconds', async () => {
    await expect(operation('wait').execute('soon', context())).rejects.toThrow(
      /expected `ms` to be an integer/,
    );
    await expect(operation('wait').execute(-1, context())).rejects.toThrow(TypeError);
  });
});

describe('flaky', () => {
  it('fails the first N calls of a layer in a run, then succeeds', async () => {
    const flaky = operation('flaky');
    await expect(flaky.execute(2, context('a', 'run-1'))).rejects.toThrow('planned failure 1 of 2');
    await expect(flaky.execute(2, context('a', 'run-1'))).rejects.toThrow('planned failure 2 of 2');
    await expect(flaky.execute(2, context('a', 'run-1'))).resolves.toEqual({ calls: 3 });
  });

  it('counts each run and layer on its own', async () => {
    const flaky = operation('flaky');
    await expect(flaky.execute(1, context('a', 'run-1'))).rejects.toThrow();
    await expect(flaky.execute(1, context('b', 'run-1'))).rejects.toThrow();
    await expect(flaky.execute(1, context('a', 'run-2'))).rejects.toThrow();
    await expect(flaky.execute(1, context('a', 'run-1'))).resolves.toEqual({ calls: 2 });
  });
});

describe('httpRequest', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (req.url === '/json') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true }));
      } else if (req.url === '/echo') {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        req.on('end', () => res.end(body));
      } else if (req.url === '/big') {
        res.end('x'.repeat(4096));
      } else if (req.url === '/hang') {
        // never answers: the layer's signal has to end it
      } else {
        res.statusCode = 500;
        res.end('broken');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches a URL and parses a JSON answer', async () => {
    await expect(operation('httpRequest').execute(`${base}/json`, context())).resolves.toEqual({
      status: 200,
      body: { ok: true },
    });
  });

  it('sends a method and a JSON body', async () => {
    await expect(
      operation('httpRequest').execute(`${base}/echo`, 'post', { a: 1 }, context()),
    ).resolves.toEqual({ status: 200, body: '{"a":1}' });
    expect(hits).toContain('POST /echo');
  });

  it('fails the layer on a non-2xx answer', async () => {
    await expect(operation('httpRequest').execute(`${base}/fail`, context())).rejects.toThrow(
      /answered 500/,
    );
  });

  it('stops reading a body over the limit', async () => {
    await expect(
      operation('httpRequest', { maxResponseBytes: 1024 }).execute(`${base}/big`, context()),
    ).rejects.toThrow(/larger than 1024 bytes/);
  });

  it('is aborted by the layer signal', async () => {
    const controller = new AbortController();
    const request = operation('httpRequest').execute(
      `${base}/hang`,
      context('l', 'r', controller.signal),
    );
    controller.abort(new Error('cancelled'));
    await expect(request).rejects.toThrow('cancelled');
  });

  it('names the URL and the rule it breaks', async () => {
    await expect(operation('httpRequest').execute('file:///etc/passwd', context())).rejects.toThrow(
      'fetching file:///etc/passwd is not allowed: only http: and https: URLs are fetched, not file:.',
    );
    const onlyExample = operation('httpRequest', {
      allowUrl: (url) => url.hostname === 'example.com',
    });
    await expect(onlyExample.execute(`${base}/json`, context())).rejects.toThrow(
      'FUSYNC_HTTP_ALLOW',
    );
  });

  it('refuses non-HTTP URLs and URLs the server does not allow', async () => {
    await expect(operation('httpRequest').execute('file:///etc/passwd', context())).rejects.toThrow(
      /not allowed/,
    );
    await expect(operation('httpRequest').execute('not a url', context())).rejects.toThrow(
      /absolute URL/,
    );
    const onlyExample = operation('httpRequest', {
      allowUrl: (url) => url.hostname === 'example.com',
    });
    await expect(onlyExample.execute(`${base}/json`, context())).rejects.toThrow(/not allowed/);
  });
});
