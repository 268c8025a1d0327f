/**
 * One run, three worker processes: the run's rules (dependencies, the run's
 * concurrency, priority order) hold across all of them together. What ran is
 * read from the execution log the workers' operations append to (one Redis
 * list, so one total order across processes).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/index.js';
import { RedisRunManager } from '../../src/redis/index.js';
import { startOrder } from '../helpers.js';
import {
  createTestSpace,
  type Execution,
  eventsUntilFinished,
  type FixtureProcess,
  randomDag,
  readExecutions,
  recordProblems,
  seededRandom,
  sequenceJson,
  spawnWorkers,
  type TestSpace,
} from './redis-helpers.js';

let space: TestSpace;
let workers: FixtureProcess[];
let manager: RedisRunManager;

beforeEach(async () => {
  space = createTestSpace();
  workers = await spawnWorkers(space, 3);
  manager = new RedisRunManager({
    connection: space.connection,
    queue: space.queue,
    resumeIntervalMs: 0,
  });
  space.onCleanup(() => manager.close());
});

afterEach(async () => {
  await space.cleanup();
});

async function runToEnd(sequence: unknown): Promise<{ runId: string; events: RunEvent[] }> {
  const { runId } = await manager.start(sequence);
  const events = await eventsUntilFinished(manager.follow(runId, { pollMs: 50 }));
  return { runId, events };
}

/** Most entries open at once, sweeping the log in its order (+1 at start, -1 at end). */
function mostAtOnce(log: readonly Execution[]): number {
  let open = 0;
  let most = 0;
  for (const entry of log) {
    open += entry.event === 'start' ? 1 : -1;
    most = Math.max(most, open);
  }
  return most;
}

describe('three worker processes on one run', () => {
  it('run a 500-layer random DAG: every layer once, after its dependencies, at most 8 at a time', async () => {
    const dag = randomDag(20_240_501, 500, { maxDeps: 3, operation: 'work', concurrency: 8 });

    const { runId, events } = await runToEnd(dag);

    const finished = events.at(-1);
    expect(finished).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    expect(events.filter((e) => e.type === 'layer:succeeded')).toHaveLength(500);
    expect(
      recordProblems(
        events,
        dag.layers.map((l) => l.name),
      ),
    ).toEqual([]);

    const log = (await readExecutions(space)).filter((entry) => entry.runId === runId);
    const starts = new Map<string, number[]>();
    const ends = new Map<string, number[]>();
    log.forEach((entry, at) => {
      const into = entry.event === 'start' ? starts : ends;
      into.set(entry.layer, [...(into.get(entry.layer) ?? []), at]);
    });
    const ranTwice = dag.layers.filter(
      (layer) => starts.get(layer.name)?.length !== 1 || ends.get(layer.name)?.length !== 1,
    );
    expect(ranTwice.map((l) => l.name)).toEqual([]);

    const tooEarly: string[] = [];
    for (const layer of dag.layers) {
      const startAt = starts.get(layer.name)?.[0] as number;
      const startTime = (log[startAt] as Execution).time;
      for (const dependency of layer.dependsOn ?? []) {
        const endAt = ends.get(dependency)?.[0] as number;
        if (endAt > startAt || (log[endAt] as Execution).time > startTime)
          tooEarly.push(`${layer.name} before ${dependency} ended`);
      }
    }
    expect(tooEarly).toEqual([]);

    const most = mostAtOnce(log);
    expect(most).toBeLessThanOrEqual(8);
    expect(most).toBeGreaterThan(1);
    // Every worker took part: the limit held across processes, not inside one.
    const pids = new Set(log.map((entry) => entry.pid));
    expect([...pids].sort()).toEqual(workers.map((w) => w.pid).sort());
  });

  it('start layers in priority order at concurrency 1, FIFO among equal priorities', async () => {
    const random = seededRandom(7);
    const layers: Parameters<typeof sequenceJson>[0] = [{ name: 'gate', operation: 'work' }];
    for (let i = 0; i < 30; i++) {
      layers.push({
        name: `n${i}`,
        operation: 'work',
        dependsOn: ['gate'],
        priority: Math.floor(random() * 6),
      });
    }
    const expected = [
      'gate',
      ...layers
        .slice(1)
        .map((layer, at) => ({ name: layer.name, priority: layer.priority ?? 0, at }))
        .sort((a, b) => b.priority - a.priority || a.at - b.at)
        .map((layer) => layer.name),
    ];

    const { runId, events } = await runToEnd(
      sequenceJson(layers, { concurrency: 1, queueType: 'FIFO' }),
    );

    expect(events.at(-1)).toMatchObject({ type: 'run:finished', status: 'succeeded' });
    const log = (await readExecutions(space)).filter((entry) => entry.runId === runId);
    const started = log.filter((entry) => entry.event === 'start');
    expect(started.map((entry) => entry.layer)).toEqual(expected);
    expect(startOrder(events)).toEqual(expected);
    expect(mostAtOnce(log)).toBe(1);
    expect(new Set(started.map((entry) => entry.pid)).size).toBeGreaterThan(1);
  });
});
