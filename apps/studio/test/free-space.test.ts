import type { SequenceJson } from 'fusync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freeSpot, nodesCollide, pasteOffset } from '../src/lib/free-space';
import { createGraphStore } from '../src/stores/graph-store';
import { createUiStore, NOTICE_MS } from '../src/stores/ui-store';

describe('free space on the canvas', () => {
  it('takes the preferred spot when nothing is there', () => {
    expect(freeSpot([{ x: 1000, y: 1000 }], { x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
  });

  it('finds the nearest spot no node covers, however crowded the middle is', () => {
    const taken = [];
    for (let x = -2; x <= 2; x++)
      for (let y = -2; y <= 2; y++) taken.push({ x: x * 224, y: y * 88 });
    const spot = freeSpot(taken, { x: 0, y: 0 });
    for (const other of taken) expect(nodesCollide(spot, other)).toBe(false);
    expect(Math.abs(spot.x) + Math.abs(spot.y)).toBeLessThan(4 * 224);
  });

  it('moves pasted copies until none covers a node, so repeated pastes cascade', () => {
    const original = [{ x: 0, y: 0 }];
    const first = pasteOffset(original, original);
    expect(nodesCollide({ x: first.x, y: first.y }, original[0] as { x: number; y: number })).toBe(
      false,
    );
    const second = pasteOffset([...original, first], original);
    expect(second.y).toBeGreaterThan(first.y);
  });
});

describe('pasting into the graph store', () => {
  it('places each paste clear of the originals and of earlier copies', () => {
    const store = createGraphStore({
      format: 'fusync.sequence',
      version: 1,
      layers: [
        { name: 'a', operation: 'wait' },
        { name: 'b', operation: 'wait', dependsOn: ['a'] },
      ],
      studio: { nodes: { a: { x: 0, y: 0 }, b: { x: 0, y: 120 } } },
    } as SequenceJson);
    store.getState().selectAll();
    const fragment = store.getState().copySelection() as SequenceJson;
    store.getState().paste(fragment);
    store.getState().paste(fragment);
    const nodes = store.getState().nodes;
    expect(nodes).toHaveLength(6);
    for (const node of nodes)
      for (const other of nodes)
        if (node !== other) expect(nodesCollide(node.position, other.position, 0)).toBe(false);
  });
});

describe('notices', () => {
  afterEach(() => vi.useRealTimers());

  it('leave by themselves, except errors, which stay until dismissed', () => {
    vi.useFakeTimers();
    const ui = createUiStore();
    ui.getState().notify('info', 'Copied 1 layer.');
    vi.advanceTimersByTime(NOTICE_MS + 1);
    expect(ui.getState().notice).toBeUndefined();
    ui.getState().notify('error', 'Connection refused.');
    vi.advanceTimersByTime(10 * NOTICE_MS);
    expect(ui.getState().notice?.text).toBe('Connection refused.');
    ui.getState().dismissNotice();
    expect(ui.getState().notice).toBeUndefined();
  });

  it('do not take down a newer notice when an older one times out', () => {
    vi.useFakeTimers();
    const ui = createUiStore();
    ui.getState().notify('info', 'first');
    vi.advanceTimersByTime(NOTICE_MS - 10);
    ui.getState().notify('error', 'second');
    vi.advanceTimersByTime(NOTICE_MS);
    expect(ui.getState().notice?.text).toBe('second');
  });
});
