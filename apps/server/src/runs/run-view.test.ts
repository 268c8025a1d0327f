import type { RunEvent } from 'fusync';
import { describe, expect, it } from 'vitest';
import { eventToJson, runTimelineOf, runViewOf } from './run-view.js';

/** A run whose `slow` layer was redelivered once: what a Redis-mode run records when a worker dies. */
function redeliveredRun(): RunEvent[] {
  const base = { runId: 'r' };
  return [
    {
      ...base,
      seq: 0,
      time: 0,
      type: 'run:started',
      layers: [{ name: 'slow', dependsOn: [], priority: 0, operation: 'wait' }],
      concurrency: 1,
      queueType: 'FIFO',
    },
    { ...base, seq: 1, time: 0, type: 'layer:queued', layer: 'slow' },
    { ...base, seq: 2, time: 10, type: 'layer:started', layer: 'slow', attempt: 1, args: [500] },
    {
      ...base,
      seq: 3,
      time: 310,
      type: 'layer:redelivered',
      layer: 'slow',
      attempt: 1,
      worker: 'worker-b',
      lostWorker: 'worker-a',
    },
    {
      ...base,
      seq: 4,
      time: 810,
      type: 'layer:succeeded',
      layer: 'slow',
      attempt: 1,
      result: 'done',
      worker: 'worker-b',
    },
    { ...base, seq: 5, time: 810, type: 'run:finished', status: 'succeeded' },
  ];
}

describe('the run view of a redelivered attempt', () => {
  it('lists the part lost with its worker before the part that finished, and counts one attempt', () => {
    const view = runViewOf(redeliveredRun());
    const [slow] = view.layers;
    expect(slow?.attempts).toEqual([
      { attempt: 1, start: 10, end: 310, outcome: 'lost', worker: 'worker-a', args: [500] },
      {
        attempt: 1,
        start: 310,
        end: 810,
        outcome: 'succeeded',
        worker: 'worker-b',
        args: [500],
        result: 'done',
      },
    ]);
    expect(slow).toMatchObject({ status: 'succeeded', attemptCount: 1, durationMs: 800 });
    expect(view.metrics).toMatchObject({
      totalAttempts: 1,
      retries: 0,
      failed: 0,
      lostDeliveries: 1,
      lostTimeMs: 300,
    });
  });

  it('streams the redelivery as it was recorded and renders it in the timeline and metrics', () => {
    const event = redeliveredRun()[3] as RunEvent;
    expect(JSON.parse(eventToJson(event))).toEqual(event);
    const text = runTimelineOf(redeliveredRun());
    expect(text.timeline).toContain('redelivered');
    expect(text.metrics).toContain('Lost Deliveries: 1 (0.300 seconds lost)');
  });
});
