import { describe, expect, it } from 'vitest';
import { testApp } from '../test-support/fixtures.js';

describe('GET /api/health', () => {
  it('reports ok and the in-memory queue', async () => {
    const res = await testApp().app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      queue: 'memory',
      activeRuns: 0,
      maxActiveRuns: 1000,
    });
  });

  it('answers 503 when the backend check fails', async () => {
    const { app } = testApp({ queue: 'redis', healthCheck: async () => false });
    const res = await app.request('/api/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'unavailable', queue: 'redis' });
  });

  it('treats a throwing check as unavailable', async () => {
    const { app } = testApp({
      queue: 'redis',
      healthCheck: () => Promise.reject(new Error('ECONNREFUSED')),
    });
    expect((await app.request('/api/health')).status).toBe(503);
  });
});
