import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AdvancedSequenceBuilder,
  type RunEvent,
  type RunResult,
  runRecordFromEvents,
  VirtualClock,
} from '../src/index.js';
import { settleOnClock, sleep } from './helpers.js';

/** How a layer of a generated sequence behaves. */
interface LayerPlan {
  dependsOn: number[];
  ms: number;
  /** Attempts that throw before one succeeds (`Infinity`: every attempt throws). */
  failures: number;
  retries: number;
  onError: 'continue' | 'abort';
}

const layerPlans: fc.Arbitrary<LayerPlan[]> = fc.integer({ min: 1, max: 25 }).chain((count) =>
  fc.tuple(
    ...Array.from({ length: count }, (_, i) =>
      fc.record({
        dependsOn:
          i === 0
            ? fc.constant<number[]>([])
            : fc.uniqueArray(fc.integer({ min: 0, max: i - 1 }), { maxLength: Math.min(i, 3) }),
        ms: fc.integer({ min: 0, max: 30 }),
        failures: fc.oneof(
          { weight: 4, arbitrary: fc.constant(0) },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
          { weight: 1, arbitrary: fc.constant(Number.POSITIVE_INFINITY) },
        ),
        retries: fc.integer({ min: 0, max: 2 }),
        onError: fc.constantFrom<'continue' | 'abort'>('continue', 'continue', 'abort'),
      }),
    ),
  ),
);

const nameOf = (i: number) => `layer${i}`;

function sequenceOf(plans: readonly LayerPlan[], clock: VirtualClock, concurrency: number) {
  const sequence = new AdvancedSequenceBuilder({ concurrency, retryDelay: 5 });
  plans.forEach((plan, i) => {
    let failuresLeft = plan.failures;
    sequence.addLayer({
      name: nameOf(i),
      dependsOn: plan.dependsOn.map(nameOf),
      retries: plan.retries,
      onError: plan.onError,
      args: [],
      execute: async () => {
        await sleep(clock, plan.ms);
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error(`${nameOf(i)} failed`);
        }
        return { from: nameOf(i) };
      },
    });
  });
  return sequence;
}

async function runPlans(
  plans: readonly LayerPlan[],
  concurrency: number,
  listen: boolean,
): Promise<{ run: RunResult; heard: RunEvent[] }> {
  const clock = new VirtualClock(1_000);
  const heard: RunEvent[] = [];
  const options = listen
    ? { clock, runId: 'run-1', onEvent: (event: RunEvent) => heard.push(event) }
    : { clock, runId: 'run-1' };
  const run = await settleOnClock(clock, sequenceOf(plans, clock, concurrency).build({}, options));
  return { run, heard };
}

/** Everything a result says, as JSON: field order included. */
function whole(run: RunResult): string {
  return JSON.stringify({
    runId: run.runId,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    error: run.error,
    layers: run.layers,
    events: run.events,
    results: run.results,
    errors: run.errors,
    metrics: run.metrics,
  });
}

