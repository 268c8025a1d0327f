/**
 * The behaviour of `POST /api/runs/:id/rerun` and of reruns in the run views
 * that every backend must show: each backend's test file runs this suite
 * over an app it builds, beside `describeRunRoutes`.
 */
import type { RunEvent } from 'fusync';
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  Gate,
  json,
  ORDER_INPUT,
  orderSequence,
  readSse,
  sequenceOf,
} from '../test-support/fixtures.js';
import {
  finished,
  type MakeRunApp,
  type RunRoutesApp,
  runCount,
  runView,
  startRun,
} from './run-routes.contract.js';
import type { RunSummary } from './run-service.js';

/** `a` succeeds, `b` fails its first `failures` calls in a run (no retries), `c` needs `b`. */
function chainSequence() {
  return sequenceOf(
    { name: 'a', operation: 'wait', args: ['ms'] },
    { name: 'b', operation: 'flaky', dependsOn: ['a'], args: ['failures'] },
    { name: 'c', operation: 'wait', dependsOn: ['b'], args: ['ms'] },
  );
}

/** POSTs a rerun and returns the new run's id, checking the 202, its body and its Location. */
async function startRerun(app: Hono, parentRunId: string, body: unknown): Promise<string> {
  const res = await app.request(`/api/runs/${parentRunId}/rerun`, json('POST', body));
  expect(res.status, await res.clone().text()).toBe(202);
  const answer = (await res.json()) as { runId: string; parentRunId: string };
  expect(answer.parentRunId).toBe(parentRunId);
  expect(answer.runId).not.toBe(parentRunId);
  expect(res.headers.get('location')).toBe(`/api/runs/${answer.runId}`);
  return answer.runId;
}

/** A run's whole event history, from its SSE stream. */
async function eventsOf(app: Hono, runId: string): Promise<RunEvent[]> {
  const messages = await readSse(await app.request(`/api/runs/${runId}/events`));
  return messages.map((m) => JSON.parse(m.data) as RunEvent);
}

/** The layers an event list shows executed (started at least once), in order. */
function executed(events: readonly RunEvent[]): string[] {
  return [...new Set(events.flatMap((e) => (e.type === 'layer:started' ? [e.layer] : [])))];
}

async function listed(app: Hono): Promise<RunSummary[]> {
  return ((await (await app.request('/api/runs')).json()) as { runs: RunSummary[] }).runs;
}

/** A finished run of `chainSequence` whose `b` failed. */
async function failedChainRun(backend: RunRoutesApp): Promise<string> {
  const runId = await startRun(backend.app, {
    sequence: chainSequence(),
    input: { failures: 1, ms: 0 },
  });
  await finished(backend.runs, runId);
  expect((await runView(backend.app, runId)).status).toBe('failed');
  return runId;
}

/** Checks that a refused rerun added no run, in the API and in the backend's storage. */
async function expectRefused(
  backend: RunRoutesApp,
  parentRunId: string,
  body: unknown,
  status: number,
  error: Record<string, unknown>,
): Promise<void> {
  const runsBefore = await runCount(backend.app);
  const keysBefore = await backend.storedRunKeys?.();
  const res = await backend.app.request(`/api/runs/${parentRunId}/rerun`, json('POST', body));
  expect(res.status).toBe(status);
  const answer = (await res.json()) as { error: { message: string } };
  expect(answer.error).toMatchObject(error);
  expect(answer.error.message.length).toBeGreaterThan(10);
  expect(await runCount(backend.app)).toBe(runsBefore);
  if (backend.storedRunKeys) expect(await backend.storedRunKeys()).toEqual(keysBefore);
}

