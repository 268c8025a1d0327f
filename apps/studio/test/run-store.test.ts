import { AdvancedSequenceBuilder, type RunEvent, runRecordFromEvents } from 'fusync';
import { describe, expect, it } from 'vitest';
import { ganttModel } from '../src/gantt/gantt-model';
import { demoSequence } from '../src/import-export/demo-sequence';
import { browserSequence } from '../src/run/browser-run';
import { simulateSequence } from '../src/run/simulate-run';
import { createRunStore, RunEventBatcher } from '../src/stores/run-store';

const flakySequence = {
  format: 'fusync.sequence' as const,
  version: 1,
  layers: [
    { name: 'first', operation: 'flaky', retries: 1 },
    { name: 'second', operation: 'fail', dependsOn: ['first'], onError: 'continue' as const },
    { name: 'third', operation: 'wait', dependsOn: ['second'] },
  ],
};

async function runEvents(): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  await browserSequence(flakySequence).run({}, { onEvent: (event) => events.push(event) }).result;
  return events;
}

describe('run store', () => {
  it('keeps each layer status from the events', async () => {
    const store = createRunStore();
    store.getState().begin('browser');
    const events = await runEvents();
    store.getState().receive(events);
    const state = store.getState();
    expect(state.status).toBe('failed');
    expect(state.layerStatus).toEqual({ first: 'succeeded', second: 'failed', third: 'skipped' });
    expect(state.layerAttempts.first).toBe(2);
    expect(state.record?.layers.map((layer) => layer.attempts.length)).toEqual([2, 1, 0]);
  });

  it('folds a burst of events into one update', async () => {
    const store = createRunStore();
    const events = await runEvents();
    const batcher = new RunEventBatcher(store);
    let updates = 0;
    store.subscribe(() => updates++);
    for (const event of events) batcher.push(event);
    batcher.flush();
    expect(updates).toBe(1);
    expect(store.getState().record?.events).toHaveLength(events.length);
  });

  it('ignores events a resumed stream repeats', async () => {
    const store = createRunStore();
    const events = await runEvents();
    store.getState().receive(events.slice(0, 5));
    store.getState().receive(events.slice(3));
    expect(store.getState().record?.events.map((event) => event.seq)).toEqual(
      events.map((event) => event.seq),
    );
  });

  it('changes only the status of layers that changed', async () => {
    const store = createRunStore();
    const events = await runEvents();
    store.getState().receive(events.slice(0, 1));
    const before = store.getState().layerStatus;
    store.getState().receive(events.slice(1, 2));
    expect(store.getState().layerStatus).not.toBe(before);
    expect(
      Object.keys(store.getState().layerStatus).filter(
        (name) => store.getState().layerStatus[name] !== before[name],
      ),
    ).toHaveLength(1);
  });
});

describe('gantt model', () => {
  it('has one bar per attempt and marks skipped layers', async () => {
    const model = ganttModel(runRecordFromEvents(await runEvents()));
    expect(model.rows.map((row) => row.bars.map((bar) => bar.outcome))).toEqual([
      ['retrying', 'succeeded'],
      ['failed'],
      [],
    ]);
    expect(model.barCount).toBe(3);
    expect(model.rows[2]).toMatchObject({ status: 'skipped', skippedBecause: 'second' });
  });
});

describe('simulation', () => {
  it('is deterministic and follows the expected durations and the concurrency', () => {
    const json = {
      ...demoSequence,
      studio: {
        nodes: Object.fromEntries(
          demoSequence.layers.map((layer) => [layer.name, { x: 0, y: 0, expectedDurationMs: 100 }]),
        ),
      },
    };
    const unlimited = simulateSequence(json, Number.POSITIVE_INFINITY);
    const serial = simulateSequence(json, 1);
    expect(unlimited.durationMs).toBe(400);
    expect(serial.durationMs).toBe(500);
    expect(simulateSequence(json, 1).layers.map((l) => l.startedAt)).toEqual(
      serial.layers.map((l) => l.startedAt),
    );
    expect(ganttModel(unlimited).criticalPath).toEqual([
      'checkInventory',
      'reserveInventory',
      'createOrder',
      'processPayment',
    ]);
  });

  it('defaults a layer without an expected duration to 100 ms', () => {
    const record = simulateSequence(demoSequence);
    expect(record.layers.every((layer) => layer.durationMs === 100)).toBe(true);
  });
});

describe('browser sequence', () => {
  it('refuses an operation the browser does not have, naming the layer', () => {
    expect(() =>
      browserSequence({ ...flakySequence, layers: [{ name: 'x', operation: 'sendEmail' }] }),
    ).toThrow(/Layer `x` uses operation `sendEmail`/);
  });

  it('runs with the tracer it is given', () => {
    const builder = browserSequence(demoSequence);
    expect(builder).toBeInstanceOf(AdvancedSequenceBuilder);
    expect(builder.config.name).toBe('order-flow');
  });
});