describe('run log', () => {
  it('gives listeners exactly the events the run result holds, field for field', async () => {
    await fc.assert(
      fc.asyncProperty(layerPlans, fc.integer({ min: 1, max: 4 }), async (plans, concurrency) => {
        const { run, heard } = await runPlans(plans, concurrency, true);
        expect(JSON.stringify(run.events)).toBe(JSON.stringify(heard));
        expect(run.events.map((event) => event.seq)).toEqual(run.events.map((_, i) => i));
      }),
      { numRuns: 60 },
    );
  });

  it('hands listeners the very event objects the result holds', async () => {
    const heard: RunEvent[] = [];
    const run = await new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 1 })
      .addLayer({ name: 'b', dependsOn: ['a'], execute: async (a: number) => a + 1 })
      .build({}, { onEvent: (event) => heard.push(event) });

    expect(run.events).toHaveLength(heard.length);
    for (const [i, event] of run.events.entries()) expect(event).toBe(heard[i]);
  });

  it('builds the same result whether or not anyone listened during the run', async () => {
    await fc.assert(
      fc.asyncProperty(layerPlans, fc.integer({ min: 1, max: 4 }), async (plans, concurrency) => {
        const heard = await runPlans(plans, concurrency, true);
        const unheard = await runPlans(plans, concurrency, false);
        expect(whole(unheard.run)).toBe(whole(heard.run));
      }),
      { numRuns: 60 },
    );
  });

  it('holds the record that folding its events gives, with each succeeded layer’s result', async () => {
    await fc.assert(
      fc.asyncProperty(layerPlans, fc.integer({ min: 1, max: 4 }), async (plans, concurrency) => {
        const { run, heard } = await runPlans(plans, concurrency, true);
        const folded = runRecordFromEvents(heard);
        expect(JSON.stringify(run.layers)).toBe(JSON.stringify(folded.layers));
        expect(run.status).toBe(folded.status);
        expect(run.finishedAt).toBe(folded.finishedAt);
        for (const layer of folded.layers) {
          if (layer.status === 'succeeded') expect(run.results[layer.name]).toEqual(layer.result);
          else expect(Object.hasOwn(run.results, layer.name)).toBe(false);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('builds each type of event with the fields and field order the event types declare', async () => {
    const clock = new VirtualClock(0);
    let bCalls = 0;
    const sequence = new AdvancedSequenceBuilder({ name: 'shapes', concurrency: 2 })
      .addLayer({ name: 'a', execute: async () => 'A', operation: 'makeA' })
      .addLayer({
        name: 'b',
        retries: 1,
        retryDelay: 5,
        execute: async () => {
          bCalls++;
          if (bCalls === 1) throw new TypeError('first try');
          return 'B';
        },
      })
      .addLayer({
        name: 'c',
        onError: 'continue',
        dependsOn: ['a'],
        execute: async () => {
          throw new Error('c broke');
        },
      })
      .addLayer({ name: 'd', dependsOn: ['c'], execute: async () => 'D' });
    const run = await settleOnClock(
      clock,
      sequence.build({ orderId: 'o-1' }, { clock, runId: 'r' }),
    );

    const error = (name: string, message: string) =>
      expect.objectContaining({ name, message }) as unknown;
    const expected = [
      {
        seq: 0,
        runId: 'r',
        time: 0,
        type: 'run:started',
        layers: [
          { name: 'a', dependsOn: [], priority: 0, operation: 'makeA' },
          { name: 'b', dependsOn: [], priority: 0 },
          { name: 'c', dependsOn: ['a'], priority: 0 },
          { name: 'd', dependsOn: ['c'], priority: 0 },
        ],
        concurrency: 2,
        queueType: 'FIFO',
        sequenceName: 'shapes',
        input: { orderId: 'o-1' },
      },
      { seq: 1, runId: 'r', time: 0, type: 'layer:queued', layer: 'a' },
      { seq: 2, runId: 'r', time: 0, type: 'layer:queued', layer: 'b' },
      {
        seq: 3,
        runId: 'r',
        time: 0,
        type: 'layer:started',
        layer: 'a',
        attempt: 1,
        worker: 'memory',
        args: [],
      },
      {
        seq: 4,
        runId: 'r',
        time: 0,
        type: 'layer:started',
        layer: 'b',
        attempt: 1,
        worker: 'memory',
        args: [],
      },
      { seq: 5, runId: 'r', time: 0, type: 'layer:succeeded', layer: 'a', attempt: 1, result: 'A' },
      { seq: 6, runId: 'r', time: 0, type: 'layer:queued', layer: 'c' },
      {
        seq: 7,
        runId: 'r',
        time: 0,
        type: 'layer:started',
        layer: 'c',
        attempt: 1,
        worker: 'memory',
        args: ['A'],
      },
      {
        seq: 8,
        runId: 'r',
        time: 0,
        type: 'layer:retrying',
        layer: 'b',
        attempt: 1,
        error: error('TypeError', 'first try'),
        delayMs: 5,
      },
      {
        seq: 9,
        runId: 'r',
        time: 0,
        type: 'layer:failed',
        layer: 'c',
        attempt: 1,
        error: error('Error', 'c broke'),
      },
      {
        seq: 10,
        runId: 'r',
        time: 0,
        type: 'layer:skipped',
        layer: 'd',
        reason: 'upstream-failed',
        because: 'c',
      },
      { seq: 11, runId: 'r', time: 5, type: 'layer:queued', layer: 'b' },
      {
        seq: 12,
        runId: 'r',
        time: 5,
        type: 'layer:started',
        layer: 'b',
        attempt: 2,
        worker: 'memory',
        args: [],
      },
      {
        seq: 13,
        runId: 'r',
        time: 5,
        type: 'layer:succeeded',
        layer: 'b',
        attempt: 2,
        result: 'B',
      },
      { seq: 14, runId: 'r', time: 5, type: 'run:finished', status: 'failed' },
    ];
    expect(run.events).toEqual(expected);
    // Field order too: serialised records and streams read the same way they always have.
    expect(run.events.map((event) => Object.keys(event))).toEqual(
      expected.map((event) => Object.keys(event)),
    );
    expect(Object.keys((run.events[0] as { layers: object[] }).layers[0] ?? {})).toEqual([
      'name',
      'dependsOn',
      'priority',
      'operation',
    ]);
  });

  it('logs more events than its first estimate when layers retry', async () => {
    const clock = new VirtualClock(0);
    let calls = 0;
    const sequence = new AdvancedSequenceBuilder({ retryDelay: 1 }).addLayer({
      name: 'flaky',
      retries: 20,
      execute: async () => {
        calls++;
        if (calls <= 20) throw new Error(`attempt ${calls} failed`);
        return 'done';
      },
    });
    const run = await settleOnClock(clock, sequence.build({}, { clock }));

    expect(run.status).toBe('succeeded');
    // queued, then 20 × (started, retrying, queued), then started and succeeded; the run's two events.
    expect(run.events).toHaveLength(2 + 1 + 20 * 3 + 2);
    expect(run.layers[0]?.attempts).toHaveLength(21);
    expect(run.results).toEqual({ flaky: 'done' });
  });

  it('records a run cancelled before it started, with nobody listening', async () => {
    const controller = new AbortController();
    controller.abort(new Error('not today'));
    const run = await new AdvancedSequenceBuilder()
      .addLayer({ name: 'a', execute: async () => 1 })
      .addLayer({ name: 'b', execute: async () => 2, dependsOn: ['a'] })
      .build({}, { signal: controller.signal });

    expect(run.status).toBe('cancelled');
    expect(run.events.map((event) => event.type)).toEqual([
      'run:started',
      'layer:queued',
      'layer:skipped',
      'layer:skipped',
      'run:finished',
    ]);
    expect(run.layers.map((layer) => layer.status)).toEqual(['skipped', 'skipped']);
    expect(run.error?.message).toBe('not today');
  });

  it('keeps results that are undefined or null as results of layers that succeeded', async () => {
    const run = await new AdvancedSequenceBuilder()
      .addLayer({ name: 'nothing', execute: async () => undefined })
      .addLayer({ name: 'empty', execute: async () => null })
      .addLayer({
        name: 'broken',
        onError: 'continue',
        execute: async () => {
          throw new Error('no');
        },
      })
      .build();

    expect(Object.keys(run.results)).toEqual(['nothing', 'empty']);
    expect(run.results.empty).toBeNull();
    expect(Object.keys(run.errors)).toEqual(['broken']);
  });
});

describe('the fields of a run result', () => {
  const FIELDS = ['layers', 'events', 'results', 'errors', 'metrics'];
  const derivedOf = (run: object): string[] =>
    Object.keys(run).filter((key) => FIELDS.includes(key));

  /** `count` independent layers; `failing` of them fail with `onError: 'continue'`. */
  const wide = (count: number, failing = 0) => {
    const builder = new AdvancedSequenceBuilder();
    for (let i = 0; i < count; i++) {
      builder.addLayer({
        name: `l${i}`,
        onError: 'continue',
        execute: async () => {
          if (i < failing) throw new Error(`l${i} broke`);
          return i;
        },
      });
    }
    return builder;
  };

  it('lists the same fields in the same order for a small run, a large run and a failed run', async () => {
    const small = await wide(3).build();
    const large = await wide(40).build();
    const failed = await wide(40, 2).build();

    expect(Object.keys(small)).toEqual(Object.keys(large));
    expect(Object.keys(failed)).toEqual([...Object.keys(large)]);
    expect(derivedOf(small)).toEqual(FIELDS);
    expect(JSON.parse(JSON.stringify(small))).toMatchObject({ results: { l0: 0, l1: 1, l2: 2 } });
    expect({ ...large }.results).toEqual(large.results);
    expect(Object.keys(failed.errors)).toEqual(['l0', 'l1']);
    expect(Object.keys(failed.results)).toHaveLength(38);
  });

  it('has no errors for a run whose only failure was retried away, and lets each field be replaced', async () => {
    let calls = 0;
    const run = await new AdvancedSequenceBuilder()
      .addLayer({
        name: 'flaky',
        retries: 1,
        execute: async () => {
          calls++;
          if (calls === 1) throw new Error('once');
          return 'ok';
        },
      })
      .build();

    expect(run.status).toBe('succeeded');
    expect(run.errors).toEqual({});
    expect(run.results).toEqual({ flaky: 'ok' });
    for (const field of FIELDS) {
      (run as unknown as Record<string, unknown>)[field] = field;
      expect((run as unknown as Record<string, unknown>)[field]).toBe(field);
    }
  });
});
