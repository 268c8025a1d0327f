import { describe, expect, it } from 'vitest';
import { AdvancedSequenceBuilder, type RunEvent, resolveOptions } from '../src/index.js';
import { RunScheduler } from '../src/internal.js';

function wide(count: number, execute: () => unknown): AdvancedSequenceBuilder {
  const sequence = new AdvancedSequenceBuilder();
  for (let i = 0; i < count; i++) sequence.addLayer({ name: `l${i}`, execute });
  return sequence;
}

describe('a wide start', () => {
  it('starts thousands of ready layers in slices, letting the event loop run between them', async () => {
    let called = 0;
    const sequence = wide(3000, async () => {
      called++;
    });
    let calledWhenTimerFired: number | undefined;
    // Set before the run: it fires at the first turn of the event loop the run leaves free.
    setTimeout(() => {
      calledWhenTimerFired = called;
    }, 0);
    const run = await sequence.build();

    expect(run.status).toBe('succeeded');
    expect(called).toBe(3000);
    expect(calledWhenTimerFired).toBeGreaterThan(0);
    expect(calledWhenTimerFired).toBeLessThan(3000);
  });

  it('keeps the ready order and records the wait of the layers started later as queued time', async () => {
    const events: RunEvent[] = [];
    const run = await wide(2500, async () => 1).build({}, { onEvent: (e) => events.push(e) });

    const started = events.filter((e) => e.type === 'layer:started').map((e) => e.layer);
    expect(started).toEqual(Array.from({ length: 2500 }, (_, i) => `l${i}`));
    expect(Object.keys(run.results)).toHaveLength(2500);
    for (const layer of run.layers) expect(layer.attempts).toHaveLength(1);
  });

  it('stops starting slices once the run is cancelled', async () => {
    let called = 0;
    const handle = wide(3000, () => {
      called++;
      return new Promise(() => {});
    }).run();
    // The first slice is running; cancel before the next slice's turn.
    expect(called).toBe(1024);
    handle.cancel('enough');
    const run = await handle.result;

    expect(called).toBe(1024);
    expect(run.status).toBe('cancelled');
    const startedCount = run.events.filter((e) => e.type === 'layer:started').length;
    expect(startedCount).toBe(1024);
    expect(run.layers.filter((layer) => layer.status === 'skipped')).toHaveLength(3000 - 1024);
  });
});

describe('RunScheduler slice', () => {
  it('starts at most `slice` layers until nextSlice(), and says when it held ready layers back', () => {
    const sequence = wide(5, async () => {});
    let spent = 0;
    const scheduler = new RunScheduler({
      graph: sequence.validate(),
      options: resolveOptions({}),
      runId: 'r',
      clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} },
      slice: 2,
      onSliceSpent: () => {
        spent++;
      },
    });
    expect(scheduler.start()).toEqual([0, 1]);
    expect(spent).toBe(1);
    // A transition within a spent slice starts nothing, though slots are free.
    expect(scheduler.succeeded(0, 'done')).toEqual([]);
    expect(spent).toBe(2);
    expect(scheduler.nextSlice()).toEqual([2, 3]);
    expect(scheduler.nextSlice()).toEqual([4]);
    expect(spent).toBe(3);
    expect(scheduler.nextSlice()).toEqual([]);
    expect(spent).toBe(3);
  });
});
