import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type QueueType,
  type RunEvent,
  type RunResult,
  VirtualClock,
} from '../src/index.js';
import { eventsOfType, settleOnClock, sleep } from './helpers.js';

type Step = { kind: 'microtasks'; count: number } | { kind: 'timer'; ms: number };

interface RandomDag {
  /** `dependsOn[i]`: indices below `i`. */
  dependsOn: number[][];
  priorities: number[];
  steps: Step[][];
  concurrency: number;
  queueType: QueueType;
}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('microtasks' as const), count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('timer' as const), ms: fc.integer({ min: 0, max: 20 }) }),
);

const randomDag: fc.Arbitrary<RandomDag> = fc.integer({ min: 1, max: 40 }).chain((count) =>
  fc.record({
    dependsOn: fc.tuple(
      ...Array.from({ length: count }, (_, i) =>
        i === 0
          ? fc.constant<number[]>([])
          : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: Math.min(i, 4) }),
      ),
    ),
    priorities: fc.array(fc.integer({ min: -2, max: 2 }), { minLength: count, maxLength: count }),
    steps: fc.array(fc.array(step, { maxLength: 3 }), { minLength: count, maxLength: count }),
    concurrency: fc.integer({ min: 1, max: 8 }),
    queueType: fc.constantFrom<QueueType>('FIFO', 'LIFO'),
  }),
);

const nameOf = (i: number) => `layer${i}`;

interface Trace {
  run: RunResult;
  /** Calls of the layer functions, in the order they happened. */
  calls: { kind: 'enter' | 'exit'; layer: string; args: unknown[] }[];
  mostAtOnce: number;
}

async function runDag(dag: RandomDag): Promise<Trace> {
  const clock = new VirtualClock(0);
  const calls: Trace['calls'] = [];
  let live = 0;
  let mostAtOnce = 0;
  const sequence = new AdvancedSequenceBuilder({
    concurrency: dag.concurrency,
    queueType: dag.queueType,
  });
  dag.dependsOn.forEach((dependencies, i) => {
    const name = nameOf(i);
    sequence.addLayer({
      name,
      dependsOn: dependencies.map(nameOf),
      priority: dag.priorities[i] ?? 0,
      execute: async (...args: unknown[]) => {
        calls.push({ kind: 'enter', layer: name, args: args.slice(0, -1) });
        live++;
        mostAtOnce = Math.max(mostAtOnce, live);
        for (const { kind, ...amount } of dag.steps[i] ?? []) {
          if (kind === 'timer') await sleep(clock, (amount as { ms: number }).ms);
          else
            for (let n = 0; n < (amount as { count: number }).count; n++) await Promise.resolve();
        }
        live--;
        calls.push({ kind: 'exit', layer: name, args: [] });
        return `result of ${name}`;
      },
    });
  });
  const run = await settleOnClock(clock, sequence.build({}, { clock }));
  return { run, calls, mostAtOnce };
}

/** Replays the record, calling `check` with the ready set and running count before every event. */
function replay(
  events: readonly RunEvent[],
  check: (event: RunEvent, state: { ready: Map<string, number>; running: number }) => void,
): void {
  const ready = new Map<string, number>();
  let running = 0;
  for (const event of events) {
    check(event, { ready, running });
    if (event.type === 'layer:queued') ready.set(event.layer, event.seq);
    if (event.type === 'layer:started') {
      ready.delete(event.layer);
      running++;
    }
    if (
      event.type === 'layer:succeeded' ||
      event.type === 'layer:failed' ||
      event.type === 'layer:retrying'
    ) {
      running--;
    }
  }
  check(events.at(-1) as RunEvent, { ready, running });
}

/** One run:started first, one run:finished last, seq 0..n-1, time never going back, one final event per layer. */
function expectWellFormedRecord(events: readonly RunEvent[], layers: number): void {
  expect(events.map((event) => event.seq)).toEqual(events.map((_, i) => i));
  expect(events[0]?.type).toBe('run:started');
  expect(events.at(-1)?.type).toBe('run:finished');
  expect(eventsOfType(events, 'run:started')).toHaveLength(1);
  expect(eventsOfType(events, 'run:finished')).toHaveLength(1);
  for (let i = 1; i < events.length; i++) {
    expect((events[i] as RunEvent).time).toBeGreaterThanOrEqual((events[i - 1] as RunEvent).time);
  }
  const final = events.filter(
    (event) =>
      event.type === 'layer:succeeded' ||
      event.type === 'layer:failed' ||
      event.type === 'layer:skipped',
  );
  expect(new Set(final.map((event) => ('layer' in event ? event.layer : ''))).size).toBe(layers);
  expect(final).toHaveLength(layers);
}

