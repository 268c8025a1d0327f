import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOOPBACK_HOSTS } from './http/host-guard.js';
import { jsonLinesLogger } from './logger.js';
import { json, orderSequence, type TestApp, testApp } from './test-support/fixtures.js';

const TOKEN = 'a-long-enough-test-token';

async function counts(
  { app }: TestApp,
  headers: Record<string, string> = {},
): Promise<[number, number]> {
  const runs = (await (await app.request('/api/runs', { headers })).json()) as { runs: unknown[] };
  const sequences = (await (await app.request('/api/sequences', { headers })).json()) as {
    sequences: unknown[];
  };
  return [runs.runs.length, sequences.sequences.length];
}

describe('bearer token', () => {
  const calls: [string, RequestInit][] = [
    ['/api/health', {}],
    ['/api/operations', {}],
    ['/api/runs', {}],
    ['/api/runs', json('POST', { sequence: orderSequence() })],
    ['/api/runs/x/events', {}],
    ['/api/runs/x/cancel', { method: 'POST' }],
    ['/api/sequences', {}],
    ['/api/sequences/order', json('PUT', orderSequence())],
    ['/api/sequences/order', { method: 'DELETE' }],
  ];

  it.each(calls)(
    'is required by %s (%o) when set, and nothing is created without it',
    async (path, init) => {
      const test = testApp({ token: TOKEN });
      const missing = await test.app.request(path, init);
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toBe('Bearer');
      expect(await missing.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
      const wrong = await test.app.request(path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${TOKEN}x` },
      });
      expect(wrong.status).toBe(401);
      const otherScheme = await test.app.request(path, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Basic ${TOKEN}` },
      });
      expect(otherScheme.status).toBe(401);
      expect(await counts(test, { authorization: `Bearer ${TOKEN}` })).toEqual([0, 0]);
    },
  );

  it('lets a request with the right token through', async () => {
    const test = testApp({ token: TOKEN });
    const res = await test.app.request(
      '/api/sequences/order',
      json('PUT', orderSequence(), { authorization: `Bearer ${TOKEN}` }),
    );
    expect(res.status).toBe(201);
    expect(await counts(test, { authorization: `bearer ${TOKEN}` })).toEqual([0, 1]);
  });

  it('is not asked for when no token is configured', async () => {
    expect((await testApp().app.request('/api/health')).status).toBe(200);
  });
});

describe('host guard', () => {
  it('accepts loopback host names and refuses others (DNS rebinding)', async () => {
    const { app } = testApp({ allowedHosts: LOOPBACK_HOSTS });
    for (const host of ['localhost:3000', '127.0.0.1:3000', '[::1]:3000', 'LOCALHOST']) {
      expect((await app.request('/api/health', { headers: { host } })).status).toBe(200);
    }
    const res = await app.request('/api/health', { headers: { host: 'evil.example:3000' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN_HOST' } });
  });
});

describe('CORS', () => {
  it('allows the Vite dev server by default and no other origin', async () => {
    const { app } = testApp();
    const allowed = await app.request('/api/health', {
      headers: { origin: 'http://localhost:5173' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await app.request('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight from an allowed origin without a token, and allows the headers the studio sends', async () => {
    const { app } = testApp({ token: TOKEN, corsOrigins: ['https://studio.example'] });
    const res = await app.request('/api/runs', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://studio.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://studio.example');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
      'authorization',
    );
    const refused = await app.request('/api/runs', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('errors', () => {
  it('answers an unknown API path with a JSON 404', async () => {
    const res = await testApp().app.request('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('answers an unexpected failure with a bare 500 and logs it', async () => {
    const lines: string[] = [];
    const test = testApp({ logger: jsonLinesLogger((line) => lines.push(line)) });
    test.runs.list = () => Promise.reject(new Error('secret internals'));
    const res = await test.app.request('/api/runs');
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret');
    expect(JSON.parse(text)).toEqual({
      error: { code: 'INTERNAL', message: 'Internal server error.' },
    });
    expect(lines.some((line) => line.includes('secret internals'))).toBe(true);
  });

  it('logs a client that closed the connection mid-body at info, without a stack, not as a 500', async () => {
    const lines: string[] = [];
    const { app } = testApp({ logger: jsonLinesLogger((line) => lines.push(line)) });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"sequence":'));
        controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      },
    });
    const res = await app.request('/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'CLIENT_CLOSED' } });
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.filter((line) => line.level === 'error')).toEqual([]);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'client closed the connection mid-body' }),
    );
    expect(lines.some((line) => line.includes('stack'))).toBe(false);
  });

  it('logs one line per request without headers or query', async () => {
    const lines: string[] = [];
    const { app } = testApp({ logger: jsonLinesLogger((line) => lines.push(line)), token: TOKEN });
    await app.request('/api/health?x=1', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/api/health',
      status: 200,
    });
    expect(lines[0]).not.toContain(TOKEN);
  });
});

describe('studio', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'fusync-studio-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('serves the built studio with a single-page-app fallback, leaving /api alone', async () => {
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>Fusync studio</title>');
    await writeFile(join(directory, 'assets', 'app-123.js'), 'console.log(1)');
    const { app } = testApp({ studioDir: directory });

    const index = await app.request('/');
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('Fusync studio');
    const asset = await app.request('/assets/app-123.js');
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const deepLink = await app.request('/runs/abc');
    expect(await deepLink.text()).toContain('Fusync studio');
    expect((await app.request('/assets/missing.js')).status).toBe(404);
    expect((await app.request('/../../etc/passwd')).status).not.toBe(500);
    const api = await app.request('/api/unknown');
    expect(await api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('does not serve source maps, even when the build left one', async () => {
    await mkdir(join(directory, 'assets'));
    await writeFile(join(directory, 'index.html'), '<!doctype html><title>Fusync studio</title>');
    await writeFile(join(directory, 'assets', 'app-123.js'), 'console.log(1)');
    await writeFile(join(directory, 'assets', 'app-123.js.map'), '{"version":3}');
    const { app } = testApp({ studioDir: directory });
    expect((await app.request('/assets/app-123.js')).status).toBe(200);
    const map = await app.request('/assets/app-123.js.map');
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('version');
  });

  it('says how to build the studio when it has not been built', async () => {
    const { app } = testApp({ studioDir: join(directory, 'nothing') });
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('pnpm --filter @fusync/studio build');
  });
});
