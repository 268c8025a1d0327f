import { type RunEvent, runRecordFromEvents } from 'fusync';
import { describe, expect, it } from 'vitest';
import { jsonText, omittedLabel, viewOf } from '../src/details/json-value';
import { layerDetails } from '../src/details/layer-details';

const runId = 'run-2';
const error = { name: 'Error', message: 'card declined', code: 'DECLINED', stack: 'Error: card…' };

/** A rerun of run-1: `fetch` reused, `charge` retried once and failed, `notify` skipped. */
const events: RunEvent[] = [
  {
    seq: 0,
    runId,
    time: 1000,
    type: 'run:started',
    layers: [
      { name: 'fetch', dependsOn: [], priority: 0, operation: 'httpFetch' },
      { name: 'charge', dependsOn: ['fetch'], priority: 0, operation: 'processPayment' },
      { name: 'notify', dependsOn: ['charge'], priority: 0 },
    ],
    concurrency: 2,
    queueType: 'FIFO',
    parentRunId: 'run-1',
    input: { amount: 12 },
  },
  {
    seq: 1,
    runId,
    time: 1000,
    type: 'layer:reused',
    layer: 'fetch',
    reusedFrom: 'run-1',
    result: { status: 200 },
  },
  { seq: 2, runId, time: 1002, type: 'layer:queued', layer: 'charge' },
  {
    seq: 3,
    runId,
    time: 1010,
    type: 'layer:started',
    layer: 'charge',
    attempt: 1,
    worker: 'w-1',
    args: ['o-1', 12],
  },
  {
    seq: 4,
    runId,
    time: 1060,
    type: 'layer:retrying',
    layer: 'charge',
    attempt: 1,
    error,
    delayMs: 100,
  },
  {
    seq: 5,
    runId,
    time: 1165,
    type: 'layer:started',
    layer: 'charge',
    attempt: 2,
    worker: 'w-2',
    args: ['o-1', { $fusync: 'omitted', reason: 'too-large', bytes: 122_880, type: 'object' }],
  },
  { seq: 6, runId, time: 1200, type: 'layer:failed', layer: 'charge', attempt: 2, error },
  {
    seq: 7,
    runId,
    time: 1200,
    type: 'layer:skipped',
    layer: 'notify',
    reason: 'upstream-failed',
    because: 'charge',
  },
  { seq: 8, runId, time: 1201, type: 'run:finished', status: 'failed', error },
];