const settings = { numRuns: 100, seed: 4_242 };

describe('scheduling of random DAGs', () => {
  it('runs each layer exactly once, after all of its dependencies, with their results in order', async () => {
    await fc.assert(
      fc.asyncProperty(randomDag, async (dag) => {
        const { run, calls } = await runDag(dag);

        expect(run.status).toBe('succeeded');
        expectWellFormedRecord(run.events, dag.dependsOn.length);
        const count = dag.dependsOn.length;
        expect(eventsOfType(run.events, 'layer:started')).toHaveLength(count);
        expect(eventsOfType(run.events, 'layer:succeeded')).toHaveLength(count);
        expect(calls.filter((call) => call.kind === 'enter')).toHaveLength(count);
        for (const [i, dependencies] of dag.dependsOn.entries()) {
          const name = nameOf(i);
          const started = run.events.find((e) => e.type === 'layer:started' && e.layer === name);
          const entered = calls.findIndex((call) => call.kind === 'enter' && call.layer === name);
          for (const dependency of dependencies.map(nameOf)) {
            const succeeded = run.events.find(
              (e) => e.type === 'layer:succeeded' && e.layer === dependency,
            );
            expect(succeeded?.seq).toBeLessThan(started?.seq ?? -1);
            const exited = calls.findIndex(
              (call) => call.kind === 'exit' && call.layer === dependency,
            );
            expect(exited).toBeLessThan(entered);
          }
          expect(calls[entered]?.args).toEqual(dependencies.map((d) => `result of ${nameOf(d)}`));
          expect(run.results[name]).toBe(`result of ${name}`);
        }
      }),
      settings,
    );
  });

  it('never runs more layers at once than the concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(randomDag, async (dag) => {
        const { run, mostAtOnce } = await runDag(dag);

        expect(mostAtOnce).toBeLessThanOrEqual(dag.concurrency);
        replay(run.events, (_, { running }) => {
          expect(running).toBeLessThanOrEqual(dag.concurrency);
        });
      }),
      settings,
    );
  });

  it('leaves no slot idle while ready work waits', async () => {
    await fc.assert(
      fc.asyncProperty(randomDag, async (dag) => {
        const { run } = await runDag(dag);

        // A transition (a layer finishing and what it unlocks) is a burst of events; between bursts
        // the record must show either every slot busy or nothing ready.
        replay(run.events, (event, { ready, running }) => {
          if (event.type !== 'layer:succeeded' && event !== run.events.at(-1)) return;
          if (running < dag.concurrency) expect([...ready.keys()]).toEqual([]);
        });
      }),
      settings,
    );
  });

  it('starts the ready layer with the highest priority, then the oldest (FIFO) or newest (LIFO)', async () => {
    await fc.assert(
      fc.asyncProperty(randomDag, async (dag) => {
        const { run } = await runDag(dag);
        const priorityOf = (name: string) =>
          dag.priorities[Number(name.slice('layer'.length))] ?? 0;

        replay(run.events, (event, { ready }) => {
          if (event.type !== 'layer:started') return;
          const mine = priorityOf(event.layer);
          const queuedAt = ready.get(event.layer) ?? Number.NaN;
          for (const [other, otherQueuedAt] of ready) {
            if (other === event.layer) continue;
            expect(priorityOf(other)).toBeLessThanOrEqual(mine);
            if (priorityOf(other) === mine) {
              if (dag.queueType === 'FIFO') expect(otherQueuedAt).toBeGreaterThan(queuedAt);
              else expect(otherQueuedAt).toBeLessThan(queuedAt);
            }
          }
        });
      }),
      settings,
    );
  });
});

