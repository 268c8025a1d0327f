import { type RunEvent, type RunRecord, runRecordFromEvents, type SequenceJson } from 'fusync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ganttModel } from '../src/gantt/gantt-model';
import { operationCalls } from '../src/operations';
import { RunStartError, rerunInBrowser, runInBrowser } from '../src/run/browser-run';
import { previewRerun, rerunTarget } from '../src/run/rerun';
import { ServerError } from '../src/run/server-api';
import { rerunOnServer, stopFollowing } from '../src/run/server-run';
import { createRunStore } from '../src/stores/run-store';
import { FakeEventSource } from './support/fake-event-source';

/** `broken` fails; `after` waits for it; `first` and `other` succeed. */
function failingSequence(operation = 'fail'): SequenceJson {
  return {
    format: 'fusync.sequence',
    version: 1,
    name: 'rerun',
    layers: [
      { name: 'first', operation: 'wait', args: ['ms'] },
      { name: 'broken', operation, args: ['ms'], dependsOn: ['first'], onError: 'continue' },
      { name: 'after', operation: 'wait', args: ['ms'], dependsOn: ['broken'] },
      { name: 'other', operation: 'wait', args: ['ms'] },
    ],
  };
}

const calls = () => ({ ...operationCalls });
const delta = (before: Record<string, number>, layer: string) =>
  (operationCalls[layer] ?? 0) - (before[layer] ?? 0);

describe('rerun target', () => {
  const record = runRecordFromEvents([
    {
      seq: 0,
      runId: 'run-1',
      time: 0,
      type: 'run:started',
      layers: [{ name: 'a', dependsOn: [], priority: 0 }],
      concurrency: 1,
      queueType: 'FIFO',
    },
    { seq: 1, runId: 'run-1', time: 1, type: 'run:finished', status: 'failed' },
  ]);

  it('reruns a server run on the server, a browser run or a file in this tab', () => {
    expect(rerunTarget({ source: 'server', status: 'failed', record })).toEqual({
      ok: true,
      target: { kind: 'server', parent: record, parentRunId: 'run-1' },
    });
    for (const source of ['browser', 'file'] as const)
      expect(rerunTarget({ source, status: 'failed', record })).toEqual({
        ok: true,
        target: { kind: 'browser', parent: record },
      });
  });

  it('refuses a simulation, a run still going and no run, saying why', () => {
    expect(rerunTarget({ source: 'simulation', status: 'failed', record })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/simulation has no results/),
    });
    expect(rerunTarget({ source: 'browser', status: 'running', record })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/still going/),
    });
    expect(rerunTarget({ source: undefined, status: 'idle', record: undefined })).toMatchObject({
      ok: false,
    });
  });
});

