import { SEQUENCE_FORMAT, SEQUENCE_VERSION, type SequenceJson } from 'fusync';
import { describe, expect, it } from 'vitest';
import { demoSequence } from '../src/import-export/demo-sequence';
import { createGraphStore, currentSequenceJson } from '../src/stores/graph-store';

function chain(...names: string[]): SequenceJson {
  return {
    format: SEQUENCE_FORMAT,
    version: SEQUENCE_VERSION,
    layers: names.map((name, i) => ({
      name,
      operation: 'wait',
      ...(i > 0 ? { dependsOn: [names[i - 1] as string] } : {}),
    })),
  };
}

function dependsOn(store: ReturnType<typeof createGraphStore>, name: string): string[] | undefined {
  return store.getState().nodes.find((node) => node.id === name)?.data.layer.dependsOn;
}

describe('graph store', () => {
  it('gives each new layer a unique name from its operation', () => {
    const store = createGraphStore();
    const a = store.getState().addLayer({ operation: 'wait' }, { x: 0, y: 0 });
    const b = store.getState().addLayer({ operation: 'wait' }, { x: 0, y: 100 });
    const c = store.getState().addLayer({ operation: 'http.fetch' }, { x: 0, y: 200 });
    expect([a, b, c]).toEqual(['wait', 'wait2', 'http_fetch']);
  });

  it('adds a dependency when a handle connects a layer to another', () => {
    const store = createGraphStore();
    store.getState().addLayer({ operation: 'a' }, { x: 0, y: 0 });
    store.getState().addLayer({ operation: 'b' }, { x: 0, y: 100 });
    expect(store.getState().connect('a', 'b')).toEqual({ ok: true });
    expect(dependsOn(store, 'b')).toEqual(['a']);
    expect(store.getState().edges.map((edge) => edge.id)).toEqual(['a->b']);
  });

  it('refuses a connection that would close a cycle and reports the path', () => {
    const store = createGraphStore(chain('a', 'b', 'c'));
    const revision = store.getState().revision;
    const result = store.getState().connect('c', 'a');
    expect(result).toEqual({ ok: false, reason: 'cycle', cycle: ['a', 'b', 'c', 'a'] });
    expect(dependsOn(store, 'a')).toBeUndefined();
    expect(store.getState().revision).toBe(revision);
    expect(store.getState().connect('a', 'a')).toMatchObject({ ok: false, reason: 'cycle' });
  });

  it('ignores a dependency that already exists', () => {
    const store = createGraphStore(chain('a', 'b'));
    expect(store.getState().connect('a', 'b')).toEqual({ ok: false, reason: 'exists' });
  });

  it('deletes selected layers and the dependencies on them', () => {
    const store = createGraphStore(chain('a', 'b', 'c'));
    store.getState().selectLayers(['b']);
    store.getState().removeSelected();
    expect(store.getState().nodes.map((node) => node.id)).toEqual(['a', 'c']);
    expect(dependsOn(store, 'c')).toBeUndefined();
    expect(store.getState().edges).toEqual([]);
  });

  it('deletes a selected dependency without deleting its layers', () => {
    const store = createGraphStore(chain('a', 'b'));
    store.getState().applyEdgeChanges([{ type: 'select', id: 'a->b', selected: true }]);
    store.getState().removeSelected();
    expect(store.getState().nodes).toHaveLength(2);
    expect(dependsOn(store, 'b')).toBeUndefined();
  });

  it('renames a layer everywhere it is named', () => {
    const store = createGraphStore(chain('a', 'b'));
    expect(store.getState().renameLayer('a', 'first')).toEqual({ ok: true });
    expect(dependsOn(store, 'b')).toEqual(['first']);
    expect(store.getState().renameLayer('first', 'b')).toMatchObject({ ok: false });
  });

  it('clears a field when the inspector sets it to undefined', () => {
    const store = createGraphStore(chain('a'));
    store.getState().updateLayer('a', { priority: 5, expectedDurationMs: 40 });
    expect(store.getState().nodes[0]?.data).toMatchObject({
      layer: { priority: 5 },
      expectedDurationMs: 40,
    });
    store.getState().updateLayer('a', { priority: undefined, expectedDurationMs: undefined });
    expect(store.getState().nodes[0]?.data.layer).not.toHaveProperty('priority');
    expect(store.getState().nodes[0]?.data).not.toHaveProperty('expectedDurationMs');
  });

  it('copies and pastes layers under fresh names, keeping their internal dependencies', () => {
    const store = createGraphStore(chain('a', 'b', 'c'));
    store.getState().selectLayers(['b', 'c']);
    const fragment = store.getState().copySelection();
    expect(fragment?.layers.map((layer) => layer.name)).toEqual(['b', 'c']);
    const pasted = store.getState().paste(fragment as SequenceJson);
    expect(pasted).toEqual(['b2', 'c2']);
    expect(dependsOn(store, 'b2')).toBeUndefined();
    expect(dependsOn(store, 'c2')).toEqual(['b2']);
    expect(
      store
        .getState()
        .nodes.filter((node) => node.selected)
        .map((node) => node.id),
    ).toEqual(['b2', 'c2']);
  });
});

