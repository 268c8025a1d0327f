import { type RunEvent, runRecordFromEvents } from 'fusync';
import { describe, expect, it } from 'vitest';
import { isHatched, OUTCOME_COLORS } from '../src/gantt/draw-gantt';
import { barTooltip, ganttModel } from '../src/gantt/gantt-model';
import { createRunStore } from '../src/stores/run-store';

/** A Redis-mode run whose only layer was redelivered after its first worker died. */
function redeliveredEvents(): RunEvent[] {
  const layer = { layer: 'slow', attempt: 1 };
  const run = {
    layers: [{ name: 'slow', dependsOn: [], priority: 0 }],
    concurrency: 1,
    queueType: 'FIFO',
  };
  const story: [number, string, object][] = [
    [0, 'run:started', run],
    [0, 'layer:queued', { layer: 'slow' }],
    [100, 'layer:started', layer],
    [2100, 'layer:redelivered', { ...layer, worker: 'worker-b', lostWorker: 'worker-a' }],
    [5100, 'layer:succeeded', { ...layer, result: null, worker: 'worker-b' }],
    [5100, 'run:finished', { status: 'succeeded' }],
  ];
  return story.map(
    ([time, type, fields], seq) => ({ seq, runId: 'r', time, type, ...fields }) as RunEvent,
  );
}

describe('the Gantt of a redelivered attempt', () => {
  it('draws the part lost with its worker as a bar of its own before the part that finished', () => {
    const model = ganttModel(runRecordFromEvents(redeliveredEvents()));
    const [slow] = model.rows;
    expect(
      slow?.bars.map((bar) => [bar.attempt, bar.outcome, bar.start, bar.end, bar.worker]),
    ).toEqual([
      [1, 'lost', 100, 2100, 'worker-a'],
      [1, 'succeeded', 2100, 5100, 'worker-b'],
    ]);
    expect(model.barCount).toBe(2);
    // The layer's time, from first start, holds the lost part: it is the whole critical path.
    expect(model.criticalLengthMs).toBe(5000);
  });

  it('draws the lost part grey and hatched, apart from every other outcome', () => {
    expect(isHatched('lost')).toBe(true);
    expect(isHatched('succeeded')).toBe(false);
    const others = Object.entries(OUTCOME_COLORS).filter(([outcome]) => outcome !== 'lost');
    expect(others.map(([, color]) => color)).not.toContain(OUTCOME_COLORS.lost);
  });

  it('names the lost worker in the tooltip of the lost part, and the new worker in the next one', () => {
    const model = ganttModel(runRecordFromEvents(redeliveredEvents()));
    const [lost, finished] = model.rows[0]?.bars ?? [];
    if (!lost || !finished) throw new Error('expected two bars');
    expect(barTooltip('slow', lost, model, 5100)).toEqual({
      title: 'slow · attempt 1',
      lines: [
        'lost with its worker: redelivered to another one',
        '+0.100s → +2.100s (2.000 s)',
        'lost worker: worker-a',
      ],
    });
    expect(barTooltip('slow', finished, model, 5100).lines).toEqual([
      'succeeded',
      '+2.100s → +5.100s (3.000 s)',
      'worker: worker-b',
    ]);
  });

  it('counts the redelivered attempt once on the canvas, opened from a file or followed live', () => {
    const opened = createRunStore();
    opened.getState().show(runRecordFromEvents(redeliveredEvents()), 'file');
    expect(opened.getState().layerAttempts).toEqual({ slow: 1 });
    const live = createRunStore();
    live.getState().begin('server', 'r');
    live.getState().receive(redeliveredEvents());
    expect(live.getState().layerAttempts).toEqual({ slow: 1 });
  });
});