describe('layer details', () => {
  const record = runRecordFromEvents(events);

  it('lists every attempt with its start, duration, wait, worker, arguments and error', () => {
    const details = layerDetails(record, 'charge');
    expect(details).toMatchObject({
      name: 'charge',
      runId,
      status: 'failed',
      operation: 'processPayment',
      reusedFrom: undefined,
      readyOffsetMs: 2,
      durationMs: 190,
      result: undefined,
      error,
    });
    expect(details?.attempts).toEqual([
      {
        attempt: 1,
        outcome: 'retrying',
        startOffsetMs: 10,
        durationMs: 50,
        waitMs: 8,
        waitSince: 'ready',
        worker: 'w-1',
        args: ['o-1', 12],
        error,
        result: undefined,
      },
      {
        attempt: 2,
        outcome: 'failed',
        startOffsetMs: 165,
        durationMs: 35,
        waitMs: 105,
        waitSince: 'previous-attempt',
        worker: 'w-2',
        args: ['o-1', { $fusync: 'omitted', reason: 'too-large', bytes: 122_880, type: 'object' }],
        error,
        result: undefined,
      },
    ]);
  });

  it('shows a reused layer with its result, the run it comes from and no attempts', () => {
    expect(layerDetails(record, 'fetch')).toMatchObject({
      status: 'succeeded',
      reusedFrom: 'run-1',
      attempts: [],
      result: { value: { status: 200 } },
      readyOffsetMs: undefined,
    });
  });

  it('says which upstream layer a skipped layer waited for', () => {
    expect(layerDetails(record, 'notify')).toMatchObject({
      status: 'skipped',
      skippedBecause: 'charge',
      attempts: [],
    });
  });

  it('puts the result on the attempt that produced it', () => {
    const succeeded = runRecordFromEvents([
      events[0] as RunEvent,
      { seq: 1, runId, time: 1000, type: 'layer:queued', layer: 'fetch' },
      { seq: 2, runId, time: 1001, type: 'layer:started', layer: 'fetch', attempt: 1, args: [] },
      {
        seq: 3,
        runId,
        time: 1005,
        type: 'layer:retrying',
        layer: 'fetch',
        attempt: 1,
        error,
        delayMs: 0,
      },
      { seq: 4, runId, time: 1006, type: 'layer:started', layer: 'fetch', attempt: 2, args: [] },
      { seq: 5, runId, time: 1009, type: 'layer:succeeded', layer: 'fetch', attempt: 2, result: 7 },
    ]);
    const details = layerDetails(succeeded, 'fetch');
    expect(details?.attempts.map((attempt) => attempt.result)).toEqual([undefined, { value: 7 }]);
    expect(details?.result).toEqual({ value: 7 });
  });

  it('counts a redelivered attempt once, its lost part apart', () => {
    const redelivered = runRecordFromEvents([
      events[0] as RunEvent,
      { seq: 1, runId, time: 1000, type: 'layer:queued', layer: 'fetch' },
      {
        seq: 2,
        runId,
        time: 1001,
        type: 'layer:started',
        layer: 'fetch',
        attempt: 1,
        worker: 'w-1',
        args: [],
      },
      {
        seq: 3,
        runId,
        time: 1500,
        type: 'layer:redelivered',
        layer: 'fetch',
        attempt: 1,
        worker: 'w-2',
        lostWorker: 'w-1',
      },
      { seq: 4, runId, time: 1509, type: 'layer:succeeded', layer: 'fetch', attempt: 1, result: 7 },
    ]);
    const details = layerDetails(redelivered, 'fetch');
    expect(
      details?.attempts.map((attempt) => [attempt.attempt, attempt.outcome, attempt.worker]),
    ).toEqual([
      [1, 'lost', 'w-1'],
      [1, 'succeeded', 'w-2'],
    ]);
    expect(details?.attemptCount).toBe(1);
    expect(details?.redeliveries).toBe(1);
    expect(layerDetails(record, 'charge')).toMatchObject({ attemptCount: 2, redeliveries: 0 });
  });

  it('is undefined for a layer the run does not have', () => {
    expect(layerDetails(record, 'addedLater')).toBeUndefined();
  });
});

describe('run values', () => {
  it('labels omitted values readably', () => {
    expect(
      omittedLabel({ $fusync: 'omitted', reason: 'too-large', bytes: 122_880, type: 'object' })
        .text,
    ).toBe('omitted: 120 KB');
    expect(omittedLabel({ $fusync: 'omitted', reason: 'not-json', type: 'function' }).text).toBe(
      'function',
    );
    expect(omittedLabel({ $fusync: 'omitted', reason: 'undefined', type: 'undefined' }).text).toBe(
      'undefined',
    );
  });

  it('shows what JSON cannot hold as badges, cycles included', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(viewOf(() => 1)).toMatchObject({ kind: 'badge', text: 'function' });
    expect(viewOf(undefined)).toMatchObject({ kind: 'badge', text: 'undefined' });
    expect(viewOf(cyclic.self, [cyclic])).toMatchObject({ kind: 'badge', text: 'circular' });
    expect(viewOf({ $fusync: 'omitted', reason: 'undefined', type: 'undefined' })).toMatchObject({
      kind: 'badge',
      text: 'undefined',
    });
    expect(viewOf(cyclic)).toMatchObject({ kind: 'object', summary: '2 keys' });
    expect(viewOf(12n)).toEqual({ kind: 'number', text: '12n' });
  });

  it('copies as JSON, with the engine’s markers for what JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = { n: 1 };
    cyclic.self = cyclic;
    const shared = { id: 1 };
    const value = [undefined, () => 1, 5n, cyclic, [shared, shared]];
    expect(JSON.parse(jsonText(value))).toEqual([
      { $fusync: 'omitted', reason: 'undefined', type: 'undefined' },
      { $fusync: 'omitted', reason: 'not-json', type: 'function' },
      '5n',
      { n: 1, self: '[Circular]' },
      [{ id: 1 }, { id: 1 }],
    ]);
  });
});
