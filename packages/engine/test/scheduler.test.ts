import { describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type QueueType,
  type RunEvent,
  resolveOptions,
  type SequenceConfig,
  VirtualClock,
} from '../src/index.js';
import { compileGraph, RunScheduler, resolveLayer, runResultFromLog } from '../src/internal.js';
import { eventsOfType, maxRunning, seqOf, settleOnClock, sleep, startOrder } from './helpers.js';

interface TimedLayer {
  name: string;
  ms: number;
  dependsOn?: string[];
  priority?: number;
}

/** Runs layers that each take `ms` on a virtual clock; returns the run's result. */
async function runTimed(layers: readonly TimedLayer[], config: SequenceConfig = {}) {
  const clock = new VirtualClock(0);
  const sequence = new AdvancedSequenceBuilder(config);
  for (const layer of layers) {
    sequence.addLayer({
      name: layer.name,
      execute: async () => {
        await sleep(clock, layer.ms);
        return layer.name;
      },
      args: [],
      ...(layer.dependsOn ? { dependsOn: layer.dependsOn } : {}),
      ...(layer.priority !== undefined ? { priority: layer.priority } : {}),
    });
  }
  return settleOnClock(clock, sequence.build({}, { clock }));
}

function startTimes(events: readonly RunEvent[]): Record<string, number> {
  return Object.fromEntries(eventsOfType(events, 'layer:started').map((e) => [e.layer, e.time]));
}