/** The rerun suite over the backend `makeApp` builds. */
export function describeRerunRoutes(backendName: string, makeApp: MakeRunApp): void {
  describe(`POST /api/runs/:id/rerun ${backendName}`, () => {
    it('reruns a failed run from its failures with an edited input, reusing the layer that succeeded', async () => {
      const backend = await makeApp();
      const { app, runs } = backend;
      const parentRunId = await failedChainRun(backend);

      const runId = await startRerun(app, parentRunId, { input: { failures: 0, ms: 0 } });
      await finished(runs, runId);

      const view = await runView(app, runId);
      expect(view).toMatchObject({
        status: 'succeeded',
        parentRunId,
        input: { failures: 0, ms: 0 },
      });
      expect(
        view.layers.map((l) => [l.name, l.status, l.attemptCount, l.reusedFrom ?? null]),
      ).toEqual([
        ['a', 'succeeded', 0, parentRunId],
        ['b', 'succeeded', 1, null],
        ['c', 'succeeded', 1, null],
      ]);
      expect(view.layers[0]?.result).toEqual((await runView(app, parentRunId)).layers[0]?.result);
      expect(view.metrics).toMatchObject({ reused: 1, succeeded: 2, totalTasks: 2 });

      const events = await eventsOf(app, runId);
      expect(events[0]).toMatchObject({ type: 'run:started', parentRunId });
      expect(events[1]).toMatchObject({
        type: 'layer:reused',
        layer: 'a',
        reusedFrom: parentRunId,
      });
      expect(executed(events)).toEqual(['b', 'c']);
    });

    it("defaults to the parent run's input: the same failure fails again", async () => {
      const backend = await makeApp();
      const parentRunId = await failedChainRun(backend);
      const runId = await startRerun(backend.app, parentRunId, {});
      await finished(backend.runs, runId);
      const view = await runView(backend.app, runId);
      expect(view).toMatchObject({ status: 'failed', parentRunId, input: { failures: 1, ms: 0 } });
      expect(view.layers.map((l) => l.status)).toEqual(['succeeded', 'failed', 'skipped']);
      expect(executed(await eventsOf(backend.app, runId))).toEqual(['b']);
    });

    it('reruns from chosen layers, feeding the reused results to the layers that run again', async () => {
      const { app, runs } = await makeApp();
      const parentRunId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, parentRunId);
      const parent = await runView(app, parentRunId);

      const runId = await startRerun(app, parentRunId, { from: ['processPayment'] });
      await finished(runs, runId);

      const view = await runView(app, runId);
      expect(view.status).toBe('succeeded');
      expect(view.layers.filter((l) => l.reusedFrom === parentRunId).map((l) => l.name)).toEqual([
        'checkInventory',
        'validateCustomer',
        'reserveInventory',
        'createOrder',
      ]);
      const order = parent.layers.find((l) => l.name === 'createOrder')?.result as {
        orderId: string;
        amount: number;
      };
      const payment = view.layers.find((l) => l.name === 'processPayment');
      expect(payment?.attempts.map((a) => a.args)).toEqual([[order.orderId, order.amount]]);
      expect(executed(await eventsOf(app, runId))).toEqual(['processPayment']);
    });

    it('lists a rerun with the run it reran, newest first', async () => {
      const backend = await makeApp();
      const parentRunId = await failedChainRun(backend);
      const runId = await startRerun(backend.app, parentRunId, {
        from: 'failed',
        runId: 'again-1',
      });
      expect(runId).toBe('again-1');
      await finished(backend.runs, runId);
      const runs = await listed(backend.app);
      expect(runs.map((r) => [r.runId, r.parentRunId ?? null])).toEqual([
        ['again-1', parentRunId],
        [parentRunId, null],
      ]);
    });

    it('reruns a rerun: the new run names the run it reran as its parent', async () => {
      const backend = await makeApp();
      const first = await failedChainRun(backend);
      const second = await startRerun(backend.app, first, {});
      await finished(backend.runs, second);
      const third = await startRerun(backend.app, second, { input: { failures: 0, ms: 0 } });
      await finished(backend.runs, third);
      const view = await runView(backend.app, third);
      expect(view).toMatchObject({ status: 'succeeded', parentRunId: second });
      expect(view.layers[0]?.reusedFrom).toBe(second);
    });
  });

  describe(`POST /api/runs/:id/rerun ${backendName} refused`, () => {
    it('answers 404 for an unknown run', async () => {
      const backend = await makeApp();
      await expectRefused(backend, 'nope', {}, 404, { code: 'NOT_FOUND' });
      expect(await runCount(backend.app)).toBe(0);
    });

    it('names a layer the sequence does not have, at its place in `from`', async () => {
      const backend = await makeApp();
      const parentRunId = await failedChainRun(backend);
      await expectRefused(backend, parentRunId, { from: ['b', 'cc'] }, 422, {
        code: 'UNKNOWN_LAYER',
        path: 'from[1]',
        layer: 'cc',
      });
    });

    it('refuses a layer to reuse that has no result in the parent run, naming it', async () => {
      const backend = await makeApp();
      const parentRunId = await failedChainRun(backend);
      // `b` failed, and rerunning only `c` would reuse it.
      await expectRefused(backend, parentRunId, { from: ['c'] }, 422, {
        code: 'RERUN_RESULT_MISSING',
        layer: 'b',
      });
    });

    it('refuses to rerun a run that is still going with 409', async () => {
      const gate = new Gate();
      const backend = await makeApp({ extra: [gate.definition()] });
      const parentRunId = await startRun(backend.app, {
        sequence: sequenceOf({ name: 'held', operation: 'gate' }),
      });
      await gate.started;
      await expectRefused(backend, parentRunId, {}, 409, { code: 'RUN_NOT_FINISHED' });
      gate.open();
      await finished(backend.runs, parentRunId);
    });

    it('refuses a run id that is taken', async () => {
      const backend = await makeApp();
      const parentRunId = await failedChainRun(backend);
      await expectRefused(backend, parentRunId, { runId: parentRunId }, 409, {
        code: 'RUN_EXISTS',
        path: 'runId',
      });
    });

    it.each<[string, unknown, Record<string, unknown>]>([
      [
        'a `from` that is neither failed nor a list',
        { from: 'everything' },
        { code: 'INVALID_BODY', path: 'from' },
      ],
      ['an empty `from`', { from: [] }, { code: 'INVALID_BODY', path: 'from' }],
      [
        'a `from` with an empty name',
        { from: ['b', ''] },
        { code: 'INVALID_BODY', path: 'from[1]' },
      ],
      ['an input that is not an object', { input: [1] }, { code: 'INVALID_BODY', path: 'input' }],
      ['an unknown field', { sequence: {} }, { code: 'INVALID_BODY' }],
      ['a bad run id', { runId: 'a:b' }, { code: 'INVALID_PARAMETER', path: 'runId' }],
    ])('refuses %s with 400 naming the field', async (_name, body, error) => {
      const backend = await makeApp();
      const parentRunId = await failedChainRun(backend);
      await expectRefused(backend, parentRunId, body, 400, error);
    });
  });
}
