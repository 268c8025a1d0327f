import { describe, expect, it } from 'vitest';
import {
  barExtent,
  type GanttView,
  LABEL_WIDTH,
  MIN_PROBLEM_BAR_WIDTH,
} from '../src/gantt/draw-gantt';
import { ganttModel } from '../src/gantt/gantt-model';
import { demoSequence } from '../src/import-export/demo-sequence';
import { simulateSequence } from '../src/run/simulate-run';

describe('short attempts in the Gantt chart', () => {
  const view = (pxPerMs: number): GanttView => ({
    width: 1000,
    height: 300,
    scrollLeft: 0,
    scrollTop: 0,
    pxPerMs,
    now: 0,
    hoverRow: undefined,
    hoverBar: undefined,
  });
  const model = ganttModel(simulateSequence(demoSequence));

  it('draws a 1 ms failed or retried attempt at least MIN_PROBLEM_BAR_WIDTH wide', () => {
    for (const outcome of ['failed', 'retrying', 'cancelled'] as const) {
      const bar = {
        attempt: 1,
        start: model.start,
        end: model.start + 1,
        outcome,
        error: undefined,
        worker: undefined,
      };
      const [x0, x1] = barExtent(bar, model, view(0.5));
      expect(x0).toBe(LABEL_WIDTH);
      expect(x1 - x0).toBeGreaterThanOrEqual(MIN_PROBLEM_BAR_WIDTH);
      expect(MIN_PROBLEM_BAR_WIDTH).toBeGreaterThanOrEqual(8);
    }
  });

  it('keeps long bars at their true width', () => {
    const bar = {
      attempt: 1,
      start: model.start,
      end: model.start + 100,
      outcome: 'failed' as const,
      error: undefined,
      worker: undefined,
    };
    const [x0, x1] = barExtent(bar, model, view(0.5));
    expect(x1 - x0).toBe(50);
  });
});
