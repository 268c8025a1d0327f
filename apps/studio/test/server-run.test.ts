import type { RunEvent } from 'fusync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { followServerRun, stopFollowing } from '../src/run/server-run';
import { createRunStore } from '../src/stores/run-store';
import { FakeEventSource } from './support/fake-event-source';

const runId = 'run-1';
const events: RunEvent[] = [
  {
    seq: 0,
    runId,
    time: 0,
    type: 'run:started',
    layers: [{ name: 'a', dependsOn: [], priority: 0 }],
    concurrency: 1,
    queueType: 'FIFO',
  },
  { seq: 1, runId, time: 1, type: 'layer:queued', layer: 'a' },
  { seq: 2, runId, time: 2, type: 'layer:started', layer: 'a', attempt: 1 },
  { seq: 3, runId, time: 5, type: 'layer:succeeded', layer: 'a', attempt: 1, result: 1 },
  { seq: 4, runId, time: 6, type: 'run:finished', status: 'succeeded' },
];

describe('following a server run', () => {
  beforeEach(() => {
    FakeEventSource.instances = [];
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response('{}', { status: 200 })),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('shows the connection state and folds the events into the record', () => {
    const store = createRunStore();
    followServerRun(runId, store);
    const source = FakeEventSource.instances[0] as FakeEventSource;
    expect(source.url).toBe('/api/runs/run-1/events');
    expect(store.getState().connection).toBe('connecting');
    source.open();
    expect(store.getState().connection).toBe('open');
    for (const event of events) source.emit(event);
    expect(store.getState().status).toBe('succeeded');
    expect(store.getState().connection).toBe('closed');
    expect(source.readyState).toBe(FakeEventSource.CLOSED);
  });

  it('lets the browser reconnect on its own, then resumes after the last event when it gives up', () => {
    const store = createRunStore();
    followServerRun(runId, store);
    const first = FakeEventSource.instances[0] as FakeEventSource;
    first.open();
    for (const event of events.slice(0, 3)) first.emit(event);
    first.fail(false);
    expect(store.getState().connection).toBe('reconnecting');
    expect(FakeEventSource.instances).toHaveLength(1);
    first.fail(true);
    vi.advanceTimersByTime(500);
    const second = FakeEventSource.instances[1] as FakeEventSource;
    expect(second.url).toBe('/api/runs/run-1/events?after=2');
    second.open();
    for (const event of events.slice(1)) second.emit(event);
    expect(store.getState().record?.events.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(store.getState().status).toBe('succeeded');
    expect(store.getState().connection).toBe('closed');
  });

  it('stops when asked, and no reconnection follows', () => {
    const store = createRunStore();
    followServerRun(runId, store);
    const source = FakeEventSource.instances[0] as FakeEventSource;
    stopFollowing(store);
    source.fail(true);
    vi.advanceTimersByTime(20_000);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(store.getState().connection).toBe('closed');
  });
});
