import { AdvancedSequenceBuilder, simulate } from 'fusync';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LAST_RUN_KEY,
  persistSession,
  restoreSession,
  SESSION_KEY,
} from '../src/import-export/session-persistence';
import { createRunStore } from '../src/stores/run-store';
import { createUiStore } from '../src/stores/ui-store';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, String(value)),
  };
}

function simulated() {
  const sequence = AdvancedSequenceBuilder.fromJSON({
    format: 'fusync.sequence',
    version: 1,
    layers: [
      { name: 'a', operation: 'wait' },
      { name: 'b', operation: 'wait', dependsOn: ['a'] },
    ],
  });
  return simulate(sequence, { durationOf: () => 10, start: 0 });
}

describe('the session across a reload', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('localStorage', memoryStorage());
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('keeps the run input, the open panel and the last finished run', () => {
    const ui = createUiStore();
    const run = createRunStore();
    const stop = persistSession(ui, run);
    ui.getState().setInputText('{ "x": 1 }');
    ui.getState().setPanelTab('metrics');
    run.getState().show(simulated(), 'simulation');
    vi.advanceTimersByTime(1100);
    stop();

    const ui2 = createUiStore();
    const run2 = createRunStore();
    restoreSession(ui2, run2);
    expect(ui2.getState().inputText).toBe('{ "x": 1 }');
    expect(ui2.getState().panelTab).toBe('gantt');
    expect(ui2.getState().asciiView).toBe('metrics');
    expect(run2.getState().source).toBe('simulation');
    expect(run2.getState().status).toBe('succeeded');
    expect(run2.getState().layerStatus).toEqual({ a: 'succeeded', b: 'succeeded' });
  });

  it('forgets the run when the run views are cleared, and ignores what it cannot read', () => {
    const ui = createUiStore();
    const run = createRunStore();
    const stop = persistSession(ui, run);
    run.getState().show(simulated(), 'simulation');
    vi.advanceTimersByTime(1100);
    expect(localStorage.getItem(LAST_RUN_KEY)).not.toBeNull();
    run.getState().clear();
    expect(localStorage.getItem(LAST_RUN_KEY)).toBeNull();
    stop();

    localStorage.setItem(SESSION_KEY, '{ "panelTab": "nope", "inputText": 3 }');
    localStorage.setItem(LAST_RUN_KEY, '{ broken');
    const ui2 = createUiStore();
    const run2 = createRunStore();
    restoreSession(ui2, run2);
    expect(ui2.getState().panelTab).toBe('gantt');
    expect(run2.getState().status).toBe('idle');
  });
});
