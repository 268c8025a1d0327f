import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueType } from '../src/index.js';
import {
  compareReady,
  createReadyQueue,
  HeapReadyQueue,
  ListReadyQueue,
  type ReadyEntry,
} from '../src/internal.js';

type Operation = { kind: 'push'; priority: number } | { kind: 'pop' } | { kind: 'clear' };

const operations = (priorities: fc.Arbitrary<number>): fc.Arbitrary<Operation[]> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: priorities.map((priority) => ({ kind: 'push' as const, priority })) },
      { weight: 4, arbitrary: fc.constant({ kind: 'pop' as const }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
    ),
    { maxLength: 200 },
  );

/** Plays operations on a queue and on a sorted list under `compareReady`; returns both pop sequences. */
function play(
  queueType: QueueType,
  ops: readonly Operation[],
  queue: ReturnType<typeof createReadyQueue>,
) {
  let model: ReadyEntry[] = [];
  let seq = 0;
  let layer = 0;
  const fromQueue: (number | undefined)[] = [];
  const fromModel: (number | undefined)[] = [];
  for (const op of ops) {
    if (op.kind === 'push') {
      model.push({ layer, priority: op.priority, seq });
      queue.push(layer, op.priority, seq);
      layer++;
      seq++;
    } else if (op.kind === 'pop') {
      model.sort((a, b) => compareReady(queueType, a, b));
      fromModel.push(model.shift()?.layer);
      fromQueue.push(queue.pop());
    } else {
      model = [];
      queue.clear();
    }
    expect(queue.size).toBe(model.length);
  }
  return { fromQueue, fromModel };
}

describe('ready queues', () => {
  it.each<QueueType>(['FIFO', 'LIFO'])(
    'the %s list pops in the order compareReady gives, through wrap-arounds, growth and clears',
    (queueType) => {
      fc.assert(
        fc.property(operations(fc.constant(0)), fc.integer({ min: 1, max: 8 }), (ops, capacity) => {
          const { fromQueue, fromModel } = play(
            queueType,
            ops,
            new ListReadyQueue(queueType, capacity),
          );
          expect(fromQueue).toEqual(fromModel);
        }),
      );
    },
  );

  it.each<QueueType>(['FIFO', 'LIFO'])(
    'the %s heap pops in the order compareReady gives with mixed priorities',
    (queueType) => {
      fc.assert(
        fc.property(operations(fc.integer({ min: -3, max: 3 })), (ops) => {
          const { fromQueue, fromModel } = play(queueType, ops, new HeapReadyQueue(queueType));
          expect(fromQueue).toEqual(fromModel);
        }),
      );
    },
  );

  it('takes a list when every priority is equal and a heap otherwise', () => {
    expect(createReadyQueue('FIFO', [2, 2, 2])).toBeInstanceOf(ListReadyQueue);
    expect(createReadyQueue('LIFO', [])).toBeInstanceOf(ListReadyQueue);
    expect(createReadyQueue('FIFO', [0, 1])).toBeInstanceOf(HeapReadyQueue);
  });
});
