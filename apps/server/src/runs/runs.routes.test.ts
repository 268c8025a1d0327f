import type { RunEvent } from 'fusync';
import { describe, expect, it } from 'vitest';
import type { OperationDefinition } from '../operations/operation.js';
import {
  ORDER_INPUT,
  orderSequence,
  readSse,
  sequenceOf,
  testApp,
} from '../test-support/fixtures.js';
import { describeRerunRoutes } from './rerun-routes.contract.js';
import { describeRunRoutes, finished, type MakeRunApp, startRun } from './run-routes.contract.js';
import type { RunView } from './run-service.js';

const memoryApp: MakeRunApp = async (options = {}) => {
  const { app, runs } = testApp(options);
  return { app, runs };
};

describeRunRoutes('in memory', memoryApp);
describeRerunRoutes('in memory', memoryApp);

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

describe('GET /api/runs/:id/events in memory', () => {
  // In memory an attempt's args are the live values: what no JSON can hold must not break the views.
  const tangle: OperationDefinition = {
    name: 'tangle',
    description: 'A result JSON cannot hold: a cycle and a function.',
    args: [],
    execute: async () => {
      const knot: Record<string, unknown> = { call: () => 'hi', size: 10n };
      knot.self = knot;
      return knot;
    },
  };
  const untangle: OperationDefinition = {
    name: 'untangle',
    description: 'Takes the knot and answers plain JSON.',
    args: [{ name: 'knot', type: 'object' }],
    execute: async (knot: unknown) => ({ keys: Object.keys(knot as object) }),
  };
  const notJson = { $fusync: 'omitted', reason: 'not-json', type: 'object' };

  it('streams and shows a run whose args and results are cyclic or functions, as markers', async () => {
    const { app, runs } = testApp({ extra: [tangle, untangle] });
    const runId = await startRun(app, {
      sequence: sequenceOf(
        { name: 'knot', operation: 'tangle', args: [] },
        { name: 'open', operation: 'untangle', dependsOn: ['knot'], args: ['knot'] },
      ),
    });
    await finished(runs, runId);

    const events = (await readSse(await app.request(`/api/runs/${runId}/events`))).map(
      (m) => JSON.parse(m.data) as RunEvent,
    );
    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'layer:started', layer: 'open', args: [notJson] }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'layer:succeeded', layer: 'knot', result: notJson }),
    );

    const res = await app.request(`/api/runs/${runId}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as RunView;
    expect(view.layers.map((l) => [l.name, l.result])).toEqual([
      ['knot', notJson],
      ['open', { keys: ['call', 'size', 'self'] }],
    ]);
    expect(view.layers[1]?.attempts[0]?.args).toEqual([notJson]);
  });
});