describe('rerun in the browser', () => {
  it('runs only the failed layer and what depends on it; the others are reused, not called', async () => {
    const store = createRunStore();
    await runInBrowser(failingSequence(), { ms: 5 }, { store });
    const parent = store.getState().record;
    expect(parent?.status).toBe('failed');
    if (!parent) throw new Error('no record');

    const fixed = failingSequence('wait');
    const preview = previewRerun({ kind: 'browser', parent }, fixed, 'failed');
    expect(preview).toEqual({ ok: true, rerun: ['broken', 'after'], reused: ['first', 'other'] });

    const before = calls();
    await rerunInBrowser(fixed, parent, { from: 'failed', input: { ms: 1 } }, { store });
    const state = store.getState();
    expect(state.status).toBe('succeeded');
    expect(state.parentRunId).toBe(parent.runId);
    expect(state.layerStatus).toEqual({
      first: 'reused',
      broken: 'succeeded',
      after: 'succeeded',
      other: 'reused',
    });
    expect(['first', 'broken', 'after', 'other'].map((layer) => delta(before, layer))).toEqual([
      0, 1, 1, 0,
    ]);
    // The edited input reached the layers that ran again.
    expect(state.record?.layers.find((layer) => layer.name === 'after')?.attempts[0]?.args).toEqual(
      [1],
    );
    expect(state.record?.layers.find((layer) => layer.name === 'first')?.reusedFrom).toBe(
      parent.runId,
    );
  });

  it('refuses a rerun from a layer that does not exist, naming it, and keeps the run on display', async () => {
    const store = createRunStore();
    await runInBrowser(failingSequence(), { ms: 5 }, { store });
    const { record, version } = store.getState();
    if (!record) throw new Error('no record');
    let refusal: unknown;
    try {
      void rerunInBrowser(failingSequence(), record, { from: ['brokn'], input: {} }, { store });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(RunStartError);
    expect((refusal as RunStartError).layer).toBe('brokn');
    expect((refusal as RunStartError).message).toMatch(/Did you mean `broken`/);
    expect(store.getState().record).toBe(record);
    expect(store.getState().version).toBe(version);
  });
});

describe('rerun on the server', () => {
  const parentRunId = 'run-1';
  const rerunId = 'run-9';
  const rerunEvents: RunEvent[] = [
    {
      seq: 0,
      runId: rerunId,
      time: 0,
      type: 'run:started',
      layers: [
        { name: 'a', dependsOn: [], priority: 0 },
        { name: 'b', dependsOn: ['a'], priority: 0 },
      ],
      concurrency: 1,
      queueType: 'FIFO',
      parentRunId,
    },
    {
      seq: 1,
      runId: rerunId,
      time: 0,
      type: 'layer:reused',
      layer: 'a',
      reusedFrom: parentRunId,
      result: 1,
    },
    { seq: 2, runId: rerunId, time: 1, type: 'layer:queued', layer: 'b' },
    { seq: 3, runId: rerunId, time: 2, type: 'layer:started', layer: 'b', attempt: 1, args: [1] },
    { seq: 4, runId: rerunId, time: 5, type: 'layer:succeeded', layer: 'b', attempt: 1, result: 2 },
    { seq: 5, runId: rerunId, time: 6, type: 'run:finished', status: 'succeeded' },
  ];

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('posts the rerun and follows the new run, reused layers marked', async () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    const fetch = vi.fn(
      async () => new Response(JSON.stringify({ runId: rerunId, parentRunId }), { status: 201 }),
    );
    vi.stubGlobal('fetch', fetch);
    const store = createRunStore();
    const runId = await rerunOnServer(parentRunId, { from: ['b'], input: { n: 2 } }, store);
    expect(runId).toBe(rerunId);
    expect(fetch).toHaveBeenCalledWith('/api/runs/run-1/rerun', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: ['b'], input: { n: 2 } }),
    });
    const source = FakeEventSource.instances[0] as FakeEventSource;
    expect(source.url).toBe('/api/runs/run-9/events');
    source.open();
    for (const event of rerunEvents) source.emit(event);
    expect(store.getState()).toMatchObject({
      runId: rerunId,
      parentRunId,
      status: 'succeeded',
      layerStatus: { a: 'reused', b: 'succeeded' },
    });
    stopFollowing(store);
  });

  it('marks reused layers and names the parent of a rerun opened whole (a file)', () => {
    const store = createRunStore();
    store.getState().show(runRecordFromEvents(rerunEvents), 'file');
    expect(store.getState()).toMatchObject({
      parentRunId,
      layerStatus: { a: 'reused', b: 'succeeded' },
      layerAttempts: { a: 0, b: 1 },
    });
  });

  it('keeps the run on display when the server refuses, with the layer it names', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({
              error: { code: 'UNKNOWN_LAYER', message: 'Cannot rerun from `c`.', layer: 'c' },
            }),
            { status: 400 },
          ),
      ),
    );
    const store = createRunStore();
    store.getState().show(runRecordFromEvents(rerunEvents), 'server');
    const { record, version } = store.getState();
    const refusal = await rerunOnServer(parentRunId, { from: ['c'], input: {} }, store).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(ServerError);
    expect(refusal).toMatchObject({ status: 400, code: 'UNKNOWN_LAYER', layer: 'c' });
    expect(store.getState().record).toBe(record);
    expect(store.getState().version).toBe(version);
  });
});

describe('the Gantt chart of a rerun', () => {
  it('leaves reused layers off the critical path, however long the chain they form', async () => {
    const store = createRunStore();
    await runInBrowser(failingSequence('wait'), { ms: 1 }, { store });
    const first = store.getState().record as RunRecord;
    await rerunInBrowser(
      failingSequence('wait'),
      first,
      { from: ['after'], input: { ms: 1 } },
      { store },
    );
    const rerun = store.getState().record as RunRecord;
    expect(rerun.layers.filter((layer) => layer.reusedFrom).map((layer) => layer.name)).toEqual([
      'first',
      'broken',
      'other',
    ]);
    const model = ganttModel(rerun);
    expect(model.criticalPath).toEqual(['after']);
  });
});