describe('failures in random DAGs', () => {
  const failingDag = randomDag.chain((dag) =>
    fc.record({
      dag: fc.constant(dag),
      failing: fc.uniqueArray(fc.integer({ min: 0, max: dag.dependsOn.length - 1 }), {
        maxLength: 3,
      }),
    }),
  );

  it("with 'continue', skips exactly the layers downstream of a failure and finishes the rest", async () => {
    await fc.assert(
      fc.asyncProperty(failingDag, async ({ dag, failing }) => {
        const clock = new VirtualClock(0);
        const sequence = new AdvancedSequenceBuilder({
          concurrency: dag.concurrency,
          queueType: dag.queueType,
        });
        const called = new Set<string>();
        dag.dependsOn.forEach((dependencies, i) => {
          sequence.addLayer({
            name: nameOf(i),
            dependsOn: dependencies.map(nameOf),
            priority: dag.priorities[i] ?? 0,
            onError: 'continue',
            args: [],
            execute: async () => {
              called.add(nameOf(i));
              await sleep(clock, dag.steps[i]?.length ?? 0);
              if (failing.includes(i)) throw new Error(`${nameOf(i)} failed`);
              return i;
            },
          });
        });

        const run = await settleOnClock(clock, sequence.build({}, { clock }));

        const doomed = new Set<number>();
        dag.dependsOn.forEach((dependencies, i) => {
          if (dependencies.some((d) => failing.includes(d) || doomed.has(d))) doomed.add(i);
        });
        const expected = dag.dependsOn.map((_, i) =>
          failing.includes(i) && !doomed.has(i)
            ? 'failed'
            : doomed.has(i)
              ? 'skipped'
              : 'succeeded',
        );
        expect(run.layers.map((layer) => layer.status)).toEqual(expected);
        expect(run.status).toBe(expected.includes('failed') ? 'failed' : 'succeeded');
        for (const [i, status] of expected.entries()) {
          expect(called.has(nameOf(i))).toBe(status !== 'skipped');
        }
        replay(run.events, (_, { running }) => {
          expect(running).toBeLessThanOrEqual(dag.concurrency);
        });
      }),
      settings,
    );
  });
});

describe('retries in random DAGs', () => {
  const flakyDag = randomDag.chain((dag) =>
    fc.record({
      dag: fc.constant(dag),
      failures: fc.array(fc.integer({ min: 0, max: 2 }), {
        minLength: dag.dependsOn.length,
        maxLength: dag.dependsOn.length,
      }),
      retryDelay: fc.integer({ min: 0, max: 15 }),
    }),
  );

  it('retries each flaky layer to success, keeping slots busy and the order during retry delays', async () => {
    await fc.assert(
      fc.asyncProperty(flakyDag, async ({ dag, failures, retryDelay }) => {
        const clock = new VirtualClock(0);
        const sequence = new AdvancedSequenceBuilder({
          concurrency: dag.concurrency,
          queueType: dag.queueType,
          maxRetries: 2,
          retryDelay,
        });
        dag.dependsOn.forEach((dependencies, i) => {
          sequence.addLayer({
            name: nameOf(i),
            dependsOn: dependencies.map(nameOf),
            priority: dag.priorities[i] ?? 0,
            args: [],
            execute: async ({ attempt }: { attempt: number }) => {
              await sleep(clock, dag.steps[i]?.length ?? 0);
              if (attempt <= (failures[i] ?? 0)) throw new Error(`${nameOf(i)} attempt ${attempt}`);
              return attempt;
            },
          });
        });

        const run = await settleOnClock(clock, sequence.build({}, { clock }));

        expect(run.status).toBe('succeeded');
        expectWellFormedRecord(run.events, dag.dependsOn.length);
        expect(run.layers.map((layer) => layer.attempts.length)).toEqual(
          failures.map((f) => f + 1),
        );
        expect(eventsOfType(run.events, 'layer:retrying')).toHaveLength(
          failures.reduce((a, b) => a + b, 0),
        );
        const priorityOf = (name: string) =>
          dag.priorities[Number(name.slice('layer'.length))] ?? 0;
        const started = new Set<string>();
        replay(run.events, (event, { ready, running }) => {
          expect(running).toBeLessThanOrEqual(dag.concurrency);
          const beginsTransition =
            event.type === 'layer:succeeded' ||
            event.type === 'layer:retrying' ||
            (event.type === 'layer:queued' && started.has(event.layer)) ||
            event === run.events.at(-1);
          if (beginsTransition && running < dag.concurrency) expect([...ready.keys()]).toEqual([]);
          if (event.type === 'layer:started') {
            started.add(event.layer);
            for (const [other] of ready)
              expect(priorityOf(other)).toBeLessThanOrEqual(priorityOf(event.layer));
          }
        });
      }),
      settings,
    );
  });
});
