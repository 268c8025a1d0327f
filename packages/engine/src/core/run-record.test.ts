import { describe, expect, it } from 'vitest';
import {
  finished,
  recordOf,
  redelivered,
  retried,
  running,
  started,
  type TimedEvent,
} from '../render/run-record.fixture.js';
import { RunRecorder, runRecordFromEvents } from './run-record.js';

/** An attempt's outcome as a worker over Redis reports it: with the worker's name. */
function succeededOn(layer: string, time: number, worker: string, attempt = 1): TimedEvent {
  return { type: 'layer:succeeded', layer, attempt, result: layer, worker, time };
}

describe('the record of a redelivered attempt', () => {
  it('closes the part on the lost worker and goes on with the same attempt on the new one', () => {
    const record = recordOf(
      started([{ name: 'slow' }]),
      { type: 'layer:started', layer: 'slow', attempt: 1, args: ['x'], time: 100 },
      redelivered('slow', 2100, 'worker-b', 'worker-a'),
      succeededOn('slow', 5100, 'worker-b'),
      finished(5100),
    );
    const slow = record.layers[0];
    expect(slow?.attempts).toEqual([
      {
        attempt: 1,
        start: 100,
        end: 2100,
        outcome: 'lost',
        error: undefined,
        worker: 'worker-a',
        args: ['x'],
      },
      {
        attempt: 1,
        start: 2100,
        end: 5100,
        outcome: 'succeeded',
        error: undefined,
        worker: 'worker-b',
        args: ['x'],
      },
    ]);
    // The layer's time runs from its first start: the lost time is part of it.
    expect(slow).toMatchObject({
      status: 'succeeded',
      startedAt: 100,
      finishedAt: 5100,
      durationMs: 5000,
    });
  });

  it('shows the new worker running while the attempt goes on, before any outcome', () => {
    const recorder = new RunRecorder('run-1');
    const events = recordOf(
      started([{ name: 'slow' }]),
      running('slow', 0),
      redelivered('slow', 300, 'worker-b', 'worker-a'),
    ).events;
    for (const event of events) recorder.apply(event);
    expect(recorder.layer('slow')?.status).toBe('running');
    expect(
      recorder.layer('slow')?.attempts.map((a) => [a.outcome, a.worker, a.start, a.end]),
    ).toEqual([
      ['lost', 'worker-a', 0, 300],
      ['running', 'worker-b', 300, undefined],
    ]);
  });

  it('keeps every lost part of an attempt redelivered twice, and one lost without a known worker', () => {
    const record = recordOf(
      started([{ name: 'slow' }]),
      running('slow', 0),
      redelivered('slow', 100, 'worker-b'),
      redelivered('slow', 200, 'worker-c', 'worker-b'),
      succeededOn('slow', 300, 'worker-c'),
      finished(300),
    );
    expect(record.layers[0]?.attempts.map((a) => [a.attempt, a.outcome, a.worker])).toEqual([
      [1, 'lost', undefined],
      [1, 'lost', 'worker-b'],
      [1, 'succeeded', 'worker-c'],
    ]);
  });

  it('ignores a redelivery of an attempt that is not the one running', () => {
    const events = recordOf(
      started([{ name: 'flaky' }]),
      retried('flaky', 0, 100, 1),
      running('flaky', 150, 2),
      redelivered('flaky', 200, 'worker-b', 'worker-a', 1),
      finished(300, 'cancelled'),
    ).events;
    const record = runRecordFromEvents(events);
    expect(record.layers[0]?.attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'retrying'],
      [2, 'running'],
    ]);
  });
});
