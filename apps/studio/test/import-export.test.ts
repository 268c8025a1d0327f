import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdvancedSequenceBuilder, type RunEvent } from 'fusync';
import { describe, expect, it } from 'vitest';
import { demoSequence } from '../src/import-export/demo-sequence';
import { sequenceText } from '../src/import-export/export-sequence';
import { locateJsonPath } from '../src/import-export/locate-json-path';
import { readRunEvents, runEventsText } from '../src/import-export/read-run-events';
import { readSequence } from '../src/import-export/read-sequence';
import { createGraphStore, currentSequenceJson } from '../src/stores/graph-store';

describe('import and export', () => {
  it('gives back the same sequence, positions and expected durations included', () => {
    const store = createGraphStore(demoSequence);
    store
      .getState()
      .updateLayer('createOrder', { expectedDurationMs: 321, retries: 2, onError: 'continue' });
    store.getState().updateConfig({ maxRetries: 1, timeout: 5000 });
    store.getState().updateMeta({ description: 'An order' });
    const exported = sequenceText(currentSequenceJson(store.getState()));

    const read = readSequence(exported);
    expect(read.ok).toBe(true);
    const fresh = createGraphStore();
    if (read.ok) fresh.getState().loadSequence(read.json);
    expect(sequenceText(currentSequenceJson(fresh.getState()))).toBe(exported);
    expect(fresh.getState().nodes.map((node) => node.position)).toEqual(
      store.getState().nodes.map((node) => node.position),
    );
  });

  it('opens a sequence built in code and saved with save(), laying it out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fusync-studio-'));
    try {
      const file = join(dir, 'orders.json');
      const checkInventory = async () => true;
      const createOrder = async () => ({ orderId: 'o' });
      const sequence = new AdvancedSequenceBuilder({ concurrency: 2, name: 'from-code' })
        .addLayer({ name: 'checkInventory', execute: checkInventory, args: ['productId'] })
        .addLayer({
          name: 'createOrder',
          execute: createOrder,
          dependsOn: ['checkInventory'],
          priority: 2,
        });
      await sequence.save(file);
      const read = readSequence(await readFile(file, 'utf8'));
      expect(read.ok).toBe(true);
      const store = createGraphStore();
      if (read.ok) store.getState().loadSequence(read.json);
      const [first, second] = store.getState().nodes;
      expect(store.getState().meta.name).toBe('from-code');
      expect(second?.data.layer).toMatchObject({
        name: 'createOrder',
        operation: 'createOrder',
        priority: 2,
        dependsOn: ['checkInventory'],
      });
      expect((first?.position.y ?? 0) < (second?.position.y ?? 0)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('points a bad field at its layer and field', () => {
    const bad = JSON.parse(sequenceText(demoSequence));
    bad.layers[2].priority = 'high';
    const read = readSequence(JSON.stringify(bad, null, 2));
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems[0]).toMatchObject({
      path: 'layers[2].priority',
      layerIndex: 2,
      layerName: 'reserveInventory',
      field: 'priority',
    });
  });

  it('reports text that is not JSON at the root', () => {
    const read = readSequence('{ "format": ');
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problems[0]?.path).toBe('');
  });

  it('points an unknown dependency and a cycle at the layer concerned', () => {
    const unknown = {
      ...demoSequence,
      layers: demoSequence.layers.map((l) =>
        l.name === 'createOrder' ? { ...l, dependsOn: ['nope'] } : l,
      ),
    };
    const first = readSequence(JSON.stringify(unknown));
    expect(first.ok).toBe(false);
    if (!first.ok)
      expect(first.problems[0]).toMatchObject({
        path: 'layers[3].dependsOn[0]',
        layerName: 'createOrder',
        field: 'dependsOn',
      });

    const cyclic = {
      ...demoSequence,
      layers: demoSequence.layers.map((l) =>
        l.name === 'checkInventory' ? { ...l, dependsOn: ['processPayment'] } : l,
      ),
    };
    const second = readSequence(JSON.stringify(cyclic));
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.problems[0]?.message).toMatch(/cycle/);
  });

  it('finds the line of a path in the JSON text', () => {
    const text = sequenceText(demoSequence);
    const location = locateJsonPath(text, 'layers[1].priority');
    expect(location).toBeDefined();
    const line = text.split('\n')[(location?.line ?? 1) - 1];
    expect(line).toContain('"priority": 1');
    expect(text.slice(location?.start, location?.end)).toBe('1');
    expect(locateJsonPath(text, 'layers[1].retries')?.line).toBe(
      locateJsonPath(text, 'layers[1]')?.line,
    );
    expect(locateJsonPath('{ nope', 'layers')).toBeUndefined();
  });

  it('saves a run’s argument values as JSON, marking what JSON cannot hold, and reads them back', () => {
    const events: RunEvent[] = [
      {
        seq: 0,
        runId: 'r',
        time: 0,
        type: 'run:started',
        layers: [{ name: 'a', dependsOn: [], priority: 0 }],
        concurrency: 1,
        queueType: 'FIFO',
      },
      {
        seq: 1,
        runId: 'r',
        time: 1,
        type: 'layer:started',
        layer: 'a',
        attempt: 1,
        args: [1, () => 2, undefined],
      },
    ];
    const saved = readRunEvents(JSON.parse(runEventsText(events)));
    expect(saved?.[1]).toMatchObject({
      args: [
        1,
        { $fusync: 'omitted', reason: 'not-json', type: 'function' },
        { $fusync: 'omitted', reason: 'undefined' },
      ],
    });
  });
});
