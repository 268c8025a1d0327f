import { describe, expect, it } from 'vitest';
import { ORDER_INPUT, orderSequence, testApp } from '../test-support/fixtures.js';
import { describeRunRoutes, finished, startRun } from './run-routes.contract.js';

describeRunRoutes('in memory', async (options = {}) => {
  const { app, runs } = testApp(options);
  return { app, runs };
});

describe('GET /api/runs in memory', () => {
  it('lists runs started back to back newest first, in the order they started', async () => {
    const { app, runs } = testApp();
    const first = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
    const second = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
    await finished(runs, first);
    await finished(runs, second);
    const body = (await (await app.request('/api/runs')).json()) as { runs: { runId: string }[] };
    expect(body.runs.map((r) => r.runId)).toEqual([second, first]);
  });
});