describe('scheduler', () => {
  describe('dependencies', () => {
    it('starts a layer as soon as its last dependency succeeds, while an unrelated slow layer still runs', async () => {
      const run = await runTimed([
        { name: 'slow', ms: 100 },
        { name: 'fast', ms: 10 },
        { name: 'afterFast', ms: 10, dependsOn: ['fast'] },
        { name: 'join', ms: 5, dependsOn: ['slow', 'afterFast'] },
      ]);

      expect(run.status).toBe('succeeded');
      expect(startTimes(run.events)).toEqual({ slow: 0, fast: 0, afterFast: 10, join: 100 });
      expect(seqOf(run.events, 'layer:started', 'afterFast')).toBeLessThan(
        seqOf(run.events, 'layer:succeeded', 'slow'),
      );
      expect(seqOf(run.events, 'layer:started', 'join')).toBeGreaterThan(
        seqOf(run.events, 'layer:succeeded', 'slow'),
      );
      expect(run.durationMs).toBe(105);
    });

    it('waits for the last of several dependencies', async () => {
      const run = await runTimed([
        { name: 'a', ms: 10 },
        { name: 'b', ms: 30 },
        { name: 'c', ms: 20 },
        { name: 'd', ms: 1, dependsOn: ['a', 'b', 'c'] },
      ]);

      expect(startTimes(run.events).d).toBe(30);
      const queued = seqOf(run.events, 'layer:queued', 'd');
      for (const dependency of ['a', 'b', 'c']) {
        expect(seqOf(run.events, 'layer:succeeded', dependency)).toBeLessThan(queued);
      }
    });
  });

  describe('concurrency', () => {
    it('never runs more layers at once than the concurrency allows', async () => {
      const layers = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, ms: 10 }));

      const run = await runTimed(layers, { concurrency: 2 });

      expect(maxRunning(run.events)).toBe(2);
      expect(Object.values(startTimes(run.events)).sort((x, y) => x - y)).toEqual([
        0, 0, 10, 10, 20, 20,
      ]);
      expect(run.durationMs).toBe(30);
    });

    it('fills a freed slot at once when ready work is waiting', async () => {
      const run = await runTimed(
        [
          { name: 'long', ms: 30 },
          { name: 'short1', ms: 10 },
          { name: 'short2', ms: 10 },
          { name: 'short3', ms: 10 },
        ],
        { concurrency: 2 },
      );

      expect(startTimes(run.events)).toEqual({ long: 0, short1: 0, short2: 10, short3: 20 });
      expect(run.durationMs).toBe(30);
    });

    it('runs every ready layer at once when concurrency is unlimited', async () => {
      const layers = Array.from({ length: 12 }, (_, i) => ({ name: `l${i}`, ms: 10 + i }));

      const run = await runTimed(layers);

      expect(maxRunning(run.events)).toBe(12);
      expect(new Set(Object.values(startTimes(run.events)))).toEqual(new Set([0]));
    });

    it('uses the concurrency for a layer made ready by a dependency', async () => {
      const run = await runTimed(
        [
          { name: 'root', ms: 5 },
          { name: 'x', ms: 10, dependsOn: ['root'] },
          { name: 'y', ms: 10, dependsOn: ['root'] },
          { name: 'z', ms: 10, dependsOn: ['root'] },
        ],
        { concurrency: 3 },
      );

      expect(startTimes(run.events)).toEqual({ root: 0, x: 5, y: 5, z: 5 });
    });
  });

  describe('ordering of ready layers', () => {
    it('starts higher priorities first at concurrency 1', async () => {
      const run = await runTimed(
        [
          { name: 'low', ms: 1, priority: 1 },
          { name: 'high', ms: 1, priority: 5 },
          { name: 'middle', ms: 1, priority: 3 },
          { name: 'negative', ms: 1, priority: -2 },
        ],
        { concurrency: 1 },
      );

      expect(startOrder(run.events)).toEqual(['high', 'middle', 'low', 'negative']);
    });

    it('prefers a higher priority that became ready later over older lower priorities', async () => {
      const run = await runTimed(
        [
          { name: 'gate', ms: 1, priority: 10 },
          { name: 'early1', ms: 1, priority: 1 },
          { name: 'early2', ms: 1, priority: 1 },
          { name: 'late', ms: 1, priority: 5, dependsOn: ['gate'] },
        ],
        { concurrency: 1 },
      );

      expect(startOrder(run.events)).toEqual(['gate', 'late', 'early1', 'early2']);
    });

    it.each<[QueueType, string[]]>([
      ['FIFO', ['a', 'b', 'c', 'd']],
      ['LIFO', ['c', 'd', 'b', 'a']],
    ])('orders equal priorities by readiness time, %s', async (queueType, expected) => {
      const run = await runTimed(
        [
          { name: 'a', ms: 1 },
          { name: 'b', ms: 1 },
          { name: 'c', ms: 1 },
          { name: 'd', ms: 1, dependsOn: ['c'] },
        ],
        { concurrency: 1, queueType },
      );

      expect(startOrder(run.events)).toEqual(expected);
    });

    it.each<[QueueType, string[]]>([
      ['FIFO', ['root', 'zeta', 'alpha', 'mu']],
      ['LIFO', ['root', 'mu', 'alpha', 'zeta']],
    ])(
      'counts layers ready at the same moment in declaration order (%s)',
      async (queueType, expected) => {
        const run = await runTimed(
          [
            { name: 'zeta', ms: 1, dependsOn: ['root'] },
            { name: 'alpha', ms: 1, dependsOn: ['root'] },
            { name: 'mu', ms: 1, dependsOn: ['root'] },
            { name: 'root', ms: 1 },
          ],
          { concurrency: 1, queueType },
        );

        expect(startOrder(run.events)).toEqual(expected);
      },
    );

    it('breaks priority ties by queue type only among equal priorities', async () => {
      const run = await runTimed(
        [
          { name: 'p1a', ms: 1, priority: 1 },
          { name: 'p2a', ms: 1, priority: 2 },
          { name: 'p1b', ms: 1, priority: 1 },
          { name: 'p2b', ms: 1, priority: 2 },
        ],
        { concurrency: 1, queueType: 'LIFO' },
      );

      expect(startOrder(run.events)).toEqual(['p2b', 'p2a', 'p1b', 'p1a']);
    });
  });

  describe('event record', () => {
    it('records every state change in order with increasing seq and the run id', async () => {
      const clock = new VirtualClock(1_000);
      const seen: RunEvent[] = [];
      const sequence = new AdvancedSequenceBuilder({ name: 'pair' })
        .addLayer({
          name: 'a',
          execute: async () => {
            await sleep(clock, 10);
            return 'A';
          },
          priority: 2,
        })
        .addLayer({
          name: 'b',
          execute: async (a: string) => {
            await sleep(clock, 20);
            return `${a}B`;
          },
          dependsOn: ['a'],
        });

      const run = await settleOnClock(
        clock,
        sequence.build({}, { clock, runId: 'run-1', onEvent: (event) => seen.push(event) }),
      );

      expect(
        run.events.map((event) => [event.type, 'layer' in event ? event.layer : null]),
      ).toEqual([
        ['run:started', null],
        ['layer:queued', 'a'],
        ['layer:started', 'a'],
        ['layer:succeeded', 'a'],
        ['layer:queued', 'b'],
        ['layer:started', 'b'],
        ['layer:succeeded', 'b'],
        ['run:finished', null],
      ]);
      expect(run.events.map((event) => event.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(new Set(run.events.map((event) => event.runId))).toEqual(new Set(['run-1']));
      expect(run.events.map((event) => event.time)).toEqual([
        1000, 1000, 1000, 1010, 1010, 1010, 1030, 1030,
      ]);
      expect(seen).toEqual(run.events);

      const [started] = eventsOfType(run.events, 'run:started');
      expect(started).toMatchObject({
        sequenceName: 'pair',
        layers: [
          { name: 'a', dependsOn: [], priority: 2 },
          { name: 'b', dependsOn: ['a'], priority: 0 },
        ],
      });
      expect(eventsOfType(run.events, 'layer:started').map((e) => e.attempt)).toEqual([1, 1]);
      expect(eventsOfType(run.events, 'layer:succeeded').map((e) => e.result)).toEqual(['A', 'AB']);
      expect(eventsOfType(run.events, 'run:finished')[0]?.status).toBe('succeeded');
    });

    it('derives layer timings from the events', async () => {
      const run = await runTimed([
        { name: 'a', ms: 10 },
        { name: 'b', ms: 25, dependsOn: ['a'] },
      ]);

      const b = run.layers.find((layer) => layer.name === 'b');
      expect(b).toMatchObject({ queuedAt: 10, startedAt: 10, finishedAt: 35, durationMs: 25 });
      expect(b?.attempts).toEqual([
        expect.objectContaining({ attempt: 1, start: 10, end: 35, outcome: 'succeeded' }),
      ]);
      expect(run).toMatchObject({ startedAt: 0, finishedAt: 35, durationMs: 35 });
    });
  });

  describe('admission', () => {
    it('stops admitting when a listener cancels the run from inside a start event', () => {
      const options = resolveOptions({ concurrency: 3 });
      const graph = compileGraph(
        ['a', 'b', 'c'].map((name, index) => resolveLayer({ name }, index, options)),
      );
      const events: RunEvent[] = [];
      const scheduler: RunScheduler = new RunScheduler({
        graph,
        options,
        runId: 'r',
        clock: new VirtualClock(0),
        onEvent: (event) => {
          events.push(event);
          if (event.type === 'layer:started') scheduler.cancel();
        },
      });

      expect(scheduler.start()).toEqual([0]);
      expect(scheduler.finished).toBe(true);
      expect([0, 1, 2].map((layer) => scheduler.status(layer))).toEqual([
        'cancelled',
        'skipped',
        'skipped',
      ]);
      expect(eventsOfType(events, 'layer:started')).toHaveLength(1);
      expect(eventsOfType(events, 'run:finished')[0]?.status).toBe('cancelled');
    });
  });

  describe('a compiled graph', () => {
    it('counts a dependency named twice once, in short and long lists, and lists edges in declaration order', () => {
      const options = resolveOptions({});
      const roots = Array.from({ length: 20 }, (_, i) => `r${i}`);
      const layers = [
        ...roots.map((name) => ({ name })),
        { name: 'short', dependsOn: ['r3', 'r1', 'r3', 'r1', 'r0'] },
        // Long: every root, each named twice, in reverse the second time.
        { name: 'long', dependsOn: [...roots, ...[...roots].reverse()] },
        { name: 'last', dependsOn: ['long', 'short', 'long'] },
      ];
      const graph = compileGraph(layers.map((layer, index) => resolveLayer(layer, index, options)));
      const at = (name: string) => graph.indexOf.get(name) as number;

      expect(graph.dependencies[at('short')]).toEqual([3, 1, 0]);
      expect(graph.dependencies[at('long')]).toEqual(roots.map((_, i) => i));
      expect(graph.dependencies[at('last')]).toEqual([at('long'), at('short')]);
      expect(graph.dependents[at('r1')]).toEqual([at('short'), at('long')]);
      expect(graph.dependents[at('r5')]).toEqual([at('long')]);
      expect(graph.dependents[at('short')]).toEqual([at('last')]);
      expect(graph.dependents[at('last')]).toEqual([]);
    });
  });

  describe('a result read from the log of a run still going', () => {
    it('gathers its results and errors when read, not when taken', () => {
      const options = resolveOptions({});
      const graph = compileGraph(
        ['a', 'b'].map((name, index) => resolveLayer({ name }, index, options)),
      );
      const scheduler = new RunScheduler({
        graph,
        options,
        runId: 'r',
        clock: new VirtualClock(0),
      });
      expect(scheduler.start()).toEqual([0, 1]);
      scheduler.succeeded(0, 'A');
      const result = runResultFromLog(scheduler.log);
      expect(result.status).toBe('running');

      scheduler.succeeded(1, 'B');

      expect(result.results).toEqual({ a: 'A', b: 'B' });
      expect(result.errors).toEqual({});
    });
  });

  describe('redelivery', () => {
    function schedulerOf(names: string[]) {
      const options = resolveOptions({ concurrency: 2 });
      const graph = compileGraph(
        names.map((name, index) => resolveLayer({ name }, index, options)),
      );
      const clock = new VirtualClock(0);
      const events: RunEvent[] = [];
      const scheduler = new RunScheduler({
        graph,
        options,
        runId: 'r',
        clock,
        onEvent: (event) => events.push(event),
      });
      return { scheduler, clock, events };
    }

    it('logs the running attempt taken over by another worker, with both workers, and keeps its number and slot', () => {
      const { scheduler, clock, events } = schedulerOf(['a', 'b']);
      expect(scheduler.start()).toEqual([0, 1]);
      clock.advanceTo(100);
      expect(scheduler.redelivered(0, 1, 'worker-2', 'worker-1')).toBe(true);
      expect(scheduler.status(0)).toBe('running');
      expect(scheduler.attempt(0)).toBe(1);
      expect(scheduler.running).toBe(2);
      clock.advanceTo(150);
      scheduler.succeeded(0, 'A', 'worker-2');
      scheduler.succeeded(1, 'B', 'worker-1');

      const redelivered = {
        seq: 5,
        runId: 'r',
        time: 100,
        type: 'layer:redelivered',
        layer: 'a',
        attempt: 1,
        worker: 'worker-2',
        lostWorker: 'worker-1',
      };
      expect(events[5]).toEqual(redelivered);
      // The listener's event and the one built from the log's columns are the same, field for field.
      const built = scheduler.log.events()[5];
      expect(built).toEqual(redelivered);
      expect(Object.keys(built ?? {})).toEqual(Object.keys(redelivered));
      expect(eventsOfType(events, 'layer:started')).toHaveLength(2);
      expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    });

    it('names no lost worker when none is known', () => {
      const { scheduler, events } = schedulerOf(['a']);
      scheduler.start();
      scheduler.redelivered(0, 1, 'worker-2');
      const event = eventsOfType(events, 'layer:redelivered')[0];
      expect(event).toMatchObject({ worker: 'worker-2' });
      expect(event && 'lostWorker' in event).toBe(false);
    });

    it('logs nothing for an attempt that is not the one running: after its outcome, or of another number', () => {
      const { scheduler, events } = schedulerOf(['a', 'b']);
      scheduler.start();
      scheduler.succeeded(0, 'A', 'worker-1');
      const before = events.length;
      expect(scheduler.redelivered(0, 1, 'worker-2', 'worker-1')).toBe(false);
      expect(scheduler.redelivered(1, 2, 'worker-2', 'worker-1')).toBe(false);
      expect(events).toHaveLength(before);
    });
  });
});
