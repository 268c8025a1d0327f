import { AdvancedSequenceBuilder, type RunEvent, runRecordFromEvents } from 'fusync';
import { describe, expect, it } from 'vitest';
import { demoSequence } from '../src/import-export/demo-sequence';
import { isSimulatedRun, readRunEvents, runEventsText } from '../src/import-export/read-run-events';
import { readSequence } from '../src/import-export/read-sequence';
import { compareRunLayers, isMatch, mismatchText, sequenceOfRun } from '../src/run/run-match';
import { simulateSequence } from '../src/run/simulate-run';
import { createGraphStore } from '../src/stores/graph-store';
import { createRunStore, selectLayerLive, selectLayerStatus } from '../src/stores/run-store';

const base = { format: 'fusync.sequence' as const, version: 1 };

describe('a run belongs to its sequence', () => {
  const record = simulateSequence(demoSequence);

  it('matches the canvas it ran and names what changed since', () => {
    const layers = record.events[0]?.type === 'run:started' ? record.events[0].layers : [];
    expect(isMatch(compareRunLayers(layers, demoSequence.layers))).toBe(true);
    const edited = demoSequence.layers
      .filter((layer) => layer.name !== 'createOrder')
      .map((layer) =>
        layer.name === 'processPayment' ? { ...layer, dependsOn: ['reserveInventory'] } : layer,
      )
      .concat([{ name: 'audit', operation: 'wait' }]);
    const mismatch = compareRunLayers(layers, edited);
    expect(mismatch.removed).toEqual(['createOrder']);
    expect(mismatch.added).toEqual(['audit']);
    expect(mismatch.changed).toEqual(['processPayment']);
    expect(mismatchText(mismatch)).toBe(
      'removed `createOrder`; added `audit`; changed `processPayment`',
    );
  });

  it("rebuilds the run's graph as a sequence the canvas opens", () => {
    const json = sequenceOfRun(record);
    expect(
      json?.layers.map((layer) => [layer.name, layer.operation, layer.dependsOn ?? []]),
    ).toEqual(
      demoSequence.layers.map((layer) => [layer.name, layer.operation, layer.dependsOn ?? []]),
    );
    expect(readSequence(JSON.stringify(json)).ok).toBe(true);
  });

  it('shows no statuses on the canvas for a run not attached to it', () => {
    const store = createRunStore();
    store.getState().show(record, 'file', { attached: false });
    expect(selectLayerLive('createOrder')(store.getState())).toBe('|0|');
    expect(selectLayerStatus('createOrder')(store.getState())).toBeUndefined();
    store.getState().attach(true);
    expect(selectLayerLive('createOrder')(store.getState())).toBe('succeeded|1|');
  });

  it('drops the late events of a run that was cleared', async () => {
    const events: RunEvent[] = [];
    await new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 1 })
      .run({}, { onEvent: (event) => events.push(event) }).result;
    const store = createRunStore();
    store.getState().begin('browser');
    store.getState().receive(events.slice(0, 2));
    store.getState().clear();
    store.getState().receive(events.slice(2));
    expect(store.getState().status).toBe('idle');
    expect(store.getState().record).toBeUndefined();
  });

  it('counts a new sequence, not an edit or an undo, as another sequence', () => {
    const store = createGraphStore(demoSequence);
    const start = store.getState().sequenceId;
    store.getState().updateLayer('createOrder', { retries: 2 });
    store.getState().undo();
    expect(store.getState().sequenceId).toBe(start);
    store.getState().loadSequence({ ...base, layers: [{ name: 'x', operation: 'wait' }] });
    expect(store.getState().sequenceId).toBe(start + 1);
    store.getState().loadSequence(demoSequence, { sameSequence: true });
    expect(store.getState().sequenceId).toBe(start + 1);
  });
});

describe('simulated runs stay marked', () => {
  it('marks a simulation in the store and in its saved events, and reads the mark back', () => {
    const record = simulateSequence(demoSequence);
    const store = createRunStore();
    store.getState().show(record, 'simulation');
    expect(store.getState().simulated).toBe(true);
    expect(selectLayerLive('createOrder')(store.getState())).toBe('succeeded|1|sim');

    const value = JSON.parse(runEventsText(record.events, { simulated: true }));
    const events = readRunEvents(value);
    expect(events).toBeDefined();
    expect(isSimulatedRun(value, events ?? [])).toBe(true);
    // A file saved without the flag: the engine's simulation worker tells it.
    const bare = JSON.parse(runEventsText(record.events));
    expect(isSimulatedRun(bare, readRunEvents(bare) ?? [])).toBe(true);
  });

  it('does not call a real run simulated', async () => {
    const events: RunEvent[] = [];
    await new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 1 })
      .run({}, { onEvent: (event) => events.push(event) }).result;
    const value = JSON.parse(runEventsText(events));
    expect(isSimulatedRun(value, events)).toBe(false);
    expect(runRecordFromEvents(events).status).toBe('succeeded');
  });
});