describe('undo and redo', () => {
  it('walks every editing action back and forth through one history', () => {
    const store = createGraphStore();
    const states: string[] = [];
    const record = () => states.push(JSON.stringify(currentSequenceJson(store.getState())));
    record();
    store.getState().addLayer({ operation: 'a' }, { x: 0, y: 0 });
    record();
    store.getState().addLayer({ operation: 'b' }, { x: 0, y: 100 });
    record();
    store.getState().connect('a', 'b');
    record();
    store.getState().updateLayer('b', { priority: 3 });
    record();
    store.getState().updateConfig({ concurrency: 2 });
    record();
    store.getState().autoLayout();
    record();
    store.getState().loadSequence(demoSequence);
    record();
    store.getState().selectLayers(['createOrder']);
    store.getState().removeSelected();
    record();
    for (let i = states.length - 2; i >= 0; i--) {
      store.getState().undo();
      expect(JSON.stringify(currentSequenceJson(store.getState()))).toBe(states[i]);
    }
    expect(store.getState().past).toHaveLength(0);
    for (let i = 1; i < states.length; i++) {
      store.getState().redo();
      expect(JSON.stringify(currentSequenceJson(store.getState()))).toBe(states[i]);
    }
  });

  it('records a drag as one step and ignores selection', () => {
    const store = createGraphStore(chain('a'));
    store.getState().selectLayers(['a']);
    store.getState().beginDrag();
    for (let x = 1; x <= 10; x++)
      store
        .getState()
        .applyNodeChanges([
          { type: 'position', id: 'a', position: { x: x * 10, y: 0 }, dragging: true },
        ]);
    store.getState().endDrag();
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(store.getState().nodes[0]?.position.x).not.toBe(100);
    store.getState().redo();
    expect(store.getState().nodes[0]?.position).toEqual({ x: 100, y: 0 });
  });

  it('drops the redo branch after a new change', () => {
    const store = createGraphStore();
    store.getState().addLayer({ operation: 'a' }, { x: 0, y: 0 });
    store.getState().undo();
    expect(store.getState().future).toHaveLength(1);
    store.getState().addLayer({ operation: 'b' }, { x: 0, y: 0 });
    expect(store.getState().future).toHaveLength(0);
  });
});

describe('auto-layout', () => {
  it('places every dependency above the layers waiting for it', () => {
    const store = createGraphStore(demoSequence);
    store.getState().autoLayout('TB');
    const y = new Map(store.getState().nodes.map((node) => [node.id, node.position.y]));
    for (const node of store.getState().nodes) {
      for (const dependency of node.data.layer.dependsOn ?? [])
        expect(y.get(dependency)).toBeLessThan(y.get(node.id) as number);
    }
  });

  it('never places two layers on top of each other', () => {
    const layers = Array.from({ length: 60 }, (_, i) => ({
      name: `l${i}`,
      operation: 'wait',
      ...(i > 3 ? { dependsOn: [`l${i % 4}`] } : {}),
    }));
    const store = createGraphStore({ format: SEQUENCE_FORMAT, version: SEQUENCE_VERSION, layers });
    const seen = new Set(
      store.getState().nodes.map((node) => `${node.position.x},${node.position.y}`),
    );
    expect(seen.size).toBe(60);
  });
});

describe('fitting the view', () => {
  it('asks for a fit when an import or a layout is undone or redone, not for smaller steps', () => {
    const store = createGraphStore();
    store.getState().loadSequence(demoSequence);
    const afterImport = store.getState().fitRequest;
    store.getState().updateLayer('createOrder', { priority: 9 });
    store.getState().undo();
    expect(store.getState().fitRequest).toBe(afterImport);
    store.getState().undo();
    expect(store.getState().fitRequest).toBe(afterImport + 1);
    store.getState().redo();
    expect(store.getState().fitRequest).toBe(afterImport + 2);
    store.getState().redo();
    expect(store.getState().fitRequest).toBe(afterImport + 2);
  });
});
